#!/bin/bash
# sched/real/experiment.sh (make experiment [EXPERIMENT="name..."|report] [EXPERIMENT_MS=ms]
# [EXPERIMENT_JOBS=n])
#
# The shipped scenarios (sched/scenarios/*.scn, the files sched-sim reads)
# on the hypervisor itself, beside the simulator's prediction for the same
# scenario. For each scenario, Paravane boots in QEMU under icount (guest
# time follows the instructions run, so a run repeats whatever the host's
# load) with the scheduler the scenario names and its pCPUs; dom0 (Linux)
# creates the scenario's domains with vane, sets their parameters (vane
# sched-credit; vane sched-sedf, whose times may be fractions of a ms),
# starts them and records the scheduler with vane trace for EXPERIMENT_MS
# of guest time (3000); the trace comes back over the serial line.
# The guests (EXPERIMENT_GUESTS) are Linux by default: Debian's kernel on
# a busybox initramfs, each running one program of sched/workloads/ once
# all have booted and dom0 gives the word (through xenstore): vw-hog for
# `cpu`, vw-periodic (released every interval, computing the service
# time, listing every wake-up latency) for `io`, `onoff` and `bursty`
# (their mean run and sleep; jitter and the bursts' randomness are not
# reproduced). EXPERIMENT_GUESTS=pvtest runs PV test kernels doing the
# same (tests/guests/hog.c, periodic.c), which boot in no time.
# A sweep runs each value in turn
# in the same boot (6 of its values, spread over them; EXPERIMENT_SWEEP=all
# runs them all). Under SEDF, dom0 is given 0.5 ms every 10 ms, so that a
# set reserving the whole pCPU cannot starve it.
#
# Per scenario, build/experiments/real/NAME/: real/ (trace.bin,
# records.csv, schedule.csv, timeline.csv: each domain's share of a pCPU
# per 100 ms window, latency.csv, share.png, gantt.png, latency.png), sim/
# (sched-sim's report for the same duration), report.md with both side by
# side and the difference; build/experiments/real/REPORT.md ties them.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

OUT=build/experiments/real
RUN_MS=${EXPERIMENT_MS:-3000}
JOBS=${EXPERIMENT_JOBS:-2}
SIM=build/sched/sched-sim
CONV=build/sched/xentrace-convert
K=build/guests/vmlinux-debian.elf
# The domains' guests: Linux (Debian's kernel on a busybox initramfs with
# the workload programs of sched/workloads/) or PV test kernels, which
# boot in no time.
GUESTS=${EXPERIMENT_GUESTS:-linux}
LINUX_MB=128 # each Linux domU's memory (the kernel and initramfs need more than 64)
case $GUESTS in
linux) ROOTFS=build/linux/dom0-vane.cpio.gz DOM0_ARGS="paravane.xenstored=1" QEMU_MB=1792 DOM0_MB=512 ;;
pvtest) ROOTFS=build/linux/dom0-check.cpio.gz DOM0_ARGS="" QEMU_MB=1024 DOM0_MB=256 ;;
*) echo "make experiment: EXPERIMENT_GUESTS is linux or pvtest, not '$GUESTS'" >&2 && exit 2 ;;
esac
WINDOW_MS=100
HAVE_GNUPLOT=0
command -v gnuplot >/dev/null 2>&1 && HAVE_GNUPLOT=1

# --- the scenario, as the simulator's scenario.c reads it ----------------
# scn_get FILE KEY: the value of a top-level key.
scn_get() { awk -v k="$2" '$1 == k {print $2; exit}' "$1"; }
# scn_doms FILE: "name key=value..." per domain line.
scn_doms() { awk '$1 == "domain" {$1 = ""; sub(/^ /, ""); print}' "$1" | sed 's/#.*//'; }
# opt WORDS KEY: the value of KEY=... among WORDS.
opt() { printf '%s\n' $1 | sed -n "s/^$2=//p" | head -n 1; }
ms_to_us() { awk -v m="$1" 'BEGIN {printf "%d", m * 1000 + 0.5}'; }

