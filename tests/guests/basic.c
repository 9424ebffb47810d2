/*
 * pvtest basic: the hypercalls of a PV guest's life that need no memory
 * management: version and features, console, bad pointers and unknown
 * numbers, multicall, trap delivery (vector, error code, frame), iret,
 * user mode and SYSCALL/int $0x80 from it, privileged-instruction
 * emulation, segment bases, descriptors, debug registers, lazy FPU.
 */
#include "lib/pvtest.h"
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/version.h>

const char pvtest_kernel_name[] = "basic";

/* The boot loader's module string reaches start_info whole, up to Xen's
 * MAX_GUEST_CMDLINE: a case passing pad=... first and end=1 last finds
 * both (the hypervisor once kept only 255 bytes of it). */
PVTEST(command_line_whole)
{
    if (cmdline_option("pad"))
        CHECK(cmdline_option("end") != NULL);
}

#define BAD_LOW  0xdead000UL          /* unmapped guest address */
#define BAD_HOLE 0xffff830000000000UL /* the hypervisor's direct map */
#define BAD_NONC 0x8000000000000000UL /* not canonical */

PVTEST(version)
{
    struct xen_feature_info fi = {.submap_idx = 0};
    char extra[XEN_EXTRAVERSION_LEN];

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, NULL), (4 << 16) | 17);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    CHECK(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad));
    CHECK(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits));
    CHECK_EQ(!!(fi.submap & (1u << XENFEAT_dom0)), !!(start_info->flags & SIF_INITDOMAIN));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
    CHECK(!strcmp(extra, "-paravane"));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
    /* The same through a bare SYSCALL, as Linux 6.1 issues hypercalls. */
    CHECK_EQ(hypercall_raw5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0), (4 << 16) | 17);
}

PVTEST(bad_pointers_fault)
{
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 4, BAD_LOW), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 4, BAD_HOLE), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 4, BAD_NONC), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, BAD_LOW), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, BAD_HOLE), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_set_trap_table(BAD_LOW), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_multicall(BAD_NONC, 1), -XEN_EFAULT);
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, BAD_LOW), -XEN_EFAULT);
    /* A buffer that runs off the end of mapped memory. */
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 64, 0x0000800000000000UL - 8), -XEN_EFAULT);
}

PVTEST(unknown_numbers)
{
    CHECK_EQ(hypercall0(60), -XEN_ENOSYS);
    CHECK_EQ(hypercall0(63), -XEN_ENOSYS);
    CHECK_EQ(hypercall_raw5(1000, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    CHECK_EQ(HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
    CHECK_EQ(HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
    CHECK_EQ(HYPERVISOR_console_io(42, 0, NULL), -XEN_ENOSYS);
    CHECK_EQ(HYPERVISOR_callback_op(42, NULL), -XEN_ENOSYS);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    CHECK_EQ(HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables), -XEN_ENOSYS);
}

PVTEST(multicall)
{
    multicall_entry_t mc[3] = {
        {.op = __HYPERVISOR_xen_version, .args = {XENVER_version}},
        {.op = __HYPERVISOR_xen_version, .args = {XENVER_pagesize}},
        {.op = 61},
    };

    CHECK_EQ(HYPERVISOR_multicall(mc, 3), 0);
    CHECK_EQ(mc[0].result, (4 << 16) | 17);
    CHECK_EQ(mc[1].result, 4096);
    CHECK_EQ((long)mc[2].result, -XEN_ENOSYS);
    /* A nested multicall or an iret is refused inside a batch. */
    mc[0].op = __HYPERVISOR_multicall;
    mc[1].op = __HYPERVISOR_iret;
    CHECK_EQ(HYPERVISOR_multicall(mc, 2), 0);
    CHECK_EQ((long)mc[0].result, -XEN_EINVAL);
    CHECK_EQ((long)mc[1].result, -XEN_EINVAL);
}

/* event_channel_op's pre-3.2 form: the command inside the argument. */
PVTEST(event_channel_compat)
{
    struct evtchn_op op = {.cmd = EVTCHNOP_alloc_unbound};

    op.u.alloc_unbound.dom = DOMID_SELF;
    op.u.alloc_unbound.remote_dom = DOMID_SELF;
    CHECK_EQ(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), 0);
    CHECK(op.u.alloc_unbound.port > 0);
    op.u.close.port = op.u.alloc_unbound.port;
    op.cmd = EVTCHNOP_close;
    CHECK_EQ(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), 0);
    CHECK_EQ(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), -XEN_EINVAL);
    op.cmd = 99;
    CHECK_EQ(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), -XEN_ENOSYS);
    CHECK_EQ(hypercall1(__HYPERVISOR_event_channel_op_compat, (void *)8), -XEN_EFAULT);
}

