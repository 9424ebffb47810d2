/*
 * pvtest hostile: a domU (role b) attacks the isolation between domains,
 * with dom0 (role a) as its partner and witness.
 *
 * Grants: a domU may not ask about dom0's grant table; an unmap naming
 * the wrong address leaves the mapping alone; and (race=1, on 2 pCPUs,
 * with the hypervisor's grant_map_delay_ms= test hook widening the window
 * between checking a grant and referencing its frame) a granter that
 * gives its frame back while the grantee is mapping it cannot have that
 * frame handed to another domain under the mapping.
 * Memory: frames given back while still mapped keep counting against the
 * domain, so map/release/increase cannot grow it past max_pages.
 * Preemption: a 1,000,000-entry mmu_update and mmuext_op, a huge
 * multicall (also of calls that need continuing themselves) and a
 * `rep insb` with rcx = 2^40 each complete correctly, and while they run
 * dom0's timer keeps firing (pcpus=1: both share the pCPU, so each firing
 * means b was preempted mid-operation).
 * skip=NAME,... leaves cases out (to run the rest against a hypervisor
 * that fails one fatally).
 */
#define __XEN_TOOLS__ 1 /* domctl.h is the toolstack's interface */
#include "lib/pvclock.h"
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>
#include <xen/version.h>

const char pvtest_kernel_name[] = "hostile";

#define VIRT_BASE 0xffffffff80000000UL
#define M2P       ((const unsigned long *)0xffff800000000000UL)
#define LEAF      0x067UL
#define REF_RW    8 /* a's data page, writable, for b */
#define REF_RACE  9 /* a's frame it gives back while b maps it */
#define MILLION   1000000u
#define BIG_BYTES (32UL << 20)
#define INS_BYTES (8UL << 20)

static uint8_t si_page[4096] __attribute__((aligned(4096)));
static uint8_t gt_page[4096] __attribute__((aligned(4096)));
static uint8_t data[4096] __attribute__((aligned(4096)));
static uint8_t window[4096] __attribute__((aligned(4096)));
static uint8_t wins[8][4096] __attribute__((aligned(4096)));
/* Request lists and the rep insb target; a guard page follows INS_BYTES. */
static uint8_t big[BIG_BYTES + 4096] __attribute__((aligned(4096)));
static struct shared_info *si = (struct shared_info *)si_page;
static grant_entry_v1_t *gt = (grant_entry_v1_t *)gt_page;
static evtchn_port_t port, timer_port;
static bool is_a;
static unsigned long pcpus;

static unsigned long *p2m(void)
{
    return (unsigned long *)start_info->mfn_list;
}

static unsigned long mfn_of(const void *va)
{
    return p2m()[((unsigned long)va - VIRT_BASE) >> 12];
}

/* Spare frames: pfns past everything the builder mapped. */
static unsigned long spare_pfn(unsigned int n)
{
    return start_info->nr_pages - 1 - n;
}

static long map_va(void *va, unsigned long mfn, unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, (mfn << 12) | flags, UVMF_INVLPG);
}

static uint64_t now_ns(void)
{
    return pvclock_now(si);
}

static bool take_pending(evtchn_port_t p)
{
    return evtchn_take_pending(si, p);
}

static void poll_ports(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll poll = {.nr_ports = n, .timeout = timeout};

    poll.ports.p = ports;
    HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}

