/*
 * vane: one command table drives dispatch, `vane help` and the usage
 * messages, as xl's cmd_table does.
 */
#include "vane.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *desc;    /* one line, no full stop */
    const char *usage;   /* the arguments */
    const char *options; /* NULL, or one line per option */
} commands[] = {
    {"create", cmd_create, "Create a domain from config file <ConfigFile>",
     "[-p] [-q] [-c] <ConfigFile> [KEY=VALUE ...]",
     "-p                 Leave the domain paused after it is created\n"
     "-q                 Quiet\n"
     "-c                 Connect to the console after the domain is created"},
    {"list", cmd_list, "List information about all/some domains", "[options] [Domain]",
     "-l, --long         Output all VM details (JSON)\n"
     "-v, --verbose      Prints out UUIDs and security context"},
    {"destroy", cmd_destroy, "Terminate a domain immediately", "[options] <Domain>",
     "-f                      Permit destroying domain 0"},
    {"shutdown", cmd_shutdown, "Issue a shutdown signal to a domain", "[options] <-a|Domain>",
     "-a, --all               Shutdown all guest domains.\n"
     "-w, --wait              Wait for guest(s) shutdown"},
    {"reboot", cmd_reboot, "Issue a reboot signal to a domain", "[options] <-a|Domain>",
     "-a, --all               Reboot all guest domains.\n"
     "-w, --wait              Wait for guest(s) reboot"},
    {"pause", cmd_pause, "Pause execution of a domain", "<Domain>", NULL},
    {"unpause", cmd_unpause, "Unpause a paused domain", "<Domain>", NULL},
    {"mem-max", cmd_mem_max, "Set the maximum amount reservation for a domain",
     "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL},
    {"mem-set", cmd_mem_set, "Set the current memory usage for a domain",
     "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL},
    {"rename", cmd_rename, "Rename a domain", "<Domain> <NewDomainName>", NULL},
    {"vcpu-set", cmd_vcpu_set, "Set the number of active VCPUs allowed for the domain",
     "[option] <Domain> <vCPUs>",
     "-i, --ignore-host  Don't limit the vCPU based on the host CPU count"},
    {"top", cmd_top, "Monitor a host and the domains in real time", "[options]",
     "-b, --batch          Output in batch mode, no user input accepted\n"
     "-d, --delay=SECONDS  Seconds between updates (default 3)\n"
     "-i, --iterations=N   Number of iterations before exiting\n"
     "-f, --full-name      Output the full domain name (not truncated)\n"
     "-z, --dom0-first     Display dom0 first (ignore sorting)"},
    {"block-attach", cmd_block_attach, "Create a new virtual block device",
     "<Domain> <disk-spec-component(s)>...", NULL},
    {"block-list", cmd_block_list, "List virtual block devices for a domain", "<Domain(s)>", NULL},
    {"block-detach", cmd_block_detach, "Destroy a domain's virtual block device",
     "[-f|--force] <Domain> <DevId>", "-f, --force  Take the device away without asking the guest"},
    {"network-attach", cmd_network_attach, "Create a new virtual network device",
     "<Domain> [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] [vifname=<name>] "
     "[mtu=<mtu>]",
     NULL},
    {"network-list", cmd_network_list, "List virtual network interfaces for a domain",
     "<Domain(s)>", NULL},
    {"network-detach", cmd_network_detach, "Destroy a domain's virtual network device",
     "<Domain> <DevId|mac>", NULL},
    {"vcpu-list", cmd_vcpu_list, "List the VCPUs for all/some domains", "[Domain, ...]", NULL},
    {"vcpu-pin", cmd_vcpu_pin, "Set which CPUs a VCPU can use",
     "<Domain> <VCPU|all> <Hard affinity|-|all> [Soft affinity|-|all]", NULL},
    {"sched-credit", cmd_sched_credit, "Get/set credit scheduler parameters",
     "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]]",
     "-d DOMAIN, --domain=DOMAIN        Domain to modify\n"
     "-w WEIGHT, --weight=WEIGHT        Weight (int)\n"
     "-c CAP, --cap=CAP                 Cap (int)"},
    {"sched-sedf", cmd_sched_sedf, "Get/set sedf scheduler parameters (Paravane)", "[options]",
     "-d DOMAIN, --domain=DOMAIN     Domain to modify\n"
     "-p MS, --period=MS             Relative deadline(ms)\n"
     "-s MS, --slice=MS              Worst-case execution time(ms) (slice < period)\n"
     "-l MS, --latency=MS            Scaled period (ms) when domain performs heavy I/O\n"
     "-e FLAG, --extra=FLAG          Flag (0 or 1) controls if domain can run in extra time\n"
     "-w FLOAT, --weight=FLOAT       CPU Period/slice (do not set with --period/--slice)"},
    {"domid", cmd_domid, "Convert a domain name to domain id", "<DomainName>", NULL},
    {"domname", cmd_domname, "Convert a domain id to domain name", "<DomainId>", NULL},
    {"dmesg", cmd_dmesg, "Read and/or clear dmesg buffer", "[-c]",
     "  -c                        Clear dmesg buffer as well as printing it"},
    {"info", cmd_info, "Get information about Xen host", "", NULL},
    {"uptime", cmd_uptime, "Print uptime for all/some domains", "[-s] [Domain]", NULL},
    {"wait", cmd_wait, "Wait until a domain is gone", "<DomainId> [TimeoutSeconds]", NULL},
    {"console", cmd_console, "Attach to domain's console", "[options] <Domain>",
     "-n                 No replay of the recent output\n"
     "-w SECS            Relay output this long after stdin ends (not a terminal)\n"
     "-u TEXT            End once TEXT has been output (exit 1 if it never is)\n"
     "-l                 List the domains the daemon serves\n"
     "-r KIB             Set the daemon's rate limit (KiB/s per domain)"},
    {"consoled", cmd_consoled, "The console daemon (as xenconsoled)", "[-d] [-r KIB_PER_SEC]",
     "-d                 Detach once it serves\n"
     "-r KIB             Rate limit per domain (KiB/s)"},
    {"mkboot", cmd_mkboot, "Write the device tree of boot-time domains from config files",
     "[-o OUT] [-m FIRST] <ConfigFile> ...",
     "-o OUT             Write the tree to OUT (default: standard output)\n"
     "-m FIRST           mb-index of the first kernel or ramdisk (default 3)"},
    {"introduce", cmd_introduce, "Hand a boot-time domU to dom0's xenstored", "<DomainId>", NULL},
    {"stat", cmd_stat, "Show what domains asked of the hypervisor (counters, Paravane)",
     "[options] [Domain...]",
     "-j, --json         Output every domain in full, as JSON\n"
     "-z, --zero         Reset the domains' counters after reading them"},
    {"trace", cmd_trace, "Record the hypervisor's trace buffers (as xentrace)",
     "[options] <File|->",
     "-e MASK, --evt-mask=MASK       Events to record: a number, sched, pv, gen, all\n"
     "-S N, --trace-buf-size=N       Pages per CPU, when first set (default 32)\n"
     "-T S, --time-interval=S        Stop after S seconds (default: at SIGINT/SIGTERM)\n"
     "-s MS, --poll-sleep=MS         Read the buffers every MS milliseconds (default 100)\n"
     "-D, --discard-buffers          Drop what the buffers held before\n"
     "-x, --dont-disable-tracing     Leave tracing on at the end"},
    {"help", cmd_help, "Print this help", "[command]", NULL},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *lookup(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

/* xl's help(): the whole table, or one command's usage and options. */
static void help(FILE *out, const char *name)
{
    const struct command *c;

    if (!name || !strcmp(name, "help")) {
        fprintf(out, "Usage vane <subcommand> [args]\n\nvane full list of subcommands:\n\n");
        for (size_t i = 0; i < N_COMMANDS; i++) {
            fprintf(out, " %-19s ", commands[i].name);
            if (strlen(commands[i].name) > 19)
                fprintf(out, "\n %-19s ", "");
            fprintf(out, "%s\n", commands[i].desc);
        }
        return;
    }
    c = lookup(name);
    if (!c) {
        fprintf(out, "command \"%s\" not implemented\n", name);
        return;
    }
    fprintf(out, "Usage: vane %s %s\n\n%s.\n\n", c->name, c->usage, c->desc);
    if (c->options)
        fprintf(out, "Options:\n\n%s\n", c->options);
}

int vane_usage(const char *cmd)
{
    help(stderr, cmd);
    return 2;
}

int vane_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
                const char *cmd, int reqargs)
{
    static const struct option help_only[] = {{"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    char opts[64];
    int opt;

    /* -h and --help belong to every command. */
    snprintf(opts, sizeof(opts), ":%sh", optstring);
    opterr = 0;
    opt = getopt_long(argc, argv, opts, longopts ? longopts : help_only, NULL);
    if (opt == 'h') {
        help(stdout, cmd);
        exit(0);
    }
    if (opt == '?') {
        if (optopt)
            fprintf(stderr, "option `%c' not supported.\n", optopt);
        else
            fprintf(stderr, "option `%s' not supported.\n", argv[optind - 1]);
        exit(vane_usage(cmd));
    }
    if (opt == ':') {
        fprintf(stderr, "option `%c' needs an argument.\n", optopt);
        exit(vane_usage(cmd));
    }
    if (opt != -1)
        return opt;
    if (argc - optind < reqargs) {
        fprintf(stderr, "'vane %s' requires at least %d argument%s.\n\n", cmd, reqargs,
                reqargs > 1 ? "s" : "");
        exit(vane_usage(cmd));
    }
    return -1;
}

int cmd_help(int argc, char **argv)
{
    if (argc > 2)
        return vane_usage("help");
    help(stdout, argc == 2 ? argv[1] : NULL);
    return argc == 2 && !lookup(argv[1]) ? 1 : 0;
}

int main(int argc, char **argv)
{
    const struct command *c;

    if (argc < 2) {
        help(stderr, NULL);
        return 2;
    }
    c = lookup(argv[1]);
    if (c)
        return c->fn(argc - 1, argv + 1);
    fprintf(stderr, "command not implemented\n");
    help(stderr, NULL);
    return 2;
}
