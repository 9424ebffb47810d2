/*
 * TSC clock and APIC timer calibration against the PIT (channel 2, gated
 * through port 0x61, so no interrupt is needed).
 */
#include "asm/apic.h"
#include "asm/processor.h"
#include "asm/traps.h"
#include "console.h"
#include "lib.h"
#include "time.h"

#define PIT_HZ       1193182
#define CALIBRATE_MS 20

static uint64_t boot_tsc;
static uint64_t tsc_hz, apic_hz;
static uint64_t tsc_to_ns_mul; /* 32.32: ns per TSC tick */
/* The same conversion in pvclock form, used for NOW() and given to guests. */
static uint32_t pv_mul;
static int8_t pv_shift;
static uint64_t ns_to_apic_mul; /* 32.32: APIC ticks per ns */

static uint64_t scale(uint64_t v, uint64_t mul)
{
    return (uint64_t)(((unsigned __int128)v * mul) >> 32);
}

static uint64_t pv_scale(uint64_t delta)
{
    if (pv_shift >= 0)
        delta <<= pv_shift;
    else
        delta >>= -pv_shift;
    return (uint64_t)(((unsigned __int128)delta * pv_mul) >> 32);
}

s_time_t tsc_to_s_time(uint64_t tsc)
{
    if (!pv_mul || tsc < boot_tsc)
        return 0;
    return (s_time_t)pv_scale(tsc - boot_tsc);
}

s_time_t get_s_time(void)
{
    return tsc_to_s_time(rdtsc());
}

void time_guest_scale(uint32_t *mul, int8_t *shift)
{
    *mul = pv_mul;
    *shift = pv_shift;
}

uint64_t tsc_khz(void)
{
    return tsc_hz / 1000;
}

uint64_t apic_timer_khz(void)
{
    return apic_hz / 1000;
}

uint32_t ns_to_apic_ticks(s_time_t ns)
{
    uint64_t t;

    if (ns <= 0)
        return 1;
    t = scale((uint64_t)ns, ns_to_apic_mul);
    if (t == 0)
        return 1;
    return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

void udelay(unsigned long us)
{
    uint64_t start = rdtsc(), ticks;

    /* Before calibration, assume a fast TSC: waits err on the long side. */
    ticks = tsc_hz ? us * (tsc_hz / 1000000) : us * 4000;
    while (rdtsc() - start < ticks)
        cpu_relax();
}

/*
 * One PIT period of CALIBRATE_MS: the TSC and APIC timer ticks it took.
 * Returns the TSC at its start.
 */
static uint64_t measure(uint64_t *tsc_ticks, uint32_t *apic_ticks)
{
    const uint32_t pit_count = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t t0, t1;
    uint32_t a0, a1;
    uint8_t gate;

    /* Channel 2 gate on, speaker off; mode 0 (interrupt on terminal count). */
    gate = inb(0x61);
    outb(0x61, (uint8_t)((gate & ~0x02) | 0x01));
    outb(0x43, 0xb0);
    outb(0x42, (uint8_t)(pit_count & 0xff));
    outb(0x42, (uint8_t)(pit_count >> 8));

    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    apic_write(APIC_TMICT, UINT32_MAX);
    a0 = apic_read(APIC_TMCCT);
    t0 = rdtsc();
    /* A read of port 0x61 is an exit to the device model under an
     * emulator, and so is a pause under QEMU (it leaves the CPU loop):
     * under icount, 3 x 20 ms of reads and pauses took close to a minute
     * of host time. Between reads, a plain loop of a few hundred
     * instructions: the end is seen that much late at most, in 20 ms. */
    while (!(inb(0x61) & 0x20))
        for (int i = 0; i < 128; i++)
            __asm__ volatile("" ::: "memory");
    t1 = rdtsc();
    a1 = apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* back to one-shot, unmasked */
    outb(0x61, gate);
    *tsc_ticks = t1 - t0;
    *apic_ticks = a0 - a1;
    return t0;
}

/*
 * Under an emulator on a loaded host one period can come out many times
 * too long (a run once measured the TSC at 12 times its rate, and every
 * guest's clock ran 12 times slow): of a few periods, the shortest is
 * taken, since a stall can only lengthen one.
 */
void time_calibrate(void)
{
    uint64_t t0 = 0, ticks = UINT64_MAX;
    uint32_t aticks = 0;

    for (int i = 0; i < 3; i++) {
        uint64_t t, start;
        uint32_t a;

        start = measure(&t, &a);
        if (t < ticks) {
            ticks = t;
            aticks = a;
        }
        if (!t0)
            t0 = start;
    }
    tsc_hz = ticks * 1000 / CALIBRATE_MS;
    apic_hz = (uint64_t)aticks * 1000 / CALIBRATE_MS;
    if (!tsc_hz || !apic_hz)
        panic("time: calibration failed (tsc %lu Hz, apic %lu Hz)", tsc_hz, apic_hz);
    tsc_to_ns_mul = ((uint64_t)1000000000 << 32) / tsc_hz;
    /* Normalise the multiplier into [2^31, 2^32) with a binary shift. */
    {
        uint64_t m = tsc_to_ns_mul;
        int shift = 0;
        while (m >= (1ULL << 32)) {
            m >>= 1;
            shift++;
        }
        while (m < (1ULL << 31)) {
            m <<= 1;
            shift--;
        }
        pv_mul = (uint32_t)m;
        pv_shift = (int8_t)shift;
    }
    ns_to_apic_mul = (apic_hz << 32) / 1000000000;
    boot_tsc = t0;
    pr_info("time: TSC %lu.%03lu MHz, APIC timer %lu.%03lu MHz\n", tsc_hz / 1000000,
            (tsc_hz / 1000) % 1000, apic_hz / 1000000, (apic_hz / 1000) % 1000);
}
