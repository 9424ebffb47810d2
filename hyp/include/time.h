/*
 * System time: nanoseconds since boot, from the TSC.
 *
 * The TSC and the local APIC timer are calibrated once against the PIT.
 * Conversions use 32.32 fixed-point multipliers (no floating point in the
 * hypervisor): ns = ticks * mul >> 32.
 */
#ifndef PARAVANE_TIME_H
#define PARAVANE_TIME_H

#include "types.h"

#define MILLISECS(ms) ((s_time_t)(ms)*1000000)
#define MICROSECS(us) ((s_time_t)(us)*1000)
#define SECONDS(s)    ((s_time_t)(s)*1000000000)

/* Calibrate TSC and APIC timer (BSP, once, APIC mapped). */
void time_calibrate(void);

s_time_t get_s_time(void);
#define NOW() get_s_time()

void udelay(unsigned long us);

uint64_t tsc_khz(void);
uint64_t apic_timer_khz(void);

/* APIC timer ticks for a delay of `ns`, clamped to the 32-bit counter. */
uint32_t ns_to_apic_ticks(s_time_t ns);

#endif
