/*
 * lbench: micro-benchmarks of the costs a paravirtualised Linux pays, run
 * inside the guest (natively or as dom0 on Paravane) by
 * tests/bench/linux-bench.sh. Every figure is guest-measured with
 * clock_gettime(CLOCK_MONOTONIC) and is the best (smallest) of REPS timed
 * runs, each run long enough (TARGET_NS) that the clock's resolution and
 * the timer tick do not matter. Output, one line per metric:
 *
 *   lbench <metric>_<unit> <integer>
 *
 * plus "lbench begin" and "lbench end elapsed_ms N", which let the host
 * compare the guest's clock with its own.
 *
 * On Paravane (as dom0, whose /sys/hypervisor/version/extra says so) each
 * metric's timed runs after the first are bracketed by debug key 'f'
 * (XEN_SYSCTL_debug_keys through /dev/xen/privcmd): the hypervisor prints
 * its MMU counters on the console before and after, and lbench prints
 * "lbench-statops <metric> <operations in between>", so that the bench
 * can give the counters per operation.
 *
 * usage: lbench            run every benchmark
 *        lbench forkscale  fork+exit with one and with two processes busy
 *        lbench exit       exit at once (the program fork+exec runs)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPS          5
#define TARGET_NS     200000000ull /* a timed run lasts at least this long */
#define PAGE_SIZE     4096l
#define FAULT_PAGES   16384l    /* 64 MiB: the most one page-fault run touches */
#define COMPUTE_ITERS 20000000l /* the fixed compute loop */

static const char *self_path;

/* The hypervisor's counters, where lbench can ask for them (-1: not). */
static int privcmd = -1;

/* IOCTL_PRIVCMD_HYPERCALL's argument (Linux's xen/privcmd.h). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

/* The part of Xen 4.17's struct xen_sysctl that XEN_SYSCTL_debug_keys uses. */
struct sysctl_debug_keys {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct {
            uint64_t keys;
            uint32_t nr_keys;
        } debug_keys;
        uint8_t pad[128];
    } u;
};
#define HYPERVISOR_sysctl    35
#define SYSCTL_debug_keys    7
#define SYSCTL_IFACE_VERSION 0x15

static uint64_t now_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        perror("lbench: clock_gettime");
        exit(1);
    }
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "lbench: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Each benchmark does n operations and returns the nanoseconds they took
 * (set-up and tear-down outside the timed part). */
typedef uint64_t (*bench_fn)(long n);

static uint64_t bench_null_syscall(long n)
{
    uint64_t t0 = now_ns();

    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    return now_ns() - t0;
}

static void wait_child(pid_t pid)
{
    int status;

    if (waitpid(pid, &status, 0) != pid)
        die("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "lbench: child failed (status %#x)\n", (unsigned)status);
        exit(1);
    }
}

static uint64_t bench_fork_exit(long n)
{
    uint64_t t0 = now_ns();

    for (long i = 0; i < n; i++) {
        pid_t pid = fork();

        if (pid < 0)
            die("fork");
        if (pid == 0)
            _exit(0);
        wait_child(pid);
    }
    return now_ns() - t0;
}

/*
 * fork+exit in two processes at once, n forks between them: the time per
 * fork over both. Against bench_fork_exit on a two-vCPU guest it says
 * whether the forks of two CPUs wait for each other (the same figure) or
 * run side by side (half of it).
 */
static uint64_t bench_fork_exit_2busy(long n)
{
    uint64_t t0 = now_ns();
    pid_t w[2];

    for (int i = 0; i < 2; i++) {
        w[i] = fork();
        if (w[i] < 0)
            die("fork");
        if (w[i] == 0) {
            bench_fork_exit(i ? n - n / 2 : n / 2);
            _exit(0);
        }
    }
    wait_child(w[0]);
    wait_child(w[1]);
    return now_ns() - t0;
}

static uint64_t bench_fork_exec(long n)
{
    char *const argv[] = {(char *)self_path, (char *)"exit", NULL};
    char *const envp[] = {NULL};
    uint64_t t0 = now_ns();

    for (long i = 0; i < n; i++) {
        pid_t pid = fork();

        if (pid < 0)
            die("fork");
        if (pid == 0) {
            execve(self_path, argv, envp);
            _exit(127);
        }
        wait_child(pid);
    }
    return now_ns() - t0;
}

/* Write one byte into each of n fresh anonymous 4 KiB pages: a page fault,
 * a zeroed page and a page-table update each. Huge pages are turned off so
 * that every 4 KiB page faults on its own, as it must under Xen PV. */
static uint64_t bench_page_fault(long n)
{
    size_t len = (size_t)n * PAGE_SIZE;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t t0, t;

    if (p == MAP_FAILED)
        die("mmap");
    madvise(p, len, MADV_NOHUGEPAGE);
    t0 = now_ns();
    for (long i = 0; i < n; i++)
        ((volatile char *)p)[i * PAGE_SIZE] = 1;
    t = now_ns() - t0;
    if (munmap(p, len) != 0)
        die("munmap");
    return t;
}

/* One byte from parent to child and back over two pipes, n times. */
static uint64_t bench_pipe_roundtrip(long n)
{
    int ping[2], pong[2];
    char c = 0;
    pid_t pid;
    uint64_t t0, t;

    if (pipe(ping) != 0 || pipe(pong) != 0)
        die("pipe");
    pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        close(ping[1]);
        close(pong[0]);
        for (;;) {
            ssize_t r = read(ping[0], &c, 1);

            if (r == 0)
                _exit(0);
            if (r != 1 || write(pong[1], &c, 1) != 1)
                _exit(1);
        }
    }
    close(ping[0]);
    close(pong[1]);
    t0 = now_ns();
    for (long i = 0; i < n; i++) {
        if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
            die("pipe round trip");
    }
    t = now_ns() - t0;
    close(ping[1]);
    close(pong[0]);
    wait_child(pid);
    return t;
}

