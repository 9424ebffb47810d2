/*
 * Included first in every hypervisor translation unit (-include): every
 * symbol is local to the one image we link, so the compiler may address
 * any of them RIP-relative instead of through a GOT.
 */
#pragma GCC visibility push(hidden)
