/*
 * A disk's vdev (its name for the guest) as the device number the
 * front-end is given in device/vbd/N/virtual-device, with libxl's rules
 * (xen-vbd-interface(7)):
 *
 *   xvdX[P]   disk <= 15, partition <= 15: (202 << 8) | disk << 4 | P
 *             otherwise the extended form:  1 << 28 | disk << 8 | P
 *   dNpP      the same numbers, written out
 *   hdX[P]    IDE: disks 0-3, partitions up to 63
 *   sdX[P]    SCSI: disks 0-15, partitions up to 15
 *   N         a number, as it is
 *
 * Drive letters count as spreadsheet columns do: a..z are 0..25, aa is 26.
 */
#include "xlcfg.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * `v` is `prefix`, letters and an optional partition number with no
 * leading zero: its disk and partition within the given limits.
 */
static bool lettered(const char *v, const char *prefix, long max_disk, long max_part, long *disk,
                     long *part)
{
    size_t n = strlen(prefix);
    const char *p = v + n;
    char *end;
    long d = -1;

    if (strncmp(v, prefix, n) || *p < 'a' || *p > 'z')
        return false;
    for (; *p >= 'a' && *p <= 'z'; p++) {
        d = (d + 1) * 26 + (*p - 'a');
        if (d > max_disk)
            return false;
    }
    *disk = d;
    if (!*p) {
        *part = 0;
        return true;
    }
    if (*p < '1' || *p > '9')
        return false;
    errno = 0;
    *part = strtol(p, &end, 10);
    return !errno && !*end && *part <= max_part;
}

/* "dNpP": digits only, no sign or blank, within the limits. */
static bool numbered(const char *v, long *disk, long *part)
{
    char *end;

    if (v[0] != 'd' || v[1] < '0' || v[1] > '9')
        return false;
    errno = 0;
    *disk = strtol(v + 1, &end, 10);
    if (errno || *end != 'p' || end[1] < '0' || end[1] > '9')
        return false;
    *part = strtol(end + 1, &end, 10);
    return !errno && !*end && *disk < (1L << 20) && *part < 256;
}

int xlcfg_vdev_number(const char *vdev)
{
    long disk, part;
    char *end;

    if (!vdev || !*vdev)
        return -1;
    if (numbered(vdev, &disk, &part) || lettered(vdev, "xvd", (1L << 20) - 1, 255, &disk, &part)) {
        if (disk <= 15 && part <= 15)
            return (int)((202 << 8) | (disk << 4) | part);
        return (int)((1L << 28) | (disk << 8) | part);
    }
    if (vdev[0] >= '0' && vdev[0] <= '9') {
        unsigned long n;

        errno = 0;
        n = strtoul(vdev, &end, 0);
        return !errno && !*end && n <= INT_MAX ? (int)n : -1;
    }
    if (lettered(vdev, "hd", 3, 63, &disk, &part))
        return (int)(((disk < 2 ? 3 : 22) << 8) | ((disk & 1) << 6) | part);
    if (lettered(vdev, "sd", 15, 15, &disk, &part))
        return (int)((8 << 8) | (disk << 4) | part);
    return -1;
}
