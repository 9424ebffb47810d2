/*
 * The CMOS real-time clock, read once at boot to seed the guests'
 * wallclock (shared_info wc_sec/wc_nsec), and read by the control domain
 * through its ports as on Xen (rtc_guest_port_*).
 */
#include "asm/processor.h"
#include "domain.h"
#include "lib.h"
#include "spinlock.h"
#include "time.h"

#define RTC_INDEX 0x70
#define RTC_DATA  0x71

static unsigned int rtc_read(unsigned int reg)
{
    outb(RTC_INDEX, (uint8_t)reg);
    return inb(RTC_DATA);
}

static unsigned int bcd(unsigned int v, bool binary)
{
    return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
    /* Shift the year to start in March so leap days come last. */
    if (m <= 2) {
        y--;
        m += 12;
    }
    return 365ULL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1 - 719469;
}

uint64_t rtc_seconds_since_epoch(void)
{
    unsigned int sec, min, hour, day, mon, year, b;
    bool binary;

    /* Wait out an update in progress, then read. */
    for (int i = 0; i < 100000 && (rtc_read(0x0a) & 0x80); i++)
        cpu_relax();
    sec = rtc_read(0x00);
    min = rtc_read(0x02);
    hour = rtc_read(0x04);
    day = rtc_read(0x07);
    mon = rtc_read(0x08);
    year = rtc_read(0x09);
    b = rtc_read(0x0b);
    binary = b & 0x04;
    sec = bcd(sec, binary);
    min = bcd(min, binary);
    hour = bcd(hour & 0x7f, binary) + ((!(b & 0x02) && (hour & 0x80)) ? 12 : 0);
    day = bcd(day, binary);
    mon = bcd(mon, binary);
    year = bcd(year, binary) + 2000;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
        return 0;
    return days_since_epoch(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

/*
 * The RTC's two ports as a PV guest sees them, as Xen's rtc_guest_read
 * and rtc_guest_write: every domain's index port (0x70) latches what it
 * writes and reads it back; only the control domain's data port (0x71)
 * reaches the clock, read through the latched index. Without them Linux's
 * rtc_cmos reads an update forever in progress (all ones) and polls for a
 * second at boot. Writes to the clock are dropped (Xen lets its hardware
 * domain set the clock): Paravane's wallclock comes from the boot-time
 * read, and no guest may change what the others are told.
 */
static DEFINE_SPINLOCK(rtc_lock);

bool rtc_guest_port_read(struct domain *d, uint16_t port, unsigned int size, unsigned long *val)
{
    unsigned long flags;

    if (size != 1 || (port != RTC_INDEX && port != RTC_DATA))
        return false;
    if (port == RTC_INDEX) {
        *val = d->cmos_idx;
        return true;
    }
    *val = 0xff;
    if (!d->is_privileged)
        return true;
    flags = spin_lock_irqsave(&rtc_lock);
    *val = rtc_read(d->cmos_idx & 0x7f);
    spin_unlock_irqrestore(&rtc_lock, flags);
    return true;
}

bool rtc_guest_port_write(struct domain *d, uint16_t port, unsigned int size, unsigned long val)
{
    if (size != 1 || (port != RTC_INDEX && port != RTC_DATA))
        return false;
    if (port == RTC_INDEX)
        d->cmos_idx = (uint8_t)val;
    return true;
}