# The vane create line (printed) for one domain of the scenario: a Linux
# guest running the workload program from its initramfs (GUESTS=linux), or
# a PV test kernel doing the same (GUESTS=pvtest). Its scheduler
# parameters are set apart (params_line), once it is ready to run.
create_line() { # WORDS
    local w=$1 name vcpus wl prog args="" period="" run sleep count
    name=${w%% *}
    vcpus=$(opt "$w" vcpus)
    wl=$(opt "$w" workload)
    case ${wl%%:*} in
    io)
        period=$(printf '%s' "$wl" | sed -n 's/.*interval=\([0-9.]*\).*/\1/p')
        run=$(printf '%s' "$wl" | sed -n 's/.*service=\([0-9.]*\).*/\1/p')
        ;;
    onoff | bursty)
        run=$(printf '%s' "$wl" | sed -n 's/.*run=\([0-9.]*\).*/\1/p')
        sleep=$(printf '%s' "$wl" | sed -n 's/.*sleep=\([0-9.]*\).*/\1/p')
        period=$(awk -v a="$run" -v b="$sleep" 'BEGIN {print a + b}')
        ;;
    esac
    if [ -n "$period" ]; then
        # Releases that fit the run, less half a second for the report.
        count=$(awk -v r="$RUN_MS" -v p="$(ms_to_us "$period")" \
            'BEGIN {c = int((r - 500) * 1000 / p); print (c > 1 ? c : 1)}')
        if [ "$GUESTS" = linux ]; then
            prog=/bin/vw-periodic args=",-p,$period,-c,$run,-n,$count,-l"
        else
            prog=/boot/pvtest-periodic.elf
            args="period=$(ms_to_us "$period") compute=$(ms_to_us "$run") count=$count"
        fi
    elif [ "$GUESTS" = linux ]; then
        prog=/bin/vw-hog
    else
        prog=/boot/pvtest-hog.elf args="report=0"
    fi
    if [ "$GUESTS" = linux ]; then
        echo "/bin/vane create -q -p /etc/vane/hog.cfg 'name=\"$name\"' 'kernel=\"/boot/vmlinuz\"' \
'ramdisk=\"/boot/domU.cpio.gz\"' 'memory=$LINUX_MB' 'vcpus=${vcpus:-1}' \
'extra=\"console=hvc0 quiet paravane.run=$prog$args\"' || echo 'experiment: create $name failed'"
    else
        echo "/bin/vane create -q -p /etc/vane/hog.cfg 'name=\"$name\"' 'kernel=\"$prog\"' \
'vcpus=${vcpus:-1}' 'extra=\"$args\"' || echo 'experiment: create $name failed'"
    fi
}

# The scheduler parameters of one domain (printed): Credit's weight and
# cap by vane sched-credit, SEDF's by vane sched-sedf (which takes
# fractions of a ms; the configuration keys are whole ms). As the
# simulator puts them: SEDF's all of them, extratime 0 unless given; a
# domain with none keeps the scheduler's default.
params_line() { # WORDS SCHED [PARAM VALUE]
    local w=$1 sched=$2 name weight cap sp ss sl se p=""
    name=${w%% *}
    weight=$(opt "$w" weight) cap=$(opt "$w" cap)
    sp=$(opt "$w" period) ss=$(opt "$w" slice) sl=$(opt "$w" latency) se=$(opt "$w" extratime)
    # A sweep's value replaces the parameter it names.
    case ${3:-} in
    cap) cap=$4 ;;
    weight) weight=$4 ;;
    slice) ss=$4 ;;
    period) sp=$4 ;;
    esac
    if [ "$sched" = credit ] && [ -n "$weight$cap" ]; then
        [ -n "$weight" ] && p="$p -w $weight"
        [ -n "$cap" ] && p="$p -c $cap"
        echo "/bin/vane sched-credit -d $name$p || echo 'experiment: sched-credit $name failed'"
    elif [ "$sched" = sedf ] && [ -n "$sp$ss$sl$se$weight" ]; then
        p=" -e ${se:-0}"
        [ -n "$sp" ] && p="$p -p $sp"
        [ -n "$ss" ] && p="$p -s $ss"
        [ -n "$sl" ] && p="$p -l $sl"
        [ -n "$weight" ] && p="$p -w $weight"
        echo "/bin/vane sched-sedf -d $name$p || echo 'experiment: sched-sedf $name failed'"
    fi
}

