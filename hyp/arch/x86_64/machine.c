/*
 * Machine shutdown, restart and the test exit path (see machine.h).
 */
#include "machine.h"
#include "acpi.h"
#include "asm/processor.h"
#include "console.h"
#include "lib.h"
#include "smp.h"

#define DEBUG_EXIT_PORT 0xf4
#define KBC_CMD_PORT    0x64
#define KBC_CMD_RESET   0xfe

static volatile bool stopping;

bool machine_is_stopping(void)
{
    return stopping;
}

void cpu_stop_self(void)
{
    local_irq_disable();
    for (;;)
        halt();
}

static void stop_others(void)
{
    if (!__atomic_exchange_n(&stopping, true, __ATOMIC_SEQ_CST))
        smp_send_stop();
}

static void kbc_reset(void)
{
    for (int i = 0; i < 0x10000 && (inb(KBC_CMD_PORT) & 0x02); i++)
        cpu_relax();
    outb(KBC_CMD_PORT, KBC_CMD_RESET);
}

static __noreturn void triple_fault(void)
{
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __packed empty_idt = {0, 0};

    __asm__ volatile("lidt %0; int3" ::"m"(empty_idt));
    cpu_stop_self();
}

void machine_halt(int status)
{
    local_irq_disable();
    stop_others();
    printk_raw("paravane: machine halted, status %d\n", status);
    outb(DEBUG_EXIT_PORT, (uint8_t)status);
    acpi_poweroff();
    kbc_reset();
    triple_fault();
}

void machine_restart(void)
{
    local_irq_disable();
    stop_others();
    printk_raw("paravane: restarting\n");
    kbc_reset();
    triple_fault();
}
