#!/bin/bash
# Xen's own xenstore test program (tools/tests/xenstore, installed by
# Debian's xen-utils-4.17 as test-xenstore) against xenstore-lite over a
# private unix socket: every stage (reads, writes, directories, removals,
# and the transactions: empty, read-modify-write, abort, and "ta err",
# a conflict with another connection's commit) must pass, once and then
# five times over. The daemon is the sanitizer build: it must then exit
# cleanly (no leak, no crash). Installs xen-utils-4.17 when root; without
# it the suite prints "SKIP test-xenstore: ...".
set -u
cd "$(dirname "$0")/../.." || exit 1
prog=/usr/lib/xen-4.17/bin/test-xenstore
if [ ! -x "$prog" ] && [ "$(id -u)" -eq 0 ]; then
    for attempt in install update-then-install; do
        [ $attempt = update-then-install ] && apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            xen-utils-4.17 >/dev/null 2>&1 && break
    done
fi
if [ ! -x "$prog" ]; then
    echo "SKIP test-xenstore: $prog (xen-utils-4.17) is not installed"
    exit 0
fi

dir=$(mktemp -d /tmp/xs-test-XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

build/xenstore-lite/xenstored --socket "$dir/socket" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do [ -S "$dir/socket" ] && break; sleep 0.05; done
export XENSTORED_PATH=$dir/socket

pass=0 fail=0
for iterations in 1 5; do
    # one line per stage: "name : N ns" (or "avg: ... ns)") when it
    # passed, "name : failed (...)" when not
    out=$(timeout 120 "$prog" -i $iterations 2>&1)
    rc=$?
    echo "$out" | sed "s/^/  [-i $iterations] /"
    ok=$(echo "$out" | grep -c " ns)\?$")
    bad=$(echo "$out" | grep -c 'failed')
    pass=$((pass + ok))
    fail=$((fail + bad))
    if [ $rc -ne 0 ] && [ $bad -eq 0 ]; then
        echo "test-xenstore -i $iterations: exit status $rc"
        fail=$((fail + 1))
    fi
done
kill "$pid" && wait "$pid"
rc=$?
pid=
if [ $rc -ne 0 ]; then
    echo "test-xenstore: xenstore-lite exited with $rc (leak or crash)"
    cat "$dir/log"
    fail=$((fail + 1))
fi
echo "test-xenstore: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
