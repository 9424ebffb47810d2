/*
 * pvtest gntv2: grant tables version 2 as Xen 4.17 has them, as dom0
 * (whose table starts empty) and as a domU beside dom0, on grants to
 * itself: GNTTABOP_set_version (to 2 and back, refused while a grant is
 * in use or a status frame mapped, the reserved entries carried over),
 * get_version, get_status_frames, the status words a map or copy sets
 * instead of the entry's flags, sub-page and transitive grants, and
 * Xen's answer to each misuse: the errno or grant status, never the
 * domain's end.
 */
#include "lib/pvmm.h"
#include "lib/pvtest.h"
#include <xen/errno.h>
#include <xen/grant_table.h>

const char pvtest_kernel_name[] = "gntv2";

#define LEAF     0x67UL /* present, writable, user, accessed, dirty */
#define BAD_HOLE 0xffff830000000000UL
#define BAD_LOW  0xdead000UL
#define R_MAP    10 /* a full-page grant */
#define R_SUB    11 /* a sub-page grant: bytes 100..149 */
#define R_TRANS  12 /* a transitive grant */
#define R_RO     13 /* a read-only grant */
#define R_KEEP   2  /* a reserved entry, carried across versions */

static uint8_t g_table[2][4096] __attribute__((aligned(4096)));
static uint8_t g_status[4096] __attribute__((aligned(4096)));
static uint8_t g_data[4096] __attribute__((aligned(4096)));
static uint8_t g_window[4096] __attribute__((aligned(4096)));
static uint8_t g_copy[4096] __attribute__((aligned(4096)));

static grant_entry_v2_t *const v2 = (grant_entry_v2_t *)g_table;
static grant_entry_v1_t *const v1 = (grant_entry_v1_t *)g_table;
static volatile grant_status_t *const status = (grant_status_t *)g_status;
static domid_t self;
static xen_pfn_t table_mfn[2];

static long gnttab(unsigned int cmd, void *op, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, op, count);
}

static long remap(void *va, unsigned long mfn)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, (mfn << 12) | LEAF, UVMF_INVLPG);
}

static long set_version(uint32_t v, uint32_t *now)
{
    struct gnttab_set_version op = {.version = v};
    long rc = gnttab(GNTTABOP_set_version, &op, 1);

    *now = op.version;
    return rc;
}

static long get_version(domid_t dom, uint32_t *v)
{
    struct gnttab_get_version op = {.dom = dom, .version = 99};
    long rc = gnttab(GNTTABOP_get_version, &op, 1);

    *v = op.version;
    return rc;
}

static int16_t status_frames(domid_t dom, uint32_t n, uint64_t *frames)
{
    struct gnttab_get_status_frames op = {.nr_frames = n, .dom = dom, .status = 99};

    op.frame_list.p = frames;
    CHECK_EQ(gnttab(GNTTABOP_get_status_frames, &op, 1), 0);
    return op.status;
}

static void set_full(grant_ref_t ref, uint16_t flags, uint64_t frame)
{
    v2[ref].full_page.frame = frame;
    v2[ref].hdr.domid = self;
    __atomic_store_n(&v2[ref].hdr.flags, flags, __ATOMIC_RELEASE);
}

static struct gnttab_map_grant_ref map_ref(grant_ref_t ref, uint32_t flags)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = (unsigned long)g_window, .flags = flags, .ref = ref, .dom = DOMID_SELF};

    CHECK_EQ(gnttab(GNTTABOP_map_grant_ref, &m, 1), 0);
    return m;
}

static int16_t unmap(const struct gnttab_map_grant_ref *m)
{
    struct gnttab_unmap_grant_ref u = {.host_addr = (unsigned long)g_window, .handle = m->handle};

    CHECK_EQ(gnttab(GNTTABOP_unmap_grant_ref, &u, 1), 0);
    return u.status;
}

/* Copy len bytes from grant `ref` at `off` into g_copy. */
static int16_t copy_from_ref(grant_ref_t ref, uint16_t off, uint16_t len)
{
    struct gnttab_copy c = {.len = len, .flags = GNTCOPY_source_gref};

    c.source.u.ref = ref;
    c.source.domid = DOMID_SELF;
    c.source.offset = off;
    c.dest.u.gmfn = mfn_of(g_copy);
    c.dest.domid = DOMID_SELF;
    CHECK_EQ(gnttab(GNTTABOP_copy, &c, 1), 0);
    return c.status;
}

/*
 * Linux (gnttab_map_frames_v2) asks for its status frames before its
 * first setup_table: a table switched to version 2 has its first frame
 * and that frame's status frame already, as Xen's always has one.
 */
