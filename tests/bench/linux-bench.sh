#!/bin/bash
# Linux natively and on Paravane, in one run: the same Debian kernel boots
# twice under QEMU (TCG, qemu64, one CPU each) on the same initramfs
# (build/linux/bench.cpio.gz), whose /init runs lbench (tests/bench/lbench.c)
# and powers off:
#
#   native    /boot/vmlinuz-* as QEMU's -kernel, RAM = dom0_mem + 2 MiB
#             (the 2 MiB stand for what the PC firmware keeps for itself)
#   paravane  build/paravane.elf with the same kernel, extracted to
#             build/guests/vmlinux-debian.elf, as dom0 with dom0_mem and
#             one vCPU (the machine has more RAM: the hypervisor's own)
#
# One CPU each: the numbers then do not depend on how the host schedules two
# vCPU threads, and the bench leaves the host's other core to other work.
#
# Every figure but the boot time is guest-measured (CLOCK_MONOTONIC, best
# of 5 runs) and printed per boot with the ratio paravane/native. The time
# from power-on to /init is host-measured: from QEMU's start to the serial
# line "Run /init as init process" (wall clock, so it includes QEMU loading
# the images); the kernel's own printk stamp on that line is shown too.
# Under TCG without icount the guest clocks follow the host's wall clock,
# so the figures move with the host's load: compare the ratios. Each boot's
# guest clock is checked against the host's over the lbench run.
#
# Environment: LBENCH_ROUNDS (pairs of boots, default 2; each figure is the
# best over them), LBENCH_MEM (dom0_mem and native RAM in MiB, default 256),
# LBENCH_HYP_MEM (Paravane's machine, default 512), LBENCH_TIMEOUT (seconds
# per boot, default 900), LBENCH_ICOUNT (e.g. shift=0,sleep=off: QEMU's
# icount, where guest time counts instructions, so the figures repeat
# whatever the host does but leave out what instructions do not show, such
# as the emulator's cost of a TLB flush; a round then takes ~8 minutes),
# QEMU. Logs: build/test-logs/bench/linux-*.log, each serial line prefixed
# with the host's seconds since QEMU started.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
. tests/harness/qemu.sh

MEM=${LBENCH_MEM:-256}
HYP_MEM=${LBENCH_HYP_MEM:-512}
TIMEOUT=${LBENCH_TIMEOUT:-900}
ROUNDS=${LBENCH_ROUNDS:-2}
ICOUNT=${LBENCH_ICOUNT:-}
LOG_DIR=build/test-logs/bench
HYP=build/paravane.elf
K=build/guests/vmlinux-debian.elf
R=build/linux/bench.cpio.gz
# The kernel vmlinux-debian.elf was extracted from (hypercall-abi/rules.mk).
# shellcheck disable=SC2012
VMLINUZ=$(ls -v /boot/vmlinuz-* 2>/dev/null | tail -n 1)
CHECK="paravane.check=/bin/paravane-bench"

for f in "$HYP" "$K" "$R" "$VMLINUZ"; do
    if [ ! -f "$f" ]; then
        echo "linux-bench: ${f:-/boot/vmlinuz-*} missing (make all builds what is under build/)"
        exit 1
    fi
done
mkdir -p "$LOG_DIR"

# boot NAME QEMU-ARGS...: run QEMU with the serial port on a pipe, each line
# stamped with the host's time on arrival; the log gets the seconds since
# QEMU started. Sets boot_status (QEMU's exit status, 124 on timeout) and
# boot_secs.
boot() {
    local name=$1 dir t0 t1
    shift
    local log=$LOG_DIR/$name.log
    dir=$(mktemp -d)
    t0=$EPOCHREALTIME
    # shellcheck disable=SC2046
    {
        timeout -k 10 "$TIMEOUT" "$QEMU" $(qemu_base_args) ${ICOUNT:+-icount "$ICOUNT"} "$@" -serial stdio \
            </dev/null 2>"$dir/qemu.err"
        echo $? >"$dir/status"
    } | while IFS= read -r line || [ -n "$line" ]; do
        printf '%s %s\n' "$EPOCHREALTIME" "${line%$'\r'}"
    done >"$dir/raw"
    t1=$EPOCHREALTIME
    boot_status=$(cat "$dir/status")
    boot_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')
    awk -v t0="$t0" '{ t = $1; sub(/^[^ ]* ?/, ""); printf "[%10.6f] %s\n", t - t0, $0 }' \
        "$dir/raw" >"$log"
    if [ -s "$dir/qemu.err" ]; then
        echo "--- QEMU's stderr:" >>"$log"
        cat "$dir/qemu.err" >>"$log"
    fi
    rm -rf "$dir"
}

# value LOG METRIC: lbench's figure for METRIC in LOG, or nothing.
value() {
    sed -n "s/.*lbench $2 \([0-9][0-9]*\).*/\1/p" "$1" | head -n 1
}

