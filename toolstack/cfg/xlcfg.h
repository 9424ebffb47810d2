/*
 * The xl.cfg parser: the text of a domain configuration file (Xen 4.17's
 * xl.cfg(5) syntax, PV guests only) and `vane create`'s KEY=VALUE
 * overrides, turned into one checked struct domain_config.
 *
 * Pure host code: no I/O, no global state, never prints or exits. Every
 * problem becomes a message in the caller's struct xlcfg_diag, prefixed
 * with where it was found:
 *
 *   d1.cfg:7: memory: expected a number, got 'lots'
 *   d1.cfg:3: warning: unknown key 'foo'
 *   d1.cfg:4: syntax error: expected '=' after 'name', got a string
 *   d1.cfg: missing required key 'kernel'
 *   <command line>:1: vcpus: ...            (the first override)
 *
 * Syntax (xl's): `KEY = VALUE` one per line or separated by `;`; `#` to the
 * end of the line is a comment. A VALUE is
 *   - a string, 'single' or "double" quoted, on one line, with the escapes
 *     \' \" \\ \a \b \f \n \r \t \v, \xHH (two hex digits) and \ooo (one to
 *     three octal digits); a NUL may not be escaped in;
 *   - a number: decimal, 0x hex or 0-prefixed octal (as strtol base 0 and
 *     so as xl), optionally negative;
 *   - a list [ VALUE, VALUE, ] which may span lines, nest, and end with a
 *     comma.
 * `KEY += VALUE` appends to the KEY set before it (list to list, string to
 * string), as xl does; a later `KEY = VALUE` replaces an earlier one.
 * Overrides are the same statements, parsed after the file.
 *
 * Keys: see domain_config.c's table. Beyond xl, Paravane reads the SEDF
 * scheduler's parameters (upstream removed SEDF in Xen 4.6):
 *   sedf_period = MS     period of the time guarantee, 1..10000 ms
 *   sedf_slice  = MS     CPU time guaranteed per period, 1..sedf_period ms
 *   sedf_latency = MS    wake-up latency hint, 0 (none)..10000 ms
 *   sedf_extratime = 0|1 may share idle time beyond the guarantee
 * sedf_period and sedf_slice go together (a time-driven domain); without
 * them the domain is weight-driven (cpu_weight). They are converted to the
 * nanoseconds of the SEDF domctl here, once.
 *
 * Number parsing rule: a quoted string where a number is wanted is an
 * error (`memory = "512"`), stricter than xl; a bare number where a string
 * is wanted is accepted as its text (`cpus = 3`), as xl does.
 */
#ifndef TOOLSTACK_CFG_XLCFG_H
#define TOOLSTACK_CFG_XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Host CPUs a cpus= mask can name (the hypervisor's NR_CPUS). */
#define XLCFG_MAX_CPUS 64
/* vCPUs per domain: XEN_LEGACY_MAX_VCPUS, all vcpu_info in shared_info. */
#define XLCFG_MAX_VCPUS 32
/* memory= and maxmem= bound, in MiB (16 TiB). */
#define XLCFG_MAX_MEMORY_MIB (1ULL << 24)
/* libxl's default when neither memory= nor maxmem= is given, in MiB. */
#define XLCFG_DEFAULT_MEMORY_MIB 32
#define XLCFG_DEFAULT_WEIGHT     256
#define XLCFG_SEDF_MAX_MS        10000

/* --- diagnostics ------------------------------------------------------ */

#define XLCFG_DIAG_MAX     32  /* messages kept; later ones are counted only */
#define XLCFG_DIAG_MSG_LEN 240 /* longer messages are truncated */

enum xlcfg_severity {
    XLCFG_WARNING,
    XLCFG_ERROR,
};

struct xlcfg_msg {
    enum xlcfg_severity severity;
    char text[XLCFG_DIAG_MSG_LEN]; /* "FILE:LINE: ...", no newline */
};