static uint64_t compute_result;

/* A fixed run of xorshift64: no memory traffic, no system calls. */
static uint64_t bench_compute(long n)
{
    uint64_t t0 = now_ns();

    for (long r = 0; r < n; r++) {
        uint64_t x = 88172645463325252ull;

        for (long i = 0; i < COMPUTE_ITERS; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        compute_result ^= x;
    }
    return now_ns() - t0;
}

/* Paravane's dom0: the counters are there to ask for. */
static void stat_open(void)
{
    char extra[64] = "";
    FILE *f = fopen("/sys/hypervisor/version/extra", "r");

    if (!f)
        return;
    if (!fgets(extra, sizeof(extra), f))
        extra[0] = 0;
    fclose(f);
    if (strstr(extra, "paravane"))
        privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
}

/* Have the hypervisor print its counters (debug key 'f'). */
static void stat_print(void)
{
    static char key = 'f';
    static struct sysctl_debug_keys op;
    static struct privcmd_hypercall call;

    if (privcmd < 0)
        return;
    memset(&op, 0, sizeof(op));
    op.cmd = SYSCTL_debug_keys;
    op.interface_version = SYSCTL_IFACE_VERSION;
    op.u.debug_keys.keys = (uint64_t)(uintptr_t)&key;
    op.u.debug_keys.nr_keys = 1;
    call.op = HYPERVISOR_sysctl;
    call.arg[0] = (uint64_t)(uintptr_t)&op;
    if (ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &call) < 0) {
        fprintf(stderr, "lbench: debug key 'f': %s (no counters)\n", strerror(errno));
        close(privcmd);
        privcmd = -1;
    }
}

/*
 * The best per-operation cost of f in ns: n doubles from 1 until a run
 * lasts TARGET_NS (or n reaches max_n), then REPS runs of that n. The
 * figure is scaled by `per` (1 for ns, 1000 for us) and rounded.
 */
static void measure(const char *name, bench_fn f, long max_n, uint64_t per)
{
    long n = 1;
    uint64_t t = f(n), best;

    while (t < TARGET_NS && n < max_n) {
        n = n * 2 > max_n ? max_n : n * 2;
        t = f(n);
    }
    best = t;
    stat_print();
    for (int r = 1; r < REPS; r++) {
        t = f(n);
        if (t < best)
            best = t;
    }
    stat_print();
    if (privcmd >= 0)
        printf("lbench-statops %s %ld\n", name, (REPS - 1) * n);
    printf("lbench %s %" PRIu64 "\n", name, (best + (uint64_t)n * per / 2) / ((uint64_t)n * per));
    printf("lbench-detail %s: %ld ops per run, best run %" PRIu64 " ns\n", name, n, best);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    uint64_t t0;

    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_path = argv[0];
    if (access(self_path, X_OK) != 0) {
        fprintf(stderr, "lbench: run me by path (%s is not executable)\n", self_path);
        return 1;
    }
    stat_open();
    t0 = now_ns();
    printf("lbench begin\n");
    if (argc > 1 && strcmp(argv[1], "forkscale") == 0) {
        measure("fork_exit_1busy_us", bench_fork_exit, 1l << 20, 1000);
        measure("fork_exit_2busy_us", bench_fork_exit_2busy, 1l << 20, 1000);
        printf("lbench end elapsed_ms %" PRIu64 "\n", (now_ns() - t0) / 1000000);
        return 0;
    }
    measure("null_syscall_ns", bench_null_syscall, 1l << 30, 1);
    measure("fork_exit_us", bench_fork_exit, 1l << 20, 1000);
    measure("fork_exec_us", bench_fork_exec, 1l << 20, 1000);
    measure("page_fault_ns", bench_page_fault, FAULT_PAGES, 1);
    measure("pipe_roundtrip_ns", bench_pipe_roundtrip, 1l << 30, 1);
    /* One run is the whole fixed loop: the figure is that loop's time. */
    measure("compute_loop_us", bench_compute, 1, 1000);
    printf("lbench compute_check %016" PRIx64 "\n", compute_result);
    printf("lbench end elapsed_ms %" PRIu64 "\n", (now_ns() - t0) / 1000000);
    return 0;
}
