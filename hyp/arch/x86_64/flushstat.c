/*
 * The MMU counters (see flushstat.h) and debug key 'f', which prints them
 * per pCPU and summed, one line each, in a form the bench parses:
 *
 *   flushstat cpu0 cr3=N flush=N hflush=N invlpg=N ksw=N bounce=N
 *   flushstat total cr3=N flush=N hflush=N invlpg=N ksw=N bounce=N
 *
 * The counts only grow (64-bit: they do not wrap in any run); a reader
 * wanting one operation's share takes the difference of two prints.
 */
#include "flushstat.h"
#include "console.h"
#include "keyhandler.h"
#include "lib.h"
#include "smp.h"

struct flushstat flushstat[NR_CPUS];

static const char *const names[FS_NR] = {
    [FS_CR3] = "cr3",       [FS_FLUSH] = "flush", [FS_HFLUSH] = "hflush",
    [FS_INVLPG] = "invlpg", [FS_KSW] = "ksw",     [FS_BOUNCE] = "bounce",
};

static void print_line(const char *who, unsigned int cpu, const uint64_t *n)
{
    char buf[160];
    size_t len = (size_t)snprintf(buf, sizeof(buf), "flushstat %s", who);

    if (cpu < NR_CPUS && len < sizeof(buf))
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u", cpu);
    for (unsigned int e = 0; e < FS_NR && len < sizeof(buf); e++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s=%lu", names[e],
                                (unsigned long)n[e]);
    printk_lvl(LOG_ERR, "%s\n", buf);
}

static void key_flushstat(char key, const struct cpu_user_regs *regs)
{
    uint64_t total[FS_NR] = {0};
    unsigned int cpu;

    (void)key;
    (void)regs;
    for_each_online_cpu(cpu)
    {
        uint64_t n[FS_NR];

        for (unsigned int e = 0; e < FS_NR; e++) {
            n[e] = __atomic_load_n(&flushstat[cpu].n[e], __ATOMIC_RELAXED);
            total[e] += n[e];
        }
        print_line("cpu", cpu, n);
    }
    print_line("total", NR_CPUS, total);
}
KEYHANDLER('f', key_flushstat, "MMU counters: CR3 writes, TLB flushes, mode switches, bounces");
