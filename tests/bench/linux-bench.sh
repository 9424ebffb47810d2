#!/bin/bash
# Linux natively, on Paravane and on Xen, in one run: the same Debian
# kernel boots three times under QEMU (TCG, qemu64, one CPU each) on the
# same initramfs (build/linux/bench.cpio.gz), whose /init runs lbench
# (tests/bench/lbench.c) and powers off:
#
#   native    /boot/vmlinuz-* as QEMU's -kernel, RAM = dom0_mem + 2 MiB
#             (the 2 MiB stand for what the PC firmware keeps for itself)
#   paravane  build/paravane.elf with the same kernel, extracted to
#             build/guests/vmlinux-debian.elf, as dom0 with dom0_mem and
#             one vCPU (the machine has more RAM: the hypervisor's own)
#   xen       Xen 4.17 (Debian's xen-hypervisor-4.17-amd64, its
#             /boot/xen-4.17-amd64.gz decompressed to build/bench/xen.elf
#             for QEMU's multiboot loader) with the same vmlinux as dom0,
#             the same dom0_mem and vCPU count, on the same machine size
#
# One CPU each: the numbers then do not depend on how the host schedules two
# vCPU threads, and the bench leaves the host's other core to other work.
#
# Each boot runs in these modes, one after the other:
#   icount  QEMU's -icount shift=0,sleep=off: guest time counts
#           instructions (one per ns), so the guest-measured figures repeat
#           whatever the host does, but leave out what instructions do not
#           show, such as the emulator's cost of a TLB flush or CR3 load;
#   wall    guest clocks follow the host's wall clock: the figures include
#           what the emulated MMU pays, and move with the host's load.
#   smp     as wall, but two CPUs (QEMU runs each in a host thread of its
#           own) and a dom0 of two vCPUs, and only fork+exit, with one
#           process busy and with two at once (lbench forkscale): whether
#           two vCPUs forking wait for each other in the hypervisor. Not
#           under icount, where QEMU runs the CPUs by turns on one thread
#           and no two instructions ever run at once.
# In both modes the host-measured figures are wall clock: the time from
# QEMU's start to the serial line "Run /init as init process" (so it
# includes QEMU loading the images; the kernel's printk stamp on that line
# is shown too) and to QEMU's exit (the whole run: boot, lbench, power-off).
#
# Every other figure is guest-measured (CLOCK_MONOTONIC, best of 5 runs);
# each is the best over the rounds. The table gives per metric the three
# figures and the ratios paravane/native and paravane/xen. On Paravane,
# lbench also reads the hypervisor's per-pCPU flush counters around each
# operation (lbench-stat lines, hyp/arch/x86_64/flushstat.c): the second
# table gives them per operation.
#
# Environment: LBENCH_MODES (default "icount wall smp"), LBENCH_KINDS (default
# "native paravane xen"), LBENCH_ROUNDS (rounds per mode, default 1 in
# icount mode, whose figures repeat, and 2 in wall mode), LBENCH_ICOUNT
# (QEMU's -icount option, default shift=0,sleep=off), LBENCH_MEM (dom0_mem
# and native RAM in MiB, default 256), LBENCH_HYP_MEM (the hypervisors'
# machine, default 512), LBENCH_TIMEOUT (seconds per boot, default 1200),
# LBENCH_HYP (Paravane's image, default build/paravane.elf: an older build
# to compare with), QEMU. Logs: build/test-logs/bench/linux-MODE-KIND[-rN].log, each serial
# line prefixed with the host's seconds since QEMU started.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
. tests/harness/qemu.sh