/* Sleep until `p` is pending (and clear it); false after 60 s without. */
static bool wait_port(evtchn_port_t p)
{
    uint64_t deadline = now_ns() + 60000000000ULL;

    while (now_ns() < deadline) {
        if (take_pending(p))
            return true;
        poll_ports(&p, 1, now_ns() + 10000000ULL);
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

/*
 * An event is one pending bit: two sends before the other side takes the
 * first would merge. So each side alternates send and receive: a sends
 * first in every case below, b answers.
 */
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

/* skip=NAME,NAME...: leave cases out (both roles must be given the same list). */
static bool skipped(const char *name)
{
    const char *s = cmdline_option("skip");
    size_t n = strlen(name);

    while (s && *s && *s != ' ') {
        if (!memcmp(s, name, n) && (s[n] == ',' || s[n] == ' ' || !s[n]))
            return true;
        while (*s && *s != ',' && *s != ' ')
            s++;
        if (*s == ',')
            s++;
    }
    return false;
}

static long gnttab(unsigned int cmd, void *arg, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

static long memop_extents(unsigned int cmd, domid_t dom, xen_pfn_t *list, unsigned long n)
{
    struct xen_memory_reservation r = {.nr_extents = n, .domid = dom};

    r.extent_start.p = list;
    return HYPERVISOR_memory_op(cmd, &r);
}

static long reservation(domid_t dom)
{
    return HYPERVISOR_memory_op(XENMEM_current_reservation, &dom);
}

PVTEST(setup)
{
    is_a = start_info->flags & SIF_INITDOMAIN;
    pcpus = parse_num(cmdline_option("pcpus"));
    CHECK_EQ(map_va(si_page, start_info->shared_info >> 12, LEAF), 0);
}

PVTEST(connect)
{
    if (!is_a) {
        struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
        CHECK_EQ(evtchn(EVTCHNOP_alloc_unbound, &a), 0);
        port = a.port;
        CHECK(wait_port(port));
        notify();
        return;
    }
    {
        struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
        struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
        xen_pfn_t f = 0;

        CHECK_EQ(evtchn(EVTCHNOP_bind_virq, &b), 0);
        timer_port = b.port;
        st.frame_list.p = &f;
        CHECK_EQ(gnttab(GNTTABOP_setup_table, &st, 1), 0);
        CHECK_EQ(st.status, GNTST_okay);
        CHECK_EQ(map_va(gt_page, f, LEAF), 0);
    }
    port = evtchn_bind_offered(1);
    CHECK(port != 0);
    take_pending(port); /* binding raises it once */
    notify();
    CHECK(wait_port(port));
}

/* Xen: only the domain itself (or its controller) may ask about its table. */
PVTEST(query_size_is_private)
{
    struct gnttab_query_size q = {.dom = 0};

    if (skipped("query"))
        return;
    if (is_a) {
        q.dom = 1;
        CHECK_EQ(gnttab(GNTTABOP_query_size, &q, 1), 0);
        CHECK_EQ(q.status, GNTST_okay); /* dom0 may */
        return;
    }
    CHECK_EQ(gnttab(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_permission_denied);
    q.dom = 77;
    CHECK_EQ(gnttab(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_bad_domain);
    q.dom = DOMID_SELF;
    CHECK_EQ(gnttab(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.max_nr_frames, 32);
    CHECK_EQ(gnttab(GNTTABOP_query_size, &q, 2), -XEN_EINVAL); /* one at a time */
}

/* An unmap must name the mapping it undoes: the wrong address is refused. */
PVTEST(unmap_needs_the_right_address)
{
    if (skipped("unmap"))
        return;
    if (is_a) {
        memcpy(data, "granted page", 13);
        gt[REF_RW] = (grant_entry_v1_t){GTF_permit_access, 1, (uint32_t)mfn_of(data)};
        barrier(); /* granted */
        barrier(); /* b is done */
        CHECK_EQ(gt[REF_RW].flags, GTF_permit_access);
        return;
    }
    barrier();
    {
        struct gnttab_map_grant_ref m = {
            .host_addr = (unsigned long)window, .flags = GNTMAP_host_map, .ref = REF_RW, .dom = 0};
        struct gnttab_unmap_grant_ref u = {.host_addr = (unsigned long)wins[0]};
        unsigned long orig = mfn_of(window);

        CHECK_EQ(gnttab(GNTTABOP_map_grant_ref, &m, 1), 0);
        CHECK_EQ(m.status, GNTST_okay);
        CHECK(!memcmp(window, "granted page", 13));
        u.handle = m.handle;
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_EQ(u.status, GNTST_general_error);    /* wins[0] maps something else */
        CHECK(!memcmp(window, "granted page", 13)); /* still mapped */
        u.host_addr = (unsigned long)window;
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_EQ(u.status, GNTST_okay);
        CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u, 1), 0);
        CHECK_EQ(u.status, GNTST_bad_handle);
        CHECK_EQ(map_va(window, orig, LEAF), 0);
    }
    barrier();
}

/* Pin vCPU 0 of `dom` to the pCPUs in `mask` (hard affinity). */
static long pin_vcpu(domid_t dom, uint64_t mask)
{
    uint8_t map[8];
    struct xen_domctl op = {.cmd = XEN_DOMCTL_setvcpuaffinity,
                            .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
                            .domain = dom};

    for (int i = 0; i < 8; i++)
        map[i] = (uint8_t)(mask >> (8 * i));
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap.p = map;
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    return hypercall1(__HYPERVISOR_domctl, &op);
}

/*
 * race=1: b maps a's grant while a (on the other pCPU) gives the granted
 * frame back and then hands one frame to b's reservation. The hypervisor
 * hook holds b's map for grant_map_delay_ms between its look at the grant
 * and its reference on the frame. Two outcomes are right: b's reference
 * came first, and the frame stays a's (counted, not handed out) until b
 * lets go; or the frame was gone first (freed at once, maybe handed out
 * again), and b's map is refused, since the frame is no longer a's. What
 * must never be is b mapping a frame that has left a. Which one happened
 * a reads in its grant entry: GTF_reading while b holds a mapping.
 */
PVTEST(grant_release_while_mapping)
{
    xen_pfn_t f;

    if (!cmdline_option("race"))
        return;
    if (is_a) {
        unsigned long frame = p2m()[spare_pfn(0)];
        long before, during;
        bool mapped;
        uint64_t t;

        CHECK_EQ(pin_vcpu(0, 1), 0);
        CHECK_EQ(pin_vcpu(1, 2), 0);
        gt[REF_RACE] = (grant_entry_v1_t){GTF_permit_access, 1, (uint32_t)frame};
        notify();               /* granted */
        CHECK(wait_port(port)); /* b has made room for one frame */
        before = reservation(DOMID_SELF);
        notify(); /* b: map it now */
        for (t = now_ns() + 100000000ULL; now_ns() < t;)
            ;
        f = frame;
        CHECK_EQ(memop_extents(XENMEM_decrease_reservation, DOMID_SELF, &f, 1), 1);
        during = reservation(DOMID_SELF);
        f = 0;
        CHECK_EQ(memop_extents(XENMEM_increase_reservation, 1, &f, 1), 1);
        printk("pvtest hostile: gave back %#lx, handed %#lx to d1\n", frame, (unsigned long)f);
        CHECK(wait_port(port)); /* b's map returned */
        mapped = __atomic_load_n(&gt[REF_RACE].flags, __ATOMIC_SEQ_CST) & GTF_reading;
        printk("pvtest hostile: b's map %s\n", mapped ? "holds the frame" : "was refused");
        if (mapped) {
            CHECK(f != frame);        /* not while b maps it */
            CHECK_EQ(during, before); /* still mapped: still a's */
        } else {
            CHECK_EQ(during, before - 1); /* gone before b's reference */
        }
        notify();                                      /* b: unmap */
        CHECK(wait_port(port));                        /* b unmapped */
        CHECK_EQ(reservation(DOMID_SELF), before - 1); /* freed with the last use */
        CHECK_EQ(pin_vcpu(0, ~0UL), 0);
        CHECK_EQ(pin_vcpu(1, ~0UL), 0);
        return;
    }
    {
        struct gnttab_map_grant_ref m = {.host_addr = (unsigned long)window,
                                         .flags = GNTMAP_host_map,
                                         .ref = REF_RACE,
                                         .dom = 0};
        struct gnttab_unmap_grant_ref u = {.host_addr = (unsigned long)window};
        unsigned long orig = mfn_of(window);

        CHECK(wait_port(port)); /* granted */
        f = p2m()[spare_pfn(0)];
        CHECK_EQ(memop_extents(XENMEM_decrease_reservation, DOMID_SELF, &f, 1), 1);
        p2m()[spare_pfn(0)] = ~0UL;
        notify();
        CHECK(wait_port(port)); /* go */
        CHECK_EQ(gnttab(GNTTABOP_map_grant_ref, &m, 1), 0);
        printk("pvtest hostile: map of the given-back grant: status %d frame %#lx\n", m.status,
               (unsigned long)(m.dev_bus_addr >> 12));
        notify();
        CHECK(wait_port(port)); /* a is done */
        if (m.status == GNTST_okay) {
            u.handle = m.handle;
            CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u, 1), 0);
            CHECK_EQ(u.status, GNTST_okay);
        }
        CHECK_EQ(map_va(window, orig, LEAF), 0);
        notify();
        /* Our reservation is full again: a handed us a frame. Find it. */
        CHECK_EQ(reservation(DOMID_SELF),
                 HYPERVISOR_memory_op(XENMEM_maximum_reservation, &(domid_t){DOMID_SELF}));
    }
}

/*
 * A frame given back while still mapped stays the domain's, and counted,
 * until the mapping goes: map it, give it back, ask for another, over and
 * over, and the reservation never grows past max_pages.
 */
PVTEST(released_frames_count_until_freed)
{
    domid_t self = DOMID_SELF;
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self), cur;
    unsigned int grown = 0;
    xen_pfn_t f, got[8];
    unsigned long orig[8];

    if (is_a || skipped("account"))
        return;
    cur = reservation(DOMID_SELF);
    CHECK_EQ(cur, max);
    for (unsigned int k = 0; k < 8; k++) {
        unsigned long pfn = spare_pfn(1 + k);

        orig[k] = mfn_of(wins[k]);
        CHECK_EQ(map_va(wins[k], p2m()[pfn], LEAF), 0);
        wins[k][0] = (uint8_t)(0x40 + k);
        f = p2m()[pfn];
        CHECK_EQ(memop_extents(XENMEM_decrease_reservation, DOMID_SELF, &f, 1), 1);
        CHECK_EQ(reservation(DOMID_SELF), max); /* still mapped: still counted */
        f = 0;
        grown += memop_extents(XENMEM_increase_reservation, DOMID_SELF, &f, 1) == 1;
        CHECK(reservation(DOMID_SELF) <= max);
        CHECK_EQ(wins[k][0], 0x40 + k); /* the mapping still works */
    }
    CHECK_EQ(grown, 0);
    /* Unmapped, the frames are freed and the room comes back. */
    for (unsigned int k = 0; k < 8; k++)
        CHECK_EQ(map_va(wins[k], orig[k], LEAF), 0);
    CHECK_EQ(reservation(DOMID_SELF), max - 8 + grown);
    CHECK_EQ(memop_extents(XENMEM_increase_reservation, DOMID_SELF, got, 8), 8 - grown);
    for (unsigned int k = 0; k < 8 - grown; k++)
        p2m()[spare_pfn(1 + k)] = got[k];
    CHECK_EQ(reservation(DOMID_SELF), max);
}

/*
 * The long operations. a starts its 2 ms timer and tells b to go; b runs
 * the operation and says it is done; a counts its timer firing in between.
 * With one pCPU, a only runs when b's operation is preempted.
 */
static void set_timer(uint64_t when)
{
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = when};
    CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t), 0);
}

