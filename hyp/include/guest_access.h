/*
 * Reaching guest memory.
 *
 * The hypervisor runs on the guest's page tables, so a guest virtual
 * address is dereferenced directly, but only through these functions: they
 * refuse addresses in the hypervisor's hole or outside the canonical guest
 * ranges, and a fault during the copy (unmapped, read-only, non-canonical)
 * makes them fail instead of crashing the hypervisor (exception-table
 * fixups in usercopy.S).
 *
 * Each returns 0 on success or -XEN_EFAULT.
 */
#ifndef PARAVANE_GUEST_ACCESS_H
#define PARAVANE_GUEST_ACCESS_H

#include "types.h"

int copy_from_guest(void *dst, unsigned long guest_va, size_t len);
int copy_to_guest(unsigned long guest_va, const void *src, size_t len);
/* Bytes that could not be copied (0 = all), for callers that need partial counts. */
size_t raw_copy_guest(void *dst, const void *src, size_t len);

/* Is [va, va+len) entirely in guest-accessible address space? */
bool guest_range_ok(unsigned long va, size_t len);

/* Exception-table lookup for the fault path: fixup address or 0. */
unsigned long search_exception_table(unsigned long rip);

#endif
