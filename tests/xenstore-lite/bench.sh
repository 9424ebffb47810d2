#!/bin/bash
# make bench: the same load (xs_bench: writes, reads, directory listings,
# transactions, watches firing) against xenstore-lite and, in the same
# run, against Debian's xenstored (package xen-utils-4.17) on a unix
# socket, then the ratio per phase. The two alternate for
# XS_BENCH_ROUNDS rounds (default 3) of XS_BENCH_SECONDS per phase
# (default 2) and the medians are compared, so a burst of other load on
# the machine skews one round, not the ratio. Debian's daemon starts
# without Xen through bench_shim.c; when it cannot be had (not root to
# install it, or it does not come up) only our figures are printed.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=build/xenstore-lite/bench
secs=${XS_BENCH_SECONDS:-2}
rounds=${XS_BENCH_ROUNDS:-3}
debian=/usr/lib/xen-4.17/bin/xenstored
dir=$(mktemp -d /tmp/xs-bench-XXXXXX)
pid=
stop() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    pid=
}
trap 'stop; rm -rf "$dir"' EXIT

wait_socket() {
    for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
    return 1
}

run() { # label socket round; also records the daemon's resident memory
    "$out/xs_bench" "$2" "$secs" | sed "s/^phase/$1 round $3/" | tee -a "$dir/$1.txt"
    local rc=${PIPESTATUS[0]}
    echo "$1 round $3 rss-kB $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")" |
        tee -a "$dir/$1.txt"
    return "$rc"
}

lite() { # round
    rm -f "$dir/lite.sock"
    "$out/xenstored" --socket "$dir/lite.sock" &
    pid=$!
    wait_socket "$dir/lite.sock" || { echo "bench: xenstore-lite did not start"; exit 1; }
    run xenstore-lite "$dir/lite.sock" "$1" || { echo "bench: xenstore-lite run failed"; exit 1; }
    stop
}

xen() { # round; returns 1 if Debian's daemon does not come up
    rm -rf "$dir/xen"
    mkdir -p "$dir/xen"
    echo 1 >"$dir/xen/xsd_port"
    head -c 4096 /dev/zero >"$dir/xen/xsd_kva"
    XS_SHIM_DIR=$dir/xen XENSTORED_RUNDIR=$dir/xen LD_PRELOAD=$PWD/$out/shim.so \
        "$debian" -N >"$dir/xen/log" 2>&1 &
    pid=$!
    if ! wait_socket "$dir/xen/socket"; then
        cat "$dir/xen/log"
        stop
        return 1
    fi
    run xenstored "$dir/xen/socket" "$1" || { echo "bench: xenstored run failed"; exit 1; }
    stop
}

# Median ops/s per phase of one daemon's rounds: "phase value" lines.
medians() {
    awk '{ print $4, $5 }' "$1" | sort -k1,1 -k2,2n |
        awk '{ v[$1] = v[$1] " " $2; n[$1]++ }
             END { for (p in v) { split(substr(v[p], 2), a, " "); print p, a[int((n[p] + 1) / 2)] } }' |
        sort
}

# Debian's, when it can be had.
if [ ! -x "$debian" ] && [ "$(id -u)" -eq 0 ]; then
    echo "bench: installing xen-utils-4.17 for the comparison"
    # (apt's lists may be missing on a fresh machine: update once if needed)
    for attempt in install update-then-install; do
        [ $attempt = update-then-install ] && apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            xen-utils-4.17 >/dev/null 2>&1 && break
    done
fi
compare=1
if [ ! -x "$debian" ]; then
    echo "bench: Debian's xenstored is not installed: no ratio"
    compare=0
fi
for r in $(seq "$rounds"); do
    lite "$r"
    if [ $compare = 1 ] && ! xen "$r"; then
        echo "bench: Debian's xenstored did not come up: no ratio"
        compare=0
    fi
done
echo "median of $rounds rounds, ops/s:"
medians "$dir/xenstore-lite.txt" | awk '{ printf "xenstore-lite %-11s %10s\n", $1, $2 }'
[ $compare = 1 ] || exit 0
medians "$dir/xenstored.txt" | awk '{ printf "xenstored     %-11s %10s\n", $1, $2 }'
echo "ratio (xenstore-lite / Debian xenstored 4.17, same load, same machine, medians;"
echo "       ops/s: higher is better for us; rss-kB, memory with 10k nodes: lower is):"
join <(medians "$dir/xenstore-lite.txt") <(medians "$dir/xenstored.txt") |
    awk '{ printf "ratio %-11s %6.2fx  (%s vs %s %s)\n", $1, $2 / $3, $2, $3,
                  $1 == "rss-kB" ? "kB" : "ops/s" }'
