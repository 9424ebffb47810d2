/*
 * vane: the control domain's command-line tool, xl-style sub-commands.
 */
#ifndef VANE_H
#define VANE_H

#include <stdbool.h>
#include <stdint.h>

int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_introduce(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_consoled(int argc, char **argv);

/* destroydomain, then wait (30 s at most) until it is gone: 0 or -errno. */
struct xc;
int vane_destroy_domain(struct xc *xc, uint16_t dom);

/* The console daemon's clients (console.c). */
struct console_opts {
    bool no_replay;        /* -n: no replay of recent output */
    unsigned int grace_ms; /* -w: how long output is relayed after stdin ends */
    const char *until;     /* -u: end once this text has been output */
};
/* Relay a domain's console to this terminal or pipe: an exit status. */
int vane_console_attach(uint16_t dom, const struct console_opts *o);
/* Hand a new domain's console ring to the daemon (a warning if none runs): 0 or -errno. */
int vane_console_announce(uint16_t dom, uint64_t mfn, uint32_t port);
/* Tell the daemon a domain is about to go (nothing if it does not serve it). */
void vane_console_forget(uint16_t dom);

#endif
