/*
 * GDT, TSS and IDT set-up.
 *
 * One IDT is shared by every CPU; each CPU has its own GDT (the TSS
 * descriptor differs, and the PV guests issue maps each vCPU's own GDT
 * frames into the guest part) and its own TSS (its stacks).
 */
#include "asm/desc.h"
#include "asm/traps.h"
#include "lib.h"
#include "percpu.h"

static struct idt_entry idt[256] __aligned(16);

#define DESC_HYP_CS64   0x00af9b000000ffffUL
#define DESC_HYP_DS     0x00cf93000000ffffUL
#define DESC_RING3_CS32 0x00cffb000000ffffUL
#define DESC_RING3_DS   0x00cff3000000ffffUL
#define DESC_RING3_CS64 0x00affb000000ffffUL

static void set_desc(struct desc *gdt, unsigned int sel, uint64_t d)
{
    gdt[sel >> 3].lo = (uint32_t)d;
    gdt[sel >> 3].hi = (uint32_t)(d >> 32);
}

/* A 16-byte system descriptor (TSS, LDT) at `sel`. */
static void set_system_desc(struct desc *gdt, unsigned int sel, uint64_t base, uint32_t limit,
                            unsigned int type)
{
    struct desc *d = &gdt[sel >> 3];

    d[0].lo = (limit & 0xffff) | ((uint32_t)(base & 0xffff) << 16);
    d[0].hi = (uint32_t)((base >> 16) & 0xff) | (type << 8) | (1u << 15) /* present */ |
              (limit & 0xf0000) | (uint32_t)(base & 0xff000000);
    d[1].lo = (uint32_t)(base >> 32);
    d[1].hi = 0;
}

void set_ldt_descriptor(struct desc *gdt, unsigned long base, uint32_t limit)
{
    set_system_desc(gdt, LDT_SEL, base, limit, 0x2);
}

static void set_gate(unsigned int vec, const void *handler, unsigned int ist, unsigned int dpl)
{
    uint64_t a = (uint64_t)handler;

    idt[vec].offset_lo = (uint16_t)a;
    idt[vec].selector = HYP_CS;
    idt[vec].ist = (uint8_t)ist;
    idt[vec].type_attr = (uint8_t)(0x8e | (dpl << 5)); /* present, 64-bit interrupt gate */
    idt[vec].offset_mid = (uint16_t)(a >> 16);
    idt[vec].offset_hi = (uint32_t)(a >> 32);
    idt[vec].reserved = 0;
}

void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++)
        set_gate(v, idt_stubs + v * IDT_STUB_SIZE, 0, 0);
    /* These must not run on a possibly-broken stack. */
    set_gate(TRAP_double_fault, idt_stubs + TRAP_double_fault * IDT_STUB_SIZE, IST_DF, 0);
    set_gate(TRAP_nmi, idt_stubs + TRAP_nmi * IDT_STUB_SIZE, IST_NMI, 0);
    set_gate(TRAP_machine_check, idt_stubs + TRAP_machine_check * IDT_STUB_SIZE, IST_MC, 0);
    /*
     * A guest's data breakpoint armed by MOV SS fires on the first
     * instruction after the next one: if that is SYSCALL, the #DB is taken
     * in ring 0 before our SYSCALL stub has left the guest's stack
     * (XSA-260). Never push a frame there.
     */
    set_gate(TRAP_debug, idt_stubs + TRAP_debug * IDT_STUB_SIZE, IST_DB, 0);
    /* What a guest may raise itself: int3, into, and int $0x80 (bounced
     * to its own table, which says who may use it). */
    set_gate(TRAP_int3, idt_stubs + TRAP_int3 * IDT_STUB_SIZE, 0, 3);
    set_gate(TRAP_overflow, idt_stubs + TRAP_overflow * IDT_STUB_SIZE, 0, 3);
    set_gate(0x80, idt_stubs + 0x80 * IDT_STUB_SIZE, 0, 3);
}

void desc_init_cpu(struct percpu *pc)
{
    struct desc *gdt = pc->gdt;
    struct tss *tss = pc->tss;
    char *stack = pc->stack;
    struct {
        uint16_t limit;
        uint64_t base;
    } __packed gdtr = {GDT_ENTRIES * sizeof(struct desc) - 1, (uint64_t)gdt},
               idtr = {sizeof(idt) - 1, (uint64_t)idt};

    memset(gdt, 0, GDT_ENTRIES * sizeof(struct desc));
    set_desc(gdt, HYP_CS, DESC_HYP_CS64);
    set_desc(gdt, HYP_DS, DESC_HYP_DS);
    set_desc(gdt, RING3_CS32 & ~3, DESC_RING3_CS32);
    set_desc(gdt, RING3_DS & ~3, DESC_RING3_DS);
    set_desc(gdt, RING3_CS64 & ~3, DESC_RING3_CS64);

    memset(tss, 0, sizeof(*tss));
    /* Ring 3 -> 0: the CPU pushes the guest's frame into cpu_info. */
    tss->rsp[0] = (uint64_t)&stack_cpu_info(stack)->guest_cpu_user_regs.es;
    tss->ist[IST_DF - 1] = (uint64_t)(stack + 1 * PAGE_SIZE);
    tss->ist[IST_NMI - 1] = (uint64_t)(stack + 2 * PAGE_SIZE);
    tss->ist[IST_MC - 1] = (uint64_t)(stack + 3 * PAGE_SIZE);
    tss->ist[IST_DB - 1] = (uint64_t)(stack + 4 * PAGE_SIZE);
    tss->iomap_base = sizeof(*tss); /* no I/O bitmap: ring 3 port I/O faults */
    set_system_desc(gdt, TSS_SEL, (uint64_t)tss, sizeof(*tss) - 1, 0x9);

    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "mov %2, %%ds\n\t"
                     "mov %2, %%es\n\t"
                     "mov %2, %%ss\n\t"
                     "ltr %w3\n\t"
                     "lidt %4"
                     :
                     : "m"(gdtr), "i"(HYP_CS), "r"(HYP_DS), "r"(TSS_SEL), "m"(idtr)
                     : "rax", "memory");
}