PVTEST(version2_before_setup_table)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    uint64_t f[1] = {0};
    uint32_t v = 0;

    CHECK_EQ(set_version(2, &v), 0);
    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_okay);
    CHECK(f[0] != 0);
    CHECK_EQ(gnttab(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, 1);
    CHECK_EQ(set_version(1, &v), 0);
    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_general_error);
}

PVTEST(setup)
{
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2};
    uint32_t v = 0;

    self = start_info->flags & SIF_INITDOMAIN ? 0 : 1;
    st.frame_list.p = table_mfn;
    CHECK_EQ(gnttab(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(remap(g_table[0], table_mfn[0]), 0);
    CHECK_EQ(remap(g_table[1], table_mfn[1]), 0);
    for (unsigned int i = 0; i < 4096; i++)
        g_data[i] = (uint8_t)i;
    CHECK_EQ(get_version(DOMID_SELF, &v), 0);
    CHECK_EQ(v, 1);
}

/* Before version 2: what a version 1 table answers. */
PVTEST(version1_answers)
{
    uint64_t f[2] = {0};
    uint32_t v = 0;

    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_general_error); /* it has none */
    CHECK_EQ(status_frames(DOMID_SELF, 0, f), GNTST_okay);
    CHECK_EQ(set_version(1, &v), 0);
    CHECK_EQ(v, 1);
    CHECK_EQ(set_version(3, &v), -XEN_EINVAL);
    CHECK_EQ(v, 1); /* the version in force, written back */
    CHECK_EQ(set_version(0, &v), -XEN_EINVAL);
    CHECK_EQ(gnttab(GNTTABOP_set_version, (void *)BAD_HOLE, 1), -XEN_EFAULT);
    CHECK_EQ(gnttab(GNTTABOP_get_version, (void *)BAD_LOW, 1), -XEN_EFAULT);
    /* Another domain's version is its controller's business only. */
    if (self)
        CHECK_EQ(get_version(0, &v), -XEN_EPERM);
    CHECK_EQ(get_version(77, &v), -XEN_ESRCH);
}

PVTEST(switch_to_version2)
{
    uint64_t f[4] = {0};
    uint32_t v = 0;

    /* A reserved entry survives the switch; the others are cleared. */
    v1[R_KEEP] = (grant_entry_v1_t){GTF_permit_access | GTF_readonly, 0, 0x1234};
    v1[R_MAP] = (grant_entry_v1_t){GTF_permit_access, self, (uint32_t)mfn_of(g_data)};
    CHECK_EQ(set_version(2, &v), 0);
    CHECK_EQ(v, 2);
    CHECK_EQ(get_version(DOMID_SELF, &v), 0);
    CHECK_EQ(v, 2);
    CHECK_EQ(v2[R_KEEP].hdr.flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(v2[R_KEEP].hdr.domid, 0);
    CHECK_EQ(v2[R_KEEP].full_page.frame, 0x1234);
    CHECK_EQ(v2[R_MAP].hdr.flags, 0);
    CHECK_EQ(set_version(2, &v), 0); /* already */

    /* Two grant frames of 256 entries: one status frame of 2048. */
    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_okay);
    CHECK(f[0] != 0);
    CHECK_EQ(status_frames(DOMID_SELF, 2, f + 1), GNTST_general_error);
    CHECK_EQ(remap(g_status, f[0]), 0);
    CHECK_EQ(status[R_KEEP], 0);
    /* Misuse: a list the hypervisor's, another domain's frames, a count. */
    {
        struct gnttab_get_status_frames op = {.nr_frames = 1, .dom = DOMID_SELF};
        op.frame_list.p = (uint64_t *)BAD_HOLE;
        CHECK_EQ(gnttab(GNTTABOP_get_status_frames, &op, 1), -XEN_EFAULT);
        op.frame_list.p = (uint64_t *)BAD_LOW; /* unmapped: a bad address in status */
        CHECK_EQ(gnttab(GNTTABOP_get_status_frames, &op, 1), 0);
        CHECK_EQ(op.status, GNTST_bad_virt_addr);
        CHECK_EQ(gnttab(GNTTABOP_get_status_frames, &op, 2), -XEN_EINVAL);
    }
    if (self)
        CHECK_EQ(status_frames(0, 1, f + 1), GNTST_permission_denied);
    CHECK_EQ(status_frames(77, 1, f + 1), GNTST_bad_domain);
}

