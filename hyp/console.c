/*
 * Hypervisor console: log levels, line output to COM1, input to the
 * debug-key handlers.
 *
 * Locking: console_lock serialises output between CPUs so lines never
 * interleave. It is recursive on one CPU (owner + depth), because the
 * fatal-trap report may start while that CPU already holds it. The panic
 * path steals it with console_force_unlock().
 */
#include "console.h"
#include "cmdline.h"
#include "keyhandler.h"
#include "lib.h"
#include "percpu.h"
#include "softirq.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "uart.h"
#include <xen/errno.h>

static enum log_level threshold = LOG_INFO;
static bool console_on = true;

static volatile int lock_owner = -1; /* CPU holding the lock, -1 if none */
static unsigned int lock_depth;      /* only touched by the owner */

static int parse_console(const char *s)
{
    if (!strcmp(s, "com1") || !strcmp(s, "com1,vga") || !strcmp(s, "vga,com1"))
        console_on = true;
    else if (!strcmp(s, "none"))
        console_on = false;
    else
        return -XEN_EINVAL;
    return 0;
}
OPTION_CUSTOM("console", parse_console);

static int parse_loglvl(const char *s)
{
    return console_parse_loglvl(s);
}
OPTION_CUSTOM("loglvl", parse_loglvl);

int console_parse_loglvl(const char *s)
{
    static const struct {
        const char *name;
        enum log_level lvl;
    } names[] = {
        {"none", LOG_NONE}, {"error", LOG_ERR},   {"warning", LOG_WARN},
        {"info", LOG_INFO}, {"debug", LOG_DEBUG}, {"all", LOG_ALL},
    };
    /* Xen's syntax is "<level>[/<rate-limited level>]"; we do not rate
     * limit, so the part after '/' is accepted and ignored. */
    size_t n = 0;
    while (s[n] && s[n] != '/')
        n++;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (strlen(names[i].name) == n && !strncmp(s, names[i].name, n)) {
            threshold = names[i].lvl;
            return 0;
        }
    }
    return -XEN_EINVAL;
}

void console_set_threshold(enum log_level lvl)
{
    threshold = lvl;
}

void console_enable(bool on)
{
    console_on = on;
}

void console_init(void)
{
    uart_init();
}

void console_lock(void)
{
    int me = (int)smp_processor_id();

    if (lock_owner == me) {
        lock_depth++;
        return;
    }
    while (!__atomic_compare_exchange_n(&lock_owner, &(int){-1}, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
        cpu_relax();
    lock_depth = 1;
}

void console_unlock(void)
{
    if (--lock_depth == 0)
        __atomic_store_n(&lock_owner, -1, __ATOMIC_RELEASE);
}

void console_force_unlock(void)
{
    lock_depth = 0;
    __atomic_store_n(&lock_owner, -1, __ATOMIC_RELEASE);
}

/*
 * Everything the console prints, except dom0's own output
 * (console_write_hwdom), is also kept in a ring, for the control domain's
 * `vane dmesg` (XEN_SYSCTL_readconsole), whether or not the serial line
 * is on. Indices count bytes since boot; under console_lock.
 */
#define CONRING_SIZE 16384u
static char conring[CONRING_SIZE];
static uint32_t conring_prod, conring_cons; /* cons: the oldest not cleared */

static void conring_put(const char *s)
{
    for (; *s; s++) {
        conring[conring_prod++ % CONRING_SIZE] = *s;
        if (conring_prod - conring_cons > CONRING_SIZE)
            conring_cons = conring_prod - CONRING_SIZE;
    }
}

unsigned int console_read_ring(char *buf, unsigned int size, uint32_t *index, bool incremental,
                               bool clear)
{
    unsigned long flags = local_irq_save();
    uint32_t start;
    unsigned int n = 0;

    console_lock();
    start = conring_cons;
    /* A start the ring has moved past reads from the oldest it still has. */
    if (incremental && *index - conring_cons <= conring_prod - conring_cons)
        start = *index;
    while (n < size && start + n != conring_prod) {
        buf[n] = conring[(start + n) % CONRING_SIZE];
        n++;
    }
    *index = start + n;
    if (clear)
        conring_cons = conring_prod;
    console_unlock();
    local_irq_restore(flags);
    return n;
}

/*
 * Whether the last byte out on the serial line left a line open. dom0's
 * own output is passed on as written (as Xen does) and may stop mid-line;
 * every line of the hypervisor's, and every prefixed line of a domU's,
 * starts a line of its own, so a reader (or a test anchored at line
 * starts) always finds it at the beginning of one. Under console_lock.
 */
static bool line_open;

static void put_serial(const char *s)
{
    if (*s)
        line_open = s[strlen(s) - 1] != '\n';
    if (!console_on)
        return;
    for (; *s; s++) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s);
    }
}

