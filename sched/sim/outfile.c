/*
 * The files the simulator and xentrace-convert write their results to,
 * one place for both: DIR/NAME created (or emptied) for writing.
 */
#include "sim.h"
#include <errno.h>
#include <string.h>

FILE *sim_create_file(const char *prog, const char *dir, const char *name)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
    return f;
}