static void witness(const char *what)
{
    evtchn_port_t ports[2] = {timer_port, port};
    unsigned int fired = 0;
    uint64_t start = now_ns(), give_up = start + 120000000000ULL, window_ms;

    set_timer(now_ns() + 2000000);
    notify(); /* b: go */
    while (!take_pending(port) && now_ns() < give_up) {
        if (take_pending(timer_port)) {
            fired++;
            set_timer(now_ns() + 2000000);
        }
        poll_ports(ports, 2, now_ns() + 20000000ULL);
    }
    hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, NULL);
    take_pending(timer_port);
    window_ms = (now_ns() - start) / 1000000;
    printk("pvtest hostile: dom0 timer fired %u times in the %lu ms of %s\n", fired,
           (unsigned long)window_ms, what);
    /*
     * Preempted, b lets a run every few ms (a 2 ms period gives about one
     * firing per 2.3 ms here); not preempted, a fires a few times around
     * the operation whatever its length. One per 20 ms leaves room for the
     * scheduler's choices and a busy host stalling the machine now and then.
     */
    if (pcpus == 1) {
        CHECK(fired >= 5);
        CHECK(fired * 20 >= window_ms);
    }
}

/* b: run `op` between the two announcements; a: witness it. */
#define LONG_OP(what, op)                                                                          \
    do {                                                                                           \
        if (is_a) {                                                                                \
            witness(what);                                                                         \
        } else {                                                                                   \
            uint64_t t0;                                                                           \
            CHECK(wait_port(port));                                                                \
            t0 = now_ns();                                                                         \
            op;                                                                                    \
            printk("pvtest hostile: %s took %lu ms\n", what,                                       \
                   (unsigned long)((now_ns() - t0) / 1000000));                                    \
            notify();                                                                              \
        }                                                                                          \
    } while (0)

