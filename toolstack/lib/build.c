/*
 * The toolstack's PV builder (see build.h), in the order libxc follows:
 * parse the image, lay the domain out, populate its memory, map it, load
 * the kernel, ramdisk, p2m list and page tables, write start_info, pin
 * the L4, and give vCPU 0 its registers. hypercall-abi/ decides every
 * address; this file only moves bytes and makes hypercalls.
 */
#include "build.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <paravane/decompress.h>
#include <paravane/pv_image.h>
#include <paravane/pv_layout.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>

#define PAGE_SIZE 4096UL

/* What the writers need: the domain's memory mapped here, pfn by pfn. */
struct dom_mem {
    uint8_t *base; /* pfn n at base + n * PAGE_SIZE */
    uint64_t nr_pages;
};

static int write_bytes(void *ctx, uint64_t pfn, size_t off, const void *src, size_t len)
{
    struct dom_mem *m = ctx;

    if (pfn >= m->nr_pages || off + len > PAGE_SIZE)
        return -EINVAL;
    if (src)
        memcpy(m->base + pfn * PAGE_SIZE + off, src, len);
    else
        memset(m->base + pfn * PAGE_SIZE + off, 0, len);
    return 0;
}

static int write_pte(void *ctx, uint64_t pt_pfn, unsigned int index, uint64_t pte)
{
    struct dom_mem *m = ctx;

    if (pt_pfn >= m->nr_pages || index >= 512)
        return -EINVAL;
    ((uint64_t *)(m->base + pt_pfn * PAGE_SIZE))[index] = pte;
    return 0;
}

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return rc < 0 ? rc : -EINVAL;
}

static void fill_start_info(struct start_info *si, const struct pv_layout *l, const uint64_t *p2m,
                            uint64_t shared_info_maddr, const struct build_params *p,
                            const struct build_result *r)
{
    pv_start_info_fill(si, l, shared_info_maddr, 0, p->cmdline);
    si->store_mfn = p2m[l->xenstore.pfn];
    si->store_evtchn = r->store_port;
    si->console.domU.mfn = p2m[l->console.pfn];
    si->console.domU.evtchn = r->console_port;
}

/*
 * The grants a back-end in `backend` (dom0) finds the rings through, as
 * libxc seeds them: the console page at GNTTAB_RESERVED_CONSOLE and the
 * store page at GNTTAB_RESERVED_XENSTORE of the domain's first grant
 * frame (xenstored maps the store ring this way).
 */
static int seed_grants(struct xc *xc, domid_t dom, domid_t backend, uint64_t console_mfn,
                       uint64_t store_mfn)
{
    struct gnttab_setup_table st = {.dom = dom, .nr_frames = 1};
    xen_pfn_t frame = 0;
    grant_entry_v1_t *gt;
    long rc;

    set_xen_guest_handle(st.frame_list, &frame);
    rc = xc_hypercall(xc, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (uintptr_t)&st, 1, 0,
                      0);
    if (rc || st.status != GNTST_okay)
        return rc ? (int)rc : -EINVAL;
    gt = xc_map_foreign(xc, dom, (const uint64_t *)&frame, 1);
    if (!gt)
        return -EFAULT;
    gt[GNTTAB_RESERVED_CONSOLE].domid = backend;
    gt[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)console_mfn;
    gt[GNTTAB_RESERVED_XENSTORE].domid = backend;
    gt[GNTTAB_RESERVED_XENSTORE].frame = (uint32_t)store_mfn;
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the entry, then its flags */
    gt[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
    gt[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
    xc_unmap(gt, 1);
    return 0;
}

/* vCPU 0 at the kernel's entry, as Xen starts a PV guest. */
static int start_vcpu0(struct xc *xc, domid_t dom, const struct pv_layout *l, uint64_t l4_mfn)
{
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));
    struct xen_domctl op = {0};
    int rc;

    if (!c)
        return -ENOMEM;
    c->flags = VGCF_in_kernel | VGCF_online;
    c->user_regs.rip = l->entry;
    c->user_regs.rsp = l->stack_top;
    c->user_regs.rsi = l->start_info_va;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.ds = c->user_regs.es = c->user_regs.fs = c->user_regs.gs = 0;
    c->user_regs.rflags = 1 << 9; /* IF: events arrive once the guest unmasks them */
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = l->stack_top;
    c->ctrlreg[3] = l4_mfn << 12;
    op.u.vcpucontext.vcpu = 0;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, c);
    rc = xc_domctl(xc, &op, XEN_DOMCTL_setvcpucontext, dom);
    free(c);
    return rc;
}