# The values of a sweep the real runs take: all with EXPERIMENT_SWEEP=all,
# else at most 6, spread over the list (each is a run of its own).
sweep_values() { # SWEEP_LINE
    echo "$1" | cut -d' ' -f4- | tr ' ' '\n' | grep -v '^$' |
        awk -v all="${EXPERIMENT_SWEEP:-}" '{v[NR] = $1}
            END {if (all == "all" || NR <= 6) {for (i = 1; i <= NR; i++) print v[i]; exit}
                 for (k = 0; k < 6; k++) print v[1 + int(k * (NR - 1) / 5 + 0.5)]}'
}

# dom0's script for one scenario: each run (one, or one per sweep value)
# creates the domains, traces, destroys them and sends the trace back.
make_plan() { # SCENARIO SCHED
    local f=$1 sched=$2 sweep values param sdom w
    sweep=$(awk '$1 == "sweep"' "$f")
    echo '#!/bin/sh'
    echo 'echo "experiment: cpu_khz $(/bin/vane info | awk '"'"'/^cpu_mhz/ {printf "%d", $3 * 1000}'"'"')"'
    # Under SEDF dom0 is extra-only by default: a set that reserves the
    # whole pCPU (an overloaded one, or 100%) would starve it, and it
    # must drain the trace and end the run. It gets 0.5 ms every 10 ms.
    [ "$sched" = sedf ] && echo "/bin/vane sched-sedf -d 0 -p 10 -s 0.5 -e 1"
    if [ "$GUESTS" = linux ]; then
        # ready NAME: wait (10 minutes of guest time at most) for the
        # guest's word that its workload waits for dom0's.
        # report NAME KIND: its workload's output, prefixed as the
        # hypervisor's console prefixes a domain's lines, once a periodic
        # task has listed its latencies (it ends within the run).
        cat <<'EOF'
ready() {
    n=0 log=/var/log/vane/console-$(/bin/vane domid "$1").log
    until grep -q "paravane: workload ready" "$log" 2>/dev/null; do
        n=$((n + 1))
        [ $n -lt 6000 ] || { echo "experiment: $1 never got ready"; return 1; }
        sleep 0.1
    done
}
report() {
    id=$(/bin/vane domid "$1") n=0
    log=/var/log/vane/console-$id.log
    while [ "$2" != cpu ] && [ "$2" != "" ] && ! grep -q "^periodic-lat:" "$log" && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    tr -d '\r' <"$log" | grep -E "^(periodic|hog)" | sed "s/^/(d$id) /"
}
EOF
    fi

    if [ -n "$sweep" ]; then
        sdom=$(echo "$sweep" | awk '{print $2}')
        param=$(echo "$sweep" | awk '{print $3}')
        values=$(sweep_values "$sweep")
    else
        values=-
    fi
    # Linux guests boot before their workloads start, all together, on
    # dom0's word; their parameters (a cap of 1% would stretch a boot a
    # hundredfold) are set in between. A sweep's Linux guests boot once:
    # each value is set on running workloads (a sweep is of CPU hogs).
    local first=1 last boot
    last=$(echo "$values" | tail -n 1)
    for v in $values; do
        boot=$([ $first = 1 ] || [ "$GUESTS" = pvtest ] && echo 1)
        echo "echo 'experiment: run $v'"
        [ -n "$boot" ] && scn_doms "$f" | while read -r w; do create_line "$w"; done
        scn_doms "$f" | while read -r w; do
            echo "echo \"experiment: domain ${w%% *} \$(/bin/vane domid ${w%% *})\""
        done
        [ -n "$boot" ] && scn_doms "$f" | while read -r w; do echo "/bin/vane unpause ${w%% *}"; done
        [ -n "$boot" ] && [ "$GUESTS" = linux ] && scn_doms "$f" | while read -r w; do echo "ready ${w%% *}"; done
        scn_doms "$f" | while read -r w; do
            if [ "$v" != - ] && [ "${w%% *}" = "$sdom" ]; then
                params_line "$w" "$sched" "$param" "$v"
            else
                params_line "$w" "$sched"
            fi
        done
        [ -n "$boot" ] && [ "$GUESTS" = linux ] && scn_doms "$f" | while read -r w; do
            echo "/usr/bin/xs write /local/domain/\$(/bin/vane domid ${w%% *})/vw-go 1"
        done
        echo "/bin/vane stat -z >/dev/null"
        echo "/bin/vane trace -e 0x0002f000 -S 1024 -T $(((RUN_MS + 999) / 1000)) /tmp/x.bin 2>&1"
        # What each domain asked of the hypervisor meanwhile, dom0 in full.
        echo "/bin/vane stat | sed 's/^/experiment: stat /'; /bin/vane stat 0 | sed 's/^/experiment: stat /'"
        if [ "$v" = "$last" ] || [ "$GUESTS" = pvtest ]; then
            [ "$GUESTS" = linux ] && scn_doms "$f" | while read -r w; do
                echo "report ${w%% *} $(opt "$w" workload | cut -d: -f1)"
            done
            scn_doms "$f" | while read -r w; do echo "/bin/vane destroy ${w%% *}"; done
        fi
        echo 'echo "experiment: trace begin"; base64 /tmp/x.bin; echo "experiment: trace end"'
        first=0
    done
    echo 'echo "experiment: done"'
}

