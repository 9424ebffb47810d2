/*
 * PV test-kernel runtime: console, strings, formatting, the test loop.
 */
#include "pvtest.h"
#include <xen/physdev.h>

start_info_t *start_info;
static unsigned int passed, failed;
extern const struct pvtest_case __tests_start[], __tests_end[];

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

static void put_num(char **p, char *end, unsigned long v, unsigned int base, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width-- > n && *p < end)
        *(*p)++ = pad;
    while (n && *p < end)
        *(*p)++ = tmp[--n];
}

/* %s %c %d %ld %u %lu %x %lx %p, with width, '0' and '#'. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    char *p = buf, *end = buf + size - 1;

    for (; *fmt && p < end; fmt++) {
        int width = 0, lng = 0;
        char pad = ' ';
        bool alt = false;
        if (*fmt != '%') {
            *p++ = *fmt;
            continue;
        }
        fmt++;
        if (*fmt == '#')
            alt = true, fmt++;
        if (*fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            lng++, fmt++;
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (s && *s && p < end)
                *p++ = *s++;
            break;
        }
        case 'c':
            *p++ = (char)va_arg(ap, int);
            break;
        case 'd': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0 && p < end) {
                *p++ = '-';
                v = -v;
            }
            put_num(&p, end, (unsigned long)v, 10, width, pad);
            break;
        }
        case 'u':
            put_num(&p, end, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 10, width,
                    pad);
            break;
        case 'p':
            alt = true;
            lng = 1;
            /* fall through */
        case 'x':
            if (alt && p + 2 < end)
                *p++ = '0', *p++ = 'x';
            put_num(&p, end, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int), 16, width,
                    pad);
            break;
        default:
            *p++ = *fmt;
            break;
        }
    }
    *p = '\0';
    return (int)(p - buf);
}

void (*pvtest_console_write)(const char *s, unsigned int n);

void printk(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1) /* vsnprintf says what it would have written */
        n = (int)sizeof(buf) - 1;
    if (pvtest_console_write)
        pvtest_console_write(buf, (unsigned int)n);
    else
        HYPERVISOR_console_io(CONSOLEIO_write, n, buf);
}

const char *cmdline_option(const char *name)
{
    const char *s = (const char *)start_info->cmd_line;
    size_t n = strlen(name);

    while (*s) {
        while (*s == ' ')
            s++;
        if (!memcmp(s, name, n) && s[n] == '=')
            return s + n + 1;
        while (*s && *s != ' ')
            s++;
    }
    return NULL;
}

void pvtest_check(bool ok, const char *expr, const char *file, int line)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printk("  FAILED: %s (%s:%d)\n", expr, file, line);
}

void pvtest_shutdown(unsigned int reason)
{
    struct sched_shutdown s = {.reason = reason};
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

unsigned long parse_num(const char *s)
{
    unsigned long v = 0;
    while (s && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    return v;
}

/*
 * wait=N (dom0): after the tests, wait until domains 1..N are gone (their
 * reservation is unknown: -ESRCH), sleeping in SCHEDOP_poll on
 * VIRQ_DOM_EXC, which the hypervisor raises when a domain stops and when
 * it is destroyed (with a timeout, so no event can be missed for good).
 */
static uint8_t si_page[4096] __attribute__((aligned(4096)));
static evtchn_port_t dom_exc_port;

struct shared_info *pvtest_dom_exc(evtchn_port_t *port)
{
    *port = dom_exc_port;
    return dom_exc_port ? (struct shared_info *)si_page : NULL;
}

static void watch_domains(void)
{
    struct evtchn_bind_virq bind = {.virq = VIRQ_DOM_EXC, .vcpu = 0};

    if (hypercall3(__HYPERVISOR_update_va_mapping, si_page, start_info->shared_info | 0x67, 2) ||
        hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, &bind))
        printk("pvtest: cannot watch other domains\n");
    else
        dom_exc_port = bind.port;
}

static bool domain_gone(domid_t id)
{
    return hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, &id) == -3 /* ESRCH */;
}

static void wait_domains(unsigned long n)
{
    struct shared_info *si = (struct shared_info *)si_page;
    evtchn_port_t port = dom_exc_port;
    struct sched_poll poll = {.nr_ports = 1};
    vcpu_time_info_t *t = &si->vcpu_info[0].time;

    poll.ports.p = &port;
    for (domid_t id = 1; id <= n; id++) {
        while (!domain_gone(id)) {
            __atomic_fetch_and(&si->evtchn_pending[port / 64], ~(1UL << (port % 64)),
                               __ATOMIC_SEQ_CST);
            /* Poll for at most 100 ms of system time past the last update. */
            poll.timeout = t->system_time + 100000000ULL;
            HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
        }
    }
}

void guest_main(start_info_t *si)
{
    struct physdev_set_iopl iopl = {.iopl = 1};

    start_info = si;
    traps_init();
    /* Port I/O from the kernel, as Linux asks for it at boot. */
    HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl);
    if (cmdline_option("wait"))
        watch_domains();
    printk("pvtest %s: starting, %lu pages, cmdline '%s'\n", pvtest_kernel_name, si->nr_pages,
           (const char *)si->cmd_line);
    size_t nr_tests =
        ((uintptr_t)__tests_end - (uintptr_t)__tests_start) / sizeof(__tests_start[0]);

    for (const struct pvtest_case *t = __tests_start; t < __tests_start + nr_tests; t++) {
        unsigned int f = failed;
        t->fn();
        printk("  %s %s\n", failed == f ? "ok  " : "FAIL", t->name);
    }
    pvtest_finish();
}

unsigned int pvtest_failures(void)
{
    return failed;
}

void pvtest_finish(void)
{
    unsigned long linger;

    printk("pvtest %s: %u passed, %u failed\n", pvtest_kernel_name, passed, failed);
    /* linger=N: let other domains run N rounds before this one ends. */
    linger = parse_num(cmdline_option("linger"));
    for (unsigned long i = 0; i < linger; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    if (cmdline_option("wait"))
        wait_domains(parse_num(cmdline_option("wait")));
    pvtest_shutdown(failed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
