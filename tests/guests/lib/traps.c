/*
 * Trap table and trap capture of the PV test kernels (see pvtest.h).
 */
#include "pvtest.h"

volatile struct trap_record last_trap;
static void *volatile resume_at;
static volatile bool resume_flat; /* resume on the flat kernel CS and SS */

#define DECL(v) extern void trap_entry_##v(void)
DECL(0);
DECL(1);
DECL(2);
DECL(3);
DECL(4);
DECL(5);
DECL(6);
DECL(7);
DECL(8);
DECL(9);
DECL(10);
DECL(11);
DECL(12);
DECL(13);
DECL(14);
DECL(16);
DECL(17);
DECL(18);
DECL(19);
#undef DECL

static trap_info_t table[32];

void trap_set(unsigned int vector, void (*entry)(void), unsigned int dpl)
{
    trap_info_t t[2] = {{(uint8_t)vector, (uint8_t)dpl, 0xe033, (unsigned long)entry}, {0}};
    HYPERVISOR_set_trap_table(t);
}

void traps_init(void)
{
    void (*const entries[])(void) = {
        trap_entry_0,  trap_entry_1,  trap_entry_2,  trap_entry_3,  trap_entry_4,
        trap_entry_5,  trap_entry_6,  trap_entry_7,  trap_entry_8,  trap_entry_9,
        trap_entry_10, trap_entry_11, trap_entry_12, trap_entry_13, trap_entry_14,
        trap_entry_16, trap_entry_17, trap_entry_18, trap_entry_19,
    };
    const unsigned int vectors[] = {0,  1,  2,  3,  4,  5,  6,  7,  8, 9,
                                    10, 11, 12, 13, 14, 16, 17, 18, 19};
    unsigned int n = 0;

    for (unsigned int i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        table[n].vector = (uint8_t)vectors[i];
        /* int3 and into may be used from any mode, as on real hardware. */
        table[n].flags = (vectors[i] == 3 || vectors[i] == 4) ? 3 : 0;
        table[n].cs = 0xe033;
        table[n].address = (unsigned long)entries[i];
        n++;
    }
    table[n].address = 0;
    if (HYPERVISOR_set_trap_table(table))
        printk("pvtest: set_trap_table failed\n");
}

void trap_expect(void *resume)
{
    last_trap.count = 0;
    resume_flat = false;
    resume_at = resume;
}

void trap_expect_flat(void *resume)
{
    trap_expect(resume);
    resume_flat = true;
}

void trap_record(unsigned int vector, unsigned long *frame, int has_err)
{
    unsigned long *f = frame + 2 + (has_err ? 1 : 0); /* past RCX, R11, [err] */

    if (!resume_at) {
        printk("pvtest: unexpected trap %u at %#lx (error %#lx), cs %#lx rsp %#lx\n", vector, f[0],
               has_err ? frame[2] : 0UL, f[1], f[3]);
        pvtest_check(false, "no unexpected trap", __FILE__, __LINE__);
        pvtest_shutdown(SHUTDOWN_crash);
    }
    last_trap.vector = vector;
    last_trap.error_code = has_err ? frame[2] : ~0UL;
    last_trap.rip = f[0];
    last_trap.cs = f[1] & 0xffff;
    last_trap.saved_mask = (f[1] >> 32) & 0xff;
    last_trap.rflags = f[2];
    last_trap.rsp = f[3];
    last_trap.ss = f[4];
    last_trap.count++;
    f[0] = (unsigned long)resume_at;
    if (vector == 1)
        f[2] &= ~0x100UL; /* a single step ends where the test resumes */
    if (resume_flat) {
        f[1] = (f[1] & ~0xffffUL) | 0xe030; /* guest kernel CS, RPL 0 in the frame */
        f[4] = 0xe02b;
    }
    resume_at = NULL;
}

/* Guest user mode (run_user in pvtest.h): back through `int $0x81`. */
void user_exit(void);
extern void user_exit_entry(void);

static struct jmp_ctx user_return;
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t user_kernel_stack[8192] __attribute__((aligned(16)));

void user_exit(void)
{
    ctx_restore(&user_return);
}

__asm__(".text\n"
        "user_exit_entry:\n"
        "  and $-16, %rsp\n"
        "  call user_exit\n");

void run_user(void (*fn)(void))
{
    HYPERVISOR_stack_switch(0xe02b, (unsigned long)user_kernel_stack + sizeof(user_kernel_stack));
    trap_set(0x81, user_exit_entry, 3);
    if (!ctx_save(&user_return))
        enter_user(fn, (unsigned long)user_stack + sizeof(user_stack));
}
