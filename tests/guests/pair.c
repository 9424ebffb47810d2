/*
 * pvtest pair: two domains working together. Role a runs in dom0, role b
 * in domain 1. They connect an interdomain event channel (b allocates an
 * unbound port for dom0, a finds it with EVTCHNOP_status and binds to it)
 * and ping-pong over it both ways; a grants frames that b maps, writes
 * and unmaps, and that both copy to and from; b checks the refusals (a
 * grant meant for another domain, a revoked one, one out of range, a
 * read-only one mapped writable). Role a also checks the guest clock: a
 * VIRQ_TIMER single-shot fires within a tick of its deadline, and the
 * pvclock never goes backwards, also while a pins its vCPU to each of the
 * machine's pCPUs in turn (pcpus=N; the moves are seen in the APIC ID raw
 * CPUID reports). Lines "pvtest pair: bench ..." carry the
 * figures make bench reports (tests/bench/pv-bench.sh).
 */
#define __XEN_TOOLS__ 1 /* domctl.h is the toolstack's interface */
#include "lib/pvclock.h"
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "pair";

#define LEAF      0x067UL
#define REF_RW    8  /* granted to domain 1, writable */
#define REF_OTHER 9  /* granted to domain 2 */
#define REF_ENDED 10 /* was granted, ended */
#define REF_RO    11 /* granted to domain 1, read-only */
#define REF_COPY  12 /* writable, the target of b's copy */
#define ROUNDS    200

static uint8_t si_page[4096] __attribute__((aligned(4096)));
static uint8_t gt_page[4096] __attribute__((aligned(4096)));
static uint8_t data[3][4096] __attribute__((aligned(4096)));
static uint8_t window[4096] __attribute__((aligned(4096)));
static struct shared_info *si = (struct shared_info *)si_page;
static evtchn_port_t port;
static bool is_a;

static unsigned long mfn_of(const void *va)
{
    unsigned long pfn = ((unsigned long)va - 0xffffffff80000000UL) >> 12;
    return ((const unsigned long *)start_info->mfn_list)[pfn];
}

static uint64_t now_ns(void)
{
    return pvclock_now(si);
}

static bool take_pending(evtchn_port_t p)
{
    return evtchn_take_pending(si, p);
}

/* Sleep until `p` is pending (and clear it); false after 10 s without. */
static bool wait_port(evtchn_port_t p)
{
    struct sched_poll poll = {.nr_ports = 1};
    uint64_t deadline = now_ns() + 10000000000ULL;

    poll.ports.p = &p;
    while (now_ns() < deadline) {
        if (take_pending(p))
            return true;
        poll.timeout = now_ns() + 10000000ULL;
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    }
    return take_pending(p);
}

static long evtchn(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static void notify(void)
{
    struct evtchn_send s = {.port = port};
    CHECK_EQ(evtchn(EVTCHNOP_send, &s), 0);
}

PVTEST(setup)
{
    is_a = start_info->flags & SIF_INITDOMAIN;
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, si_page, start_info->shared_info | LEAF,
                        UVMF_INVLPG),
             0);
}

PVTEST(connect_event_channel)
{
    if (!is_a) {
        struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
        CHECK_EQ(evtchn(EVTCHNOP_alloc_unbound, &a), 0);
        port = a.port;
        CHECK(wait_port(port)); /* a says hello once bound */
        /* Answer it, so a's first ping cannot merge into its hello. */
        notify();
        return;
    }
    /* Find domain 1's unbound port for us, then bind to it. */
    port = evtchn_bind_offered(1);
    CHECK(port != 0);
    /* Binding raises the new port once, in case the far end sent before
     * (Xen does the same): that is not b talking yet. */
    CHECK(take_pending(port));
    notify();
    CHECK(wait_port(port));
}

/* Both domains get here before either goes on. */
static void barrier(void)
{
    if (is_a) {
        notify();
        CHECK(wait_port(port));
    } else {
        CHECK(wait_port(port));
        notify();
    }
}

PVTEST(ping_pong)
{
    uint64_t t0 = now_ns();

    for (int i = 0; i < ROUNDS; i++)
        barrier(); /* a round trip each */
    if (is_a)
        printk("pvtest pair: bench evtchn round trip %lu ns\n",
               (unsigned long)((now_ns() - t0) / ROUNDS));
}

