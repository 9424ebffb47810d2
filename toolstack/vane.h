/*
 * vane: the control domain's command-line tool, xl-style sub-commands.
 */
#ifndef VANE_H
#define VANE_H

#include <stdint.h>

int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_introduce(int argc, char **argv);

/* destroydomain, then wait (30 s at most) until it is gone: 0 or -errno. */
struct xc;
int vane_destroy_domain(struct xc *xc, uint16_t dom);

#endif
