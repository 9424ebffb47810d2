#!/bin/bash
# Guest-measured costs of the PV paths, in one run under QEMU's icount mode
# (-icount shift=0,sleep=off, one CPU: guest time follows the instruction
# count, so the figures repeat whatever else the machine does): an
# interdomain event-channel round trip and a grant map+unmap pair, beside
# a null hypercall measured in the same run. Then, in wall-clock mode on
# two CPUs (QEMU runs them in two host threads), whether the PV MMU lets
# two vCPUs work at once: pin+unpin of an L2 over 8 L1s by one vCPU, then
# by two at once on tables of their own (tests/guests/isolation.c,
# mmbench=1). PV_BENCH_HYP: another hypervisor image to run that on too.
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

# mm_scale IMAGE: the isolation guest's mmbench line, as dom0 with 2 vCPUs.
mm_scale() {
    local log
    log=$(mktemp)
    timeout 300 qemu-system-x86_64 -accel tcg -cpu qemu64 -smp 2 -m 512 \
        -display none -no-reboot -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$1" -append "dom0_max_vcpus=2 loglvl=warning" \
        -initrd "build/guests/pvtest-isolation.elf mmbench=1" -serial file:"$log" >/dev/null 2>&1
    sed -n 's/.*bench mm pin+unpin of an L2 over 8 L1s: 1 vCPU \([0-9]*\) cycles, 2 vCPUs \([0-9]*\) cycles.*/\1 \2/p' "$log"
    rm -f "$log"
}
echo
printf '%-36s %10s %10s %8s\n' "PV MMU, 2 CPUs, wall clock" "1 vCPU" "2 vCPUs" "2/1"
for img in build/paravane.elf ${PV_BENCH_HYP:-}; do
    read -r one two <<<"$(mm_scale "$img")"
    if [ -z "${one:-}" ] || [ -z "${two:-}" ]; then
        echo "pv-bench: $img: the mmbench guest did not report"
        exit 1
    fi
    printf '%-36s %10s %10s %8s\n' "pin+unpin, TSC cycles/op ($(basename "$(dirname "$(dirname "$img")")"))" \
        "$one" "$two" "$(awk -v a="$two" -v b="$one" 'BEGIN {printf "%.2f", a / b}')"
done
