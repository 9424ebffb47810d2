#!/bin/bash
# Guest-measured costs of the PV paths, in one run under QEMU's icount mode
# (-icount shift=0,sleep=off, one CPU: guest time follows the instruction
# count, so the figures repeat whatever else the machine does): an
# interdomain event-channel round trip and a grant map+unmap pair, beside
# a null hypercall measured in the same run.
set -u
cd "$(dirname "$0")/../.."
log=$(mktemp)
timeout 300 qemu-system-x86_64 -accel tcg -cpu qemu64 -icount shift=0,sleep=off -smp 1 -m 512 \
    -display none -no-reboot -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/paravane.elf -append "domain=1:32M:1 loglvl=warning" \
    -initrd "build/guests/pvtest-pair.elf wait=1,build/guests/pvtest-pair.elf" \
    -serial file:"$log" >/dev/null 2>&1
rt=$(sed -n 's/.*bench evtchn round trip \([0-9]*\) ns.*/\1/p' "$log")
gm=$(sed -n 's/.*bench grant map+unmap \([0-9]*\) ns.*/\1/p' "$log")
nh=$(sed -n 's/.*bench null hypercall \([0-9]*\) ns.*/\1/p' "$log")
tl=$(sed -n 's/.*bench singleshot timer lateness \([0-9]*\) ns.*/\1/p' "$log")
rm -f "$log"
if [ -z "$rt" ] || [ -z "$gm" ] || [ -z "$nh" ] || [ -z "$tl" ]; then
    echo "pv-bench: the benchmark guests did not report"
    exit 1
fi
printf '%-36s %10s %12s\n' "PV path (guest-measured, icount)" "ns" "x null call"
printf '%-36s %10s %12s\n' "null hypercall (xen_version)" "$nh" "1.0"
printf '%-36s %10s %12s\n' "event channel round trip" "$rt" "$(awk "BEGIN {printf \"%.1f\", $rt / $nh}")"
printf '%-36s %10s %12s\n' "grant map + unmap" "$gm" "$(awk "BEGIN {printf \"%.1f\", $gm / $nh}")"
printf '%-36s %10s %12s\n' "singleshot timer lateness (worst)" "$tl" "-"
