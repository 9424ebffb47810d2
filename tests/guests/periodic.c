/*
 * pvtest periodic: a periodic task as a PV test kernel, the latency-
 * sensitive workload of the experiments (make experiment). Released
 * every period= microseconds (absolute pvclock times, so lateness does
 * not drift the releases), it sleeps in SCHEDOP_poll until the release,
 * runs compute= microseconds of its own CPU time (the running time the
 * hypervisor accounts it, VCPUOP_get_runstate_info), and records its
 * wake-up latency (when it ran, after the release) and whether it
 * finished past the next release (a missed deadline). After count=
 * releases it prints
 *   pvtest periodic: n=N lat_us p50=A p99=B max=C missed=M
 * then every latency ("pvtest periodic-lat: US US ...", 16 a line) and
 * sleeps for good.
 */
#include "lib/pvclock.h"
#include "lib/pvtest.h"
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "periodic";

#define LEAF    0x67UL /* present, writable, user, accessed, dirty */
#define MAX_LAT 65536

static uint8_t si_page[4096] __attribute__((aligned(4096)));
static struct shared_info *si = (struct shared_info *)si_page;
static uint32_t lat_us[MAX_LAT], sorted[MAX_LAT];

static uint64_t running_ns(void)
{
    struct vcpu_runstate_info r;

    if (hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, &r))
        return 0;
    return r.time[RUNSTATE_running];
}

static void sleep_until(uint64_t t)
{
    struct sched_poll p = {.nr_ports = 0, .timeout = t};

    while (pvclock_now(si) < t)
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* " N" at p: its length. */
static unsigned int put_dec(char *p, uint32_t v)
{
    char tmp[10];
    unsigned int n = 0, len = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    p[len++] = ' ';
    while (n)
        p[len++] = tmp[--n];
    return len;
}

/* Sort the first n latencies into `sorted` (insertion into a histogram order). */
static void sort_lat(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++) {
        unsigned long j = i;

        while (j && sorted[j - 1] > lat_us[i]) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = lat_us[i];
    }
}

PVTEST(run)
{
    const char *o;
    uint64_t period = 10000, compute = 1000, count = 500, release;
    unsigned long n = 0, missed = 0;

    if ((o = cmdline_option("period")))
        period = parse_num(o);
    if ((o = cmdline_option("compute")))
        compute = parse_num(o);
    if ((o = cmdline_option("count")))
        count = parse_num(o);
    count = count < MAX_LAT ? count : MAX_LAT;
    CHECK(period > 0 && compute < period);
    CHECK_EQ(hypercall3(__HYPERVISOR_update_va_mapping, si_page, start_info->shared_info | LEAF,
                        UVMF_INVLPG),
             0);
    printk("pvtest periodic: every %lu us, %lu us of work, %lu releases\n", (unsigned long)period,
           (unsigned long)compute, (unsigned long)count);
    period *= 1000;
    compute *= 1000;
    release = pvclock_now(si) + period;
    while (n < count) {
        uint64_t woke, ran;

        sleep_until(release);
        woke = pvclock_now(si);
        ran = running_ns();
        /* Spin in small steps, asking how long we have run. */
        while (running_ns() - ran < compute)
            for (volatile int i = 0; i < 2000; i++)
                ;
        lat_us[n++] = (uint32_t)((woke - release) / 1000);
        if (pvclock_now(si) > release + period)
            missed++;
        release += period;
    }
    sort_lat(n);
    printk("pvtest periodic: n=%lu lat_us p50=%u p99=%u max=%u missed=%lu\n", n,
           sorted[(n - 1) / 2], sorted[(n * 99 + 99) / 100 - 1], sorted[n - 1], missed);
    for (unsigned long i = 0; i < n; i += 16) {
        char line[16 * 11 + 1];
        unsigned int len = 0;

        for (unsigned long j = i; j < n && j < i + 16; j++)
            len += put_dec(line + len, lat_us[j]);
        line[len] = '\0';
        printk("pvtest periodic-lat:%s\n", line);
    }
    for (;;) { /* done: sleep until destroyed */
        struct sched_poll p = {.nr_ports = 0, .timeout = 0};
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    }
}