/*
 * Data segment selectors and bases are per vCPU: a loads a flat selector
 * into %fs and (SEGBASE_GS_USER_SEL) %gs, b the null ones and then bases
 * by hypercall (FS, kernel GS), and they
 * ping-pong (at -smp 1 the two share the pCPU). Each must find its own
 * %fs, and b its own base, every time.
 */
static uint64_t fs_word = 0x5e1ec7025e1ec702ULL;
static uint64_t gs_word = 0x95e1ec7095e1ec70ULL;

#define READ_SREG(seg)                                                                             \
    static unsigned int read_sreg_##seg(void)                                                      \
    {                                                                                              \
        unsigned int sel;                                                                          \
        __asm__ volatile("mov %%" #seg ", %0" : "=r"(sel));                                        \
        return sel & 0xffff;                                                                       \
    }
READ_SREG(fs)
READ_SREG(gs)

PVTEST(segments_are_per_vcpu)
{
    unsigned int want = is_a ? FLAT_RING3_DS32 : 0, wrong_sel = 0, wrong_base = 0;

    __asm__ volatile("mov %0, %%fs" : : "r"(want));
    /* %gs through Linux's load_gs_index(): the user selector, kernel base kept. */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, want), 0);
    if (!is_a) {
        CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, (unsigned long)&fs_word), 0);
        CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&gs_word), 0);
    }
    /* Lock-step: at -smp 1 every round switches the pCPU between the two. */
    for (int i = 0; i < 100; i++) {
        uint64_t f, g;

        barrier();
        wrong_sel += read_sreg_fs() != want;
        wrong_sel += read_sreg_gs() != want;
        if (!is_a) {
            __asm__ volatile("mov %%fs:0, %0" : "=r"(f));
            __asm__ volatile("mov %%gs:0, %0" : "=r"(g));
            wrong_base += f != fs_word;
            wrong_base += g != gs_word;
        }
    }
    CHECK_EQ(wrong_sel, 0);
    CHECK_EQ(wrong_base, 0);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
}

/* Try a mapping that must be refused: its status (the call itself succeeds). */
static int16_t map_status(struct gnttab_map_grant_ref *m)
{
    CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, m, 1), 0);
    return m->status;
}

static grant_entry_v1_t *gt = (grant_entry_v1_t *)gt_page;

