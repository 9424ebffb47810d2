/*
 * panic() and failed assertions: report, stop every CPU, end the machine
 * with a failure status. Nothing here may allocate or take a lock that the
 * failing code could hold (the console lock is stolen).
 */
#include "asm/processor.h"
#include "asm/traps.h"
#include "console.h"
#include "lib.h"
#include "machine.h"
#include "percpu.h"

static char die_msg[256];

static __noreturn void die(const char *what, const char *msg)
{
    unsigned long rbp;

    local_irq_disable();
    console_force_unlock();
    console_set_threshold(LOG_ALL);
    console_lock();
    printk_lvl(LOG_ERR, "****************************************\n");
    printk_lvl(LOG_ERR, "%s on CPU %u: %s\n", what, smp_processor_id(), msg);
    __asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
    show_backtrace((unsigned long)__builtin_return_address(0), rbp);
    printk_lvl(LOG_ERR, "****************************************\n");
    console_unlock();
    machine_halt(EXIT_FAILURE_STATUS);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    local_irq_disable();
    va_start(ap, fmt);
    vsnprintf(die_msg, sizeof(die_msg), fmt, ap);
    va_end(ap);
    die("PANIC", die_msg);
}

void assert_failed(const char *expr, const char *file, int line)
{
    local_irq_disable();
    snprintf(die_msg, sizeof(die_msg), "'%s' at %s:%d", expr, file, line);
    die("ASSERTION FAILED", die_msg);
}
