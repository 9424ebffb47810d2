/*
 * The writable page-table assist: a PV kernel writes the entries of its
 * pinned L1 tables with ordinary instructions even though those pages are
 * mapped read-only (Linux does, for set_pte, ptep_get_and_clear,
 * ptep_set_wrprotect...). The write faults; here we decode it, compute
 * the new entry, and apply it exactly as an mmu_update would (validated,
 * references moved), then step over the instruction.
 *
 * Only for a guest that asked for it (VMASST_TYPE_writable_pagetables):
 * for the others such a write is the guest's page fault, as on Xen.
 * Operations of 1 to 8 bytes that stay inside one entry of an L1 table in
 * use are handled, each on the bytes it covers; anything else is an
 * ordinary page fault for the guest.
 */
#include "asm/insn.h"
#include "console.h"
#include "guest_access.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "mm/pv_mm.h"
#include "percpu.h"
#include "perfc.h"

#define PF_PRESENT 1
#define PF_WRITE   2

/* The low `size` bytes of a value, as an operand of that width. */
static uint64_t width_mask(unsigned int size)
{
    return size == 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

/*
 * A register written with an operand of `size` bytes: 4-byte writes clear
 * the upper half (as on the CPU), 1- and 2-byte writes keep the rest.
 */
static void write_reg(uint64_t *reg, uint64_t val, unsigned int size)
{
    uint64_t m = width_mask(size);
    *reg = size >= 4 ? val & m : (*reg & ~m) | (val & m);
}

/*
 * The new entry after the instruction, whose operand is the `in->size`
 * bytes at byte `off` of the entry `old` (a byte-wide `lock or` on the
 * entry's top byte changes that byte only). False if it writes nothing.
 */
static bool compute(const struct insn_mem_write *in, struct cpu_user_regs *r, pte_t old,
                    unsigned int off, pte_t *new)
{
    uint64_t m = width_mask(in->size);
    uint64_t src = (in->src_is_imm ? in->imm : *insn_reg(r, in->src_reg)) & m;
    uint64_t cur = (old >> (8 * off)) & m, val;

    switch (in->op) {
    case INSN_MOV:
        val = src;
        break;
    case INSN_XCHG:
        val = src;
        write_reg(insn_reg(r, in->src_reg), cur, in->size);
        break;
    case INSN_AND:
        val = cur & src;
        break;
    case INSN_OR:
        val = cur | src;
        break;
    case INSN_BTR:
    case INSN_BTS: {
        /* The faulting address is the unit the bit lies in: the bit
         * number counts within it. */
        unsigned int bit = (unsigned int)src & (8 * in->size - 1);
        /* CF = the old bit, as the instruction sets it. */
        r->rflags = (r->rflags & ~1UL) | ((cur >> bit) & 1);
        val = in->op == INSN_BTR ? cur & ~(1UL << bit) : cur | (1UL << bit);
        break;
    }
    case INSN_CMPXCHG:
        if (cur == (r->rax & m)) {
            r->rflags |= 1UL << 6; /* ZF */
            val = src;
            break;
        }
        r->rflags &= ~(1UL << 6);
        write_reg(&r->rax, cur, in->size);
        return false;
    default:
        return false;
    }
    *new = (old & ~(m << (8 * off))) | (val << (8 * off));
    return true;
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
        !v->arch.kernel_mode || !vm_assist(v->domain, VMASST_TYPE_writable_pagetables))
        return 0;
    for (unsigned int n = sizeof(bytes); n > 0; n--)
        if (!copy_from_guest(bytes, regs->rip, n))
            break;
    if (insn_decode_mem_write(bytes, sizeof(bytes), &in) || (addr & 7) + in.size > 8)
        return 0;

    /* Which frame does the faulting address map, and is it an L1 in use?
     * (A first look without locks: pt_mod_entry checks and locks it.) */
    if (pt_find_l1e(v->arch.guest_table, addr, &l1, &idx))
        goto out;
    mapping = READ_ONCE(((pte_t *)mfn_to_virt(l1))[idx]);
    if (!(mapping & _PAGE_PRESENT))
        goto out;
    target = pte_addr(mapping) >> PAGE_SHIFT;
    if (target >= max_mfn)
        goto out;
    pg = mfn_to_page(target);
    if (page_type(pg) != PGT_l1 || !page_type_count(pg) || pg->owner != v->domain->domain_id)
        goto out;
    old = READ_ONCE(((pte_t *)mfn_to_virt(target))[(addr & ~PAGE_MASK) >> 3]);
    /* An entry the guest may not have stays a write fault for the guest. */
    if (compute(&in, &after, old, (unsigned int)(addr & 7), &new) &&
        pt_mod_entry(target, (unsigned int)((addr & ~PAGE_MASK) >> 3), new, v->domain, v->domain,
                     false))
        goto out;
    after.rip += in.len;
    *regs = after;
    perfc_event(v, ptwr_emulations);
    rc = 1;
out:
    return rc;
}
