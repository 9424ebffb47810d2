/*
 * The writable page-table assist: a PV kernel writes the entries of its
 * pinned L1 tables with ordinary instructions even though those pages are
 * mapped read-only (Linux does, for set_pte, ptep_get_and_clear,
 * ptep_set_wrprotect...). The write faults; here we decode it, compute
 * the new entry, and apply it exactly as an mmu_update would (validated,
 * references moved), then step over the instruction.
 *
 * Operations of 1 to 8 bytes that stay inside one entry of an L1 table in
 * use are handled; anything else is an ordinary page fault for the guest.
 */
#include "asm/insn.h"
#include "console.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "percpu.h"

#define PF_PRESENT 1
#define PF_WRITE   2

static uint64_t *reg_of(struct cpu_user_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
                               &r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
                               &r->r12, &r->r13, &r->r14, &r->r15};
    return map[n & 15];
}

/* New entry value for the instruction; false if it writes nothing. */
static bool compute(const struct insn_mem_write *in, struct cpu_user_regs *r, pte_t old, pte_t *new)
{
    uint64_t src = in->src_is_imm ? in->imm : *reg_of(r, in->src_reg);

    switch (in->op) {
    case INSN_MOV:
        *new = src;
        return true;
    case INSN_XCHG:
        *new = src;
        *reg_of(r, in->src_reg) = old;
        return true;
    case INSN_AND:
        *new = old &src;
        return true;
    case INSN_OR:
        *new = old | src;
        return true;
    case INSN_BTR:
    case INSN_BTS: {
        unsigned int bit = (unsigned int)src & 63;
        /* CF = the old bit, as the instruction sets it. */
        r->rflags = (r->rflags & ~1UL) | ((old >> bit) & 1);
        *new = in->op == INSN_BTR ? old & ~(1UL << bit) : old | (1UL << bit);
        return true;
    }
    case INSN_CMPXCHG:
        if (old == r->rax) {
            r->rflags |= 1UL << 6; /* ZF */
            *new = src;
            return true;
        }
        r->rflags &= ~(1UL << 6);
        r->rax = old;
        return false;
    }
    return false;
}

int ptwr_do_page_fault(struct vcpu *v, struct cpu_user_regs *regs, unsigned long addr)
{
    uint8_t bytes[15] = {0};
    struct insn_mem_write in;
    struct page_info *pg;
    mfn_t l1, target;
    unsigned int idx;
    pte_t mapping, old, new;
    struct cpu_user_regs after = *regs; /* effects commit only on success */
    int rc = 0;

    if ((regs->error_code & (PF_PRESENT | PF_WRITE)) != (PF_PRESENT | PF_WRITE) ||
        !v->arch.kernel_mode)
        return 0;
    for (unsigned int n = sizeof(bytes); n > 0; n--)
        if (!copy_from_guest(bytes, regs->rip, n))
            break;
    if (insn_decode_mem_write(bytes, sizeof(bytes), &in) || (addr & 7) + in.size > 8)
        return 0;

    spin_lock(&pv_mm_lock);
    /* Which frame does the faulting address map, and is it an L1 in use? */
    if (pt_find_l1e(v->arch.guest_table, addr, &l1, &idx))
        goto out;
    mapping = ((pte_t *)mfn_to_virt(l1))[idx];
    if (!(mapping & _PAGE_PRESENT))
        goto out;
    target = pte_addr(mapping) >> PAGE_SHIFT;
    if (target >= max_mfn)
        goto out;
    pg = mfn_to_page(target);
    if (page_type(pg) != PGT_l1 || !page_type_count(pg) || pg->owner != v->domain->domain_id)
        goto out;
    old = ((pte_t *)mfn_to_virt(target))[(addr & ~PAGE_MASK) >> 3];
    /* An entry the guest may not have stays a write fault for the guest. */
    if (compute(&in, &after, old, &new) &&
        pt_mod_entry(target, (unsigned int)((addr & ~PAGE_MASK) >> 3), new, v->domain, v->domain,
                     false))
        goto out;
    after.rip += in.len;
    *regs = after;
    rc = 1;
out:
    spin_unlock(&pv_mm_lock);
    return rc;
}
