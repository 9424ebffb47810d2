/*
 * Trace buffers in Xen's format (trace.h has the overview).
 *
 * Layout, as Xen 4.17 lays it out for xentrace:
 *   - t_info: `tbuf_size` (pages per pCPU), then mfn_offset[NR_CPUS], then
 *     the frame lists: pCPU c's buffer frames are the u32 words at
 *     ((uint32_t *)t_info)[mfn_offset[c]...]; an offline pCPU has offset
 *     0. Its frames are contiguous (XEN_SYSCTL_TBUFOP_get_info gives the
 *     first and the byte size), shared read-only with dom0.
 *   - each pCPU's buffer: struct t_buf {cons, prod} then data_size bytes
 *     of records; cons and prod are byte offsets taken modulo 2 *
 *     data_size. A record is a header word (event:28, extra_u32:3,
 *     cycles_included:1), the TSC when included, then its data words. A
 *     record that would cross the end of the data is preceded by a
 *     TRC_TRACE_WRAP_BUFFER record filling the rest; records that found
 *     the buffer full are counted and reported by one TRC_LOST_RECORDS
 *     record once there is room. The buffer frames are contiguous in the
 *     hypervisor's direct map (one allocation per pCPU), so a record is
 *     written in place.
 *   All frames belong to DOMID_XEN (pv_mmu.c lets the control domain map
 *   them with mmu_update's foreigndom DOMID_XEN, as Xen does).
 *
 * Buffers are allocated once, by tbuf_size= at boot or the first
 * XEN_SYSCTL_TBUFOP_set_size, and never freed (as on Xen).
 *
 * Concurrency: a pCPU writes only its own buffer, with interrupts off, and
 * publishes a record by moving prod after writing it; dom0 reads up to
 * prod and moves cons. tb_lock serializes the sysctl. trace_on is set
 * only once the buffers are fully built.
 */
#include "trace.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "cmdline.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/page_type.h"
#include "percpu.h"
#include "smp.h"
#include "softirq.h"
#include "spinlock.h"
#include <xen/errno.h>
#include <xen/sysctl.h>

bool trace_on;

static struct t_info *t_info;
static unsigned int t_info_pages;
static unsigned int tbuf_pages; /* per pCPU, 0 until allocated */
static uint32_t data_size;      /* record bytes per pCPU */
static uint32_t highwater;      /* VIRQ_TBUF when this many bytes wait */
static struct t_buf *t_bufs[NR_CPUS];
static unsigned long lost_records[NR_CPUS];
static uint64_t lost_first_tsc[NR_CPUS];
static uint64_t tb_cpu_mask = ~0ULL;
static uint32_t tb_event_mask = TRC_ALL;
static DEFINE_SPINLOCK(tb_lock);

/* Boot options, as Xen's: pages per pCPU, and a mask that starts tracing. */
static unsigned int opt_tbuf_size, opt_tevt_mask;
OPTION_UINT("tbuf_size", opt_tbuf_size);
OPTION_UINT("tevt_mask", opt_tevt_mask);

/* The t_info header in u32 words: tbuf_size and mfn_offset[NR_CPUS]. */
static unsigned int first_offset(void)
{
    return (unsigned int)((__builtin_offsetof(struct t_info, mfn_offset) +
                           NR_CPUS * sizeof(uint16_t) + sizeof(uint32_t) - 1) /
                          sizeof(uint32_t));
}

static unsigned int order_for(unsigned long pages)
{
    unsigned int order = 0;

    while ((1UL << order) < pages)
        order++;
    return order;
}

/* Give a hypervisor frame to DOMID_XEN, for dom0 to map (never freed). */
static void share_frame(void *va)
{
    struct page_info *pg = mfn_to_page(virt_to_mfn(va));

    clear_page(va);
    page_assign(pg, DOMID_XEN);
    page_flags_set(pg, PGC_xen_heap);
}

