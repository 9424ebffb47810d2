/*
 * The PV domain builder (see dom_build.h).
 *
 * The layout rules live in hypercall-abi/ (shared with the toolstack's
 * domU builder); this file supplies what only the hypervisor has: the
 * domain's frames, writes into them through the direct map, the
 * hypervisor's L4 slots and the hypercall page.
 */
#include "dom_build.h"
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "console.h"
#include "event.h"
#include "grant_table.h"
#include "kernel_unpack.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "mm/xmalloc.h"
#include "paging.h"
#include <paravane/pv_image.h>
#include <paravane/pv_layout.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

struct build_ctx {
    struct domain *d;
    uint64_t *p2m; /* pfn -> mfn */
    unsigned long nr_pages;
};

static void *pfn_va(const struct build_ctx *c, uint64_t pfn)
{
    ASSERT(pfn < c->nr_pages);
    return mfn_to_virt(c->p2m[pfn]);
}

static int write_bytes(void *ctx, uint64_t pfn, size_t off, const void *src, size_t len)
{
    struct build_ctx *c = ctx;
    char *dst;

    if (pfn >= c->nr_pages || off + len > PAGE_SIZE)
        return -XEN_EINVAL;
    dst = (char *)pfn_va(c, pfn) + off;
    if (src)
        memcpy(dst, src, len);
    else
        memset(dst, 0, len);
    return 0;
}

static int write_pte(void *ctx, uint64_t pt_pfn, unsigned int index, uint64_t pte)
{
    struct build_ctx *c = ctx;

    if (pt_pfn >= c->nr_pages || index >= 512)
        return -XEN_EINVAL;
    ((uint64_t *)pfn_va(c, pt_pfn))[index] = pte;
    return 0;
}

/* Copy a buffer to consecutive pfns starting at `pfn`. */
static void copy_to_pfns(struct build_ctx *c, uint64_t pfn, const void *src, size_t len)
{
    for (size_t done = 0; done < len; done += PAGE_SIZE, pfn++)
        memcpy(pfn_va(c, pfn), (const char *)src + done, MIN(PAGE_SIZE, len - done));
}

/*
 * The 64-bit hypercall page: entry n at offset 32n is
 * "push %rcx; push %r11; mov $n, %eax; syscall; pop %r11; pop %rcx; ret".
 * The iret entry pushes %rax too and never returns (the hypercall switches
 * to the frame the guest built).
 */