PVTEST(exceptions)
{
    EXPECT_TRAP("ud2");
    CHECK_EQ(last_trap.count, 1);
    CHECK_EQ(last_trap.vector, 6);
    CHECK_EQ(last_trap.error_code, ~0UL);
    CHECK_EQ(last_trap.cs, 0xe030); /* from guest kernel: RPL 0 in the frame */
    CHECK_EQ(last_trap.ss, 0xe02b);

    EXPECT_TRAP("int3");
    CHECK_EQ(last_trap.vector, 3);

    EXPECT_TRAP("xor %%r8d, %%r8d; div %%r8d");
    CHECK_EQ(last_trap.vector, 0);

    EXPECT_TRAP("movq (%0), %%rax", "r"(BAD_NONC));
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);

    /* Not present, read, from guest kernel mode (U clear, as on Xen). */
    EXPECT_TRAP("movq (%0), %%rax", "r"(BAD_LOW));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 0);

    /* Write to the hypervisor's hole: a protection fault for the guest. */
    EXPECT_TRAP("movq $1, (%0)", "r"(BAD_HOLE));
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 3);

    /* A privileged instruction that is not emulated: #GP to the guest. */
    EXPECT_TRAP("hlt");
    CHECK_EQ(last_trap.vector, 13);
}

PVTEST(event_mask_in_frame)
{
    /* Events start masked: the frame carries mask 1 and IF clear. */
    EXPECT_TRAP("ud2");
    CHECK_EQ(last_trap.saved_mask, 1);
    CHECK_EQ(last_trap.rflags & 0x200, 0);
}

PVTEST(forced_cpuid)
{
    uint32_t a, b, c, d;
    char sig[13];

    __asm__ volatile("ud2; .ascii \"xen\"; cpuid"
                     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                     : "a"(0x40000000), "c"(0));
    memcpy(sig, &b, 4);
    memcpy(sig + 4, &c, 4);
    memcpy(sig + 8, &d, 4);
    sig[12] = '\0';
    CHECK(!strcmp(sig, "XenVMMXenVMM"));
    CHECK(a >= 0x40000002);
    __asm__ volatile("ud2; .ascii \"xen\"; cpuid"
                     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                     : "a"(1), "c"(0));
    CHECK(c & (1u << 31));    /* hypervisor present */
    CHECK(!(d & (1u << 13))); /* PGE hidden */
    CHECK(!(c & (1u << 26))); /* XSAVE hidden */
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static unsigned long tls_word = 0x5ca1ab1e;

PVTEST(emulated_instructions)
{
    unsigned long v, cr0, cr4;
    uint8_t port;

    /* Linux's first instruction: wrmsr to the GS base. */
    wrmsr(0xc0000101, 0xffffffff80123000UL);
    CHECK_EQ(rdmsr(0xc0000101), 0xffffffff80123000UL);
    /* FS base through the MSR, then used by a %fs-relative load. */
    wrmsr(0xc0000100, (unsigned long)&tls_word);
    __asm__ volatile("movq %%fs:0, %0" : "=r"(v));
    CHECK_EQ(v, 0x5ca1ab1e);
    CHECK_EQ(rdmsr(0x8b), 0); /* microcode revision reads */
    wrmsr(0x8b, 0);           /* and the write is dropped */
    EXPECT_TRAP("rdmsr", "c"(0x12345678));
    CHECK_EQ(last_trap.vector, 13);
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    CHECK(cr0 & 1);
    CHECK(cr4 & (1u << 9)); /* OSFXSR */
    __asm__ volatile("inb $0x61, %0" : "=a"(port));
    CHECK_EQ(port, 0xff);
    __asm__ volatile("outb %0, $0x80" ::"a"((uint8_t)0));
    __asm__ volatile("mov $0x3f8, %%dx; inb %%dx, %%al" : "=a"(port)::"rdx");
    CHECK_EQ(port, 0xff); /* the hypervisor's UART is not the guest's */
}

PVTEST(segment_bases)
{
    unsigned long v;

    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, (unsigned long)&tls_word), 0);
    __asm__ volatile("movq %%fs:0, %0" : "=r"(v));
    CHECK_EQ(v, 0x5ca1ab1e);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, BAD_NONC), -XEN_EINVAL);
    /* Any canonical base, as on Xen (edges.c has the selector cases). */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, BAD_HOLE), 0);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0), 0);
    CHECK_EQ(HYPERVISOR_set_segment_base(9, 0), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0);
}