# --- after the run: the log into CSVs and plots ----------------------------
# timeline.csv from schedule.csv: each domain's share of one pCPU per window.
windows() { # SCHEDULE_CSV SPAN_MS DOMAINS...
    local csv=$1 span=$2
    shift 2
    awk -F, -v w="$WINDOW_MS" -v span="$span" -v doms="$*" '
        BEGIN { n = split(doms, d, " "); nw = int(span / w) }
        NR > 1 {
            for (t = $2; t < $3; t = e) {
                k = int(t / w); e = (k + 1) * w; if (e > $3) e = $3
                run[$4, k] += e - t
            }
        }
        END {
            printf "time_ms"; for (i = 1; i <= n; i++) printf ",%s", d[i]; printf "\n"
            for (k = 0; k < nw; k++) {
                printf "%.1f", (k + 1) * w
                for (i = 1; i <= n; i++) printf ",%.2f", 100 * run[d[i], k] / w
                printf "\n"
            }
        }' "$csv"
}

plot_real() { # DIR TITLE DOMAINS...
    local dir=$1 title=$2 i=2 d
    shift 2
    {
        echo "set datafile separator ','"
        echo "set terminal pngcairo size 900,500 noenhanced"
        echo "set key outside right"
        echo "set grid"
        echo "set output 'share.png'"
        echo "set title '$title: CPU share per $WINDOW_MS ms window'"
        echo "set xlabel 'time (ms)'"
        echo "set ylabel '% of one pCPU'"
        echo "set yrange [0:*]"
        printf "plot "
        for d in "$@"; do
            [ $i -gt 2 ] && printf ", "
            printf "'timeline.csv' using 1:%d with lines lw 2 title '%s'" $i "$d"
            i=$((i + 1))
        done
        echo
        if [ -s "$dir/latency.csv" ] && [ "$(wc -l <"$dir/latency.csv")" -gt 1 ]; then
            echo "set output 'latency.png'"
            echo "set title '$title: wake-up latency CDF'"
            echo "set logscale x"
            echo "set xlabel 'latency (us)'"
            echo "set ylabel 'fraction of wake-ups'"
            printf "plot "
            i=0
            for d in $(awk -F, 'NR > 1 {print $1}' "$dir/latency.csv" | sort -u); do
                [ $i -gt 0 ] && printf ", "
                printf "'latency.csv' using (strcol(1) eq '%s' ? (\$3 > 0.1 ? \$3 : 0.1) : 1/0):2 with steps lw 2 title '%s'" "$d" "$d"
                i=1
            done
            echo
        fi
    } >"$dir/plot.gp"
    [ $HAVE_GNUPLOT = 1 ] && (cd "$dir" && gnuplot plot.gp 2>/dev/null)
}