/* Maps and copies set the status word, never the entry's flags. */
PVTEST(map_sets_status)
{
    struct gnttab_map_grant_ref m;
    uint32_t v = 0;

    set_full(R_MAP, GTF_permit_access, mfn_of(g_data));
    m = map_ref(R_MAP, GNTMAP_host_map);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(m.dev_bus_addr, mfn_of(g_data) << 12);
    CHECK_EQ(g_window[77], 77);
    CHECK_EQ(status[R_MAP], GTF_reading | GTF_writing);
    CHECK_EQ(v2[R_MAP].hdr.flags, GTF_permit_access);
    /* A grant in use: no going back to version 1. */
    CHECK_EQ(set_version(1, &v), -XEN_EBUSY);
    CHECK_EQ(v, 2);
    CHECK_EQ(unmap(&m), GNTST_okay);
    CHECK_EQ(status[R_MAP], 0);

    m = map_ref(R_MAP, GNTMAP_host_map | GNTMAP_readonly);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(status[R_MAP], GTF_reading);
    CHECK_EQ(unmap(&m), GNTST_okay);
    CHECK_EQ(status[R_MAP], 0);

    /* A copy holds the grant only while it copies. */
    CHECK_EQ(copy_from_ref(R_MAP, 200, 16), GNTST_okay);
    CHECK_EQ(g_copy[0], 200);
    CHECK_EQ(g_copy[15], 215);
    CHECK_EQ(status[R_MAP], 0);

    /* Read-only grant: a writable map is Xen's general error. */
    set_full(R_RO, GTF_permit_access | GTF_readonly, mfn_of(g_data));
    CHECK_EQ(map_ref(R_RO, GNTMAP_host_map).status, GNTST_general_error);
    CHECK_EQ(status[R_RO], 0);
    m = map_ref(R_RO, GNTMAP_host_map | GNTMAP_readonly);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(unmap(&m), GNTST_okay);

    /* Version 2 has 256 entries a frame: ref 512 is past two frames. */
    CHECK_EQ(map_ref(512, GNTMAP_host_map).status, GNTST_bad_gntref);
    set_full(300, GTF_permit_access, mfn_of(g_data)); /* in the second frame */
    m = map_ref(300, GNTMAP_host_map);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(status[300], GTF_reading | GTF_writing);
    CHECK_EQ(unmap(&m), GNTST_okay);
    v2[300].hdr.flags = 0;
    /* Granted to another domain, or ended: general error, status clean. */
    v2[R_MAP].hdr.domid = 77;
    CHECK_EQ(map_ref(R_MAP, GNTMAP_host_map).status, GNTST_general_error);
    CHECK_EQ(status[R_MAP], 0);
    set_full(R_MAP, 0, mfn_of(g_data));
    CHECK_EQ(copy_from_ref(R_MAP, 0, 8), GNTST_general_error);
    CHECK_EQ(status[R_MAP], 0);
}

/* Sub-page grants: copied within their bounds, never mapped. */
PVTEST(sub_page_and_transitive)
{
    v2[R_SUB].sub_page.frame = mfn_of(g_data);
    v2[R_SUB].sub_page.page_off = 100;
    v2[R_SUB].sub_page.length = 50;
    v2[R_SUB].hdr.domid = self;
    __atomic_store_n(&v2[R_SUB].hdr.flags, GTF_permit_access | GTF_sub_page, __ATOMIC_RELEASE);
    CHECK_EQ(map_ref(R_SUB, GNTMAP_host_map | GNTMAP_readonly).status, GNTST_general_error);
    memset(g_copy, 0, 64);
    CHECK_EQ(copy_from_ref(R_SUB, 100, 50), GNTST_okay);
    CHECK_EQ(g_copy[0], 100);
    CHECK_EQ(g_copy[49], 149);
    CHECK_EQ(copy_from_ref(R_SUB, 90, 20), GNTST_general_error);  /* starts before */
    CHECK_EQ(copy_from_ref(R_SUB, 140, 20), GNTST_general_error); /* ends after */
    CHECK_EQ(copy_from_ref(R_SUB, 4090, 20), GNTST_bad_copy_arg); /* past the page */
    CHECK_EQ(status[R_SUB], 0);

    /* Transitive: not mapped, and not followed (Xen with transitive=0). */
    v2[R_TRANS].transitive.trans_domid = self ? 0 : 1;
    v2[R_TRANS].transitive.gref = R_MAP;
    v2[R_TRANS].hdr.domid = self;
    __atomic_store_n(&v2[R_TRANS].hdr.flags, GTF_transitive, __ATOMIC_RELEASE);
    CHECK_EQ(map_ref(R_TRANS, GNTMAP_host_map).status, GNTST_general_error);
    CHECK_EQ(copy_from_ref(R_TRANS, 0, 8), GNTST_general_error);
    CHECK_EQ(status[R_TRANS], 0);
    v2[R_SUB].hdr.flags = 0;
    v2[R_TRANS].hdr.flags = 0;
}

