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

/* System time at TSC value `tsc`, and the scale that computes it (the
 * pvclock form: ns = ((delta << shift or >> -shift) * mul) >> 32). */
s_time_t tsc_to_s_time(uint64_t tsc);
void time_guest_scale(uint32_t *mul, int8_t *shift);

/* The CMOS clock, seconds since the epoch (0 if it reads as nonsense). */
uint64_t rtc_seconds_since_epoch(void);
struct domain;
/* A guest's access to the RTC ports (0x70, 0x71): false if not one of them. */
bool rtc_guest_port_read(struct domain *d, uint16_t port, unsigned int size, unsigned long *val);
bool rtc_guest_port_write(struct domain *d, uint16_t port, unsigned int size, unsigned long val);

struct domain;
struct vcpu;
/* Guest time (guest_time.c). */
void guest_time_init(void);
void guest_time_init_domain(struct domain *d);
/* Republish d's wallclock (its time offset changed). */
void guest_time_update_wallclock(struct domain *d);
/* XENPF_settime: the wallclock reads `secs` at system time `system_time`. */
void guest_time_set_wallclock(uint64_t secs, uint64_t system_time);
void update_vcpu_system_time(struct vcpu *v);
void guest_timers_init(struct vcpu *v);
/* Move v's guest timers to the pCPU it is about to run on. */
void guest_timers_migrate(struct vcpu *v, unsigned int cpu);
void guest_timers_stop(struct vcpu *v);
/* For good, as v is freed: a callback running elsewhere has returned. */
void guest_timers_kill(struct vcpu *v);

#endif
