/*
 * 16550 UART driver for COM1: polled transmit, interrupt-driven receive.
 *
 * Transmit polls the line-status register; the console lock serialises
 * callers. Receive is drained from the interrupt handler registered by
 * console.c.
 */
#include "uart.h"
#include "asm/processor.h"

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0 /* with LCR.DLAB */
#define UART_DLM 1

#define LSR_DR   0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */
#define LCR_DLAB 0x80
#define IER_RDA  0x01
#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT2 0x08 /* gates the interrupt line on PC UARTs */

void uart_init(void)
{
    outb(COM1_PORT + UART_IER, 0);
    outb(COM1_PORT + UART_LCR, LCR_DLAB);
    outb(COM1_PORT + UART_DLL, 1); /* 115200 baud */
    outb(COM1_PORT + UART_DLM, 0);
    outb(COM1_PORT + UART_LCR, 0x03); /* 8n1 */
    outb(COM1_PORT + UART_FCR, 0x07); /* enable and clear FIFOs */
    outb(COM1_PORT + UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
}

void uart_putc(char c)
{
    while (!(inb(COM1_PORT + UART_LSR) & LSR_THRE))
        cpu_relax();
    outb(COM1_PORT + UART_THR, (uint8_t)c);
}

int uart_getc(void)
{
    if (!(inb(COM1_PORT + UART_LSR) & LSR_DR))
        return -1;
    return inb(COM1_PORT + UART_RBR);
}

void uart_enable_rx_irq(void)
{
    outb(COM1_PORT + UART_IER, IER_RDA);
}