struct xlcfg_diag {
    unsigned int n;        /* messages in msg[] */
    unsigned int dropped;  /* messages that did not fit */
    unsigned int errors;   /* including dropped ones */
    unsigned int warnings; /* including dropped ones */
    struct xlcfg_msg msg[XLCFG_DIAG_MAX];
};

/* --- the result -------------------------------------------------------- */

/* Values as libxl_action_on_shutdown numbers them. */
enum xlcfg_action {
    XLCFG_ACTION_DESTROY = 1,
    XLCFG_ACTION_RESTART = 2,
    XLCFG_ACTION_RENAME_RESTART = 3,
    XLCFG_ACTION_PRESERVE = 4,
    XLCFG_ACTION_COREDUMP_DESTROY = 5,
    XLCFG_ACTION_COREDUMP_RESTART = 6,
};

enum xlcfg_disk_format {
    XLCFG_DISK_RAW, /* the default */
    XLCFG_DISK_QCOW,
    XLCFG_DISK_QCOW2,
    XLCFG_DISK_VHD,
    XLCFG_DISK_QED,
    XLCFG_DISK_EMPTY, /* a cdrom drive with no medium */
};

enum xlcfg_disk_backendtype {
    XLCFG_BACKEND_AUTO, /* not given: the toolstack chooses */
    XLCFG_BACKEND_PHY,
    XLCFG_BACKEND_QDISK,
    XLCFG_BACKEND_TAP,
    XLCFG_BACKEND_STANDALONE,
};

/* One disk= entry (xl-disk-configuration(5)). */
struct xlcfg_disk {
    char *target; /* image file or block device; NULL for an empty cdrom */
    char *vdev;   /* guest name: xvda, hdc, sdb1, ... (always set) */
    enum xlcfg_disk_format format;
    enum xlcfg_disk_backendtype backendtype;
    bool readonly; /* access=ro|r; the default for a cdrom */
    bool cdrom;    /* devtype=cdrom or the cdrom flag */
    bool direct_io_safe;
    bool discard;  /* default true; no-discard clears it */
    bool trusted;  /* default true; untrusted clears it */
    char *backend; /* backend domain name; NULL = dom0 */
    char *script;  /* hotplug script (script= or a deprecated prefix); NULL = none */
};

/* One vif= entry (xl-network-configuration(5)). */
struct xlcfg_vif {
    bool has_mac; /* false: the toolstack picks one in 00:16:3e */
    uint8_t mac[6];
    char *bridge;     /* always set; default "xenbr0" */
    char *ip;         /* space-separated addresses, or NULL */
    char *script;     /* hotplug script, or NULL for the default */
    char *backend;    /* backend domain name; NULL = dom0 */
    char *vifname;    /* backend interface name, or NULL for vifDOMID.DEVID */
    char *gatewaydev; /* for vif-route (netdev= is the deprecated alias) */
    char *rate;       /* as written ("10Mb/s@20ms"), or NULL = unlimited */
    unsigned int mtu; /* 0 = the bridge's */
};

struct domain_config {
    char *name;    /* required */
    char *kernel;  /* required (Paravane has no bootloader) */
    char *ramdisk; /* or NULL */
    char *cmdline; /* cmdline=, else "root=ROOT EXTRA" as xl builds it; or NULL */

    bool has_uuid; /* false: the toolstack generates one */
    uint8_t uuid[16];

    uint64_t memory_mib;    /* default maxmem_mib, or 32 */
    uint64_t maxmem_mib;    /* default memory_mib; >= memory_mib */
    unsigned int vcpus;     /* online at boot; default 1 */
    unsigned int max_vcpus; /* default vcpus; >= vcpus */

    /* cpus=: hard affinity of vCPU v < max_vcpus, a bitmap of host CPUs.
     * All ones for every vCPU when cpus= is absent (no pinning). */
    bool cpus_set;
    uint64_t cpu_affinity[XLCFG_MAX_VCPUS];