static void put_str(const char *s)
{
    conring_put(s);
    put_serial(s);
}

static void vprint(const char *prefix, const char *fmt, va_list ap)
{
    char buf[512];
    unsigned long flags = local_irq_save();

    vsnprintf(buf, sizeof(buf), fmt, ap);
    console_lock();
    if (line_open && buf[0] != '\n')
        put_str("\n");
    if (prefix)
        put_str(prefix);
    put_str(buf);
    console_unlock();
    local_irq_restore(flags);
}

void vprintk_lvl(enum log_level lvl, const char *fmt, va_list ap)
{
    if (lvl > threshold)
        return;
    vprint("(hyp) ", fmt, ap);
}

void printk_lvl(enum log_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk_lvl(lvl, fmt, ap);
    va_end(ap);
}

void printk_raw(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(NULL, fmt, ap);
    va_end(ap);
}

void console_write_hwdom(const char *s)
{
    unsigned long flags = local_irq_save();

    console_lock();
    put_serial(s);
    console_unlock();
    local_irq_restore(flags);
}

/*
 * Serial input goes to the debug keys or to dom0. Three Ctrl-A in a row
 * switch between the two, as on Xen. Input for dom0 waits in a ring until
 * it reads it (CONSOLEIO_read); when the ring is full new input is dropped.
 */
#define SWITCH_CHAR 0x01

/* A queue of characters, dropping what comes when it is full. */
struct char_queue {
    char *buf;
    unsigned int size;
    unsigned int prod, cons; /* free-running; under lock */
    spinlock_t lock;
};

#define CHAR_QUEUE(name, bytes)                                                                    \
    static char name##_buf[bytes];                                                                 \
    static struct char_queue name = {name##_buf, bytes, 0, 0, SPIN_LOCK_UNLOCKED}

static void cq_put(struct char_queue *q, char c)
{
    unsigned long flags = spin_lock_irqsave(&q->lock);

    if (q->prod - q->cons < q->size)
        q->buf[q->prod++ % q->size] = c;
    spin_unlock_irqrestore(&q->lock, flags);
}

/* Up to `max` characters, oldest first, into `out`: how many. */
static unsigned int cq_take(struct char_queue *q, char *out, unsigned int max)
{
    unsigned long flags = spin_lock_irqsave(&q->lock);
    unsigned int n = 0;

    while (n < max && q->cons != q->prod)
        out[n++] = q->buf[q->cons++ % q->size];
    spin_unlock_irqrestore(&q->lock, flags);
    return n;
}

static bool input_to_dom0;
static unsigned int switch_count;
CHAR_QUEUE(dom0_input, 1024);

/*
 * Characters from the serial interrupt, handled in order in a softirq with
 * interrupts on (the debug keys' handlers may wait for other CPUs).
 */
CHAR_QUEUE(from_irq, 64);

void console_rx_from_irq(char c)
{
    cq_put(&from_irq, c);
    raise_softirq(SERIAL_RX_SOFTIRQ);
}

static void serial_rx_softirq(void)
{
    char c;

    while (cq_take(&from_irq, &c, 1))
        console_rx_char(c);
}

void console_rx_init(void)
{
    open_softirq(SERIAL_RX_SOFTIRQ, serial_rx_softirq);
}

void console_rx_char(char c)
{
    if (c == SWITCH_CHAR) {
        if (++switch_count == 3) {
            switch_count = 0;
            input_to_dom0 = !input_to_dom0;
            printk_lvl(LOG_ERR,
                       "*** serial input to %s (type 'CTRL-a' three times to switch input)\n",
                       input_to_dom0 ? "DOM0" : "the hypervisor");
        }
        return;
    }
    switch_count = 0;
    if (!input_to_dom0) {
        handle_keypress(c);
        return;
    }
    cq_put(&dom0_input, c);
    send_guest_global_virq(domain_lookup(0), VIRQ_CONSOLE);
}

void console_set_input_to_dom0(bool on)
{
    input_to_dom0 = on;
    printk_lvl(LOG_ERR, "*** serial input to %s (type 'CTRL-a' three times to switch input)\n",
               input_to_dom0 ? "DOM0" : "the hypervisor");
}

long console_read_guest(unsigned long guest_buf, unsigned int count)
{
    char buf[64];
    unsigned int n = cq_take(&dom0_input, buf, count < sizeof(buf) ? count : sizeof(buf));

    if (n && copy_to_guest(guest_buf, buf, n))
        return -XEN_EFAULT;
    return n;
}