static long mmu_update(struct mmu_update *r, unsigned int n, unsigned int *done)
{
    return hypercall4(__HYPERVISOR_mmu_update, r, n, done, DOMID_SELF);
}

PVTEST(million_entry_mmu_update)
{
    struct mmu_update *r = (struct mmu_update *)big;
    unsigned long pfn = spare_pfn(10), mfn = p2m()[pfn];
    unsigned int done = 0;
    long rc = 0;

    if (skipped("mmu"))
        return;

    if (!is_a)
        for (unsigned int i = 0; i < MILLION; i++)
            r[i] = (struct mmu_update){(mfn << 12) | MMU_MACHPHYS_UPDATE, i};
    LONG_OP("mmu_update of 1000000", rc = mmu_update(r, MILLION, &done));
    if (is_a)
        return;
    CHECK_EQ(rc, 0);
    CHECK_EQ(done, MILLION);
    CHECK_EQ(M2P[mfn], MILLION - 1);
    /* An error deep in: the count says where, across the continuations. */
    r[700000].ptr = MMU_MACHPHYS_UPDATE; /* frame 0 is not ours */
    CHECK_EQ(mmu_update(r, MILLION, &done), -XEN_EPERM);
    CHECK_EQ(done, 700000);
    CHECK_EQ(M2P[mfn], 699999);
    r[0] = (struct mmu_update){(mfn << 12) | MMU_MACHPHYS_UPDATE, pfn};
    CHECK_EQ(mmu_update(r, 1, NULL), 0);
}