static long alloc_buffers(unsigned int pages)
{
    unsigned int ncpu = 0, cpu, words, top = 0;
    uint32_t *mfn_list;

    for_each_online_cpu(cpu)
    {
        top = cpu;
        ncpu++;
    }
    /* mfn_offset is 16 bits, prod 32: clamp as Xen's calculate_tbuf_size. */
    pages = MIN(pages, (0xffffu - first_offset()) / (top + 1));
    pages = MIN(pages, 0xffffffffu / PAGE_SIZE / 2);
    if (!pages)
        return -XEN_EINVAL;
    words = first_offset() + (top + 1) * pages;
    t_info_pages = (unsigned int)((words * sizeof(uint32_t) + PAGE_SIZE - 1) / PAGE_SIZE);
    t_info = alloc_xenheap_pages(order_for(t_info_pages));
    if (!t_info)
        return -XEN_ENOMEM;
    for (unsigned int i = 0; i < (1u << order_for(t_info_pages)); i++)
        share_frame((char *)t_info + i * PAGE_SIZE);
    mfn_list = (uint32_t *)t_info;
    for_each_online_cpu(cpu)
    {
        char *buf = alloc_xenheap_pages(order_for(pages));
        uint16_t off = (uint16_t)(first_offset() + cpu * pages);

        if (!buf) {
            /* What was allocated stays, unused (as it would on Xen). */
            pr_warn("trace: no memory for %u pages on CPU %u\n", pages, cpu);
            t_info = NULL;
            return -XEN_ENOMEM;
        }
        for (unsigned int i = 0; i < (1u << order_for(pages)); i++)
            share_frame(buf + i * PAGE_SIZE);
        t_info->mfn_offset[cpu] = off;
        for (unsigned int i = 0; i < pages; i++)
            mfn_list[off + i] = (uint32_t)virt_to_mfn(buf + i * PAGE_SIZE);
        t_bufs[cpu] = (struct t_buf *)buf;
    }
    t_info->tbuf_size = (uint16_t)pages;
    data_size = (uint32_t)(pages * PAGE_SIZE - sizeof(struct t_buf));
    highwater = data_size / 2;
    __atomic_store_n(&tbuf_pages, pages, __ATOMIC_RELEASE);
    pr_info("trace: %u pages per CPU on %u CPUs, t_info %u pages at mfn %#lx\n", pages, ncpu,
            t_info_pages, virt_to_mfn(t_info));
    return 0;
}

static void notify_dom0(void)
{
    send_guest_global_virq(domain_lookup(0), VIRQ_TBUF);
}

void trace_init(void)
{
    open_softirq(TRACE_SOFTIRQ, notify_dom0);
    if (opt_tbuf_size && !alloc_buffers(opt_tbuf_size) && opt_tevt_mask) {
        tb_event_mask = opt_tevt_mask;
        __atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
        pr_info("trace: tracing from boot, event mask %#x\n", opt_tevt_mask);
    }
    hypercall_set_tracing(trace_on);
}

/* Bytes written and not yet consumed. */
static uint32_t unconsumed(const struct t_buf *b)
{
    uint32_t prod = READ_ONCE(b->prod), cons = READ_ONCE(b->cons);
    int64_t x = (int64_t)prod - (int64_t)cons;

    if (x < 0)
        x += 2 * (int64_t)data_size;
    /* A consumer that wrote nonsense gets a full buffer, never a crash. */
    return x < 0 || x > (int64_t)data_size ? data_size : (uint32_t)x;
}

/* Bytes from prod to the end of the data. */
static uint32_t to_wrap(const struct t_buf *b)
{
    uint32_t prod = READ_ONCE(b->prod) % (2 * data_size);

    return prod >= data_size ? 2 * data_size - prod : data_size - prod;
}

static void put_record(struct t_buf *b, uint32_t event, unsigned int extra_words, bool cycles,
                       const void *data, unsigned int extra_bytes, uint32_t size)
{
    uint32_t prod = READ_ONCE(b->prod) % (2 * data_size);
    uint32_t *p = (uint32_t *)((char *)(b + 1) + prod % data_size);
    uint64_t tsc;

    *p++ = (event & 0x0fffffffu) | (extra_words << TRACE_EXTRA_SHIFT) | (cycles ? 1u << 31 : 0);
    if (cycles) {
        tsc = rdtsc();
        *p++ = (uint32_t)tsc;
        *p++ = (uint32_t)(tsc >> 32);
    }
    memset(p, 0, extra_words * sizeof(uint32_t));
    if (data)
        memcpy(p, data, MIN(extra_bytes, extra_words * (unsigned int)sizeof(uint32_t)));
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the record, then prod */
    prod += size;
    if (prod >= 2 * data_size)
        prod -= 2 * data_size;
    __atomic_store_n(&b->prod, prod, __ATOMIC_RELEASE);
}

