/*
 * Ending the machine: halt with a status, restart, stop CPUs.
 *
 * The test exit path writes the status to QEMU's isa-debug-exit device
 * (port 0xf4; QEMU then exits with (status << 1) | 1). When the device is
 * absent the write is ignored and we fall back to ACPI S5 power-off, then
 * a keyboard-controller reset (which with QEMU's -no-reboot also ends it).
 */
#ifndef PARAVANE_MACHINE_H
#define PARAVANE_MACHINE_H

#include "compiler.h"
#include "types.h"

#define EXIT_SUCCESS_STATUS 0 /* QEMU exit code 1 */
#define EXIT_FAILURE_STATUS 1 /* QEMU exit code 3 */

/* Stop every CPU and end the machine with `status`. */
__noreturn void machine_halt(int status);
/* Reset the machine. */
__noreturn void machine_restart(void);

/* True once machine_halt/restart began: other CPUs must stop. */
bool machine_is_stopping(void);
/* Halt this CPU for good (interrupts off). */
__noreturn void cpu_stop_self(void);

#endif