    enum xlcfg_action on_poweroff; /* default destroy */
    enum xlcfg_action on_reboot;   /* default restart */
    enum xlcfg_action on_crash;    /* default destroy */

    unsigned int cpu_weight; /* Credit weight 1..65535, default 256 */
    unsigned int cap;        /* percent of one CPU, 0 = none; <= 100 * vcpus */

    /* SEDF (Paravane extension), already in the domctl's nanoseconds.
     * sedf_set: at least one sedf_ key was given (else SEDF's defaults). */
    bool sedf_set;
    bool sedf_time_driven; /* sedf_period and sedf_slice were given */
    uint64_t sedf_period_ns;
    uint64_t sedf_slice_ns;
    uint64_t sedf_latency_ns; /* 0 = no hint */
    bool sedf_extratime;

    /* max_grant_version=: 1 or 2; 0 when absent, and the toolstack takes
     * the highest the hypervisor offers, as libxl does. */
    unsigned int max_grant_version;

    struct xlcfg_disk *disks;
    size_t n_disks;
    struct xlcfg_vif *vifs;
    size_t n_vifs;
};

/*
 * Parse LEN bytes of TEXT (need not be NUL-terminated), named FILENAME in
 * messages, then the N_OVERRIDES statements of OVERRIDES (each one
 * "KEY=VALUE" or "KEY+=VALUE", named "<command line>:I" for the I-th,
 * counting from 1), into OUT. DIAG is reset first, then receives every
 * warning and error.
 *
 * Returns 0 (OUT filled; there may be warnings), -XEN_EINVAL (the
 * configuration is wrong: at least one error in DIAG) or -XEN_ENOMEM. On
 * failure OUT is left zeroed, holding nothing. Either way
 * domain_config_free(OUT) is safe.
 */
int xlcfg_parse(const char *filename, const char *text, size_t len, char *const *overrides,
                int n_overrides, struct domain_config *out, struct xlcfg_diag *diag);

/* Release what OUT holds and zero it. */
void domain_config_free(struct domain_config *out);

/* Name of an action as xl.cfg spells it ("rename-restart"), or NULL. */
const char *xlcfg_action_name(enum xlcfg_action a);

/* Empty DIAG (xlcfg_parse does this itself). */
void xlcfg_diag_init(struct xlcfg_diag *diag);

/*
 * The pieces, exported for the tests and for `vane` commands that take
 * the same syntax on their own command lines (`vane block-attach`, ...).
 * Each returns 0 or -XEN_EINVAL (ERR, of ERRLEN bytes, says why, with no
 * location prefix) or -XEN_ENOMEM. A disk or vif filled on success must be
 * released with xlcfg_disk_free/xlcfg_vif_free; on failure it holds
 * nothing.
 */
int xlcfg_parse_disk(const char *spec, struct xlcfg_disk *disk, char *err, size_t errlen);
void xlcfg_disk_free(struct xlcfg_disk *disk);
/* A vdev's device number (libxl's: xvda is 51712), or -1 if it names none. */
int xlcfg_vdev_number(const char *vdev);
int xlcfg_parse_vif(const char *spec, struct xlcfg_vif *vif, char *err, size_t errlen);
void xlcfg_vif_free(struct xlcfg_vif *vif);
/*
 * A size as xl's mem-set and mem-max take it: a whole number, MiB by
 * default, or with one suffix b, k, m, g or t (either case). In KiB
 * (bytes rounded down), or -1 if it is not one or does not fit.
 */
int64_t xlcfg_parse_mem_size_kb(const char *s);
/* "0-3,^2", "all", "all,^7": a set of host CPUs, never empty. */
int xlcfg_parse_cpulist(const char *s, uint64_t *mask, char *err, size_t errlen);

#endif /* TOOLSTACK_CFG_XLCFG_H */
