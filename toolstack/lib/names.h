/*
 * Domain names, until xenstore keeps them: one small file per domain under
 * /run/vane (VANE_RUN_DIR overrides it), "NAME\nSTART_TIME\n", written by
 * `vane create` and removed by its keeper or `vane destroy`. Every command
 * reads them to show a name or to find a domain by its name.
 */
#ifndef VANE_NAMES_H
#define VANE_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define VANE_NAME_MAX 128 /* a buffer this long holds any name set */

/* Record dom's name, and now as its start time: 0 or -errno. */
int vane_name_set(uint16_t dom, const char *name);
/* Rename dom, keeping the start time its record has (none if it had none): 0 or -errno. */
int vane_name_rename(uint16_t dom, const char *name);
/* dom's recorded name into buf (NUL-terminated): 0, or -ENOENT if none. */
int vane_name_get(uint16_t dom, char *buf, size_t len);
/* When dom's name was first recorded (its creation): 0 or -ENOENT. */
int vane_name_start_time(uint16_t dom, time_t *when);
/* The lowest domain id recorded under `name`, or -ENOENT. */
int vane_name_find(const char *name);
/* Forget dom's name (nothing if it had none). */
void vane_name_clear(uint16_t dom);

#endif
