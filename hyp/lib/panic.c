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

static __noreturn void die(const char *what, const char *fmt, va_list ap)
{
    char buf[256];
    unsigned long rbp;

    local_irq_disable();
    vsnprintf(buf, sizeof(buf), fmt, ap);
    console_force_unlock();
    console_set_threshold(LOG_ALL);
    console_lock();
    printk_lvl(LOG_ERR, "****************************************\n");
    printk_lvl(LOG_ERR, "%s on CPU %u: %s\n", what, smp_processor_id(), buf);
    __asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
    show_backtrace((unsigned long)__builtin_return_address(0), rbp);
    printk_lvl(LOG_ERR, "****************************************\n");
    console_unlock();
    machine_halt(EXIT_FAILURE_STATUS);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    die("PANIC", fmt, ap);
}

static __noreturn void assert_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    die("ASSERTION FAILED", fmt, ap);
}

void assert_failed(const char *expr, const char *file, int line)
{
    assert_fmt("'%s' at %s:%d", expr, file, line);
}
