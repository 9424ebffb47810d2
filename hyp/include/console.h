/*
 * Hypervisor console: formatted output to the serial line with log levels,
 * and the input path that feeds debug keys.
 *
 * Levels follow Xen's `loglvl=` names. A message is printed when its level
 * is at or below the threshold; the threshold is set on the command line.
 */
#ifndef PARAVANE_CONSOLE_H
#define PARAVANE_CONSOLE_H

#include "types.h"
#include "compiler.h"

enum log_level {
    LOG_NONE = 0, /* threshold only: print nothing */
    LOG_ERR = 1,
    LOG_WARN = 2,
    LOG_INFO = 3,
    LOG_DEBUG = 4,
    LOG_ALL = 5, /* threshold only: print everything */
};

void console_init(void);
void console_set_threshold(enum log_level lvl);
/* Parse a Xen-style `loglvl=` value ("info", "debug", "warning/all"...). */
int console_parse_loglvl(const char *s);
void console_enable(bool on);

void vprintk_lvl(enum log_level lvl, const char *fmt, va_list ap);
void printk_lvl(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
/* Unconditional output without prefix, on a line of its own: verdict lines tests look for. */
void printk_raw(const char *fmt, ...) __printf(1, 2);
/*
 * dom0's console_io writes, as written (they may end mid-line): the serial line only, not the ring
 * `vane dmesg` reads, as Xen by default (console_to_ring=0), so the ring keeps the hypervisor's
 * messages instead of dom0's kernel log, and a dom0 printing what it read does not feed the ring it
 * reads.
 */
void console_write_hwdom(const char *s);

#define pr_err(...)   printk_lvl(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk_lvl(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk_lvl(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk_lvl(LOG_DEBUG, __VA_ARGS__)

/*
 * The console lock serialises whole lines between CPUs. A dump that spans
 * many lines (debug key 'd', the fatal trap report) holds it across them.
 * It is recursive per CPU so a fault while printing still gets reported.
 */
void console_lock(void);
void console_unlock(void);
/* On the way down: take the console from whoever holds it. */
void console_force_unlock(void);

/* One received character, from the serial interrupt. */
void console_rx_char(char c);
/* From the serial interrupt: console_rx_char() follows in a softirq,
 * which console_rx_init() opens. */
void console_rx_from_irq(char c);
void console_rx_init(void);

/* Direct serial input to dom0 (true) or to the debug keys (false). */
void console_set_input_to_dom0(bool on);
/* CONSOLEIO_read: copy up to `count` queued input bytes; count or -errno. */
long console_read_guest(unsigned long guest_buf, unsigned int count);

/* An unprivileged domain's console output, printed by lines as "(dN) ...". */
struct domain;
void domain_console_put(struct domain *d, const char *buf, size_t n);

/*
 * The hypervisor's console back-end for a boot-time domU (console_ring.c):
 * serve the xencons ring in frame `mfn` of d. Returns the guest's event
 * channel port for it, or a negative Xen errno. Detach at destruction.
 */
int console_ring_attach(struct domain *d, unsigned long mfn);
void console_ring_detach(struct domain *d);
/*
 * The control domain binds the console's port (its console daemon takes
 * the domain over, as `vane introduce` asks): the back-end lets the ring
 * and the port go, the port becomes unbound for the control domain.
 * True if `port` was d's console and is handed over now.
 */
bool console_ring_handover(struct domain *d, uint32_t port);

/*
 * XEN_SYSCTL_readconsole: copy up to `size` bytes of the console ring into
 * buf, from the oldest kept byte or (incremental) from *index; *index is
 * set past the last byte read. `clear` forgets what the ring holds.
 */
unsigned int console_read_ring(char *buf, unsigned int size, uint32_t *index, bool incremental,
                               bool clear);

#endif
