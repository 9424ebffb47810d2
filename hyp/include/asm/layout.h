/*
 * The hypervisor's virtual address layout.
 *
 * Everything the hypervisor maps lives in the range the PV ABI reserves for
 * it, HYPERVISOR_VIRT_START..HYPERVISOR_VIRT_END (L4 slots 256-271); the
 * rest of the 48-bit space belongs to guests. Inside the hole:
 *
 *   0xffff800000000000  slot 256  machine-to-phys table, read-only to
 *                                  guests (MACH2PHYS_VIRT_START, fixed by
 *                                  the ABI; filled by the PV MMU issue)
 *   0xffff82c000000000  slot 261  ioremap: uncached device mappings
 *   0xffff82d080000000  slot 261  hypervisor image (linked here; loaded at
 *                                  physical HYP_LOAD_PHYS)
 *   0xffff830000000000  262-271   direct map of machine memory (5 TiB)
 *
 * This file is included by assembly too: constants only.
 */
#ifndef PARAVANE_ASM_LAYOUT_H
#define PARAVANE_ASM_LAYOUT_H

#define HYP_VIRT_START 0xffff800000000000
#define HYP_VIRT_END   0xffff880000000000

#define IOREMAP_VIRT_START 0xffff82c000000000
#define IOREMAP_VIRT_END   0xffff82c040000000

/* The image is linked at HYP_IMAGE_OFFSET + its physical address. */
#define HYP_IMAGE_OFFSET 0xffff82d080000000
#define HYP_LOAD_PHYS    0x200000

#define DIRECTMAP_VIRT_START 0xffff830000000000
#define DIRECTMAP_VIRT_END   0xffff880000000000

/* L4 slots of the layout above (each slot spans 512 GiB). */
#define L4_SLOT(va) (((va) >> 39) & 511)

/* Per-CPU stack block: four IST stacks (a page each: #DF, NMI, #MC, #DB),
 * the primary stack, cpu_info on top. */
#define STACK_ORDER 4
#define STACK_SIZE  (4096 << STACK_ORDER)
/* Bytes at the top of each stack block reserved for struct cpu_info. */
#define CPU_INFO_RESERVED 1024
/*
 * struct cpu_info starts this far below the top of the stack block: 8 bytes
 * into its reserved space, so that the end of the hardware part of the
 * guest frame it begins with (&guest_cpu_user_regs.es, TSS.rsp0) is 16-byte
 * aligned, as the CPU aligns the stack before pushing an interrupt frame.
 */
#define CPU_INFO_OFFSET (CPU_INFO_RESERVED - 8)

/* AP start-up trampoline, copied below 1 MiB (SIPI vector = page number). */
#define TRAMPOLINE_PHYS 0x7000

#endif
