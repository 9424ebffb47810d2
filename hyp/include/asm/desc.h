/*
 * Segment descriptors, the GDT layout the PV ABI fixes, the TSS and IDT.
 *
 * The GDT is 16 pages. Entries below FIRST_RESERVED_GDT_ENTRY (pages
 * 0-13) belong to the running guest (set_gdt, PV guests issue); the
 * hypervisor's own entries live in page 14 at the selectors the ABI
 * hard-codes (xen/arch-x86/xen-x86_64.h: FLAT_RING3_CS64 = 0xe033 ...):
 *
 *   0xe008  hypervisor 64-bit code (ring 0)
 *   0xe010  hypervisor data (ring 0)
 *   0xe018  (unused: keeps the SYSRET pair below aligned)
 *   0xe020  ring-3 32-bit code    FLAT_RING3_CS32 0xe023
 *   0xe028  ring-3 data           FLAT_RING3_DS32/SS 0xe02b
 *   0xe030  ring-3 64-bit code    FLAT_RING3_CS64 0xe033
 *   0xe040  TSS (16 bytes)
 *   0xe050  LDT (16 bytes; loaded per vCPU by the PV guests issue)
 *
 * SYSCALL loads CS=0xe008/SS=0xe010; SYSRET to 64-bit loads CS=0xe030|3,
 * SS=0xe028|3 (STAR[63:48] = 0xe020), which is why the ring-3 entries sit
 * in that order.
 */
#ifndef PARAVANE_ASM_DESC_H
#define PARAVANE_ASM_DESC_H

#include "types.h"
#include "compiler.h"
#include <xen/xen.h> /* FIRST_RESERVED_GDT_PAGE/ENTRY */

#define GDT_ENTRIES (16 * 512)

#define HYP_CS     0xe008
#define HYP_DS     0xe010
#define RING3_CS32 0xe023
#define RING3_DS   0xe02b
#define RING3_CS64 0xe033
#define TSS_SEL    0xe040
#define LDT_SEL    0xe050

struct desc {
    uint32_t lo, hi;
};

/* 64-bit TSS. */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7]; /* ist[0] is IST1 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __packed;

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

/* IST slots (1-based, as the IDT encodes them). */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define IST_DB  4

struct idt_entry {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __packed;

_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry layout");

/*
 * Validate a guest descriptor, raising a code/data segment's DPL to 3.
 * False for gates, system descriptors and conforming code (pv/descriptor.c).
 */
bool check_descriptor(struct desc *d);

/* Point this GDT's LDT descriptor at an LDT of `limit + 1` bytes. */
void set_ldt_descriptor(struct desc *gdt, unsigned long base, uint32_t limit);

struct percpu;
/* Build and load this CPU's GDT, TSS and IDT (desc.c). */
void desc_init_cpu(struct percpu *pc);
/* Build the shared IDT once (desc.c). */
void idt_init(void);

/*
 * Load a guest's data segment selector into %seg; true if it loaded. One
 * its GDT or LDT no longer allows faults; the fixup loads the null
 * selector instead (and the caller decides: the failsafe callback on a
 * context switch, as Xen's load_segments; a null %gs for set_segment_base).
 */
#define LOAD_SREG(seg, sel)                                                                        \
    ({                                                                                             \
        unsigned int sel_ = (unsigned int)(sel);                                                   \
        bool ok_ = true;                                                                           \
        __asm__ volatile("1: mov %k0, %%" #seg "\n"                                                \
                         "2:\n"                                                                    \
                         ".pushsection .text.fixup, \"ax\"\n"                                      \
                         "3: xor %k0, %k0\n"                                                       \
                         "   movb $0, %1\n"                                                        \
                         "   jmp 1b\n"                                                             \
                         ".popsection\n"                                                           \
                         ".pushsection __ex_table, \"a\"\n"                                        \
                         ".balign 8\n"                                                             \
                         ".quad 1b, 3b\n"                                                          \
                         ".popsection"                                                             \
                         : "+r"(sel_), "+m"(ok_));                                                 \
        ok_;                                                                                       \
    })

#endif
