/*
 * vane: the control domain's command-line tool, xl-style sub-commands.
 */
#ifndef VANE_H
#define VANE_H

int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_introduce(int argc, char **argv);

#endif
