/*
 * pvtest edges: what a PV guest sees at the edges of the ABI, case by case
 * as Xen 4.17 behaves: the error code of a bounced fault, exceptions and
 * software interrupts with no handler, and the same from guest user mode.
 */
#include "lib/pvtest.h"
#include <xen/callback.h>
#include <xen/errno.h>

const char pvtest_kernel_name[] = "edges";

#define BAD_LOW  0xdead000UL          /* unmapped guest address */
#define BAD_HOLE 0xffff830000000000UL /* the hypervisor's direct map */

/* Guest user mode: run fn on its own stack; `int $0x81` comes back. */
struct jmp_ctx {
    unsigned long regs[8];
};
int ctx_save(struct jmp_ctx *c);
void ctx_restore(struct jmp_ctx *c) __attribute__((noreturn));
void enter_user(void (*fn)(void), unsigned long sp) __attribute__((noreturn));
extern void user_exit_entry(void);

static struct jmp_ctx kernel_ctx;
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));

void user_exit(void)
{
    ctx_restore(&kernel_ctx);
}

__asm__(".text\n"
        "user_exit_entry:\n"
        "  and $-16, %rsp\n"
        "  call user_exit\n");

#define USER_EXIT() __asm__ volatile("int $0x81" ::: "memory")

static void run_user(void (*fn)(void))
{
    HYPERVISOR_stack_switch(0xe02b, (unsigned long)kernel_stack + sizeof(kernel_stack));
    trap_set(0x81, user_exit_entry, 3);
    if (!ctx_save(&kernel_ctx))
        enter_user(fn, (unsigned long)user_stack + sizeof(user_stack));
}

/* What user-mode code saw, checked back in kernel mode. */
static volatile struct trap_record user_traps[4];

static void keep_user_trap(unsigned int i)
{
    user_traps[i] = last_trap;
}

/*
 * #PF: the error code is the hardware's for the guest's access, with U
 * saying which guest mode faulted (both run in ring 3), as Xen sets it.
 */
PVTEST(page_fault_error_code_kernel)
{
    EXPECT_TRAP("movq (%0), %%rax", "r"(BAD_LOW));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 0); /* not present, read, supervisor */
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_LOW));
    CHECK_EQ(last_trap.error_code, 2); /* not present, write */
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_HOLE));
    CHECK_EQ(last_trap.error_code, 3); /* present (the hypervisor's), write */
}

static void user_page_faults(void)
{
    EXPECT_TRAP("movq (%0), %%rax", "r"(BAD_LOW));
    keep_user_trap(0);
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_HOLE));
    keep_user_trap(1);
    USER_EXIT();
}

PVTEST(page_fault_error_code_user)
{
    run_user(user_page_faults);
    CHECK_EQ(user_traps[0].vector, 14);
    CHECK_EQ(user_traps[0].error_code, 4); /* not present, read, user */
    CHECK_EQ(user_traps[0].cs, 0xe033);
    CHECK_EQ(user_traps[1].vector, 14);
    CHECK_EQ(user_traps[1].error_code, 7); /* present, write, user */
}
