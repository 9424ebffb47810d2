/*
 * x86-64 processor primitives: control registers, MSRs, CPUID, port I/O,
 * interrupts on/off.
 */
#ifndef PARAVANE_ASM_PROCESSOR_H
#define PARAVANE_ASM_PROCESSOR_H

#include "types.h"

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_PG (1UL << 31)

#define X86_CR4_PAE        (1UL << 5)
#define X86_CR4_PGE        (1UL << 7)
#define X86_CR4_OSFXSR     (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

#define X86_EFLAGS_IF (1UL << 9)

#define MSR_EFER           0xc0000080
#define EFER_SCE           (1UL << 0)
#define EFER_LME           (1UL << 8)
#define EFER_NXE           (1UL << 11)
#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_CSTAR          0xc0000083
#define MSR_SYSCALL_MASK   0xc0000084
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_APIC_BASE      0x0000001b

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
                         uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
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

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                                                               \
    static inline unsigned long read_cr##n(void)                                                   \
    {                                                                                              \
        unsigned long v;                                                                           \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                          \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_cr##n(unsigned long v)                                                \
    {                                                                                              \
        __asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory");                                   \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* An access of `size` (1, 2 or 4) bytes, as a guest's in/out made it. */
static inline uint32_t port_in(uint16_t port, unsigned int size)
{
    return size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
}

static inline void port_out(uint16_t port, unsigned int size, uint32_t v)
{
    if (size == 4)
        outl(port, v);
    else if (size == 2)
        outw(port, (uint16_t)v);
    else
        outb(port, (uint8_t)v);
}

static inline void local_irq_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline unsigned long local_save_flags(void)
{
    unsigned long f;
    __asm__ volatile("pushf; pop %0" : "=r"(f)::"memory");
    return f;
}

static inline unsigned long local_irq_save(void)
{
    unsigned long f = local_save_flags();
    local_irq_disable();
    return f;
}

static inline void local_irq_restore(unsigned long f)
{
    if (f & X86_EFLAGS_IF)
        local_irq_enable();
}

static inline bool local_irq_is_enabled(void)
{
    return local_save_flags() & X86_EFLAGS_IF;
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* Enable interrupts and halt atomically (sti's one-instruction shadow). */
static inline void safe_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline void halt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/* CR0.TS: clear (FPU usable) / set (next FPU instruction raises #NM). */
static inline void clts(void)
{
    __asm__ volatile("clts" ::: "memory");
}

static inline void stts(void)
{
    write_cr0(read_cr0() | X86_CR0_TS);
}

/* Bits 63..47 all equal: an address the CPU accepts (in an MSR, as rip). */
static inline bool is_canonical_address(unsigned long va)
{
    return (unsigned long)(((long)va << 16) >> 16) == va;
}

#endif