void write_hypercall_page(uint8_t *p)
{
    memset(p, 0xcc, PAGE_SIZE); /* int3 between entries */
    for (uint32_t n = 0; n < PAGE_SIZE / 32; n++) {
        uint8_t *e = p + n * 32;
        if (n == __HYPERVISOR_iret) {
            const uint8_t stub[] = {0x51, 0x41, 0x53, 0x50, 0xb8, 0, 0, 0, 0, 0x0f, 0x05};
            memcpy(e, stub, sizeof(stub));
            memcpy(e + 5, &n, 4);
        } else {
            const uint8_t stub[] = {0x51, 0x41, 0x53, 0xb8, 0,    0,    0,
                                    0,    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
            memcpy(e, stub, sizeof(stub));
            memcpy(e + 4, &n, 4);
        }
    }
}

/* The domain's frames, in allocation order, become pfns 0..n-1. */
static uint64_t *make_p2m(struct domain *d, unsigned long nr)
{
    uint64_t *p2m = xmalloc_bytes(nr * sizeof(*p2m));
    struct list_head *pos;
    unsigned long pfn = 0;

    if (!p2m)
        return NULL;
    list_for_each(pos, &d->page_list)
    {
        struct page_info *pg = list_entry(pos, struct page_info, list);
        if (pfn == nr)
            break;
        p2m[pfn] = page_to_mfn(pg);
        clear_page(mfn_to_virt(p2m[pfn]));
        m2p_set(p2m[pfn], pfn);
        pfn++;
    }
    ASSERT(pfn == nr);
    return p2m;
}

static int fill_start_info(struct build_ctx *c, const struct pv_layout *l,
                           const struct pv_build_args *a)
{
    struct start_info *si = pfn_va(c, l->start_info.pfn);
    struct domain *d = c->d;

    pv_start_info_fill(si, l, __pa(d->shared_info),
                       d->is_privileged ? (SIF_PRIVILEGED | SIF_INITDOMAIN) : 0, a->cmdline);
    if (!d->is_privileged) {
        si->store_mfn = c->p2m[l->xenstore.pfn];
        si->console.domU.mfn = c->p2m[l->console.pfn];
        if (a->xenstore_in_dom0) {
            /* dom0's xenstored finds the ring through the reserved grant and
             * the port as the one unbound for it (vane introduce). */
            int port = evtchn_alloc_unbound_for(d, 0);
            int rc =
                port < 0 ? port : grant_table_seed(d, GNTTAB_RESERVED_XENSTORE, 0, si->store_mfn);

            if (rc < 0)
                return rc;
            si->store_evtchn = (uint32_t)port;
        }
        if (a->console_backend) {
            /* Served here until dom0's console daemon takes it over,
             * through this grant (as libxc makes it) and the port. */
            int port = console_ring_attach(d, si->console.domU.mfn);
            int rc = port < 0
                         ? port
                         : grant_table_seed(d, GNTTAB_RESERVED_CONSOLE, 0, si->console.domU.mfn);

            if (rc < 0)
                return rc;
            si->console.domU.evtchn = (uint32_t)port;
        }
    }
    return 0;
}

static void init_boot_vcpu(struct vcpu *v, const struct pv_layout *l)
{
    struct cpu_user_regs *r = &v->arch.user_regs;

    memset(r, 0, sizeof(*r));
    r->rip = l->entry;
    r->rsp = l->stack_top;
    r->rsi = l->start_info_va;
    r->cs = RING3_CS64;
    r->ss = RING3_DS;
    /* ds, es, fs, gs: FLAT_KERNEL_DS64, the null selector, as Xen starts them. */
    r->rflags = X86_EFLAGS_IF | 0x2;
    v->arch.kernel_mode = true;
    v->arch.ctrlreg[4] = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    v->initialised = true; /* its one context: VCPUOP_initialise refuses it */
}

int pv_build_domain(struct domain *d, const struct pv_build_args *a)
{
    struct pv_image_info *img = xzalloc(struct pv_image_info);
    struct pv_layout l;
    struct pv_layout_params p = {0};
    struct build_ctx c = {.d = d, .nr_pages = a->nr_pages};
    const void *kernel = a->kernel;
    size_t kernel_size = a->kernel_size;
    void *unpacked = NULL;
    int rc;

    if (!img)
        return -XEN_ENOMEM;
    rc = kernel_unpack(d->domain_id, a->kernel, a->kernel_size, &unpacked, &kernel_size);
    if (rc)
        goto out;
    if (unpacked)
        kernel = unpacked;
    rc = pv_elf_parse(kernel, kernel_size, img);
    if (rc) {
        pr_err("d%u: kernel image refused by the ELF loader (%d)\n", d->domain_id, rc);
        goto out;
    }
    pr_info("d%u: %s %s kernel, entry %#lx, virt base %#lx, image %#lx-%#lx%s\n", d->domain_id,
            img->guest_os, img->guest_version, img->entry, img->virt_base, img->virt_kstart,
            img->virt_kend, img->hypercall_page != PV_ADDR_UNSET ? ", hypercall page" : "");

    p.nr_pages = a->nr_pages;
    p.initrd_len = a->initrd ? a->initrd_size : 0;
    p.flags = d->is_privileged ? 0 : PV_LAYOUT_DOMU;
    rc = pv_layout_compute(img, &p, &l);
    if (rc) {
        pr_err("d%u: no start-of-day layout for %lu pages (%d)\n", d->domain_id, a->nr_pages, rc);
        goto out;
    }

    rc = domain_alloc_pages(d, a->nr_pages);
    if (rc) {
        pr_err("d%u: cannot allocate %lu MiB\n", d->domain_id, a->nr_pages >> 8);
        goto out;
    }
    d->max_pages = a->nr_pages;
    c.p2m = make_p2m(d, a->nr_pages);
    rc = -XEN_ENOMEM;
    if (!c.p2m)
        goto out;

    rc = pv_elf_load(kernel, kernel_size, img, write_bytes, &c);
    if (!rc && l.initrd.nr && !l.mod_start_is_pfn)
        copy_to_pfns(&c, l.initrd.pfn, a->initrd, a->initrd_size);
    if (!rc)
        copy_to_pfns(&c, l.p2m.pfn, c.p2m, a->nr_pages * sizeof(uint64_t));
    if (!rc)
        rc = pv_pagetable_build(&l, c.p2m, write_pte, &c);
    if (rc) {
        pr_err("d%u: loading the image failed (%d)\n", d->domain_id, rc);
        goto out;
    }
    /* The hypervisor's slots, as every guest L4 carries them. */
    paging_install_hyp_slots(pfn_va(&c, l.pt.pfn));
    rc = fill_start_info(&c, &l, a);
    if (rc) {
        pr_err("d%u: no console back-end (%d)\n", d->domain_id, rc);
        goto out;
    }
    if (img->hypercall_page != PV_ADDR_UNSET)
        write_hypercall_page(pfn_va(&c, (img->hypercall_page - l.virt_base) >> PAGE_SHIFT));
    init_boot_vcpu(d->vcpu[0], &l);
    /* The tables as the guest gets them: validated, the L4 pinned and in use. */
    rc = pv_mm_adopt_boot_tables(d, c.p2m[l.pt.pfn]);
    if (rc) {
        pr_err("d%u: the start-of-day page tables do not validate (%d)\n", d->domain_id, rc);
        goto out;
    }
    d->max_gpfn = a->nr_pages - 1;
    pr_info("d%u: %lu MiB, start_info %#lx, page tables %#lx (%lu frames), stack top %#lx\n",
            d->domain_id, a->nr_pages >> 8, l.start_info_va, l.pt_base, l.nr_pt_frames,
            l.stack_top);
    rc = 0;
out:
    xfree(unpacked);
    xfree(c.p2m);
    xfree(img);
    return rc;
}
