#!/bin/bash
# Golden schedules: run every tests/sched/golden/*.scn through sched-sim
# with --trace and compare the schedule and the summary with the .ok next
# to it. UPDATE=1 rewrites the .ok files (review the diff before committing).
# Prints "N passed, N failed" last; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/../.."
sim=${SCHED_SIM:-build/sched/sched-sim}
pass=0 fail=0
if [ ! -x "$sim" ]; then
    echo "run-goldens: $sim not built (make $sim)"
    echo "0 passed, 1 failed"
    exit 1
fi
for scn in tests/sched/golden/*.scn; do
    ok=${scn%.scn}.ok
    out=$("$sim" --no-plots --trace "$scn" 2>&1)
    rc=$?
    if [ "${UPDATE:-0}" = 1 ] && [ $rc -eq 0 ]; then
        printf '%s\n' "$out" >"$ok"
    fi
    if [ $rc -eq 0 ] && [ -f "$ok" ] && diff -u "$ok" <(printf '%s\n' "$out") >/tmp/sched-golden.$$; then
        pass=$((pass + 1))
    else
        echo "golden: $scn differs from $ok (rc=$rc):"
        head -40 /tmp/sched-golden.$$ 2>/dev/null
        fail=$((fail + 1))
    fi
done
rm -f /tmp/sched-golden.$$
echo "sched goldens: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
