#!/bin/bash
# Differential test: the scripts in tests/xenstore-lite/differential/ run
# through xs_replay against xenstore-lite and against Xen's own xenstored
# (Debian's xen-utils-4.17, started without Xen through bench_shim.c);
# their transcripts must be identical. Xen's daemon is the reference for
# behaviour, so this checks our semantics against it, not against our
# reading of the docs. Guests are in the comparison too: their rings are
# files and their kicks go through a FIFO (the daemon's --file-rings;
# bench_shim.c for xenstored). The scripts leave out the deliberate
# differences (README.md): strict number parsing, and RELEASE also
# dropping permission entries that name the released domain. Installs xen-utils-4.17 when root; without it the
# suite prints "SKIP differential: ..." and "0 passed, 0 failed, 1 skipped".
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/xs_replay" ]; then # the copy make puts beside the binary
    tout=$here
    root=$(cd "$here/../../.." && pwd)
else
    root=$(cd "$here/../.." && pwd)
    tout=$root/build/tests/xenstore-lite
fi
cd "$root" || exit 1
out=build/xenstore-lite
debian=/usr/lib/xen-4.17/bin/xenstored
dir=$(mktemp -d /tmp/xs-diff-XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$dir"
}
trap cleanup EXIT

if [ ! -x "$debian" ] && [ "$(id -u)" -eq 0 ]; then
    # (apt's lists may be missing on a fresh machine: update once if needed)
    for attempt in install update-then-install; do
        [ $attempt = update-then-install ] && apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            xen-utils-4.17 >/dev/null 2>&1 && break
    done
fi
if [ ! -x "$debian" ]; then
    echo "SKIP differential: the reference, Debian's xenstored ($debian, xen-utils-4.17), is not installed"
    echo "differential: 0 passed, 0 failed, 1 skipped"
    exit 0
fi

wait_socket() {
    for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
    return 1
}

pass=0 fail=0
for script in tests/xenstore-lite/differential/*.in; do
    name=$(basename "$script" .in)
    # fresh daemons for each script, same quotas, guests' rings as files
    rm -rf "$dir/xen" "$dir/lite" "$dir/lite.sock"
    mkdir -p "$dir/xen" "$dir/lite"
    mkfifo "$dir/xen/kick" "$dir/lite/kick"
    echo 1 >"$dir/xen/xsd_port"
    head -c 4096 /dev/zero >"$dir/xen/xsd_kva"
    "$out/xenstored" --socket "$dir/lite.sock" --file-rings "$dir/lite" --quota nodes=50 \
        --quota watches=8 --quota transactions=3 --quota node-size=256 --quota permissions=3 &
    pids+=($!)
    XS_SHIM_DIR=$dir/xen XENSTORED_RUNDIR=$dir/xen LD_PRELOAD=$root/$out/bench/shim.so \
        "$debian" -N -E 50 -W 8 -t 3 -S 256 -A 3 >"$dir/xen/log" 2>&1 &
    pids+=($!)
    if ! wait_socket "$dir/lite.sock" || ! wait_socket "$dir/xen/socket"; then
        echo "differential: a daemon did not start"
        cat "$dir/xen/log"
        exit 1
    fi
    "$tout/xs_replay" "$dir/lite.sock" "$script" "$dir/lite" >"$dir/$name.lite"
    "$tout/xs_replay" "$dir/xen/socket" "$script" "$dir/xen" >"$dir/$name.xen"
    ok=1
    if ! diff -u --label "xenstored 4.17" --label xenstore-lite "$dir/$name.xen" "$dir/$name.lite"; then
        echo "differential: $name differs from Xen's xenstored (above)"
        ok=0
    fi
    # ours (pids[0], the sanitizer build) must exit cleanly: no leak
    kill "${pids[0]}" && wait "${pids[0]}"
    lite_rc=$?
    kill "${pids[1]}" 2>/dev/null
    wait "${pids[1]}" 2>/dev/null
    pids=()
    if [ "$lite_rc" -ne 0 ]; then
        echo "differential: $name: xenstore-lite exited with $lite_rc (leak or crash)"
        ok=0
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done
echo "differential: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
