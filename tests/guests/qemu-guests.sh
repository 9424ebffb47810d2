#!/bin/bash
# PV test kernels under QEMU: each prints "pvtest <name>: N passed, N failed"
# and powers off; dom0's power-off ends QEMU with success.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

G=build/guests
verdict() { echo "pvtest $1: [0-9]+ passed, 0 failed"; }

qemu_test guest-basic-smp1 --smp 1 --module "$G/pvtest-basic.elf" \
    --expect "$(verdict basic)" --expect "domain 0 shut down \(poweroff\)" --exit success
qemu_test guest-basic-smp2 --smp 2 --cmdline "sched=sedf" --module "$G/pvtest-basic.elf" \
    --expect "$(verdict basic)" --exit success

qemu_summary
