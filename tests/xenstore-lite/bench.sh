#!/bin/bash
# make bench: the same load (xs_bench: writes, reads, directory listings,
# transactions, watches firing) against xenstore-lite and, in the same
# run, against Debian's xenstored (package xen-utils-4.17) on a unix
# socket, then the ratio per phase. Debian's daemon starts without Xen
# through bench_shim.c; when it cannot be had (not root to install it,
# or it does not come up) only our figures are printed.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=build/xenstore-lite/bench
secs=${XS_BENCH_SECONDS:-2}
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

run() { # label socket
    "$out/xs_bench" "$2" "$secs" | sed "s/^phase/$1/" | tee "$dir/$1.txt"
    return "${PIPESTATUS[0]}"
}

# Ours.
"$out/xenstored" --socket "$dir/lite.sock" &
pid=$!
wait_socket "$dir/lite.sock" || { echo "bench: xenstore-lite did not start"; exit 1; }
run xenstore-lite "$dir/lite.sock" || { echo "bench: xenstore-lite run failed"; exit 1; }
stop

# Debian's, when it can be had.
if [ ! -x "$debian" ] && [ "$(id -u)" -eq 0 ]; then
    echo "bench: installing xen-utils-4.17 for the comparison"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        xen-utils-4.17 >/dev/null 2>&1
fi
if [ ! -x "$debian" ]; then
    echo "bench: Debian's xenstored is not installed: no ratio"
    exit 0
fi
mkdir -p "$dir/xen"
echo 1 >"$dir/xen/xsd_port"
head -c 4096 /dev/zero >"$dir/xen/xsd_kva"
XS_SHIM_DIR=$dir/xen XENSTORED_RUNDIR=$dir/xen LD_PRELOAD=$PWD/$out/shim.so \
    "$debian" -N >"$dir/xen/log" 2>&1 &
pid=$!
if ! wait_socket "$dir/xen/socket"; then
    echo "bench: Debian's xenstored did not come up: no ratio"
    cat "$dir/xen/log"
    exit 0
fi
run xenstored "$dir/xen/socket" || { echo "bench: xenstored run failed"; exit 1; }
stop

echo "ratio (xenstore-lite / Debian xenstored 4.17, same load, same machine):"
paste -d' ' <(awk '{print $2, $3}' "$dir/xenstore-lite.txt") <(awk '{print $3}' "$dir/xenstored.txt") |
    awk '{ printf "ratio %-11s %6.2fx  (%s vs %s ops/s)\n", $1, $2 / $3, $2, $3 }'
