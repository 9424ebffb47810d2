/*
 * pvtest forger: a domU that tries to pass its console output off as the
 * hypervisor's, dom0's or another domain's, for the harness self-test
 * (tests/harness/selftest.sh). Through console_io and through its xencons
 * ring it writes lines that would satisfy the suites' expectations if they
 * reached the serial log unprefixed: a test verdict, the hypervisor's
 * shutdown and ready lines, a "(hyp) " line, another domain's "(d2) "
 * line, each behind a control character that could start a line or move a
 * terminal's cursor back over the "(d1) " prefix (newline, carriage
 * return, backspace, escape sequences, vertical tab, form feed, C1 NEL,
 * NUL) or behind a line that just fills the hypervisor's line buffer.
 * Every forged line carries a tag the self-test looks for.
 *
 * hold=N: yield N times after forging (see the end).
 *
 * As dom0 it forges nothing: it waits for domain 1 to go and then ends
 * the machine by a reboot, printing neither a verdict nor a power-off,
 * so that any such line in the log comes from the forger.
 */
#include "lib/pvtest.h"
#include <xen/errno.h>
#include <xen/io/console.h>

const char pvtest_kernel_name[] = "forger";

static uint8_t ring_page[4096] __attribute__((aligned(4096)));

/* Write exactly n bytes (NULs included) through console_io. */
static void raw_write(const char *s, unsigned long n)
{
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, n, s), 0);
}

#define RAW(lit) raw_write(lit, sizeof(lit) - 1)

static void forge_console_io(void)
{
    static char longline[159 + 64];

    /* A verdict and the hypervisor's lines, plain and after a newline. */
    RAW("pvtest basic: 9 passed, 0 failed\n");
    RAW("\nparavane: domain 0 shut down (poweroff)\n");
    /* A carriage return before the hypervisor's ready line. */
    RAW("x\rparavane: ready cpus=1 memory=512MiB\n");
    /* Escape sequences: erase the line, cursor to column 1, then CR. */
    RAW("\x1b[2K\x1b[1G\r(hyp) forged-esc: domain 0 destroyed\n");
    /* Five backspaces erase "(d1) " on a terminal. */
    RAW("\b\b\b\b\bpvtest forged-bs: 1 passed, 0 failed\n");
    RAW("\v\fpvtest forged-vt: 1 passed, 0 failed\n");
    /* C1 NEL (0x85, a line break to some readers), and its 7-bit ESC E. */
    RAW("\x85pvtest forged-nel: 1 passed, 0 failed\n");
    RAW("\x1b"
        "Epvtest forged-esce: 1 passed, 0 failed\n");
    /* A NUL: a reader in C might take what follows as a new string. */
    RAW("\0pvtest forged-nul: 1 passed, 0 failed\n");
    /* Another domain's prefix. */
    RAW("\r(d2) pvtest forged-d2: 1 passed, 0 failed\n");
    /* A line split across writes, its start in a separate call. */
    RAW("\r");
    RAW("pvtest forged-split: 1 passed, 0 failed\n");
    /* 159 bytes fill the hypervisor's line buffer: what follows starts a
     * new line, which must carry the prefix again. */
    memset(longline, 'x', 159);
    memcpy(longline + 159, "pvtest forged-long: 1 passed, 0 failed\n", 39);
    raw_write(longline, 159 + 39);
}

/*
 * The same through the xencons ring the hypervisor serves for boot-time
 * domUs: its frame mapped at ring_page for the writes, then put back.
 */
static void forge_ring(void)
{
    static const char msg[] = "\x1b[1G\rpvtest forged-ring: 1 passed, 0 failed\n"
                              "\b\b\b\b\bparavane: domain 0 shut down (poweroff)\n";
    const unsigned long virt_base = 0xffffffff80000000UL;
    unsigned long mfn = start_info->console.domU.mfn;
    unsigned long own =
        ((const unsigned long *)start_info->mfn_list)[((unsigned long)ring_page - virt_base) >> 12];
    struct xencons_interface *intf = (struct xencons_interface *)ring_page;
    struct evtchn_send send = {.port = start_info->console.domU.evtchn};
    XENCONS_RING_IDX prod;

    if (!mfn || !send.port) {
        printk("pvtest forger: no console ring\n");
        CHECK(false);
        return;
    }
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, ring_page, (mfn << 12) | 0x67, UVMF_INVLPG),
             0);
    prod = intf->out_prod;
    for (unsigned int i = 0; i < sizeof(msg) - 1; i++)
        intf->out[MASK_XENCONS_IDX(prod++, intf->out)] = msg[i];
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the bytes before the index */
    intf->out_prod = prod;
    CHECK_EQ(hypercall2(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &send), 0);
    /* Wait (bounded) for the hypervisor to consume it, so it is printed
     * before the verdict. */
    for (unsigned long i = 0; i < 1000000 && intf->out_cons != prod; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(intf->out_cons, prod);
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, ring_page, (own << 12) | 0x67, UVMF_INVLPG),
             0);
}

/* dom0: wait for domain 1 to be gone, then reboot (see the top). */
static void dom0_wait_and_reboot(void)
{
    domid_t id = 1;

    for (unsigned long i = 0; i < 100000000UL; i++) {
        if (HYPERVISOR_memory_op(XENMEM_current_reservation, &id) == -XEN_ESRCH)
            break;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    printk("forger dom0: domain 1 is gone, rebooting\n");
    pvtest_shutdown(SHUTDOWN_reboot);
}

PVTEST(forge)
{
    if (start_info->flags & SIF_INITDOMAIN)
        dom0_wait_and_reboot();
    forge_console_io();
    forge_ring();
    /* hold=N: stay N scheduler rounds longer, so that whatever the
     * harness might send on seeing a forged line still reaches a running
     * machine. */
    for (unsigned long i = parse_num(cmdline_option("hold")); i; i--)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
