/*
 * vane: the control domain's command-line tool, xl-style sub-commands.
 */
#ifndef VANE_H
#define VANE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_introduce(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_domid(int argc, char **argv);
int cmd_domname(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_uptime(int argc, char **argv);
int cmd_vcpu_list(int argc, char **argv);
int cmd_vcpu_pin(int argc, char **argv);
int cmd_sched_credit(int argc, char **argv);
int cmd_sched_sedf(int argc, char **argv);
int cmd_mem_max(int argc, char **argv);
int cmd_mem_set(int argc, char **argv);
int cmd_vcpu_set(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_block_attach(int argc, char **argv);
int cmd_block_detach(int argc, char **argv);
int cmd_block_list(int argc, char **argv);
int cmd_network_attach(int argc, char **argv);
int cmd_network_detach(int argc, char **argv);
int cmd_network_list(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_consoled(int argc, char **argv);

int cmd_mkboot(int argc, char **argv);

/*
 * Read and parse the xl.cfg file PATH (with N KEY=VALUE OVERRIDES) into C,
 * its messages on stderr: 0, or -1 when it cannot be read or is wrong.
 */
struct domain_config;
int vane_parse_config(const char *path, char **overrides, int n, struct domain_config *c);

/* destroydomain, then wait (30 s at most) until it is gone: 0 or -errno. */
struct xc;
int vane_destroy_domain(struct xc *xc, uint16_t dom);

/*
 * Options as xl's def_getopt reads them: the next option, or -1 once
 * they are done and at least `reqargs` arguments follow. -h prints the
 * command's help and exits 0; an unknown option or too few arguments
 * prints the usage and exits 2.
 */
int vane_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
                const char *cmd, int reqargs);
/* The command's usage on stderr; returns 2, the exit status of a usage error. */
int vane_usage(const char *cmd);

/* domains.c: what several commands share. */
struct xen_domctl_getdomaininfo;
/* A domain's name as xl shows it: its recorded name, Domain-0, or dN. */
void vane_domain_name(uint16_t dom, char *buf, size_t len);
/*
 * A domain given as xl takes one, an id or a name, that exists now:
 * 0, or -1 after saying why on stderr (as xl's find_domain).
 */
int vane_find_domain(struct xc *xc, const char *arg, uint16_t *dom);
/*
 * Whether a domain that exists now goes by `name` (as vane_domain_name
 * shows it): 1 with its id in *dom, 0 if none, or -errno.
 */
int vane_name_in_use(struct xc *xc, const char *name, uint16_t *dom);
/* Every domain, by id (malloc'd array into *list): the count, or -errno. */
int vane_list_domains(struct xc *xc, struct xen_domctl_getdomaininfo **list);
/* xl's six state letters: running, blocked, paused, shutdown, its reason (-rscwS), dying. */
void vane_state_string(uint32_t flags, char out[7]);
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