/*
 * A bzImage (kernel= naming /boot/vmlinuz-* as installed) becomes its
 * decompressed ELF in *elf, with the decoders the hypervisor uses for
 * boot-time domains; any other image is left to the ELF loader (*elf NULL).
 */
static int unpack_kernel(const struct build_params *p, uint8_t **elf, size_t *elf_size, char *err,
                         size_t errlen)
{
    struct pv_bzimage bz;
    void *work;
    int rc = pv_bzimage_inspect(p->kernel, p->kernel_size, &bz);

    *elf = NULL;
    if (rc == -XEN_ENOEXEC)
        return 0;
    if (rc)
        return fail(err, errlen, -ENOEXEC,
                    "kernel: a bzImage whose payload cannot be unpacked (%d)", rc);
    *elf = malloc(bz.kernel_size);
    work = aligned_alloc(16, DECOMP_WORK_SIZE);
    if (!*elf || !work) {
        free(work);
        return fail(err, errlen, -ENOMEM, "out of memory for a %zu-byte kernel", bz.kernel_size);
    }
    rc = pv_bzimage_decompress(p->kernel, &bz, *elf, work);
    free(work);
    if (rc)
        return fail(err, errlen, -ENOEXEC, "kernel: its %s payload does not decompress: %s",
                    decomp_format_name(bz.format), decomp_strerror(rc));
    *elf_size = bz.kernel_size;
    return 0;
}

