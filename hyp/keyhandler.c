/*
 * Debug keys (see keyhandler.h). The handlers are gathered by the linker
 * from every KEYHANDLER() declaration; the ones here are the core set:
 * h (help), d (registers of every CPU), m (memory), t (timers),
 * R (restart), C (deliberate crash, to test the fatal-trap path).
 */
#include "keyhandler.h"
#include "asm/processor.h"
#include "asm/traps.h"
#include "console.h"
#include "lib.h"
#include "machine.h"
#include "mm/page_alloc.h"
#include "mm/xmalloc.h"
#include "percpu.h"
#include "smp.h"
#include "timer.h"

extern const struct keyhandler __keyhandlers_start[], __keyhandlers_end[];

/* The handlers the linker gathered, as one array. */
static size_t nr_keyhandlers(void)
{
    return ((uintptr_t)__keyhandlers_end - (uintptr_t)__keyhandlers_start) /
           sizeof(struct keyhandler);
}

void handle_keypress(char c)
{
    const struct cpu_user_regs *regs = current_irq_regs();

    for (size_t i = 0; i < nr_keyhandlers(); i++) {
        const struct keyhandler *k = &__keyhandlers_start[i];
        if (k->key == c) {
            printk_lvl(LOG_ERR, "'%c' pressed -> %s\n", c, k->desc);
            k->fn(c, regs);
            return;
        }
    }
}

static void key_help(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    for (size_t i = 0; i < nr_keyhandlers(); i++)
        printk_lvl(LOG_ERR, " key '%c': %s\n", __keyhandlers_start[i].key,
                   __keyhandlers_start[i].desc);
}
KEYHANDLER('h', key_help, "show this help");

/* The registers of this very place: the CPU handling the key has no
 * interrupted context to show (keys run in a softirq), so it shows this. */
static void __attribute__((noinline)) snapshot_here(struct cpu_user_regs *r)
{
    memset(r, 0, sizeof(*r));
    __asm__ volatile("lea 0(%%rip), %0" : "=r"(r->rip));
    r->rsp = (unsigned long)__builtin_frame_address(0);
    r->rbp = (unsigned long)__builtin_frame_address(0);
    r->rflags = local_save_flags();
    r->cs = HYP_CS;
    r->ss = HYP_DS;
}

static void dump_this_cpu(void *unused)
{
    const struct cpu_user_regs *regs = current_irq_regs();
    struct cpu_user_regs here;

    (void)unused;
    if (!regs) {
        snapshot_here(&here);
        regs = &here;
    }
    console_lock();
    printk_lvl(LOG_ERR, "*** CPU %u (APIC id %u) state ***\n", smp_processor_id(),
               this_cpu()->apic_id);
    show_registers(regs);
    console_unlock();
}

static void key_registers(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    on_selected_cpus(cpu_online_map, dump_this_cpu, NULL, true);
}
KEYHANDLER('d', key_registers, "dump registers of every CPU");

static void key_memory(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    heap_dump();
    xmalloc_dump();
}
KEYHANDLER('m', key_memory, "memory info");

static void key_timers(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    timer_dump();
}
KEYHANDLER('t', key_timers, "dump timer queues");

static void key_restart(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    machine_restart();
}
KEYHANDLER('R', key_restart, "reboot machine");

static void key_crash(char key, const struct cpu_user_regs *regs)
{
    (void)key;
    (void)regs;
    deliberate_fault("pf");
}
KEYHANDLER('C', key_crash, "trigger a hypervisor crash (fatal page fault)");