# Analyse run RUN (a sweep value, or -) of LOG into DIR.
analyse() { # LOG RUN DIR TITLE SCENARIO
    local log=$1 run=$2 dir=$3 title=$4 f=$5 khz names=() doms=() d id span
    mkdir -p "$dir"
    khz=$(sed -n 's/^experiment: cpu_khz \([0-9]*\).*/\1/p' "$log" | head -n 1)
    # The run's part of the log: from its start line to its trace's end.
    awk -v r="$run" '$0 == "experiment: run " r {on = 1} on {print} on && /^experiment: trace end/ {exit}' \
        "$log" >"$dir/run.log"
    sed -n '/^experiment: trace begin/,/^experiment: trace end/p' "$dir/run.log" |
        grep -v '^experiment:' | base64 -d >"$dir/trace.bin" 2>/dev/null
    while read -r d id; do
        [ -n "$id" ] || continue # not made: its create failed (in the log)
        names+=(--name "$id=$d")
        doms+=("$d")
    done < <(sed -n 's/^experiment: domain \([^ ]*\) \([0-9][0-9]*\)$/\1 \2/p' "$dir/run.log")
    if [ -z "$khz" ] || [ ! -s "$dir/trace.bin" ] ||
        ! "$CONV" --cpu-khz "$khz" "${names[@]}" -o "$dir" --title "$title" \
            $([ $HAVE_GNUPLOT = 1 ] || echo --no-plots) "$dir/trace.bin" >"$dir/convert.out"; then
        echo "experiment: $title: no trace came back (see $log)" >&2
        return 1
    fi
    # Windows over what the trace covers.
    span=$(sed -n 's/^# .* pCPUs, \([0-9.]*\) ms$/\1/p' "$dir/convert.out")
    windows "$dir/schedule.csv" "${span:-$RUN_MS}" "${doms[@]}" >"$dir/timeline.csv"
    # Latencies: each periodic domain's list, as the simulator's latency.csv.
    {
        echo "domain,fraction,latency_us"
        for d in "${doms[@]}"; do
            id=$(sed -n "s/^experiment: domain $d \([0-9]*\)$/\1/p" "$dir/run.log")
            grep -a -E "^\(d$id\) (pvtest )?periodic-lat:" "$log" | sed 's/.*periodic-lat://' | tr ' ' '\n' |
                grep -v '^$' | sort -n | awk -v d="$d" '{v[NR] = $1} END {for (i = 1; i <= NR; i++) printf "%s,%.5f,%s\n", d, i / NR, v[i]}'
        done
    } >"$dir/latency.csv"
    plot_real "$dir" "$title" "${doms[@]}"
}

# The simulator on the same scenario, for the same duration (and value).
simulate() { # SCENARIO DIR [PARAM VALUE DOM]
    local f=$1 dir=$2 tmp
    tmp=$(mktemp)
    awk -v d="$RUN_MS" -v w="$WINDOW_MS" '$1 == "duration" {print "duration", d; next}
        $1 == "window" {print "window", w; next} $1 == "sweep" {next} {print}' "$f" >"$tmp"
    if [ -n "${3:-}" ]; then
        # The swept parameter, set on its domain.
        awk -v dom="$5" -v p="$3" -v v="$4" '$1 == "domain" && $2 == dom {
            s = ""; for (i = 3; i <= NF; i++) if ($i !~ "^" p "=") s = s " " $i
            print "domain", dom, p "=" v s; next } {print}' "$tmp" >"$tmp.2" && mv "$tmp.2" "$tmp"
    fi
    "$SIM" -o "$dir" $([ $HAVE_GNUPLOT = 1 ] || echo --no-plots) "$tmp" >/dev/null 2>&1
    rm -f "$tmp"
}