PVTEST(grants)
{
    if (is_a) {
        struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
        xen_pfn_t f = 0;
        uint16_t expect;

        st.frame_list.p = &f;
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1), 0);
        CHECK_EQ(st.status, GNTST_okay);
        CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, gt_page, (f << 12) | LEAF, UVMF_INVLPG),
                 0);
        memcpy(data[0], "hello from a", 13);
        memcpy(data[1], "read only", 10);
        gt[REF_RW] = (grant_entry_v1_t){GTF_permit_access, 1, (uint32_t)mfn_of(data[0])};
        gt[REF_OTHER] = (grant_entry_v1_t){GTF_permit_access, 2, (uint32_t)mfn_of(data[0])};
        gt[REF_ENDED] = (grant_entry_v1_t){0, 1, (uint32_t)mfn_of(data[0])};
        gt[REF_RO] =
            (grant_entry_v1_t){GTF_permit_access | GTF_readonly, 1, (uint32_t)mfn_of(data[1])};
        gt[REF_COPY] = (grant_entry_v1_t){GTF_permit_access, 1, (uint32_t)mfn_of(data[2])};
        notify();               /* grants ready */
        CHECK(wait_port(port)); /* b has REF_RW mapped */
        /* A mapped grant cannot be ended: the flags show it in use. */
        expect = GTF_permit_access;
        CHECK(!__atomic_compare_exchange_n(&gt[REF_RW].flags, &expect, 0, false, __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST));
        CHECK(gt[REF_RW].flags & (GTF_reading | GTF_writing));
        notify();
        CHECK(wait_port(port)); /* b is done */
        CHECK(!memcmp(data[0], "reply from b", 13));
        CHECK_EQ(gt[REF_RW].flags, GTF_permit_access); /* unmapped: bits gone */
        CHECK(!memcmp(data[2], "copied by b", 12));
        notify(); /* flags checked: b's bench may map REF_RW again */
        return;
    }
    {
        struct gnttab_map_grant_ref m = {
            .host_addr = (unsigned long)window, .flags = GNTMAP_host_map, .ref = REF_RW, .dom = 0};
        struct gnttab_unmap_grant_ref u = {.host_addr = (unsigned long)window};
        struct gnttab_copy c = {0};
        unsigned long orig = mfn_of(window);

        CHECK(wait_port(port)); /* grants ready */
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1), 0);
        CHECK_EQ(m.status, GNTST_okay);
        CHECK(!memcmp(window, "hello from a", 13));
        memcpy(window, "reply from b", 13);
        CHECK(m.dev_bus_addr != 0);
        notify();
        CHECK(wait_port(port));
        u.handle = m.handle;
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_EQ(u.status, GNTST_okay);
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_EQ(u.status, GNTST_bad_handle); /* once only */
        /* Refusals, each leaving us running. */
        m.ref = REF_OTHER;
        CHECK_EQ(map_status(&m), GNTST_general_error);
        m.ref = REF_ENDED;
        CHECK_EQ(map_status(&m), GNTST_general_error);
        m.ref = 5000;
        CHECK_EQ(map_status(&m), GNTST_bad_gntref);
        m.ref = REF_RO; /* a writable map of a read-only grant: Xen's general error */
        CHECK_EQ(map_status(&m), GNTST_general_error);
        m.dom = 77;
        CHECK_EQ(map_status(&m), GNTST_bad_domain);
        /* Copy both ways: from a's read-only grant, into a's writable one. */
        c.source.u.ref = REF_RO;
        c.source.domid = 0;
        c.dest.u.gmfn = mfn_of(data[0]);
        c.dest.domid = DOMID_SELF;
        c.len = 10;
        c.flags = GNTCOPY_source_gref;
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1), 0);
        CHECK_EQ(c.status, GNTST_okay);
        CHECK(!memcmp(data[0], "read only", 10));
        memcpy(data[1], "copied by b", 12);
        c.source.u.gmfn = mfn_of(data[1]);
        c.source.domid = DOMID_SELF;
        c.dest.u.ref = REF_COPY;
        c.dest.domid = 0;
        c.len = 12;
        c.flags = GNTCOPY_dest_gref;
        CHECK_EQ(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1), 0);
        CHECK_EQ(c.status, GNTST_okay);
        c.dest.u.ref = REF_RO; /* a read-only grant is no copy target */
        hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1);
        CHECK_EQ(c.status, GNTST_general_error);
        c.len = 4000;
        c.dest.offset = 1000; /* crosses the page */
        hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, &c, 1);
        CHECK_EQ(c.status, GNTST_bad_copy_arg);
        CHECK_EQ(mfn_of(window), orig);
        notify();
        CHECK(wait_port(port)); /* a has read REF_RW's flags */
    }
}

PVTEST(grant_map_unmap_bench)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = (unsigned long)window, .flags = GNTMAP_host_map, .ref = REF_RW, .dom = 0};
    struct gnttab_unmap_grant_ref u = {.host_addr = (unsigned long)window};
    uint64_t t0;

    if (is_a)
        return;
    t0 = now_ns();
    for (int i = 0; i < ROUNDS; i++) {
        hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1);
        u.handle = m.handle;
        hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, &u, 1);
    }
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(u.status, GNTST_okay);
    printk("pvtest pair: bench grant map+unmap %lu ns\n",
           (unsigned long)((now_ns() - t0) / ROUNDS));
    t0 = now_ns();
    for (int i = 0; i < ROUNDS * 10; i++)
        hypercall_raw5(__HYPERVISOR_xen_version, 0, 0, 0, 0, 0);
    printk("pvtest pair: bench null hypercall %lu ns\n",
           (unsigned long)((now_ns() - t0) / (ROUNDS * 10)));
}

/*
 * b (a boot-time domU) has a console ring served by the hypervisor: its
 * port shows as unbound to DOMID_XEN, and the guest can neither close it
 * nor move it to another vCPU (as on Xen), even through a reset.
 */
