#!/bin/bash
# Run the request-path fuzz target for a bounded time (XS_FUZZ_SECONDS,
# default 30) from a seed corpus of well-formed requests, and report
# "1 passed, 0 failed" unless libFuzzer found a crash, leak or oracle
# failure (then the reproducer is left in build/tests/xenstore-lite/).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/xs_fuzz" ]; then # the copy make puts beside the binary
    out=$here
    root=$(cd "$here/../../.." && pwd)
else
    root=$(cd "$here/../.." && pwd)
    out=$root/build/tests/xenstore-lite
fi
fuzz=$out/xs_fuzz
secs=${XS_FUZZ_SECONDS:-30}
corpus=$(mktemp -d /tmp/xs-fuzz-XXXXXX)
trap 'rm -rf "$corpus"' EXIT

# Seeds: one file per request type, selector byte first (see fuzz_request.c:
# 0xfc = dom0, 0xfd = guest 1, 64 bytes each).
le32() { # a 32-bit little-endian integer as printf escapes
    printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
        $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}
seed() { # name selector type payload ('|' stands for NUL)
    local len=${#4}
    {
        printf '%b' "$2"
        printf '%b' "$(le32 "$3")$(le32 1)$(le32 0)$(le32 "$len")"
        printf '%s' "$4" | tr '|' '\0'
    } >"$corpus/$1"
}
seed read   '\xfd' 2 '/keep|'
seed write  '\xfd' 11 'x|value'
seed mkdir  '\xfc' 12 '/a/b/c|'
seed rm     '\xfc' 13 '/keep|'
seed dir    '\xfd' 1 '/local/domain|'
seed dirp   '\xfc' 22 '/|0|'
seed perms  '\xfd' 14 'x|n1|r0|'
seed gperms '\xfc' 3 '@releaseDomain|'
seed watch  '\xfd' 4 'x|tok|'
seed txn    '\xfd' 6 '|'
seed txend  '\xfd' 7 'T|'
seed intro  '\xfc' 8 '5|4096|3|'
seed path   '\xfc' 10 '3|'
seed ctrl   '\xfc' 0 'check|'
seed intro2 '\xfc' 8 '2|1|1|'

# -detect_leaks=0: node versions are freed after an RCU grace period, so
# an input's mallocs and frees never balance and libFuzzer would scan the
# heap after every input. Leaks are still caught: LeakSanitizer checks at
# exit (and fails the run), and the Check suite runs under it too.
"$fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -detect_leaks=0 \
    -artifact_prefix="$out/" -dict="$root/tests/xenstore-lite/fuzz.dict" "$corpus" 2>&1 | tail -25
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ]; then
    echo "fuzz: 1 passed, 0 failed"
else
    echo "fuzz: 0 passed, 1 failed"
fi
[ "$rc" -eq 0 ]
