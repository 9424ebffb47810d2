/*
 * Messages for the caller: a fixed array, so reporting never allocates and
 * never fails; what does not fit is counted.
 */
#include "private.h"
#include <stdio.h>
#include <string.h>

void xlcfg_diag_init(struct xlcfg_diag *diag)
{
    memset(diag, 0, sizeof(*diag));
}

void diag_vadd(struct xlcfg_diag *diag, enum xlcfg_severity sev, const char *fmt, va_list ap)
{
    if (sev == XLCFG_ERROR)
        diag->errors++;
    else
        diag->warnings++;
    if (diag->n == XLCFG_DIAG_MAX) {
        diag->dropped++;
        return;
    }
    diag->msg[diag->n].severity = sev;
    vsnprintf(diag->msg[diag->n].text, sizeof(diag->msg[diag->n].text), fmt, ap);
    diag->n++;
}

void diag_add(struct xlcfg_diag *diag, enum xlcfg_severity sev, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(diag, sev, fmt, ap);
    va_end(ap);
}
