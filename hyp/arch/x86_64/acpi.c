/*
 * ACPI table discovery: RSDP -> RSDT/XSDT -> MADT, FADT and MCFG.
 *
 * Tables are firmware data: every length is checked against the table it
 * sits in before an entry is read, and checksums are verified, so a
 * malformed table is skipped with a warning rather than walked off.
 */
#include "acpi.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "console.h"
#include "lib.h"
#include "paging.h"
#include <xen/errno.h>

struct acpi_info acpi_info;

struct rsdp {
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t xchecksum;
    uint8_t reserved[3];
} __packed;

struct sdt_header {
    char sig[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem[6];
    char oem_table[8];
    uint32_t oem_rev;
    uint32_t creator;
    uint32_t creator_rev;
} __packed;

struct madt {
    struct sdt_header h;
    uint32_t lapic_base;
    uint32_t flags;
} __packed;

#define MADT_LAPIC    0
#define MADT_IOAPIC   1
#define MADT_OVERRIDE 2

/* MCFG: 8 reserved bytes after the header, then 16-byte allocations. */
struct mcfg_alloc {
    uint64_t base;
    uint16_t segment;
    uint8_t start_bus, end_bus;
    uint32_t reserved;
} __packed;

#define MCFG_FIRST (sizeof(struct sdt_header) + 8)

static uint16_t pm1a_cnt, pm1b_cnt;
static uint16_t slp_typ_a, slp_typ_b;
static bool s5_known;

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + ((const uint8_t *)p)[i]);
    return sum == 0;
}

static const struct rsdp *scan_rsdp(paddr_t start, size_t len)
{
    for (paddr_t p = start; p + sizeof(struct rsdp) <= start + len; p += 16) {
        const struct rsdp *r = __va(p);
        if (!memcmp(r->sig, "RSD PTR ", 8) && checksum_ok(r, 20))
            return r;
    }
    return NULL;
}

/* Map a whole table after validating its header. NULL if malformed. */
static const struct sdt_header *map_table(paddr_t pa)
{
    const struct sdt_header *h = ioremap_cache(pa, sizeof(*h));

    if (!h || h->length < sizeof(*h) || h->length > MiB(1))
        return NULL;
    h = ioremap_cache(pa, h->length);
    if (!h || !checksum_ok(h, h->length)) {
        pr_warn("ACPI: table at %#lx has a bad checksum, ignored\n", pa);
        return NULL;
    }
    return h;
}

static void parse_madt(const struct madt *m)
{
    const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + m->h.length;

    acpi_info.lapic_base = m->lapic_base;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        switch (p[0]) {
        case MADT_LAPIC:
            /* [2] processor uid, [3] apic id, [4..7] flags: bit 0 enabled */
            if (p[1] >= 8 && (p[4] & 1) && acpi_info.nr_cpus < ARRAY_SIZE(acpi_info.cpu_apic_id))
                acpi_info.cpu_apic_id[acpi_info.nr_cpus++] = p[3];
            break;
        case MADT_IOAPIC:
            if (p[1] >= 12 && acpi_info.nr_ioapics < MAX_IOAPICS) {
                unsigned int i = acpi_info.nr_ioapics++;
                acpi_info.ioapic[i].id = p[2];
                acpi_info.ioapic[i].base = *(const uint32_t *)(p + 4);
                acpi_info.ioapic[i].gsi_base = *(const uint32_t *)(p + 8);
            }
            break;
        case MADT_OVERRIDE:
            /* [2] bus, [3] source irq, [4..7] gsi, [8..9] flags */
            if (p[1] >= 10 && p[2] == 0 && p[3] < 16) {
                acpi_info.isa_gsi[p[3]] = *(const uint32_t *)(p + 4);
                acpi_info.isa_flags[p[3]] = *(const uint16_t *)(p + 8);
            }
            break;
        default:
            break;
        }
        p += p[1];
    }
}

/*
 * S5's sleep type values live in the DSDT as `Name (_S5, Package () {a, b,
 * ...})`. Rather than interpret AML, find that one encoding: NameOp '_S5_'
 * PackageOp PkgLength NumElements, then two byte-sized integers.
 */
