/*
 * Layout checkers shared by the hypercall-abi suites (layoutcheck.c).
 */
#ifndef LAYOUTCHECK_H
#define LAYOUTCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include <paravane/pv_image.h>
#include <paravane/pv_layout.h>

/* Simulated table frames behind sim_write(), a pv_pte_writer. */
struct sim {
    const struct pv_layout *l;
    uint64_t (*tables)[512]; /* bootstrap pt frames, then p2m pt frames */
    unsigned int writes;
    bool fail_next; /* make the next write fail with -XEN_EFAULT */
};

int sim_write(void *ctx, uint64_t pt_pfn, unsigned int index, uint64_t pte);

/* Every promise pv_layout.h makes about a successful pv_layout_compute(). */
void assert_layout(const struct pv_image_info *img, const struct pv_layout_params *p,
                   const struct pv_layout *l);

/* Build l's tables (p2m: mfn = 0x12345 + 3 * pfn) and walk every mapping. */
void build_and_walk(const struct pv_layout *l);

#endif
