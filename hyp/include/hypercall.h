/*
 * Hypercall dispatch: handler prototypes generated from
 * hypercall-abi/hypercalls.def, and the entry point the syscall path and
 * multicall share.
 */
#ifndef PARAVANE_HYPERCALL_H
#define PARAVANE_HYPERCALL_H

#include "types.h"

typedef unsigned long guest_ptr_t;

#define HYPERCALL0(n)                long do_##n(void);
#define HYPERCALL1(n, a)             long do_##n(a);
#define HYPERCALL2(n, a, b)          long do_##n(a, b);
#define HYPERCALL3(n, a, b, c)       long do_##n(a, b, c);
#define HYPERCALL4(n, a, b, c, d)    long do_##n(a, b, c, d);
#define HYPERCALL5(n, a, b, c, d, e) long do_##n(a, b, c, d, e);
#include "../../hypercall-abi/hypercalls.def"

/*
 * Run hypercall `nr` with the raw argument words, counting it in
 * counts[nr] (the caller's vCPU's table of direct or multicall calls,
 * PARAVANE_PERFC_HYPERCALLS long; numbers past it count in its last slot).
 * Unknown numbers return -XEN_ENOSYS (logged once per number). Interrupts
 * enabled.
 */
long hypercall_dispatch(unsigned long nr, const unsigned long args[5], uint64_t *counts);

/*
 * Long hypercalls are preemptible, as on Xen: one that has done a bounded
 * share of its work and finds hypercall_preempt_check() true (or has
 * reached its own bound) records what is left as new arguments with
 * hypercall_create_continuation() and returns. The guest is then left to
 * issue the hypercall again with those arguments: its rip goes back over
 * the 2-byte SYSCALL (Linux's own or the hypercall page's) and rax is the
 * hypercall number again, or, inside a multicall, the entry is rewritten
 * and the multicall continues from it.
 */
bool hypercall_preempt_check(void);
void hypercall_create_continuation(unsigned long op, unsigned int nr_args,
                                   const unsigned long *args);

/* Trace buffers went on or off (trace.c): hypercalls record themselves while on. */
void hypercall_set_tracing(bool on);
/* Set while hypercalls must take the slow path (read by syscall_fast.S too). */
extern bool hypercall_slow_path;

/* Name of a hypercall number, for logs ("#42" style when unknown). */
const char *hypercall_name(unsigned long nr);

/*
 * Hypercalls that do not return to their caller (iret) set this so the
 * entry path leaves the guest's registers alone instead of writing rax.
 */
void hypercall_set_noreturn(void);
/* Read and clear that mark (the entry path). */
bool hypercall_clear_noreturn(void);

#endif
