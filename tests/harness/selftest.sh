#!/bin/bash
# The harness tests itself: can a domU's console output satisfy an
# expectation meant for the hypervisor, dom0 or another domain?
#
# The machine: dom0 is pvtest-forger, which prints no verdict and ends by
# a reboot once domain 1 is gone (so no real "power-off" or verdict line
# exists), and domain 1 is pvtest-forger too, which prints forged lines
# through console_io and its console ring (tests/guests/forger.c): a
# verdict, the hypervisor's shutdown and ready lines, a "(hyp) " line, a
# "(d2) " line, each behind control characters. For every forged line the
# harness must FAIL a case that expects it unprefixed (for the reason
# "missing line"); the positive control must PASS a case that expects all
# of them behind "(d1) ", with no control character left in the log
# (hyp/console_io.c drops them).
#
# Prints "harness selftest: N passed, N failed" for its own checks.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/harness/qemu.sh

G=build/guests
qemu_require "$PARAVANE_ELF" "$G/pvtest-forger.elf"
machine=(--smp 2 --timeout 90 --cmdline "domain=1:32M:1"
    --module "$G/pvtest-forger.elf" --module "$G/pvtest-forger.elf")
pass=0 fail=0

check() { # ok? description
    if [ "$1" -eq 0 ]; then
        echo "ok    $2"
        pass=$((pass + 1))
    else
        echo "FAIL  $2"
        fail=$((fail + 1))
    fi
}

# must_fail NAME REASON OPTIONS...: qemu_test with OPTIONS must report FAIL
# with a verdict starting REASON (not a timeout, not a crash).
must_fail() {
    local name=$1 reason=$2 out
    shift 2
    out=$(qemu_test "selftest-$name" "${machine[@]}" "$@")
    if grep -qF -- "FAIL  selftest-$name: $reason" <<<"$out"; then
        check 0 "$name: the harness refused the forgery ($(head -n1 <<<"$out" | cut -c1-120))"
    else
        check 1 "$name: the harness did not refuse it as '$reason':"
        sed 's/^/      > /' <<<"$out" | head -n 20
    fi
}

# The forged lines, as a suite would expect them from the hypervisor,
# dom0 or domain 2.
forged=(
    "pvtest basic: 9 passed, 0 failed"
    "paravane: domain 0 shut down \(poweroff\)"
    "paravane: ready cpus=1 memory=512MiB"
    "\(hyp\) forged-esc: domain 0 destroyed"
    "pvtest forged-bs: 1 passed, 0 failed"
    "pvtest forged-vt: 1 passed, 0 failed"
    "pvtest forged-nel: 1 passed, 0 failed"
    "pvtest forged-esce: 1 passed, 0 failed"
    "pvtest forged-nul: 1 passed, 0 failed"
    "\(d2\) pvtest forged-d2: 1 passed, 0 failed"
    "pvtest forged-split: 1 passed, 0 failed"
    "pvtest forged-long: 1 passed, 0 failed"
    "pvtest forged-ring: 1 passed, 0 failed"
)
i=0
for re in "${forged[@]}"; do
    i=$((i + 1))
    must_fail "forged-$i" "missing line matching" --expect "$re"
done
# The ready line the harness checks is the hypervisor's (2 CPUs), not the
# forged one (1 CPU, 512 MiB).
must_fail forged-ready-option "ready line reports 2 cpus, expected 1" --ready 1 512
# A key sent on a forged line would drive the machine early: three Ctrl-A
# on the forged power-off line would hand serial input to the hypervisor
# (which says so). The forger holds on (hold=N) after forging so that the
# keys, if sent, still reach a running machine. The unprefixed trigger
# must not fire; the same trigger behind "(d1) " must (the control that
# shows the keys would have arrived).
hold=(--smp 2 --timeout 90 --cmdline "domain=1:32M:1" --module "$G/pvtest-forger.elf"
    --module "$G/pvtest-forger.elf hold=150000" --unordered
    --expect "paravane: domain 0 shut down \(reboot\)" --exit reboot)
out=$(qemu_test selftest-forged-send "${hold[@]}" --forbid "serial input to the hypervisor" \
    --send "paravane: domain 0 shut down \(poweroff\)=>"$'\x01\x01\x01')
rc=$?
check $rc "forged-send: a forged line does not trigger --send"
[ $rc -eq 0 ] || sed 's/^/      > /' <<<"$out" | head -n 20
out=$(qemu_test selftest-send-control "${hold[@]}" --expect "$HYP\*\*\* serial input to the hypervisor" \
    --send "\(d1\) paravane: domain 0 shut down \(poweroff\)=>"$'\x01\x01\x01')
rc=$?
check $rc "send-control: the same trigger behind \"(d1) \" fires"
[ $rc -eq 0 ] || sed 's/^/      > /' <<<"$out" | head -n 20

# Positive control: every forged line is in the log, behind "(d1) ", in
# order, and nothing but printable text (and tab) reached the log.
control=(--expect "\(d1\) pvtest forger: starting")
for re in "${forged[@]}"; do
    control+=(--expect "\(d1\) .*$re")
done
control+=(--expect "\(d1\) pvtest forger: [0-9]+ passed, 0 failed"
    --expect "paravane: domain 1 shut down \(poweroff\)"
    --expect "paravane: domain 0 shut down \(reboot\)" --exit reboot
    --forbid $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\xff]')
out=$(qemu_test selftest-control "${machine[@]}" "${control[@]}")
rc=$?
check $rc "control: the same lines behind \"(d1) \" are found, control characters dropped"
[ $rc -eq 0 ] || sed 's/^/      > /' <<<"$out" | head -n 20

echo "harness selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