# report.md of one run: real beside simulated, per domain.
report_run() { # TITLE DIR REAL SIM (the last two: subdirectories of DIR)
    local title=$1 real=$2/$3 sim=$2/$4 rr=$3 rs=$4
    echo "## $title"
    echo
    echo "| domain | real share % | simulated % | difference (points) | real p50 / p99 us | simulated p50 / p99 us |"
    echo "|---|---:|---:|---:|---|---|"
    awk -F, 'FNR == 1 {f++; next}
        f == 1 {real[$1] = $5; order[++n] = $1}
        f == 2 {sim[$1] = $4; p50[$1] = $7; p99[$1] = $8}
        f == 3 {lat[$1, ++c[$1]] = $3}
        END {
            for (i = 1; i <= n; i++) {
                d = order[i]
                if (d == "Domain-0") continue
                rl = "-"
                if (c[d]) rl = sprintf("%s / %s", lat[d, int((c[d] + 1) / 2)], lat[d, int((c[d] * 99 + 99) / 100)])
                sl = (p50[d] == "" || rl == "-") ? "-" : sprintf("%s / %s", p50[d], p99[d])
                printf "| %s | %.2f | %.2f | %+.2f | %s | %s |\n", d, real[d], sim[d], real[d] - sim[d], rl, sl
            }
        }' "$real/summary.csv" "$sim/summary.csv" "$real/latency.csv"
    echo
    echo "Domain-0 (not in the simulation) ran $(awk -F, '$1 == "Domain-0" {print $4}' "$real/summary.csv") ms."
    echo
    echo "| | real | simulated |"
    echo "|---|---|---|"
    echo "| share | ![real]($rr/share.png) | ![simulated]($rs/share.png) |"
    echo "| timeline | ![real]($rr/gantt.png) | ![simulated]($rs/gantt.png) |"
    [ -s "$real/latency.png" ] && echo "| latency | ![real]($rr/latency.png) | ![simulated]($rs/latency.png) |"
    echo
}

run_scenario() { # SCENARIO
    local f=$1 name sched cpus boost dir initrd tmp log sweep sdom param
    name=$(scn_get "$f" name)
    sched=$(scn_get "$f" scheduler)
    cpus=$(scn_get "$f" cpus)
    boost=$(scn_get "$f" boost)
    dir=$OUT/$name
    rm -rf "$dir"
    mkdir -p "$dir"
    tmp=$(mktemp -d)
    mkdir -p "$tmp/bin"
    make_plan "$f" "$sched" >"$tmp/bin/paravane-experiment"
    chmod +x "$tmp/bin/paravane-experiment"
    cp "$tmp/bin/paravane-experiment" "$dir/plan.sh"
    # The plan rides in a second cpio archive after dom0's initramfs.
    (cd "$tmp" && find bin | cpio -o -H newc --quiet | gzip -9n) >"$tmp/plan.cpio.gz"
    initrd=$dir/initrd.cpio.gz
    cat "$ROOTFS" "$tmp/plan.cpio.gz" >"$initrd"
    rm -rf "$tmp"
    local hyp="sched=$sched dom0_mem=${DOM0_MB}M"
    # Two pCPUs and more: short turns for QEMU's vCPUs (hyp/schedule.c, pace_us).
    [ "$cpus" -gt 1 ] && [ "${EXPERIMENT_PACE_US:-100}" != 0 ] && hyp="$hyp pace_us=${EXPERIMENT_PACE_US:-100}"
    [ "$boost" = off ] && hyp="$hyp sched_credit_no_boost"
    QEMU_LOG_DIR=$dir qemu_test "experiment-$name" --smp "$cpus" --mem "$QEMU_MB" --timeout 3600 \
        --icount shift=0,sleep=off --cmdline "$hyp" \
        --module "$K console=hvc0 paravane.check=/bin/paravane-experiment $DOM0_ARGS" --module "$initrd" \
        --expect "experiment: done" --exit success >"$dir/qemu.out" 2>&1
    log=$dir/experiment-$name.log
    tr -d '\r' <"$log" >"$dir/serial.log"
    rm -f "$initrd"
    sweep=$(awk '$1 == "sweep"' "$f")
    {
        echo "# $name ($sched, $cpus pCPU$([ "$cpus" = 1 ] || echo s), ${RUN_MS} ms)"
        echo
        echo "Real run: \`real/\` (Paravane in QEMU under icount, dom0 beside the domains);"
        echo "simulated: \`sim/\` (sched-sim on the same scenario and duration)."
        echo
    } >"$dir/report.md"
    if [ -z "$sweep" ]; then
        analyse "$dir/serial.log" - "$dir/real" "$name (real, $sched)" "$f" &&
            simulate "$f" "$dir/sim" &&
            report_run "$name" "$dir" real sim >>"$dir/report.md"
    else
        sdom=$(echo "$sweep" | awk '{print $2}')
        param=$(echo "$sweep" | awk '{print $3}')
        for v in $(sweep_values "$sweep"); do
            analyse "$dir/serial.log" "$v" "$dir/real-$param-$v" "$name $param=$v (real, $sched)" "$f" &&
                simulate "$f" "$dir/sim-$param-$v" "$param" "$v" "$sdom" &&
                report_run "$param = $v" "$dir" "real-$param-$v" "sim-$param-$v" >>"$dir/report.md"
        done
    fi
    echo "experiment: $name done ($dir/report.md)"
}

