#!/bin/bash
# Run every test suite given on the command line and add up their results.
#
# A suite is a command. It prints either Check's summary line
# ("NN%: Checks: T, Failures: F, Errors: E") or a plain "N passed, N failed"
# line (optionally followed by ", N skipped") as its closing summary (the
# last such line counts), and exits non-zero on failure.
# A suite that exits non-zero without any summary counts as one failure.
# A suite or case that cannot run here (its inputs are missing) prints
# "SKIP <name>: <reason>" at the start of a line; each such line counts
# as one skipped. A suite whose summary counts nothing (0 passed, 0
# failed) without any SKIP line ran nothing, which is a failure: a
# missing input must be seen, not pass silently.
#
# The closing line is "total: N passed, N failed, N skipped" (CI reads
# "N passed, N failed" and the optional ", N skipped").
set -u
total_pass=0
total_fail=0
total_skip=0
failed_suites=()
skipped=()
logdir=${TEST_LOG_DIR:-build/test-logs}
mkdir -p "$logdir"

for suite in "$@"; do
    name=$(basename "$suite")
    log="$logdir/$name.log"
    echo "=== suite $name"
    "$suite" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    pass=0 fail=0 seen=0 skip=0
    while read -r line; do
        if [[ $line =~ Checks:\ ([0-9]+),\ Failures:\ ([0-9]+),\ Errors:\ ([0-9]+) ]]; then
            t=${BASH_REMATCH[1]} f=$((BASH_REMATCH[2] + BASH_REMATCH[3]))
            pass=$((t - f)) fail=$f seen=1
        elif [[ $line =~ (^|[[:space:]])([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
            pass=${BASH_REMATCH[2]} fail=${BASH_REMATCH[3]} seen=1
        fi
        if [[ $line =~ ^SKIP\ ([^:]+): ]]; then
            skip=$((skip + 1))
            skipped+=("${BASH_REMATCH[1]}")
        fi
    done < <(sed 's/\x1b\[[0-9;]*m//g' "$log")
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
        fail=$((fail + 1))
    fi
    if [ "$seen" -eq 1 ] && [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$skip" -eq 0 ]; then
        echo "run-suites: $name ran no test and printed no SKIP line: counted as a failure"
        fail=1
    fi
    [ "$seen" -eq 0 ] && [ "$rc" -eq 0 ] && pass=$((pass + 1))
    [ "$fail" -gt 0 ] && failed_suites+=("$name")
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    total_skip=$((total_skip + skip))
done

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
    echo "failed suites: ${failed_suites[*]}"
fi
if [ ${#skipped[@]} -gt 0 ]; then
    echo "skipped: ${skipped[*]}"
fi
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