/* Pad from prod to the end of the data with a wrap record. */
static void put_wrap(struct t_buf *b)
{
    uint32_t left = to_wrap(b), extra = left - 4;
    bool cycles = false;

    if (extra / 4 > TRACE_EXTRA_MAX) {
        cycles = true;
        extra -= 8;
    }
    put_record(b, TRC_TRACE_WRAP_BUFFER, extra / 4, cycles, NULL, 0, left);
}

#define LOST_REC_SIZE (4 + 8 + 16)

static bool event_wanted(uint32_t event)
{
    uint32_t mask = READ_ONCE(tb_event_mask);

    return (mask & event) && ((mask >> TRC_CLS_SHIFT) & (event >> TRC_CLS_SHIFT)) &&
           (((mask >> TRC_SUBCLS_SHIFT) & 0xf) & ((event >> TRC_SUBCLS_SHIFT) & 0xf));
}

void __trace_var(uint32_t event, bool cycles, unsigned int extra, const void *data)
{
    unsigned int cpu = smp_processor_id(), words = (extra + 3) / 4;
    struct t_buf *b = t_bufs[cpu];
    uint32_t rec, need, wrap;
    bool was_below, notify = false;
    unsigned long flags;

    if (!event_wanted(event) || !(READ_ONCE(tb_cpu_mask) & (1ULL << cpu)) || !b)
        return;
    words = MIN(words, (unsigned int)TRACE_EXTRA_MAX);
    rec = 4 + (cycles ? 8 : 0) + words * 4;
    flags = local_irq_save();
    was_below = unconsumed(b) < highwater;
    /* A dry run: the lost-records record, then this one, each with its wrap. */
    wrap = to_wrap(b);
    need = 0;
    if (lost_records[cpu]) {
        if (LOST_REC_SIZE > wrap) {
            need += wrap;
            wrap = data_size;
        }
        need += LOST_REC_SIZE;
        wrap -= LOST_REC_SIZE;
        if (!wrap)
            wrap = data_size;
    }
    if (rec > wrap)
        need += wrap;
    need += rec;
    if (need > data_size - unconsumed(b)) {
        if (lost_records[cpu]++ == 0)
            lost_first_tsc[cpu] = rdtsc();
        local_irq_restore(flags);
        return;
    }
    if (lost_records[cpu]) {
        struct __attribute__((packed)) {
            uint32_t lost;
            uint16_t did, vid;
            uint64_t first_tsc;
        } ed = {(uint32_t)lost_records[cpu], current->domain->domain_id, (uint16_t)current->vcpu_id,
                lost_first_tsc[cpu]};

        if (LOST_REC_SIZE > to_wrap(b))
            put_wrap(b);
        put_record(b, TRC_LOST_RECORDS, sizeof(ed) / 4, true, &ed, sizeof(ed), LOST_REC_SIZE);
        lost_records[cpu] = 0;
    }
    if (rec > to_wrap(b))
        put_wrap(b);
    put_record(b, event, words, cycles, data, extra, rec);
    notify = was_below && unconsumed(b) >= highwater;
    local_irq_restore(flags);
    if (notify)
        raise_softirq(TRACE_SOFTIRQ);
}

/* TRC_PV_HYPERCALL_V2 (or _SUBCALL): the op and, for some, the arguments Xen records. */
void trace_hypercall(uint32_t event, unsigned long op, const unsigned long *args)
{
    struct __attribute__((packed)) {
        uint32_t op;
        uint32_t args[6];
    } d = {.op = (uint32_t)op & ~TRC_PV_HYPERCALL_V2_ARG_MASK};
    unsigned int n = 0;

#define ARG32(i)                                                                                   \
    do {                                                                                           \
        d.args[n++] = (uint32_t)args[(i)];                                                         \
        d.op |= TRC_PV_HYPERCALL_V2_ARG_32(i);                                                     \
    } while (0)
    switch (op) {
    case __HYPERVISOR_mmu_update:
    case __HYPERVISOR_multicall:
    case __HYPERVISOR_mmuext_op:
        ARG32(1); /* count */
        break;
    case __HYPERVISOR_grant_table_op:
        ARG32(0); /* cmd */
        ARG32(2); /* count */
        break;
    case __HYPERVISOR_vcpu_op:
        ARG32(0); /* cmd */
        ARG32(1); /* vcpuid */
        break;
    case __HYPERVISOR_sched_op:
        ARG32(0); /* cmd */
        break;
    default:
        break;
    }
#undef ARG32
    trace_var(event, true, sizeof(uint32_t) * (1 + n), &d);
}

