/*
 * pvtest fpu: FPU/SSE state survives vCPU switches. Two of these kernels
 * on one pCPU, each with its own pattern (seed=N), keep yielding to each
 * other and check their registers after every switch.
 */
#include "lib/pvtest.h"

const char pvtest_kernel_name[] = "fpu";

static unsigned long seed(void)
{
    const char *s = cmdline_option("seed");
    unsigned long v = 0;
    while (s && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    return v;
}

PVTEST(sse_and_x87_survive_switches)
{
    uint64_t pat = 0x1111111111111111UL * (seed() + 1), back[4];
    unsigned int bad = 0;
    uint16_t cw = (uint16_t)(0x037f ^ ((seed() & 1) << 10)), cw_back;

    __asm__ volatile(
        "movq %0, %%xmm0; movq %0, %%xmm7; movq %0, %%xmm12; movq %0, %%xmm15" ::"r"(pat));
    __asm__ volatile("fldcw %0" ::"m"(cw));
    for (int i = 0; i < 300; i++) {
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        __asm__ volatile("movq %%xmm0, %0; movq %%xmm7, %1; movq %%xmm12, %2; movq %%xmm15, %3"
                         : "=r"(back[0]), "=r"(back[1]), "=r"(back[2]), "=r"(back[3]));
        __asm__ volatile("fnstcw %0" : "=m"(cw_back));
        for (int r = 0; r < 4; r++)
            bad += back[r] != pat;
        bad += cw_back != cw;
    }
    CHECK_EQ(bad, 0);
}
