/*
 * Application-processor start-up (INIT-SIPI-SIPI).
 *
 * For each CPU the MADT lists, the BSP allocates the CPU's stack block,
 * GDT and TSS, fills the trampoline parameter block and wakes the CPU; the
 * CPU announces itself by setting its bit in cpu_online_map. One CPU is
 * started at a time because they share the trampoline.
 */
#include "acpi.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/layout.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "asm/pv_traps.h"
#include "console.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/xmalloc.h"
#include "paging.h"
#include "smp.h"
#include "time.h"
#include "timer.h"

struct trampoline_params {
    uint64_t cr3, efer, stack, entry, cpu;
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
extern const char ap_entry64[];
extern char boot_pml4[];

#define GDT_ORDER           4 /* 16 pages */
#define AP_START_TIMEOUT_US 1000000

#include "context.h"

/* First C code on an AP, on its own stack, on the idle page tables. */
__noreturn void ap_start(unsigned int cpu)
{
    struct percpu *pc = &percpu[cpu];

    desc_init_cpu(pc);
    pv_syscall_init_cpu(cpu);
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    apic_init_cpu(false);
    timer_init_cpu();
    pc->online = true;
    __atomic_fetch_or(&cpu_online_map, 1ULL << cpu, __ATOMIC_SEQ_CST);
    idle_loop();
}

/* Set up what an AP needs before it runs its first instruction. */
static int prepare_cpu(unsigned int cpu, uint32_t apic_id)
{
    struct percpu *pc = &percpu[cpu];
    struct cpu_info *ci;

    pc->cpu = cpu;
    pc->apic_id = apic_id;
    pc->stack = alloc_xenheap_pages(STACK_ORDER);
    pc->gdt = alloc_xenheap_pages(GDT_ORDER);
    pc->tss = xzalloc(struct tss);
    if (!pc->stack || !pc->gdt || !pc->tss) {
        free_xenheap_pages(pc->stack, STACK_ORDER);
        free_xenheap_pages(pc->gdt, GDT_ORDER);
        xfree(pc->tss);
        return -1;
    }
    ci = stack_cpu_info(pc->stack);
    memset(ci, 0, sizeof(*ci));
    ci->cpu = cpu;
    ci->pcpu = pc;
    return 0;
}

static bool start_cpu(unsigned int cpu)
{
    struct percpu *pc = &percpu[cpu];
    struct trampoline_params *tp =
        __va(TRAMPOLINE_PHYS + ((uintptr_t)trampoline_params - (uintptr_t)trampoline_start));

    tp->cr3 = __pa(boot_pml4);
    tp->efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_SCE | EFER_NXE);
    tp->stack = (uint64_t)stack_cpu_info(pc->stack);
    tp->entry = (uint64_t)ap_entry64;
    tp->cpu = cpu;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    apic_wakeup_ap(pc->apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
    for (unsigned long waited = 0; waited < AP_START_TIMEOUT_US; waited += 100) {
        if (__atomic_load_n(&cpu_online_map, __ATOMIC_ACQUIRE) & (1ULL << cpu))
            return true;
        udelay(100);
    }
    return false;
}

void smp_boot_cpus(unsigned int max_cpus)
{
    uint32_t bsp = apic_id();
    unsigned int next = 1;

    memcpy(__va(TRAMPOLINE_PHYS), trampoline_start,
           (uintptr_t)trampoline_end - (uintptr_t)trampoline_start);
    for (unsigned int i = 0; i < acpi_info.nr_cpus; i++) {
        uint32_t id = acpi_info.cpu_apic_id[i];

        if (id == bsp)
            continue;
        if (next >= max_cpus || next >= NR_CPUS) {
            pr_info("smp: CPU with APIC id %u not started (maxcpus=%u)\n", id, max_cpus);
            continue;
        }
        if (prepare_cpu(next, id)) {
            pr_err("smp: no memory to start APIC id %u\n", id);
            break;
        }
        if (!start_cpu(next)) {
            pr_err("smp: APIC id %u did not come up\n", id);
            continue;
        }
        pr_debug("smp: CPU %u (APIC id %u) online\n", next, id);
        next++;
    }
    nr_cpu_ids = next;
}