void trace_pv_trap(unsigned int vector, unsigned long rip, bool has_error_code, uint32_t error_code)
{
    struct __attribute__((packed)) {
        uint64_t rip;
        uint32_t trapnr : 15, use_error_code : 1, error_code : 16;
    } d = {rip, vector & 0x7fff, has_error_code, error_code & 0xffff};

    trace_var(TRC_PV_TRAP | TRC_64_FLAG, true, sizeof(d), &d);
}

void trace_pv_page_fault(unsigned long rip, unsigned long addr, uint32_t error_code)
{
    struct __attribute__((packed)) {
        uint64_t rip, addr;
        uint32_t error_code;
    } d = {rip, addr, error_code};

    trace_var(TRC_PV_PAGE_FAULT | TRC_64_FLAG, true, sizeof(d), &d);
}

void trace_pv_privop(unsigned long rip)
{
    uint64_t d = rip;

    trace_var(TRC_PV_EMULATE_PRIVOP | TRC_64_FLAG, true, sizeof(d), &d);
}

/*
 * As Xen's trace_runstate_change: the old and new states in the event
 * number (bits 8-9 and 4-5), the vCPU (low 16 bits) and domain (high 16)
 * in one word.
 */
void trace_runstate_change(const struct vcpu *v, int old_state, int new_state)
{
    uint32_t d = ((uint32_t)v->domain->domain_id << 16) | (v->vcpu_id & 0xffff);
    uint32_t event = TRC_SCHED_RUNSTATE_CHANGE | ((uint32_t)(old_state & 3) << 8) |
                     ((uint32_t)(new_state & 3) << 4);

    trace_var(event, true, sizeof(d), &d);
}

/* A cpumap from the guest (xenctl_bitmap) into a 64-bit mask. */
static long mask_from_guest(const struct xenctl_bitmap *b, uint64_t *mask)
{
    uint8_t bytes[8] = {0};
    unsigned int n = MIN((b->nr_bits + 7) / 8, (uint32_t)sizeof(bytes));

    if (n && copy_from_guest(bytes, (unsigned long)b->bitmap.p, n))
        return -XEN_EFAULT;
    *mask = 0;
    for (unsigned int i = 0; i < n; i++)
        *mask |= (uint64_t)bytes[i] << (8 * i);
    if (b->nr_bits < 64 && b->nr_bits % 8)
        *mask &= (1ULL << b->nr_bits) - 1;
    return 0;
}

long trace_sysctl(struct xen_sysctl_tbuf_op *tbc)
{
    long rc = 0;

    spin_lock(&tb_lock);
    switch (tbc->cmd) {
    case XEN_SYSCTL_TBUFOP_get_info:
        tbc->evt_mask = tb_event_mask;
        tbc->buffer_mfn = t_info ? virt_to_mfn(t_info) : 0;
        tbc->size = t_info ? t_info_pages * (uint32_t)PAGE_SIZE : 0;
        break;
    case XEN_SYSCTL_TBUFOP_set_cpu_mask: {
        uint64_t mask;

        rc = mask_from_guest(&tbc->cpu_mask, &mask);
        if (!rc)
            __atomic_store_n(&tb_cpu_mask, mask, __ATOMIC_RELAXED);
        break;
    }
    case XEN_SYSCTL_TBUFOP_set_evt_mask:
        __atomic_store_n(&tb_event_mask, tbc->evt_mask, __ATOMIC_RELAXED);
        break;
    case XEN_SYSCTL_TBUFOP_set_size:
        /* Once only, as Xen: another size is refused, the same one busy. */
        if (tbuf_pages)
            rc = tbc->size == tbuf_pages ? -XEN_EBUSY : -XEN_EINVAL;
        else
            rc = tbc->size ? alloc_buffers(tbc->size) : -XEN_EINVAL;
        break;
    case XEN_SYSCTL_TBUFOP_enable:
        if (!tbuf_pages)
            rc = -XEN_EINVAL;
        else
            __atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
        hypercall_set_tracing(trace_on);
        break;
    case XEN_SYSCTL_TBUFOP_disable: {
        unsigned int cpu;

        __atomic_store_n(&trace_on, false, __ATOMIC_RELEASE);
        hypercall_set_tracing(false);
        /* No phantom lost records the next time (a pCPU in the middle
         * of a record may still finish it). */
        for_each_online_cpu(cpu) lost_records[cpu] = 0;
        break;
    }
    default:
        rc = -XEN_EINVAL;
        break;
    }
    spin_unlock(&tb_lock);
    return rc;
}
