/*
 * The console_io hypercall.
 *
 * dom0's writes go to the serial line as written (Xen prints them raw),
 * and not into the ring `vane dmesg` reads (Xen's console_to_ring=0).
 * Other domains' writes are gathered into lines and printed with a
 * "(dN) " prefix, so interleaved output stays readable and no domU line
 * can pass for the hypervisor's (their control characters are dropped).
 * dom0 may read the input the hypervisor has queued for it
 * (CONSOLEIO_read).
 */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "percpu.h"
#include <xen/errno.h>

#define CHUNK     128
#define MAX_WRITE (64 * 1024)

/*
 * What a domU may put on the serial line: printable ASCII and tab. The
 * rest (carriage return, backspace, escape sequences, form feeds, C1
 * controls, NULs) is dropped, as Xen drops it: any of them could move a
 * terminal's cursor back over the "(dN) " prefix, or let a log reader see
 * a line start that the prefix does not own, and so pass the domain's
 * words off as the hypervisor's or another domain's.
 */
static bool console_printable(char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t';
}

/*
 * A domU's output, gathered into lines, each printed whole behind the
 * domain's prefix: '\n' ends a line, and so does a full buffer (the rest
 * goes on a new prefixed line).
 */
void domain_console_put(struct domain *d, const char *buf, size_t n)
{
    unsigned long irq = spin_lock_irqsave(&d->lock);

    for (size_t i = 0; i < n; i++) {
        char c = buf[i];

        if (c != '\n') {
            if (!console_printable(c))
                continue;
            d->console_line[d->console_len++] = c;
            /* Room is kept for the terminating NUL. */
            if (d->console_len < sizeof(d->console_line) - 1)
                continue;
        }
        d->console_line[d->console_len] = '\0';
        printk_raw("(d%u) %s\n", d->domain_id, d->console_line);
        d->console_len = 0;
    }
    spin_unlock_irqrestore(&d->lock, irq);
}

static long console_write(struct domain *d, unsigned int count, guest_ptr_t buffer)
{
    char buf[CHUNK + 1];

    if (count > MAX_WRITE)
        return -XEN_EINVAL;
    for (unsigned int done = 0; done < count;) {
        unsigned int n = MIN(count - done, (unsigned int)CHUNK);
        if (copy_from_guest(buf, buffer + done, n))
            return -XEN_EFAULT;
        if (d->is_privileged) {
            buf[n] = '\0';
            /* Strings with NULs in them print up to the NUL, like Xen. */
            console_write_hwdom(buf);
        } else {
            domain_console_put(d, buf, n);
        }
        done += n;
    }
    return 0;
}

long do_console_io(int cmd, unsigned int count, guest_ptr_t buffer)
{
    struct domain *d = current->domain;

    switch (cmd) {
    case CONSOLEIO_write:
        return console_write(d, count, buffer);
    case CONSOLEIO_read:
        if (!d->is_privileged)
            return -XEN_EPERM;
        return console_read_guest(buffer, count);
    default:
        return -XEN_ENOSYS;
    }
}
