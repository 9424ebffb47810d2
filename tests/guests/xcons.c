/*
 * pvtest xcons: a domU whose console is only its xencons ring, for the
 * toolstack's console daemon (vane consoled). From its first case on,
 * everything it prints, the verdict included, goes into the `out` ring
 * of the page its start_info names, with a notification on the event
 * channel there; nothing goes through console_io, so a line seen in the
 * daemon's log came through the ring.
 *
 * echo=1: print a prompt, read one line from the `in` ring (120 s at
 * most) and print it back as "pvtest xcons: echo 'LINE'".
 * flood=KIB: write KIB KiB of 64-byte numbered lines as fast as the ring
 * takes them, then the time that took ("flooded N KiB in M ms"): a
 * throttling back-end makes that time long.
 *
 * A ring nobody empties for 20 s is given up: printk goes back to
 * console_io, with a line saying so, and a check fails.
 */
#include "lib/pvclock.h"
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/io/console.h>

const char pvtest_kernel_name[] = "xcons";

static uint8_t ring_page[4096] __attribute__((aligned(4096)));
static uint8_t si_page[4096] __attribute__((aligned(4096)));
static struct shared_info *si = (struct shared_info *)si_page;
static struct xencons_interface *intf = (struct xencons_interface *)ring_page;
static evtchn_port_t port;
static bool ring_dead;

static uint64_t now_ns(void)
{
    return pvclock_now(si);
}

static void notify(void)
{
    struct evtchn_send s = {.port = port};

    hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &s);
}

static bool out_has_room(void)
{
    return intf->out_prod - __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE) < sizeof(intf->out);
}

static bool in_has_data(void)
{
    return __atomic_load_n(&intf->in_prod, __ATOMIC_ACQUIRE) != intf->in_cons;
}

/* Sleep on the console port until ready() holds; false after timeout_ms. */
static bool wait_for(bool (*ready)(void), uint64_t timeout_ms)
{
    struct sched_poll poll = {.nr_ports = 1};
    uint64_t deadline = now_ns() + timeout_ms * 1000000ULL;

    poll.ports.p = &port;
    while (!ready()) {
        if (now_ns() >= deadline)
            return false;
        __atomic_fetch_and(&si->evtchn_pending[port / 64], ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
        if (ready())
            break;
        poll.timeout = now_ns() + 10000000ULL; /* 10 ms */
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    }
    return true;
}

/* printk's output: into `out`, waiting for room, then a notification. */
static void ring_write(const char *s, unsigned int n)
{
    XENCONS_RING_IDX prod = intf->out_prod;

    if (ring_dead) {
        HYPERVISOR_console_io(CONSOLEIO_write, n, s);
        return;
    }
    for (unsigned int i = 0; i < n; i++) {
        if (prod - __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE) == sizeof(intf->out)) {
            __atomic_store_n(&intf->out_prod, prod, __ATOMIC_RELEASE);
            notify();
            if (!wait_for(out_has_room, 20000)) {
                static const char msg[] = "pvtest xcons: nobody empties the ring, back to "
                                          "console_io\n";
                ring_dead = true;
                HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
                HYPERVISOR_console_io(CONSOLEIO_write, n - i, s + i);
                return;
            }
        }
        intf->out[MASK_XENCONS_IDX(prod++, intf->out)] = s[i];
    }
    __atomic_store_n(&intf->out_prod, prod, __ATOMIC_RELEASE); /* the bytes before the index */
    notify();
}

PVTEST(ring_setup)
{
    unsigned long mfn = start_info->console.domU.mfn;

    port = start_info->console.domU.evtchn;
    CHECK(mfn && port);
    if (!mfn || !port)
        return;
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, si_page, start_info->shared_info | 0x67,
                        UVMF_INVLPG),
             0);
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, ring_page, (mfn << 12) | 0x67, UVMF_INVLPG),
             0);
    pvtest_console_write = ring_write;
    printk("pvtest xcons: writing through the console ring (port %u)\n", port);
}

PVTEST(echo)
{
    char line[128];
    unsigned int len = 0;

    if (!cmdline_option("echo") || !pvtest_console_write)
        return;
    printk("pvtest xcons: type a line\n");
    for (;;) {
        char ch;
        if (!wait_for(in_has_data, 120000))
            break;
        ch = intf->in[MASK_XENCONS_IDX(intf->in_cons, intf->in)];
        __atomic_store_n(&intf->in_cons, intf->in_cons + 1, __ATOMIC_RELEASE);
        notify(); /* room in `in` again */
        if ((ch == '\n' || ch == '\r') && len)
            break;
        if (ch != '\n' && ch != '\r' && len < sizeof(line) - 1)
            line[len++] = ch;
    }
    line[len] = '\0';
    printk("pvtest xcons: echo '%s'\n", line);
    CHECK(len > 0);
}

/* Flood line i: "flood NNNNNN " then x up to 63 bytes, and a newline. */
static void flood_line(char *buf, unsigned long i)
{
    memcpy(buf, "flood ", 6);
    for (int k = 11; k >= 6; k--, i /= 10)
        buf[k] = (char)('0' + i % 10);
    buf[12] = ' ';
    memset(buf + 13, 'x', 50);
    buf[63] = '\n';
}

PVTEST(flood)
{
    unsigned long kib = parse_num(cmdline_option("flood"));
    uint64_t t0 = now_ns();
    char buf[64];

    if (!kib || !pvtest_console_write)
        return;
    for (unsigned long i = 0; i < kib * 16 && !ring_dead; i++) {
        flood_line(buf, i);
        ring_write(buf, sizeof(buf));
    }
    printk("pvtest xcons: flooded %lu KiB in %lu ms\n", kib,
           (unsigned long)((now_ns() - t0) / 1000000));
    CHECK(!ring_dead);
}
