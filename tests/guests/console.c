/*
 * pvtest console: dom0's side of the hypervisor console. Output goes out
 * as written; after three Ctrl-A the serial input is dom0's, read with
 * CONSOLEIO_read.
 */
#include "lib/pvtest.h"
#include <xen/errno.h>

const char pvtest_kernel_name[] = "console";

PVTEST(read_input)
{
    char buf[64], line[64] = {0};
    unsigned int len = 0;

    printk("pvtest console: waiting for input\n");
    for (unsigned long spins = 0; spins < 50000000 && len < sizeof(line) - 1; spins++) {
        long n = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf);
        CHECK(n >= 0);
        for (long i = 0; i < n && len < sizeof(line) - 1; i++)
            line[len++] = buf[i];
        if (len && line[len - 1] == '\r')
            break;
    }
    line[len ? len - 1 : 0] = '\0';
    printk("pvtest console: got '%s'\n", line);
    CHECK(!strcmp(line, "hello dom0"));
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_read, 8, 0xdead000UL), 0); /* nothing queued */
}