PVTEST(million_entry_mmuext_op)
{
    struct mmuext_op *op = (struct mmuext_op *)big;
    unsigned long l1 = p2m()[spare_pfn(11)];
    unsigned int done = 0;
    long rc = 0;

    if (skipped("mmuext"))
        return;

    if (!is_a) {
        CHECK_EQ(map_va(wins[0], l1, LEAF), 0); /* spare frames are not cleared for us */
        memset(wins[0], 0, sizeof(wins[0]));
        CHECK_EQ(map_va(wins[0], mfn_of(wins[0]), LEAF), 0); /* its own frame back */
        for (unsigned int i = 0; i < MILLION - 1; i++)
            op[i] = (struct mmuext_op){.cmd = MMUEXT_INVLPG_LOCAL,
                                       .arg1.linear_addr = (unsigned long)window};
        /* The last one leaves a trace: a spare (zeroed) frame pinned as an L1. */
        op[MILLION - 1] = (struct mmuext_op){.cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = l1};
    }
    LONG_OP("mmuext_op of 1000000",
            rc = hypercall4(__HYPERVISOR_mmuext_op, op, MILLION, &done, DOMID_SELF));
    if (is_a)
        return;
    CHECK_EQ(rc, 0);
    CHECK_EQ(done, MILLION);
    op[0] = (struct mmuext_op){.cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = l1};
    CHECK_EQ(hypercall4(__HYPERVISOR_mmuext_op, op, 1, NULL, DOMID_SELF), 0);
}

#define MC_CALLS ((unsigned int)(BIG_BYTES / sizeof(struct multicall_entry)))

PVTEST(huge_multicall)
{
    struct multicall_entry *mc = (struct multicall_entry *)big;
    unsigned int wrong = 0;
    long rc = 0, version = HYPERVISOR_xen_version(XENVER_version, NULL);

    if (skipped("multicall"))
        return;

    if (!is_a)
        for (unsigned int i = 0; i < MC_CALLS; i++)
            mc[i] = (struct multicall_entry){
                .op = __HYPERVISOR_xen_version, .result = 1, .args = {XENVER_version}};
    LONG_OP("a multicall of 599186 calls", rc = HYPERVISOR_multicall(mc, MC_CALLS));
    if (is_a)
        return;
    CHECK_EQ(rc, 0);
    for (unsigned int i = 0; i < MC_CALLS; i++)
        wrong += mc[i].result != (unsigned long)version;
    CHECK_EQ(wrong, 0);
}

