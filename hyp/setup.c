/*
 * Boot sequence of the bootstrap processor, from the first C instruction
 * to the ready line, and the idle loop every CPU ends in.
 *
 * Order matters: traps first (so anything after is reported), then the
 * console and options, memory (boot allocator -> page tables -> frame
 * table -> heap), firmware tables, interrupts and time, the other CPUs.
 */
#include "acpi.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "asm/traps.h"
#include "asm/pv_traps.h"
#include "cmdline.h"
#include "context.h"
#include "domain.h"
#include "console.h"
#include "lib.h"
#include "machine.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "multiboot.h"
#include "paging.h"
#include "pci.h"
#include "percpu.h"
#include "schedule.h"
#include "softirq.h"
#include "smp.h"
#include "time.h"
#include "timer.h"
#include "trace.h"
#include "uart.h"
#include <xen/errno.h>

extern const struct boot_option __options_start[], __options_end[];
extern char __image_start[], __image_end[], boot_stack[];

static struct desc bsp_gdt[GDT_ENTRIES] __aligned(PAGE_SIZE);
static struct tss bsp_tss __aligned(128);

/* Options of the boot sequence itself (Xen's names). */
static char sched_name[16] = "credit";
OPTION_STR("sched", sched_name);
static unsigned int max_cpus = NR_CPUS;
OPTION_UINT("maxcpus", max_cpus);
/* Deliberate hypervisor fault after boot, to exercise the trap report. */
static char test_fault[8];
OPTION_STR("test_fault", test_fault);

/* The boot allocator: free RAM below 4 GiB not yet given to the heap. */
static struct memmap boot_free;

void start_boot_domains(void);

static void cmdline_warn(const char *what, const char *name, const char *value)
{
    pr_warn("cmdline: %s '%s%s%s' ignored\n", what, name, *value ? "=" : "", value);
}

int cmdline_parse(const char *cmdline)
{
    return cmdline_parse_table(cmdline, __options_start, __options_end, cmdline_warn);
}

static paddr_t boot_alloc_page(void)
{
    return memmap_alloc(&boot_free, PAGE_SIZE, PAGE_SIZE, GiB(4));
}

static void serial_irq(unsigned int irq, struct cpu_user_regs *regs)
{
    int c;

    (void)irq;
    (void)regs;
    while ((c = uart_getc()) >= 0)
        console_rx_from_irq((char)c);
}

static void print_boot_info(void)
{
    const struct memmap *fw = &boot_info.fw_map;

    pr_info("command line: %s\n", boot_info.cmdline);
    pr_info("physical memory map:\n");
    for (unsigned int i = 0; i < fw->nr; i++)
        pr_info("  %016lx - %016lx %s\n", fw->r[i].start, fw->r[i].end,
                memmap_type_name(fw->r[i].type));
    pr_info("%u boot module%s\n", boot_info.nr_modules, boot_info.nr_modules == 1 ? "" : "s");
    for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
        const struct boot_module *m = &boot_info.mod[i];
        pr_info("  module %u: %#lx-%#lx (%lu KiB) '%s'\n", i, m->start, m->end,
                (m->end - m->start) >> 10, m->cmdline);
    }
    pr_info("options: sched=%s maxcpus=%u\n", sched_name, max_cpus);
}

/* Free RAM for the boot allocator: firmware RAM minus everything in use. */
static void init_boot_allocator(void)
{
    paddr_t img_start = (paddr_t)__image_start - HYP_IMAGE_OFFSET;
    paddr_t img_end = (paddr_t)__image_end - HYP_IMAGE_OFFSET;

    if (memmap_free_ram(&boot_info.fw_map, &boot_free))
        panic("mm: firmware memory map too fragmented");
    /* Real-mode area: BIOS data, the AP trampoline, the loader's tables. */
    memmap_reserve(&boot_free, 0, MiB(1));
    memmap_reserve(&boot_free, img_start, PAGE_ALIGN(img_end));
    for (unsigned int i = 0; i < boot_info.nr_modules; i++)
        memmap_reserve(&boot_free, boot_info.mod[i].start & PAGE_MASK,
                       PAGE_ALIGN(boot_info.mod[i].end));
}

static void run_test_fault(void)
{
    if (!test_fault[0])
        return;
    pr_info("test_fault=%s: faulting on purpose\n", test_fault);
    deliberate_fault(test_fault);
    pr_warn("test_fault=%s: unknown kind (pf, ud, gp, de)\n", test_fault);
}

__noreturn void idle_loop(void)
{
    unsigned int cpu = smp_processor_id();

    for (;;) {
        local_irq_disable();
        if (softirq_pending(cpu)) {
            local_irq_enable();
            do_softirq(); /* may switch to a guest and never come back */
            continue;
        }
        this_cpu()->idle_halts++;
        safe_halt();
    }
}

__noreturn void start_hypervisor(uint32_t magic, uint32_t mbi)
{
    struct percpu *bsp = &percpu[0];
    struct cpu_info *ci = stack_cpu_info(boot_stack);
    uint64_t ram;

    ci->cpu = 0;
    ci->pcpu = bsp;
    bsp->stack = boot_stack;
    bsp->gdt = bsp_gdt;
    bsp->tss = &bsp_tss;
    idt_init();
    desc_init_cpu(bsp);
    pv_syscall_init_cpu(0);
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);

    console_init();
    printk_raw("\nParavane hypervisor, Xen PV ABI %d.%d\n", __XEN_LATEST_INTERFACE_VERSION__ >> 16,
               (__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff);
    if (multiboot_parse(magic, mbi))
        panic("cannot boot without the boot loader's information");
    cmdline_parse(boot_info.cmdline);
    print_boot_info();

    init_boot_allocator();
    ram = memmap_total(&boot_info.fw_map, MEM_RAM);
    paging_init(&boot_info.fw_map, boot_alloc_page);
    page_alloc_init(&boot_free, memmap_top(&boot_info.fw_map, MEM_RAM), ram);
    paging_use_heap();
    pv_mm_init();

    if (acpi_init())
        panic("no ACPI tables: cannot find the CPUs and interrupt controllers");
    apic_map(acpi_info.lapic_base);
    bsp->apic_id = apic_id();
    apic_init_cpu(true);
    ioapic_init();
    time_calibrate();
    guest_time_init();
    timer_init_cpu();
    bsp->online = true;
    cpu_online_map = 1;

    console_rx_init();
    set_irq_handler(COM1_IRQ, serial_irq);
    ioapic_route_isa_irq(COM1_IRQ, IRQ_VECTOR_BASE + COM1_IRQ, bsp->apic_id);
    uart_enable_rx_irq();
    local_irq_enable();
    pci_mmcfg_init();
    pci_scan_log();

    smp_boot_cpus(max_cpus ? max_cpus : 1);
    timer_selftest();
    scheduler_init(sched_name);
    domains_init();
    trace_init();
    heap_print_totals(LOG_INFO);
    run_test_fault();

    printk_raw("paravane: ready cpus=%u memory=%luMiB\n", num_online_cpus(), ram >> 20);
    start_boot_domains();
    idle_loop();
}
