/*
 * Debug keys: single characters typed on the hypervisor console, each
 * bound to a diagnostic handler, as Xen has them ('h' lists them).
 *
 * Handlers run in interrupt context on the CPU that took the serial
 * interrupt, with the interrupted register frame.
 */
#ifndef PARAVANE_KEYHANDLER_H
#define PARAVANE_KEYHANDLER_H

#include "compiler.h"

struct cpu_user_regs;

struct keyhandler {
    char key;
    const char *desc;
    void (*fn)(char key, const struct cpu_user_regs *regs);
};

#define KEYHANDLER(k, handler, text)                                                               \
    static const struct keyhandler __kh_##handler __used __section(".keyhandlers")                 \
        __aligned(8) = {k, text, handler}

/* Run key c's handler. Not from an interrupt: some handlers wait for
 * other CPUs (on_selected_cpus), which may be waiting for this one. */
void handle_keypress(char c);

#endif