MEM=${LBENCH_MEM:-256}
HYP_MEM=${LBENCH_HYP_MEM:-512}
TIMEOUT=${LBENCH_TIMEOUT:-1200}
MODES=${LBENCH_MODES:-icount wall smp}
KINDS=${LBENCH_KINDS:-native paravane xen}
ICOUNT_OPT=${LBENCH_ICOUNT:-shift=0,sleep=off}
ICOUNT=""
LOG_DIR=build/test-logs/bench
HYP=${LBENCH_HYP:-build/paravane.elf}
XEN=build/bench/xen.elf
K=build/guests/vmlinux-debian.elf
R=build/linux/bench.cpio.gz
# The kernel vmlinux-debian.elf was extracted from (hypercall-abi/rules.mk).
# shellcheck disable=SC2012
VMLINUZ=$(ls -v /boot/vmlinuz-* 2>/dev/null | tail -n 1)
CHECK="paravane.check=/bin/paravane-bench"
# xen_args VCPUS
xen_args() {
    echo "console=com1 com1=115200,8n1 dom0_mem=${MEM}M,max:${MEM}M dom0_max_vcpus=$1 noreboot"
}

need="$K $R $VMLINUZ"
case " $KINDS " in *" paravane "*) need="$need $HYP" ;; esac
case " $KINDS " in *" xen "*) need="$need $XEN" ;; esac
for f in $need; do
    if [ ! -f "$f" ]; then
        echo "linux-bench: ${f:-/boot/vmlinuz-*} missing (make all builds what is under build/;" \
            "make deps installs Debian's kernel and xen-hypervisor-4.17-amd64)"
        exit 1
    fi
done
mkdir -p "$LOG_DIR"

# boot NAME QEMU-ARGS...: run QEMU with the serial port on a pipe, each line
# stamped with the host's time on arrival; the log gets the seconds since
# QEMU started. Sets boot_status (QEMU's exit status, 124 on timeout) and
# boot_secs and boot_ms.
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
    boot_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
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

# boot_figures LOG: add the host-measured figures to LOG as lbench lines
# (the whole run's from boot_ms), and print a warning when the guest's
# clock strays from the host's.
boot_figures() {
    local log=$1
    awk -v icount="$ICOUNT" -v run_ms="$boot_ms" '
        BEGIN { printf "lbench run_host_ms %s\n", run_ms }
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


# One table per mode: per metric, the three figures and two ratios.
all_metrics="null_syscall_ns|null syscall (getppid)
fork_exit_us|fork + exit + waitpid
fork_exec_us|fork + execve + exit + waitpid
page_fault_ns|page fault, per 4 KiB page
pipe_roundtrip_ns|pipe round trip (2 processes)
compute_loop_us|compute loop (20M xorshift64)
boot_to_init_ms|power-on to /init (host clock)
run_host_ms|whole run, power-on to exit (host)
kernel_to_init_ms|kernel start to /init (printk)"
smp_metrics="fork_exit_1busy_us|fork + exit, 1 process busy
fork_exit_2busy_us|fork + exit, 2 busy (per fork, both)
boot_to_init_ms|power-on to /init (host clock)
run_host_ms|whole run, power-on to exit (host)"

# ratio A B: A/B to two places, or "-".
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2f", a / b; else print "-" }'
}

# stat_table LOG: the hypervisor's MMU counters per operation. On
# Paravane, lbench had debug key 'f' print them before and after each
# metric's timed runs ("flushstat total" lines, two per metric, in order)
# and said how many operations ran in between ("lbench-statops NAME N").
stat_table() {
    awk '
        /flushstat total / {
            s = $0; sub(/^.*flushstat total /, "", s)
            tot[nt++] = s
        }
        /lbench-statops / { sub(/\r$/, ""); i = nm++; name[i] = $(NF - 1); ops[i] = $NF }
        END {
            if (!nm) exit
            for (i = 0; i < nm; i++) {
                if (2 * i + 1 >= nt || ops[i] <= 0) continue
                na = split(tot[2 * i], a, " "); split(tot[2 * i + 1], b, " ")
                if (!head) {
                    printf "\n%-36s", "Paravane MMU counters, per op"
                    for (j = 1; j <= na; j++) { split(a[j], kv, "="); printf " %9s", kv[1] }
                    printf "\n"; head = 1
                }
                printf "%-36s", name[i]
                for (j = 1; j <= na; j++) {
                    split(a[j], x, "="); split(b[j], y, "=")
                    printf " %9.2f", (y[2] - x[2]) / ops[i]
                }
                printf "\n"
            }
        }' "$1"
}