PVTEST(console_port_is_the_hypervisors)
{
    evtchn_port_t found = 0;

    if (is_a)
        return;
    for (evtchn_port_t p = 1; p < 64 && !found; p++) {
        struct evtchn_status st = {.dom = DOMID_SELF, .port = p};

        if (evtchn(EVTCHNOP_status, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
            st.u.unbound.dom == DOMID_XEN)
            found = p;
    }
    CHECK_EQ(found, start_info->console.domU.evtchn);
    {
        struct evtchn_close c = {.port = found};
        struct evtchn_bind_vcpu b = {.port = found, .vcpu = 0};

        CHECK_EQ(evtchn(EVTCHNOP_close, &c), -XEN_EINVAL);
        CHECK_EQ(evtchn(EVTCHNOP_bind_vcpu, &b), -XEN_EINVAL);
    }
}

PVTEST(timer_and_clock)
{
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
    struct vcpu_set_singleshot_timer t;
    uint64_t deadline, woke, prev = 0, backwards = 0, late = 0;
    unsigned int within_tick = 0;

    if (!is_a)
        return;
    CHECK_EQ(evtchn(EVTCHNOP_bind_virq, &b), 0);
    for (int i = 0; i < 9; i++) {
        deadline = now_ns() + 5000000;
        t.timeout_abs_ns = deadline;
        t.flags = 0;
        CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t), 0);
        CHECK(wait_port(b.port));
        woke = now_ns();
        CHECK(woke >= deadline); /* never early */
        CHECK(woke - deadline < 100000000);
        within_tick += woke - deadline < 10000000;
        late = woke - deadline > late ? woke - deadline : late;
    }
    /*
     * Within one 10 ms scheduler tick of the deadline, most times. The
     * suite runs this guest under icount, where guest time follows the
     * instructions run and a loaded host cannot stretch a wake-up.
     */
    CHECK(within_tick >= 7);
    for (int i = 0; i < 200000; i++) {
        uint64_t n = now_ns();
        backwards += n < prev;
        prev = n;
        if (i % 1000 == 0)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL); /* let it move between pCPUs */
    }
    CHECK_EQ(backwards, 0);
    printk("pvtest pair: bench singleshot timer lateness %lu ns\n", (unsigned long)late);
}

/* Pin this domain's vCPU 0 to the pCPUs in `mask` (hard affinity). */
static long pin_self(uint64_t mask)
{
    uint8_t map[8];
    struct xen_domctl op = {.cmd = XEN_DOMCTL_setvcpuaffinity,
                            .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
                            .domain = 0};

    for (int i = 0; i < 8; i++)
        map[i] = (uint8_t)(mask >> (8 * i));
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap.p = map;
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    return hypercall1(__HYPERVISOR_domctl, &op);
}

/* The initial APIC ID of the pCPU this runs on: CPUID is not trapped. */
static unsigned int apic_id(void)
{
    uint32_t a = 1, b, c = 0, d;

    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return b >> 24;
}

PVTEST(clock_across_pinned_moves)
{
    unsigned long pcpus = parse_num(cmdline_option("pcpus"));
    unsigned int apic[8], moves = 0, last = ~0u;
    uint64_t prev = 0, backwards = 0;

    if (!is_a)
        return;
    CHECK(pcpus >= 1 && pcpus <= 8);
    if (pcpus < 1 || pcpus > 8)
        return;                                    /* apic[] has room for 8 */
    CHECK_EQ(pin_self(1UL << pcpus), -XEN_EINVAL); /* no such pCPU */
    for (unsigned int i = 0; i < 8 * pcpus; i++) {
        unsigned int cpu = i % pcpus, id;

        CHECK_EQ(pin_self(1UL << cpu), 0);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        id = apic_id();
        if (i < pcpus)
            apic[cpu] = id;
        CHECK_EQ(id, apic[cpu]); /* the same pCPU each time it is pinned there */
        moves += id != last;
        last = id;
        for (int j = 0; j < 2000; j++) {
            uint64_t n = now_ns();
            backwards += n < prev;
            prev = n;
        }
    }
    for (unsigned int c = 1; c < pcpus; c++)
        CHECK(apic[c] != apic[c - 1]);
    CHECK_EQ(backwards, 0);
    CHECK_EQ(pin_self(~0UL), 0);
    printk("pvtest pair: pvclock monotonic over %u pCPU changes\n", moves - 1);
}
