/*
 * The PV test-kernel framework: console output, a registry of test cases,
 * checks that count passes and failures, and trap capture.
 *
 * A test kernel defines cases with PVTEST(name) { ... } and links this
 * library; guest_main() runs every case in link order and prints the
 * verdict line "pvtest <kernel>: N passed, N failed", then shuts down.
 */
#ifndef PVTEST_H
#define PVTEST_H

#include "hypercall.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pvtest_case {
    const char *name;
    void (*fn)(void);
};

#define PVTEST(n)                                                                                  \
    static void pvtest_##n(void);                                                                  \
    static const struct pvtest_case pvtest_case_##n                                                \
        __attribute__((used, section(".tests"), aligned(8))) = {#n, pvtest_##n};                   \
    static void pvtest_##n(void)

/* The test kernel's name, for the verdict line (defined by each kernel). */
extern const char pvtest_kernel_name[];
extern start_info_t *start_info;

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Where printk's text goes when set (a kernel's own console); console_io if NULL. */
extern void (*pvtest_console_write)(const char *s, unsigned int n);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
const char *cmdline_option(const char *name); /* value after "name=", or NULL */
unsigned long parse_num(const char *s);       /* leading decimal digits; NULL -> 0 */

/* A check: counted, and printed when it fails (with the line). */
void pvtest_check(bool ok, const char *expr, const char *file, int line);
#define CHECK(e) pvtest_check(!!(e), #e, __FILE__, __LINE__)
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long _a = (long)(a), _b = (long)(b);                                                       \
        if (_a != _b)                                                                              \
            printk("  %s = %ld (%#lx), expected %s = %ld (%#lx)\n", #a, _a, _a, #b, _b, _b);       \
        pvtest_check(_a == _b, #a " == " #b, __FILE__, __LINE__);                                  \
    } while (0)

/*
 * Trap capture. trap_expect() arms the capture; the next exception is
 * recorded in `last_trap` and execution resumes at the label passed as
 * `resume` (the faulting context's rip is replaced), through the iret
 * hypercall. An unexpected trap is a failure and ends the kernel.
 */
struct trap_record {
    unsigned int vector;
    unsigned long error_code; /* ~0 when the vector has none */
    unsigned long rip, cs, rflags, rsp, ss;
    unsigned long saved_mask; /* bits 32-39 of the CS slot */
    unsigned int count;
};
extern volatile struct trap_record last_trap;
void traps_init(void);
void trap_expect(void *resume);
/* The same, resuming on the flat kernel CS and SS whatever the trapped
 * context had (a test that returned to a bad selector on purpose). */
void trap_expect_flat(void *resume);
/* A handler for one vector only (0x80, for instance), DPL given. */
void trap_set(unsigned int vector, void (*entry)(void), unsigned int dpl);

/* Run fn in guest user mode, on a stack of its own, until it comes back
 * with USER_EXIT() (int $0x81, set up here). */
void run_user(void (*fn)(void));
/*
 * The pieces under run_user (lib/traps.S), for a guest that enters user
 * mode its own way: ctx_save returns 0, and 1 when ctx_restore comes back
 * to it; enter_user goes to fn in user mode on stack sp, events on.
 */
struct jmp_ctx {
    unsigned long regs[8];
};
int ctx_save(struct jmp_ctx *c);
void ctx_restore(struct jmp_ctx *c) __attribute__((noreturn));
void enter_user(void (*fn)(void), unsigned long sp) __attribute__((noreturn));
#define USER_EXIT() __asm__ volatile("int $0x81" ::: "memory")

void pvtest_shutdown(unsigned int reason) __attribute__((noreturn));
/* The verdict line, then the end (as after the last case): for a test
 * that cannot return to the case loop. */
void pvtest_finish(void) __attribute__((noreturn));
/* With wait=N: the shared info and the port VIRQ_DOM_EXC is bound to; else NULL. */
struct shared_info *pvtest_dom_exc(evtchn_port_t *port);
/* Failed checks so far. */
unsigned int pvtest_failures(void);

/*
 * Run `insn` (with optional input operands) expecting one trap; execution
 * resumes just after. The instruction may clobber rax, rdx and r8.
 */
#define EXPECT_TRAP(insn, ...)                                                                     \
    do {                                                                                           \
        __label__ resumed;                                                                         \
        trap_expect(&&resumed);                                                                    \
        __asm__ goto(insn ::__VA_ARGS__ : "memory", "rax", "rdx", "r8" : resumed);                 \
        pvtest_check(false, "trap taken: " insn, __FILE__, __LINE__);                              \
    resumed:;                                                                                      \
    } while (0)

#endif