/* Segment 0's allocation, the only segment the legacy ports reach too. */
static void parse_mcfg(const struct sdt_header *t)
{
    for (size_t off = MCFG_FIRST; off + sizeof(struct mcfg_alloc) <= t->length;
         off += sizeof(struct mcfg_alloc)) {
        const struct mcfg_alloc *a = (const void *)((const uint8_t *)t + off);

        if (a->segment || !a->base || a->end_bus < a->start_bus || (a->base & (MiB(1) - 1)))
            continue;
        acpi_info.mmcfg_base = a->base;
        acpi_info.mmcfg_start_bus = a->start_bus;
        acpi_info.mmcfg_end_bus = a->end_bus;
        return;
    }
}

static void find_s5(const struct sdt_header *dsdt)
{
    const uint8_t *p = (const uint8_t *)(dsdt + 1);
    const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

    for (; p + 12 <= end; p++) {
        unsigned int v[2], i;
        const uint8_t *q;

        if (memcmp(p, "_S5_", 4) || p[4] != 0x12 /* PackageOp */)
            continue;
        q = p + 5 + ((p[5] >> 6) + 1) + 1; /* skip PkgLength and NumElements */
        for (i = 0; i < 2 && q < end; i++) {
            if (*q == 0x0a && q + 1 < end) { /* BytePrefix */
                v[i] = q[1];
                q += 2;
            } else if (*q <= 1) { /* ZeroOp, OneOp */
                v[i] = *q;
                q += 1;
            } else {
                break;
            }
        }
        if (i == 2) {
            slp_typ_a = (uint16_t)v[0];
            slp_typ_b = (uint16_t)v[1];
            s5_known = true;
        }
        return;
    }
}

static void parse_fadt(const struct sdt_header *f)
{
    const uint8_t *b = (const uint8_t *)f;
    const struct sdt_header *dsdt;

    if (f->length < 72)
        return;
    pm1a_cnt = (uint16_t) * (const uint32_t *)(b + 64);
    pm1b_cnt = (uint16_t) * (const uint32_t *)(b + 68);
    dsdt = map_table(*(const uint32_t *)(b + 40));
    if (dsdt && !memcmp(dsdt->sig, "DSDT", 4))
        find_s5(dsdt);
}

int acpi_init(void)
{
    const struct rsdp *rsdp;
    const struct sdt_header *root;
    paddr_t ebda = (paddr_t)(*(const uint16_t *)__va(0x40e)) << 4;
    size_t entry_size;

    for (unsigned int i = 0; i < 16; i++)
        acpi_info.isa_gsi[i] = i; /* identity unless the MADT overrides */
    rsdp = (ebda >= 0x80000 && ebda < 0xa0000) ? scan_rsdp(ebda, 1024) : NULL;
    if (!rsdp)
        rsdp = scan_rsdp(0xe0000, 0x20000);
    if (!rsdp)
        return -XEN_ENODEV;

    if (rsdp->revision >= 2 && rsdp->xsdt) {
        root = map_table(rsdp->xsdt);
        entry_size = 8;
    } else {
        root = map_table(rsdp->rsdt);
        entry_size = 4;
    }
    if (!root)
        return -XEN_ENODEV;

    for (size_t off = sizeof(*root); off + entry_size <= root->length; off += entry_size) {
        const uint8_t *e = (const uint8_t *)root + off;
        paddr_t pa = entry_size == 8 ? *(const uint64_t *)e : *(const uint32_t *)e;
        const struct sdt_header *t = map_table(pa);

        if (!t)
            continue;
        pr_debug("ACPI: %.4s at %#lx, %u bytes\n", t->sig, pa, t->length);
        if (!memcmp(t->sig, "APIC", 4) && t->length >= sizeof(struct madt))
            parse_madt((const struct madt *)t);
        else if (!memcmp(t->sig, "FACP", 4))
            parse_fadt(t);
        else if (!memcmp(t->sig, "MCFG", 4))
            parse_mcfg(t);
    }
    return 0;
}

void acpi_poweroff(void)
{
    if (!s5_known || !pm1a_cnt)
        return;
    outw(pm1a_cnt, (uint16_t)((slp_typ_a << 10) | (1 << 13)));
    if (pm1b_cnt)
        outw(pm1b_cnt, (uint16_t)((slp_typ_b << 10) | (1 << 13)));
    for (int i = 0; i < 1000000; i++)
        cpu_relax();
}