/* A multicall of calls that need continuing themselves, as Linux batches them. */
PVTEST(multicall_of_long_mmu_updates)
{
    struct multicall_entry mc[4];
    struct mmu_update *r = (struct mmu_update *)(big + 4096);
    unsigned long pfn = spare_pfn(12), mfn = p2m()[pfn];
    unsigned int done[4] = {0};
    long rc = 0;

    if (skipped("mcmmu"))
        return;

    if (!is_a) {
        for (unsigned int i = 0; i < MILLION; i++)
            r[i] = (struct mmu_update){(mfn << 12) | MMU_MACHPHYS_UPDATE, i};
        for (unsigned int k = 0; k < 4; k++)
            mc[k] = (struct multicall_entry){.op = __HYPERVISOR_mmu_update,
                                             .result = 1,
                                             .args = {(unsigned long)&r[k * 250000], 250000,
                                                      (unsigned long)&done[k], DOMID_SELF}};
    }
    LONG_OP("multicall of 4 mmu_updates of 250000", rc = HYPERVISOR_multicall(mc, 4));
    if (is_a)
        return;
    CHECK_EQ(rc, 0);
    for (unsigned int k = 0; k < 4; k++) {
        CHECK_EQ(mc[k].result, 0);
        CHECK_EQ(done[k], 250000);
    }
    CHECK_EQ(M2P[mfn], MILLION - 1);
    r[0] = (struct mmu_update){(mfn << 12) | MMU_MACHPHYS_UPDATE, pfn};
    CHECK_EQ(mmu_update(r, 1, NULL), 0);
}

/* rep insb into `dst` for `count` bytes; where it stopped is saved. */
unsigned long ins_rcx, ins_rdi;
extern char rep_insb_at[], rep_insb_resume[];
void rep_insb(void *dst, unsigned long count);
__asm__(".text\n"
        ".globl rep_insb\n"
        "rep_insb:\n"
        "    mov %rsi, %rcx\n"
        "    mov $0x80, %edx\n"
        ".globl rep_insb_at\n"
        "rep_insb_at:\n"
        "    rep insb\n"
        ".globl rep_insb_resume\n"
        "rep_insb_resume:\n"
        "    mov %rcx, ins_rcx(%rip)\n"
        "    mov %rdi, ins_rdi(%rip)\n"
        "    ret\n");

/*
 * rcx = 2^40: the hypervisor emulates it a bounded stretch at a time (rip
 * stays on the instruction, rcx counts down) until the guard page ends it
 * with the fault, with rcx and rdi where the hardware would leave them.
 */
PVTEST(rep_insb_of_2_pow_40)
{
    uint8_t *guard = big + INS_BYTES;
    unsigned long guard_mfn = mfn_of(guard);

    if (skipped("ins"))
        return;

    if (!is_a) {
        CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, guard, 0, UVMF_INVLPG), 0);
        memset(big, 0, INS_BYTES);
        trap_expect(rep_insb_resume);
    }
    LONG_OP("rep insb of 2^40", rep_insb(big, 1UL << 40));
    if (is_a)
        return;
    CHECK_EQ(last_trap.count, 1);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.rip, (unsigned long)rep_insb_at);
    CHECK_EQ(ins_rdi, (unsigned long)guard);
    CHECK_EQ(ins_rcx, (1UL << 40) - INS_BYTES);
    CHECK(big[0] == 0xff && big[INS_BYTES - 1] == 0xff);
    CHECK_EQ(map_va(guard, guard_mfn, LEAF), 0);
    /* A short one completes and moves on. */
    rep_insb(window, 100);
    CHECK_EQ(ins_rcx, 0);
    CHECK_EQ(ins_rdi, (unsigned long)window + 100);
}

PVTEST(done)
{
    barrier();
}