PVTEST(descriptors)
{
    /* A frame we do not own, and more entries than a guest may have. */
    unsigned long frames[1] = {1};
    CHECK_EQ(HYPERVISOR_set_gdt(frames, 16), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_set_gdt(frames, 8192), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_set_gdt(BAD_LOW, 16), -XEN_EFAULT);
    /* update_descriptor on someone else's frame, misaligned, or a gate. */
    CHECK_EQ(HYPERVISOR_update_descriptor(0x1000, 0), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor(start_info->mfn_list + 3, 0), -XEN_EINVAL);
}

/* pfn -> mfn through the p2m list the builder gave us. */
static unsigned long virt_to_mfn(const void *p)
{
    unsigned long pfn = ((unsigned long)p - 0xffffffff80000000UL) >> 12;
    return ((const unsigned long *)start_info->mfn_list)[pfn];
}

static uint64_t gdt_page[512] __attribute__((aligned(4096)));

PVTEST(own_gdt)
{
    unsigned long frames[1] = {virt_to_mfn(gdt_page)};
    unsigned long maddr = frames[0] << 12;
    uint16_t ds;

    /* Entry 2: flat data, written with DPL 0 as Linux does; entry 3 a
     * 64-bit code segment. The hypervisor raises both to DPL 3. */
    gdt_page[2] = 0x00cf93000000ffffUL;
    gdt_page[3] = 0x00af9b000000ffffUL;
    CHECK_EQ(HYPERVISOR_set_gdt(frames, 16), 0);
    __asm__ volatile("mov %1, %%ds; mov %%ds, %0" : "=r"(ds) : "r"(0x13) : "memory");
    CHECK_EQ(ds, 0x13);
    __asm__ volatile("mov %0, %%ds" ::"r"(0));
    /* A call gate, a TSS descriptor and a conforming code segment are refused. */
    CHECK_EQ(HYPERVISOR_update_descriptor(maddr + 8 * 4, 0x0000ec0000100000UL), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor(maddr + 8 * 4, 0x0000890000000067UL), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor(maddr + 8 * 4, 0x00af9f000000ffffUL), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_update_descriptor(maddr + 8 * 4, 0x00cff3000000ffffUL), 0);
    CHECK_EQ(gdt_page[4], 0x00cff3000000ffffUL);
    __asm__ volatile("mov %1, %%ds; mov %%ds, %0" : "=r"(ds) : "r"(0x23) : "memory");
    CHECK_EQ(ds, 0x23);
    __asm__ volatile("mov %0, %%ds" ::"r"(0));
    /* A gate written straight into the frame never reaches the CPU: loading
     * its selector faults instead. */
    gdt_page[5] = 0x0000ec0000100000UL;
    CHECK_EQ(HYPERVISOR_set_gdt(frames, 16), -XEN_EINVAL);
    gdt_page[5] = 0;
    CHECK_EQ(HYPERVISOR_set_gdt(frames, 16), 0);
}

PVTEST(debug_registers)
{
    CHECK_EQ(HYPERVISOR_set_debugreg(0, 0xffffffff80100000UL), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(0), (long)0xffffffff80100000UL);
    CHECK_EQ(HYPERVISOR_set_debugreg(1, BAD_HOLE), -XEN_EPERM);
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 1UL << 13), -XEN_EPERM); /* GD */
    /* An enabled I/O breakpoint needs CR4.DE (edges.c has the rest, as Xen). */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 1 | (2UL << 16)), -XEN_EPERM);
    CHECK_EQ(HYPERVISOR_set_debugreg(4, 0), 0); /* DR6, without CR4.DE */
    CHECK_EQ(HYPERVISOR_get_debugreg(9), -XEN_ENODEV);
}

PVTEST(lazy_fpu)
{
    uint64_t pattern = 0x0123456789abcdefUL, back = 0;

    __asm__ volatile("movq %0, %%xmm3" ::"r"(pattern));
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0);
    EXPECT_TRAP("fninit");
    CHECK_EQ(last_trap.vector, 7);
    /* The #NM cleared the virtual TS: the FPU works again, state intact. */
    __asm__ volatile("movq %%xmm3, %0" : "=r"(back));
    CHECK_EQ(back, pattern);
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(0), 0);
}

