/*
 * vane: one command table drives both dispatch and the usage message.
 */
#include "vane.h"
#include <stdio.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"create", cmd_create,
     "create a domain from an xl.cfg file: create [-p] [-q] [-c] CFG [KEY=VALUE...]"},
    {"destroy", cmd_destroy, "destroy a domain at once: destroy DOMID"},
    {"info", cmd_info, "print information about the hypervisor"},
    {"list", cmd_list, "list the domains (xl list's columns)"},
    {"wait", cmd_wait, "wait until a domain is gone: wait DOMID [TIMEOUT_SECONDS]"},
    {"console", cmd_console,
     "attach to a domain's console (Ctrl-] detaches): console [-n] [-w SECS] [-u TEXT] DOMID"},
    {"consoled", cmd_consoled, "the console daemon: consoled [-d] [-r KIB_PER_SEC]"},
    {"introduce", cmd_introduce, "hand a boot-time domU to dom0's xenstored: introduce DOMID"},
};

static void usage(void)
{
    fprintf(stderr, "usage: vane COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(stderr, "  %-12s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "vane: unknown command '%s'\n", argv[1]);
    usage();
    return 2;
}