# boot_figures LOG: add the boot-time figures to LOG as lbench lines, and
# print a warning when the guest's clock strays from the host's.
boot_figures() {
    local log=$1
    awk -v icount="$ICOUNT" '
        function host(s) { sub(/^\[ */, "", s); sub(/\].*/, "", s); return s + 0 }
        / Run \/init as init process/ && !init {
            init = 1
            printf "lbench boot_to_init_ms %.0f\n", host($0) * 1000
            # the kernel stamp: "[host] [ kernel] Run /init..."
            k = $0; sub(/^\[[^]]*\] *\[ */, "", k); sub(/\].*/, "", k)
            printf "lbench kernel_to_init_ms %.0f\n", k * 1000
        }
        / lbench begin/ { begin = host($0) }
        / lbench end elapsed_ms / {
            end = host($0); guest = $NF / 1000
            if (begin && end > begin) {
                r = guest / (end - begin)
                printf "lbench-clock guest %.1f s, host %.1f s: guest/host %.3f\n", guest, end - begin, r
                if (icount != "")
                    printf "lbench-clock (icount: guest time counts instructions)\n"
                else if (r < 0.95 || r > 1.05)
                    printf "lbench-clock WARNING: the guest clock strays from the host clock\n"
            }
        }' "$log" >"$log.boot"
    cat "$log.boot" >>"$log"
    grep lbench-clock "$log.boot" | sed "s|^|  $(basename "$log" .log): |"
    rm -f "$log.boot"
}

start=$SECONDS
echo "linux-bench: $(basename "$VMLINUZ") natively (-m $((MEM + 2))) and as Paravane's dom0" \
    "(dom0_mem=${MEM}M, -m $HYP_MEM), -smp 1, TCG${ICOUNT:+ -icount $ICOUNT}; $ROUNDS round(s), up to ${TIMEOUT}s per boot"

metrics="null_syscall_ns|null syscall (getppid)
fork_exit_us|fork + exit + waitpid
fork_exec_us|fork + execve + exit + waitpid
page_fault_ns|page fault, per 4 KiB page
pipe_roundtrip_ns|pipe round trip (2 processes)
compute_loop_us|compute loop (20M xorshift64)
boot_to_init_ms|power-on to /init (host clock)
kernel_to_init_ms|kernel start to /init (printk)"
keys=$(cut -d'|' -f1 <<<"$metrics")

# Rounds alternate the two boots, so that a change in the host's load
# falls on both; each figure is the best over the rounds.
declare -A best
warn="" logs=""
for round in $(seq 1 "$ROUNDS"); do
    for kind in native paravane; do
        name=linux-$kind
        [ "$ROUNDS" -gt 1 ] && name=$name-r$round
        if [ "$kind" = native ]; then
            boot "$name" -smp 1 -m $((MEM + 2)) -kernel "$VMLINUZ" -initrd "$R" \
                -append "console=ttyS0 $CHECK"
            want=0 # ACPI power-off
        else
            boot "$name" -smp 1 -m "$HYP_MEM" -kernel "$HYP" \
                -append "dom0_mem=${MEM}M dom0_max_vcpus=1" \
                -initrd "$K console=hvc0 $CHECK,$R"
            want=1 # isa-debug-exit: dom0 powered off
        fi
        log=$LOG_DIR/$name.log
        logs="$logs $log"
        echo "  $name: ${boot_secs}s, QEMU exit status $boot_status"
        if [ "$boot_status" = 124 ]; then
            warn="$warn $name timed out after ${TIMEOUT}s ($log);"
        elif [ "$boot_status" != "$want" ]; then
            warn="$warn $name: QEMU exited $boot_status, not $want ($log);"
        fi
        boot_figures "$log"
        row=""
        for key in $keys; do
            v=$(value "$log" "$key")
            row="$row ${v:--}"
            if [ -n "$v" ] && { [ -z "${best[$kind.$key]:-}" ] || [ "$v" -lt "${best[$kind.$key]}" ]; }; then
                best[$kind.$key]=$v
            fi
            # A figure missing from any boot fails the bench.
            [ -n "$v" ] || best[$kind.$key.missing]=1
        done
        [ "$ROUNDS" -gt 1 ] && echo "    figures:$row"
    done
done

printf '\n%-36s %5s %12s %12s %8s\n' "Linux (guest-measured, best of 5)" unit native paravane ratio
missing=0
while IFS='|' read -r key label; do
    n=${best[native.$key]:-}
    p=${best[paravane.$key]:-}
    if [ -n "${best[native.$key.missing]:-}${best[paravane.$key.missing]:-}" ]; then
        missing=1
        ratio="MISSING"
    else
        ratio=$(awk -v n="$n" -v p="$p" 'BEGIN { if (n > 0) printf "%.2f", p / n; else print "-" }')
    fi
    printf '%-36s %5s %12s %12s %8s\n' "$label" "${key##*_}" "${n:--}" "${p:--}" "$ratio"
done <<<"$metrics"
echo "bench took $((SECONDS - start))s; logs:$logs"

if [ -n "$warn" ]; then
    echo "linux-bench: warning:$warn"
fi
if [ "$missing" -ne 0 ]; then
    echo "linux-bench: FAIL: a figure is missing from a boot (logs:$logs)"
    for l in $logs; do
        echo "--- last lines of $l:"
        tail -n 15 "$l"
    done
    exit 1
fi
