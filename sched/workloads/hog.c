/*
 * vw-hog [-r SECS]: a CPU hog for a Linux guest that says how much work
 * it did: it spins counting loops and, every second of the guest's
 * clock, prints "hog: N Mloops in the last s, T total" (N falls when the
 * scheduler gives it less of a pCPU). With -r it stops after SECS
 * seconds and prints "hog: done, T Mloops in SECS s".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double start, last, secs = 0;
    unsigned long total = 0, since = 0;
    int opt;

    while ((opt = getopt(argc, argv, "r:")) != -1) {
        if (opt != 'r') {
            fprintf(stderr, "usage: vw-hog [-r SECS]\n");
            return 2;
        }
        secs = strtod(optarg, NULL);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    start = last = now_s();
    for (;;) {
        double t;

        for (volatile unsigned long i = 0; i < 1000000; i++)
            ;
        total++;
        since++;
        t = now_s();
        if (t - last >= 1.0) {
            printf("hog: %lu Mloops in the last s, %lu total\n",
                   (unsigned long)(since / (t - last)), total);
            since = 0;
            last = t;
        }
        if (secs > 0 && t - start >= secs) {
            printf("hog: done, %lu Mloops in %.1f s\n", total, t - start);
            return 0;
        }
    }
}
