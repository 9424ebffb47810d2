/*
 * 16550 UART (COM1), the hypervisor console's only device.
 */
#ifndef PARAVANE_UART_H
#define PARAVANE_UART_H

#include "types.h"

#define COM1_PORT 0x3f8
#define COM1_IRQ  4

void uart_init(void);
void uart_putc(char c);
/* Next received byte, or -1 when the receive buffer is empty. */
int uart_getc(void);
/* Enable the received-data interrupt (after the IO-APIC routes it). */
void uart_enable_rx_irq(void);

#endif