/* Back to version 1: only once nothing needs version 2. */
PVTEST(switch_back_to_version1)
{
    unsigned long status_mfn = 0, own = mfn_of(g_status);
    uint64_t f[1] = {0};
    uint32_t v = 0;

    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_okay);
    status_mfn = f[0];
    /* A status frame still mapped (by us, at g_status): busy. */
    CHECK_EQ(set_version(1, &v), -XEN_EBUSY);
    CHECK_EQ(v, 2);
    CHECK_EQ(remap(g_status, own), 0);
    /* A reserved entry version 1 cannot hold: out of range. */
    set_full(3, GTF_permit_access, 1UL << 32);
    CHECK_EQ(set_version(1, &v), -XEN_ERANGE);
    v2[3].hdr.flags = 0;
    v2[4].transitive.trans_domid = 0;
    __atomic_store_n(&v2[4].hdr.flags, GTF_transitive, __ATOMIC_RELEASE);
    CHECK_EQ(set_version(1, &v), -XEN_ERANGE);
    v2[4].hdr.flags = 0;
    CHECK_EQ(v, 2);

    set_full(R_MAP, GTF_permit_access, mfn_of(g_data));
    CHECK_EQ(set_version(1, &v), 0);
    CHECK_EQ(v, 1);
    CHECK_EQ(v1[R_KEEP].flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(v1[R_KEEP].frame, 0x1234);
    CHECK_EQ(v1[R_MAP].flags, 0); /* cleared */
    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_general_error);
    /* The old status frame is no longer ours to map. */
    CHECK(remap(g_status, status_mfn) < 0);

    /* Version 1 works as before, with ref 300 in the first frame now. */
    v1[300] = (grant_entry_v1_t){GTF_permit_access, self, (uint32_t)mfn_of(g_data)};
    {
        struct gnttab_map_grant_ref m = map_ref(300, GNTMAP_host_map);
        CHECK_EQ(m.status, GNTST_okay);
        CHECK_EQ(v1[300].flags, GTF_permit_access | GTF_reading | GTF_writing);
        CHECK_EQ(unmap(&m), GNTST_okay);
        CHECK_EQ(v1[300].flags, GTF_permit_access);
    }
    v1[300].flags = 0;

    /* And to version 2 again: fresh status frames, the reserved entry
     * kept. The domain ends in version 2 with its status frame mapped:
     * its destruction gives the frame back. */
    CHECK_EQ(set_version(2, &v), 0);
    CHECK_EQ(v2[R_KEEP].full_page.frame, 0x1234);
    CHECK_EQ(status_frames(DOMID_SELF, 1, f), GNTST_okay);
    CHECK_EQ(remap(g_status, f[0]), 0);
    v2[R_KEEP].hdr.flags = 0;
}

/*
 * Misuse around the table: XENMEM_add_to_physmap (Xen: -EACCES for a PV
 * domain, whatever the space; its request checks first), cache_flush
 * (ARM only: -ENOSYS) and command bits Xen keeps for its continuations.
 */
PVTEST(physmap_cache_flush_and_command_bits)
{
    struct xen_add_to_physmap x = {.domid = DOMID_SELF,
                                   .space = XENMAPSPACE_grant_table,
                                   .idx = 0 | XENMAPIDX_grant_table_status,
                                   .gpfn = 0x100};
    struct gnttab_cache_flush cf = {.op = GNTTAB_CACHE_CLEAN, .length = 8};

    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x), -XEN_EACCES);
    x.idx = 0;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x), -XEN_EACCES);
    x.domid = 77;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x), -XEN_ESRCH);
    x.space = XENMAPSPACE_gmfn_foreign;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x), -XEN_ENOSYS);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, (void *)BAD_LOW), -XEN_EFAULT);
    /* A continuation index (bits 6 and up) past the 16-bit size. */
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap | (1UL << 22), &x), -XEN_EDOM);

    cf.a.dev_bus_addr = mfn_of(g_data) << 12;
    CHECK_EQ(gnttab(GNTTABOP_cache_flush, &cf, 1), -XEN_ENOSYS);
    CHECK_EQ(gnttab(GNTTABOP_cache_flush | (1 << 12), &cf, 1), -XEN_ENOSYS);
    CHECK_EQ(gnttab(GNTTABOP_query_size | (1 << 12), &cf, 1), -XEN_EINVAL);
    CHECK_EQ(gnttab(GNTTABOP_set_version | (5 << 12), &cf, 1), -XEN_EINVAL);
}
