/*
 * Offsets into struct cpu_user_regs for the assembly entry code. Checked
 * against the C layout at build time (context.c).
 */
#ifndef PARAVANE_ASM_OFFSETS_H
#define PARAVANE_ASM_OFFSETS_H

#define UREGS_r11          48
#define UREGS_rax          80
#define UREGS_rcx          88
#define UREGS_error_code   120
#define UREGS_entry_vector 124
#define UREGS_rip          128
#define UREGS_cs           136
#define UREGS_rflags       144
#define UREGS_rsp          152
#define UREGS_ss           160
#define UREGS_es           168

/* Pseudo-vectors for frames built by the SYSCALL entry paths. */
#define TRAP_syscall   0x100
#define TRAP_syscall32 0x101

#endif