start=$SECONDS
echo "linux-bench: $(basename "$VMLINUZ") natively (-m $((MEM + 2))), as Paravane's dom0" \
    "and as Xen 4.17's (dom0_mem=${MEM}M, -m $HYP_MEM), -smp 1, TCG; modes: $MODES"
echo "  xen: $(xen_args 1) (smp mode: dom0_max_vcpus=2, -smp 2)"

failed=0 all_logs=""
for mode in $MODES; do
    cpus=1 args="" metrics=$all_metrics
    if [ "$mode" = icount ]; then
        ICOUNT=$ICOUNT_OPT
        rounds=${LBENCH_ROUNDS:-1}
    else
        ICOUNT=""
        rounds=${LBENCH_ROUNDS:-2}
    fi
    if [ "$mode" = smp ]; then
        cpus=2 args="lbench.args=forkscale" metrics=$smp_metrics
    fi
    keys=$(cut -d'|' -f1 <<<"$metrics")
    echo "--- mode $mode${ICOUNT:+ (-icount $ICOUNT)}, $rounds round(s), up to ${TIMEOUT}s per boot"
    # Rounds alternate the boots, so that a change in the host's load
    # falls on all; each figure is the best over the rounds.
    unset best
    declare -A best
    warn="" logs="" plog=""
    for round in $(seq 1 "$rounds"); do
        for kind in $KINDS; do
            name=linux-$mode-$kind
            [ "$rounds" -gt 1 ] && name=$name-r$round
            case $kind in
            native)
                boot "$name" -smp $cpus -m $((MEM + 2)) -kernel "$VMLINUZ" -initrd "$R" \
                    -append "console=ttyS0 $CHECK $args"
                want=0 # ACPI power-off
                ;;
            paravane)
                boot "$name" -smp $cpus -m "$HYP_MEM" -kernel "$HYP" \
                    -append "dom0_mem=${MEM}M dom0_max_vcpus=$cpus" \
                    -initrd "$K console=hvc0 $CHECK $args,$R"
                want=1 # isa-debug-exit: dom0 powered off
                ;;
            xen)
                boot "$name" -smp $cpus -m "$HYP_MEM" -kernel "$XEN" -append "$(xen_args $cpus)" \
                    -initrd "$K console=hvc0 $CHECK $args,$R"
                want=0 # Xen enters ACPI S5 for dom0
                ;;
            *)
                echo "linux-bench: unknown kind $kind"
                exit 1
                ;;
            esac
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
            [ "$rounds" -gt 1 ] && echo "    figures:$row"
        done
    done

    printf '\n%-36s %4s %10s %10s %10s %8s %8s\n' "Linux, $mode mode (best of 5)" unit \
        native paravane xen pv/nat pv/xen
    missing=0
    while IFS='|' read -r key label; do
        n=${best[native.$key]:-}
        p=${best[paravane.$key]:-}
        x=${best[xen.$key]:-}
        for kind in $KINDS; do
            [ -n "${best[$kind.$key.missing]:-}" ] && missing=1
        done
        printf '%-36s %4s %10s %10s %10s %8s %8s\n' "$label" "${key##*_}" "${n:--}" "${p:--}" \
            "${x:--}" "$(ratio "$p" "$n")" "$(ratio "$p" "$x")"
    done <<<"$metrics"
    # The counters of the last Paravane boot of this mode (icount: they
    # repeat; wall: close enough).
    for l in $logs; do
        case $l in *-paravane*) plog=$l ;; esac
    done
    [ -n "${plog:-}" ] && stat_table "$plog"
    echo
    if [ -n "$warn" ]; then
        echo "linux-bench: warning:$warn"
    fi
    if [ "$missing" -ne 0 ]; then
        failed=1
        echo "linux-bench: FAIL: a figure is missing from a boot (logs:$logs)"
        for l in $logs; do
            echo "--- last lines of $l:"
            tail -n 15 "$l"
        done
    fi
    all_logs="$all_logs$logs"
done
echo "bench took $((SECONDS - start))s; logs:$all_logs"
exit "$failed"
