/*
 * A decoder for exactly the instructions Linux uses to update PTEs in
 * place (LINUX-PV-REQUIREMENTS §2.5): MOV to memory (register or
 * immediate), XCHG, LOCK AND/OR, LOCK BTR/BTS, and CMPXCHG, 8, 16, 32 or
 * 64 bits wide (a uniprocessor kernel clears RW with a byte-wide AND, its
 * LOCK prefix patched into DS). Only the length, the width and the source
 * matter: the target address comes from the faulting CR2.
 */
#include "asm/insn.h"
#include <xen/xen.h>

uint64_t *insn_reg(struct cpu_user_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                               &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                               &r->r12, &r->r13, &r->r14, &r->r15};
    return map[n & 15];
}

/* Length of a ModRM memory operand: the ModRM byte, SIB, displacement. */
static int modrm_len(const uint8_t *b, size_t n, size_t at)
{
    unsigned int mod, rm;
    int len = 1;

    if (at >= n)
        return -1;
    mod = b[at] >> 6;
    rm = b[at] & 7;
    if (mod == 3)
        return -1; /* a register operand: not a memory write */
    if (rm == 4) {
        if (at + 1 >= n)
            return -1;
        len++;
        if (mod == 0 && (b[at + 1] & 7) == 5)
            len += 4; /* SIB with no base: disp32 */
    }
    if (mod == 0 && rm == 5)
        len += 4; /* RIP-relative */
    else if (mod == 1)
        len += 1;
    else if (mod == 2)
        len += 4;
    return len;
}

static uint64_t sext(uint64_t v, unsigned int bytes)
{
    unsigned int shift = 64 - 8 * bytes;
    return (uint64_t)((int64_t)(v << shift) >> shift);
}

static uint64_t read_imm(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;
    for (unsigned int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return sext(v, bytes);
}

int insn_decode_mem_write(const uint8_t *b, size_t n, struct insn_mem_write *out)
{
    size_t i = 0;
    unsigned int rex = 0, reg, opc;
    bool opsize16 = false;
    int ml;

    /* lock, ds/cs (a patched-out lock), operand size */
    while (i < n && (b[i] == 0xf0 || b[i] == 0x3e || b[i] == 0x2e || b[i] == 0x66)) {
        if (b[i] == 0x66)
            opsize16 = true;
        i++;
    }
    if (i < n && (b[i] & 0xf0) == 0x40)
        rex = b[i++];
    if (i >= n)
        return -1;
    out->size = (rex & 8) ? 8 : opsize16 ? 2 : 4;
    out->src_is_imm = false;
    opc = b[i++];
    if (opc == 0x0f) {
        if (i >= n)
            return -1;
        opc = 0x100 | b[i++];
    }
    if (i >= n)
        return -1;
    reg = ((b[i] >> 3) & 7) | ((rex & 4) ? 8 : 0);
    ml = modrm_len(b, n, i);
    if (ml < 0)
        return -1;

    /* The byte forms: 88 mov, 86 xchg, 20 and, 08 or, c6 /0 and 80 /4 /1 imm8. */
    if (opc == 0x88 || opc == 0x86 || opc == 0x20 || opc == 0x08 || opc == 0xc6 || opc == 0x80) {
        out->size = 1;
        opc += 1; /* the same operation on the wider form's decoding below */
        if (opc == 0xc7 || opc == 0x81) {
            unsigned int sub = (b[i] >> 3) & 7;
            if (opc == 0xc7 && sub == 0)
                out->op = INSN_MOV;
            else if (opc == 0x81 && sub == 4)
                out->op = INSN_AND;
            else if (opc == 0x81 && sub == 1)
                out->op = INSN_OR;
            else
                return -1;
            if (i + (size_t)ml + 1 > n)
                return -1;
            out->src_is_imm = true;
            out->imm = read_imm(&b[i + (size_t)ml], 1);
            out->len = (unsigned int)(i + (size_t)ml + 1);
            return 0;
        }
    }

    switch (opc) {
    case 0x89:
        out->op = INSN_MOV;
        break;
    case 0x87:
        out->op = INSN_XCHG;
        break;
    case 0x21:
        out->op = INSN_AND;
        break;
    case 0x09:
        out->op = INSN_OR;
        break;
    case 0x1b1:
        out->op = INSN_CMPXCHG;
        break;
    case 0x1b3:
        out->op = INSN_BTR;
        break;
    case 0x1ab:
        out->op = INSN_BTS;
        break;
    case 0xc7:    /* mov $imm32, mem (/0) */
    case 0x81:    /* and/or $imm32, mem (/4, /1) */
    case 0x83:    /* and/or $imm8, mem */
    case 0x1ba: { /* bt* $imm8, mem (/6 btr, /5 bts) */
        unsigned int sub = (b[i] >> 3) & 7;
        unsigned int immlen = (opc == 0x83 || opc == 0x1ba) ? 1 : out->size == 2 ? 2 : 4;
        if (opc == 0xc7 && sub == 0)
            out->op = INSN_MOV;
        else if ((opc == 0x81 || opc == 0x83) && sub == 4)
            out->op = INSN_AND;
        else if ((opc == 0x81 || opc == 0x83) && sub == 1)
            out->op = INSN_OR;
        else if (opc == 0x1ba && sub == 6)
            out->op = INSN_BTR;
        else if (opc == 0x1ba && sub == 5)
            out->op = INSN_BTS;
        else
            return -1;
        if (i + (size_t)ml + immlen > n)
            return -1;
        out->src_is_imm = true;
        out->imm = read_imm(&b[i + (size_t)ml], immlen);
        out->len = (unsigned int)(i + (size_t)ml + immlen);
        return 0;
    }
    default:
        return -1;
    }
    out->src_reg = reg;
    out->len = (unsigned int)(i + (size_t)ml);
    return 0;
}