[ -x "$SIM" ] && [ -x "$CONV" ] && [ -f "$K" ] && [ -f "$ROOTFS" ] || {
    echo "make experiment: build first (make all)" >&2
    exit 1
}
mkdir -p "$OUT"
scenarios=()
for f in sched/scenarios/*.scn; do
    n=$(basename "$f" .scn)
    if [ -n "${EXPERIMENT:-}" ]; then
        [[ " $EXPERIMENT " == *" $n "* ]] && scenarios+=("$f")
    elif [ "$(scn_get "$f" cpus)" -le 2 ]; then
        scenarios+=("$f") # the 8-pCPU ones are the simulator's alone
    fi
done
# EXPERIMENT=report: only the summary, from the reports there are.
[ ${#scenarios[@]} -gt 0 ] || [ "${EXPERIMENT:-}" = report ] ||
    { echo "make experiment: no scenario '${EXPERIMENT:-}'" >&2; exit 1; }
export -f run_scenario make_plan sweep_values create_line params_line scn_get scn_doms opt ms_to_us analyse windows \
    plot_real simulate report_run qemu_test qemu_find qemu_match_all qemu_base_args
export EXPERIMENT_SWEEP GUESTS LINUX_MB DOM0_ARGS DOM0_MB QEMU_MB OUT RUN_MS SIM CONV K ROOTFS WINDOW_MS HAVE_GNUPLOT QEMU PARAVANE_ELF FATAL_RE HYP KLOG \
    QEMU_READY_RE qemu_passed qemu_failed qemu_skipped qemu_verdict
start=$SECONDS
[ ${#scenarios[@]} -eq 0 ] ||
    printf '%s\n' "${scenarios[@]}" | xargs -P "$JOBS" -I{} bash -c 'run_scenario "$@"' _ {}

# The summary: per scenario, how far the simulator was from the real run.
{
    echo "# Paravane's schedulers on real guests, beside the simulator"
    echo
    echo "Generated by \`make experiment\` ($(date -u +%Y-%m-%d), ${RUN_MS} ms of guest"
    echo "time per run, QEMU TCG under icount). Each scenario's report has the"
    echo "per-domain shares and latencies, real and simulated, with their plots."
    echo
    echo "| scenario | scheduler | largest share difference (points) | mean (points) | report |"
    echo "|---|---|---:|---:|---|"
    # Every scenario with a report (earlier runs' too, with EXPERIMENT=).
    for f in sched/scenarios/*.scn; do
        n=$(scn_get "$f" name)
        [ -f "$OUT/$n/report.md" ] || continue
        awk -F'|' -v n="$n" -v s="$(scn_get "$f" scheduler)" '
            /^\| [^-]/ && $5 ~ /^ *[+-][0-9]/ {d = $5 + 0; a = d < 0 ? -d : d; if (a > m) m = a; t += a; c++}
            END {if (c) printf "| %s | %s | %.2f | %.2f | [report](%s/report.md) |\n", n, s, m, t / c, n
                 else printf "| %s | %s | - | - | [report](%s/report.md) (no result) |\n", n, s, n}' \
            "$OUT/$n/report.md"
    done
    echo
    if [ "$GUESTS" = linux ]; then
        echo "Guests: Debian's kernel as each domain, its workload a program of"
        echo "sched/workloads/ started on dom0's word once every guest has booted"
        echo "(vw-hog for cpu; vw-periodic for io, onoff and bursty, at their mean"
        echo "run and sleep times, without the simulator's jitter or random bursts)."
    else
        echo "Guests: PV test kernels (a CPU hog; a periodic task for io, onoff and"
        echo "bursty, at their mean run and sleep times, without the simulator's jitter"
        echo "or random bursts)."
    fi
    echo "dom0 runs beside the domains (the simulation has no dom0): its time is"
    echo "in each report."
} >"$OUT/REPORT.md"
echo "make experiment: $OUT/REPORT.md ($((SECONDS - start)) s)"
