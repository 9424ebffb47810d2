/*
 * Softirqs: per-CPU work deferred out of interrupt context and hypercalls,
 * run at two points only, the idle loop and the return path to a guest,
 * where no lock is held and the stack is shallow.
 */
#ifndef PARAVANE_SOFTIRQ_H
#define PARAVANE_SOFTIRQ_H

#include "types.h"

enum softirq {
    SCHEDULE_SOFTIRQ,    /* ask the scheduler what to run next */
    DOMAIN_REAP_SOFTIRQ, /* free domains that finished dying (CPU 0) */
    TRACE_SOFTIRQ,       /* tell dom0 a trace buffer is half full (VIRQ_TBUF) */
    SERIAL_RX_SOFTIRQ,   /* characters from the serial line (console.c) */
    NR_SOFTIRQS
};

typedef void (*softirq_handler_t)(void);
void open_softirq(enum softirq nr, softirq_handler_t fn);

/* Mark work for this CPU. */
void raise_softirq(enum softirq nr);
/* Mark work for `cpu`, and interrupt it if it is another CPU. */
void cpu_raise_softirq(unsigned int cpu, enum softirq nr);
bool softirq_pending(unsigned int cpu);
/* Each CPU's pending bits; read directly by the system-call fast path. */
extern unsigned long softirq_pending_mask[];

/* Run pending softirqs on this CPU. Interrupts enabled on entry and exit. */
void do_softirq(void);

#endif
