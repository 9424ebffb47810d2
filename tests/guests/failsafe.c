/*
 * pvtest failsafe: the failsafe callback, as Xen delivers it when a data
 * selector a vCPU had will not reload as the vCPU is put back on a pCPU
 * (Xen's load_segments). The guest loads selectors of its own GDT into
 * DS, ES and FS, makes one descriptor invalid (update_descriptor), then
 * lets its second vCPU have the pCPU. Back on it, its failsafe callback
 * must find the frame Linux's xen_failsafe_callback reads (RCX, R11, DS,
 * ES, FS, GS, then RIP, CS, RFLAGS, RSP, SS), the selectors as they were
 * before, the refused ones null now and the good one still loaded.
 *
 * With nocallback=1 it registers none: the hypervisor crashes it with
 * the reason logged (the QEMU case checks the log) and carries on.
 */
#include "lib/pvmm.h"
#include "lib/pvtest.h"
#include <xen/callback.h>
#include <xen/vcpu.h>

const char pvtest_kernel_name[] = "failsafe";

#define SEL_BAD   0x23 /* GDT entry 4: invalidated while loaded */
#define SEL_GOOD  0x2b /* GDT entry 5: stays valid */
#define FLAT_DATA 0x00cff3000000ffffUL

static uint64_t gdt_page[512] __attribute__((aligned(4096)));
static uint8_t v1_stack[8192] __attribute__((aligned(16)));
static volatile unsigned long frame_seen[11];
static volatile unsigned int live_sel[4]; /* DS, ES, FS, GS inside the callback */
static volatile unsigned int failsafe_hits;

#define READ_SEL(seg, v) __asm__ volatile("mov %%" #seg ", %k0" : "=r"(v))

void failsafe_record(const unsigned long *frame);
void failsafe_record(const unsigned long *frame)
{
    unsigned int s;

    for (unsigned int i = 0; i < 11; i++)
        frame_seen[i] = frame[i];
    READ_SEL(ds, s);
    live_sel[0] = s;
    READ_SEL(es, s);
    live_sel[1] = s;
    READ_SEL(fs, s);
    live_sel[2] = s;
    READ_SEL(gs, s);
    live_sel[3] = s;
    failsafe_hits++;
}

/*
 * The callback: the C code sees the frame, then, as Linux's does when a
 * selector was at fault, it drops RCX, R11 and the four selectors and
 * returns through the iret hypercall to where the vCPU was.
 */
extern void failsafe_entry(void);
__asm__(".text\n"
        "failsafe_entry:\n"
        "  push %rax; push %rdx; push %rsi; push %rdi; push %r8; push %r9; push %r10\n"
        "  lea 56(%rsp), %rdi\n"
        "  call failsafe_record\n"
        "  pop %r10; pop %r9; pop %r8; pop %rdi; pop %rsi; pop %rdx; pop %rax\n"
        "  pop %rcx\n"
        "  pop %r11\n"
        "  add $32, %rsp\n"
        "  pushq $0\n"
        "  jmp hypercall_page + 23 * 32\n");

/* vCPU 1 only gives the pCPU back, forever. */
static void __attribute__((noreturn)) v1_main(void)
{
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static void start_vcpu1(void)
{
    struct vcpu_guest_context c;

    memset(&c, 0, sizeof(c));
    c.flags = VGCF_in_kernel;
    c.user_regs.rip = (unsigned long)v1_main;
    c.user_regs.rsp = (unsigned long)v1_stack + sizeof(v1_stack) - 8;
    c.user_regs.cs = FLAT_KERNEL_CS;
    c.user_regs.ss = c.kernel_ss = FLAT_KERNEL_SS;
    c.user_regs.rflags = 0x2;
    c.kernel_sp = c.user_regs.rsp;
    c.ctrlreg[3] = xen_pfn_to_cr3(mfn_of((void *)start_info->pt_base));
    CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, &c), 0);
    CHECK_EQ(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, 1, NULL), 0);
}

PVTEST(failsafe_on_reload)
{
    unsigned long frames[1] = {mfn_of(gdt_page)};
    struct callback_register cb = {.type = CALLBACKTYPE_failsafe,
                                   .address = (unsigned long)failsafe_entry};
    bool callback = !cmdline_option("nocallback");
    unsigned int s;

    if (callback)
        CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
    gdt_page[4] = gdt_page[5] = FLAT_DATA;
    CHECK_EQ(HYPERVISOR_set_gdt(frames, 16), 0);
    start_vcpu1();
    __asm__ volatile("mov %0, %%ds; mov %1, %%es; mov %0, %%fs" ::"r"(SEL_BAD), "r"(SEL_GOOD)
                     : "memory");
    /* Loaded selectors keep their descriptor: nothing happens yet. */
    CHECK_EQ(HYPERVISOR_update_descriptor((frames[0] << 12) + 4 * 8, 0), 0);
    READ_SEL(fs, s);
    CHECK_EQ(s, SEL_BAD);
    if (!callback)
        printk("pvtest failsafe: no callback, giving the pCPU away\n");
    for (unsigned int i = 0; i < 1000 && !failsafe_hits; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(failsafe_hits, 1);
    CHECK_EQ(frame_seen[2], SEL_BAD);  /* DS, as the vCPU had it */
    CHECK_EQ(frame_seen[3], SEL_GOOD); /* ES */
    CHECK_EQ(frame_seen[4], SEL_BAD);  /* FS */
    CHECK_EQ(frame_seen[5], 0);        /* GS, never loaded */
    /* Where the vCPU was: in the hypercall page, guest kernel mode. */
    CHECK(frame_seen[6] >= (unsigned long)hypercall_page &&
          frame_seen[6] < (unsigned long)hypercall_page + 4096);
    CHECK_EQ(frame_seen[7] & 0xffff, FLAT_KERNEL_CS & ~3);
    CHECK_EQ(frame_seen[10], FLAT_KERNEL_SS);
    CHECK(frame_seen[9] >= VIRT_BASE); /* its kernel stack */
    /* The refused ones are null; the good one loaded. */
    CHECK_EQ(live_sel[0], 0);
    CHECK_EQ(live_sel[1], SEL_GOOD);
    CHECK_EQ(live_sel[2], 0);
    READ_SEL(es, s);
    CHECK_EQ(s, SEL_GOOD);
    READ_SEL(fs, s);
    CHECK_EQ(s, 0);
    /* Once only: what is loaded now reloads. */
    for (unsigned int i = 0; i < 20; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(failsafe_hits, 1);
    __asm__ volatile("mov %0, %%es" ::"r"(0));
}
