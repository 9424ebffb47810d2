/*
 * Decoding the few instructions a PV kernel uses to write page-table
 * entries in place (the writable page-table assist): 64-bit stores and
 * read-modify-writes of one memory operand.
 */
#ifndef PARAVANE_ASM_INSN_H
#define PARAVANE_ASM_INSN_H

#include "types.h"

enum insn_op {
    INSN_MOV,     /* mem = src */
    INSN_XCHG,    /* reg <-> mem */
    INSN_AND,     /* mem &= src */
    INSN_OR,      /* mem |= src */
    INSN_BTR,     /* clear bit src of mem */
    INSN_BTS,     /* set bit src of mem */
    INSN_CMPXCHG, /* if mem == rax: mem = src, else rax = mem (ZF) */
};

struct insn_mem_write {
    enum insn_op op;
    unsigned int len;  /* bytes, prefixes included */
    unsigned int size; /* operand size: 1, 2, 4 or 8 */
    bool src_is_imm;
    uint64_t imm;         /* sign-extended immediate */
    unsigned int src_reg; /* ModRM.reg (+REX.R), when not an immediate */
};

/*
 * Decode `n` bytes at an instruction boundary. 0, or -1 if the instruction
 * is not one of the supported memory writes.
 */
int insn_decode_mem_write(const uint8_t *b, size_t n, struct insn_mem_write *out);

/* General register `n` (ModRM numbering, REX included) of a frame. */
struct cpu_user_regs;
uint64_t *insn_reg(struct cpu_user_regs *r, unsigned int n);

#endif