PVTEST(callbacks)
{
    struct callback_register cb = {.type = CALLBACKTYPE_event, .address = 0xffffffff80100000UL};

    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
    cb.type = 99;
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), -XEN_EINVAL);
    cb.type = CALLBACKTYPE_failsafe;
    cb.address = BAD_HOLE;
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), -XEN_EINVAL);
    cb.flags = 0x80;
    cb.address = 0xffffffff80100000UL;
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), -XEN_EINVAL);
    CHECK_EQ(HYPERVISOR_stack_switch(0, 0), -XEN_EINVAL);
    /* The old interface: event, failsafe and syscall in one call. */
    CHECK_EQ(HYPERVISOR_set_callbacks(0xffffffff80100000UL, 0xffffffff80100000UL, 0), 0);
    CHECK_EQ(HYPERVISOR_set_callbacks(BAD_NONC, 0, 0), -XEN_EINVAL);
    /* No event callback after all: an event must not land at a fake address. */
    cb.type = CALLBACKTYPE_event;
    cb.address = 0;
    cb.flags = 0;
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
    CHECK_EQ(HYPERVISOR_set_callbacks(0, 0, 0), 0);
    /* Trap-table entries pointing at the hypervisor are refused. */
    trap_info_t bad[2] = {{.vector = 0x81, .cs = 0xe033, .address = BAD_HOLE}, {0}};
    CHECK_EQ(HYPERVISOR_set_trap_table(bad), -XEN_EINVAL);
}

/* User mode: a stack, the code that runs there, and the way back. */
extern void syscall_entry(void);
extern void int80_entry(void);

static struct jmp_ctx kernel_ctx;
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));
static volatile unsigned long user_syscall_rax, user_rip, user_cs, user_int80, user_flag;

/* Called on the kernel stack from the syscall callback (frame pointer). */
void syscall_callback(unsigned long *frame)
{
    /* RCX, R11, RIP, CS, RFLAGS, RSP, SS; rax was the syscall number. */
    user_rip = frame[2];
    user_cs = frame[3] & 0xffff;
    ctx_restore(&kernel_ctx);
}

void int80_callback(unsigned long *frame)
{
    user_int80 = frame[2]; /* rip after the int */
    ctx_restore(&kernel_ctx);
}

__asm__(".text\n"
        "syscall_entry:\n"
        "  mov %rax, user_syscall_rax(%rip)\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call syscall_callback\n"
        "int80_entry:\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call int80_callback\n");

static void user_main(void)
{
    user_flag = 1;
    __asm__ volatile("mov $42, %%eax; syscall" ::: "rax", "rcx", "r11", "memory");
    for (;;)
        ;
}

static void user_int80_main(void)
{
    __asm__ volatile("int $0x80" ::: "memory");
    for (;;)
        ;
}

static void user_hypercall_main(void)
{
    /* A hypercall attempt from user mode is a system call, not a hypercall. */
    __asm__ volatile("mov %0, %%eax; syscall" ::"i"(__HYPERVISOR_xen_version)
                     : "rax", "rcx", "r11", "memory");
    for (;;)
        ;
}

PVTEST(user_mode_syscall)
{
    struct callback_register cb = {.type = CALLBACKTYPE_syscall,
                                   .address = (unsigned long)syscall_entry,
                                   .flags = CALLBACKF_mask_events};

    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
    CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, (unsigned long)kernel_stack + sizeof(kernel_stack)),
             0);
    if (!ctx_save(&kernel_ctx))
        enter_user(user_main, (unsigned long)user_stack + sizeof(user_stack));
    CHECK_EQ(user_flag, 1);
    CHECK_EQ(user_syscall_rax, 42);
    CHECK_EQ(user_cs, 0xe033); /* from user mode: RPL 3 */
    CHECK((unsigned long)user_rip > (unsigned long)user_main &&
          (unsigned long)user_rip < (unsigned long)user_main + 64);

    user_syscall_rax = 0;
    if (!ctx_save(&kernel_ctx))
        enter_user(user_hypercall_main, (unsigned long)user_stack + sizeof(user_stack));
    CHECK_EQ(user_syscall_rax, __HYPERVISOR_xen_version);
}

PVTEST(user_mode_int80)
{
    CHECK_EQ(HYPERVISOR_stack_switch(0xe02b, (unsigned long)kernel_stack + sizeof(kernel_stack)),
             0);
    trap_set(0x80, int80_entry, 3);
    if (!ctx_save(&kernel_ctx))
        enter_user(user_int80_main, (unsigned long)user_stack + sizeof(user_stack));
    CHECK((unsigned long)user_int80 > (unsigned long)user_int80_main &&
          (unsigned long)user_int80 < (unsigned long)user_int80_main + 32);
}