int vane_build_pv(struct xc *xc, domid_t dom, const struct build_params *p,
                  struct build_result *out, char *err, size_t errlen)
{
    struct pv_image_info *img = calloc(1, sizeof(*img));
    struct pv_layout_params lp = {.nr_pages = p->nr_pages, .flags = PV_LAYOUT_DOMU};
    struct pv_layout l;
    struct xen_domctl_getdomaininfo info;
    struct dom_mem m = {.nr_pages = p->nr_pages};
    uint64_t *pfns = NULL, *p2m = NULL;
    uint8_t *unpacked = NULL;
    const void *kernel = p->kernel;
    size_t kernel_size = p->kernel_size;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!img)
        return fail(err, errlen, -ENOMEM, "out of memory");
    rc = unpack_kernel(p, &unpacked, &kernel_size, err, errlen);
    if (rc)
        goto out;
    if (unpacked)
        kernel = unpacked;
    rc = pv_elf_parse(kernel, kernel_size, img);
    if (rc) {
        rc = fail(err, errlen, -ENOEXEC, "kernel: not a PV kernel image (loader error %d)", rc);
        goto out;
    }
    snprintf(out->guest_os, sizeof(out->guest_os), "%s", img->guest_os);
    lp.initrd_len = p->ramdisk ? p->ramdisk_size : 0;
    rc = pv_layout_compute(img, &lp, &l);
    if (rc) {
        rc = fail(err, errlen, rc == -XEN_ENOMEM ? -ENOMEM : -EINVAL,
                  "%lu MiB cannot hold this kernel and ramdisk (layout error %d)",
                  (unsigned long)(p->nr_pages >> 8), rc);
        goto out;
    }
    rc = xc_domain_info(xc, dom, &info);
    if (rc) {
        rc = fail(err, errlen, rc, "domain %u: %s", dom, strerror(-rc));
        goto out;
    }

    /* Memory: pfn n for every n, machine frames from the hypervisor. */
    pfns = calloc(p->nr_pages, sizeof(*pfns));
    p2m = calloc(p->nr_pages, sizeof(*p2m));
    if (!pfns || !p2m) {
        rc = fail(err, errlen, -ENOMEM, "out of memory");
        goto out;
    }
    for (uint64_t i = 0; i < p->nr_pages; i++)
        pfns[i] = i;
    rc = xc_populate(xc, dom, pfns, p2m, p->nr_pages);
    if (rc) {
        rc = fail(err, errlen, rc, "cannot give it %lu MiB: %s", (unsigned long)(p->nr_pages >> 8),
                  strerror(-rc));
        goto out;
    }
    m.base = xc_map_foreign(xc, dom, p2m, p->nr_pages);
    if (!m.base) {
        rc = fail(err, errlen, -EFAULT, "cannot map its memory into dom0");
        goto out;
    }

    rc = pv_elf_load(kernel, kernel_size, img, write_bytes, &m);
    if (!rc && l.initrd.nr && !l.mod_start_is_pfn)
        memcpy(m.base + l.initrd.pfn * PAGE_SIZE, p->ramdisk, p->ramdisk_size);
    if (!rc)
        memcpy(m.base + l.p2m.pfn * PAGE_SIZE, p2m, p->nr_pages * sizeof(*p2m));
    if (!rc)
        rc = pv_pagetable_build(&l, p2m, write_pte, &m);
    if (rc) {
        rc = fail(err, errlen, -EINVAL, "loading the kernel failed (%d)", rc);
        goto out;
    }

    /* Rings and their ports: served by console_domid (dom0). */
    out->console_mfn = p2m[l.console.pfn];
    out->store_mfn = p2m[l.xenstore.pfn];
    rc = xc_evtchn_alloc_unbound(xc, dom, p->console_domid, &out->console_port);
    if (!rc)
        rc = xc_evtchn_alloc_unbound(xc, dom, p->console_domid, &out->store_port);
    if (rc) {
        rc = fail(err, errlen, rc, "no event channel for its console: %s", strerror(-rc));
        goto out;
    }
    rc = seed_grants(xc, dom, p->console_domid, out->console_mfn, out->store_mfn);
    if (rc) {
        rc = fail(err, errlen, rc, "cannot grant its rings to dom0: %s", strerror(-rc));
        goto out;
    }
    fill_start_info((struct start_info *)(m.base + l.start_info.pfn * PAGE_SIZE), &l, p2m,
                    info.shared_info_frame << 12, p, out);
    xc_unmap(m.base, p->nr_pages);
    m.base = NULL;

    if (img->hypercall_page != PV_ADDR_UNSET) {
        struct xen_domctl op = {0};
        op.u.hypercall_init.gmfn = p2m[(img->hypercall_page - l.virt_base) >> 12];
        rc = xc_domctl(xc, &op, XEN_DOMCTL_hypercall_init, dom);
        if (rc) {
            rc = fail(err, errlen, rc, "no hypercall page: %s", strerror(-rc));
            goto out;
        }
    }
    /* The bootstrap tables, validated and pinned, as the guest expects. */
    rc = xc_mmuext(xc, dom, MMUEXT_PIN_L4_TABLE, p2m[l.pt.pfn]);
    if (rc) {
        rc = fail(err, errlen, rc, "its start-of-day page tables do not validate: %s",
                  strerror(-rc));
        goto out;
    }
    rc = start_vcpu0(xc, dom, &l, p2m[l.pt.pfn]);
    if (rc)
        rc = fail(err, errlen, rc, "vCPU 0 refused its context: %s", strerror(-rc));
out:
    xc_unmap(m.base, p->nr_pages);
    free(unpacked);
    free(pfns);
    free(p2m);
    free(img);
    return rc;
}
