#!/bin/bash
# QEMU test harness for Paravane. Source it from a suite script, call
# qemu_test once per case (or qemu_skip when its inputs are missing), then
# qemu_summary.
#
#   qemu_test NAME [options]
#     --smp N               vCPUs of the machine (default 1)
#     --mem MB              RAM in MiB (default 512)
#     --icount SPEC         QEMU's -icount SPEC (shift=0,sleep=off: guest time
#                           follows the instructions run, whatever the host's
#                           load; a case that measures time needs it)
#     --timeout S           seconds before the case fails (default 60)
#     --cmdline "ARGS"      hypervisor command line
#     --module "FILE ARGS"  a multiboot module and its command line (repeatable)
#     --cdrom ISO           boot this CD image through its own loader (GRUB)
#                           instead of QEMU's multiboot -kernel (no --cmdline,
#                           no --module: the image's grub.cfg has them)
#     --qemu "ARGS"         more QEMU arguments (split at spaces): devices,
#                           drives, networks (repeatable)
#     --expect RE           an extended regex that must match a line, in order
#                           (repeatable); anchored at the start of the line
#     --unordered           the expected lines may appear in any order (several
#                           domains print concurrently)
#     --forbid RE           a regex that must not appear anywhere (repeatable);
#                           the fatal markers (FATAL TRAP, PANIC, ASSERTION
#                           FAILED, self-test FAILED) are always forbidden
#                           unless --allow-fatal
#     --send 'RE=>KEYS'     once a line starting with RE has appeared, type
#                           KEYS on the serial line
#     --ready CPUS MB       the hypervisor's ready line must report CPUS cpus
#                           and a memory figure within 5% of MB
#     --exit success|failure|reboot
#                           QEMU must end by itself this way (isa-debug-exit
#                           status 0 -> 1, status 1 -> 3; reboot -> 0 with
#                           -no-reboot); without --exit the case passes as soon
#                           as every expectation is met and QEMU is stopped.
#
# Anchoring. Every --expect, --send and the ready line are matched from the
# start of a line: the harness searches for ^(RE). On the serial line the
# hypervisor's own lines start "(hyp) " (printk) or "paravane: " (its
# status lines: ready, domain shut down, machine halted); dom0's console
# output is written raw, as Xen does (dom0 is trusted); every other
# domain's line starts "(dN) " (hyp/console_io.c, which also drops its
# control characters). So a pattern that names neither a "(dN) " prefix
# nor ".*" at its start can only be met by the hypervisor or dom0, never
# by what a domU prints: write "\(d1\) pvtest x: ..." for domain 1's
# verdict, "paravane: domain 1 shut down" or "${HYP}..." (that is
# "\(hyp\) ...") for the hypervisor's, "${KLOG}..." for a line of dom0
# Linux's kernel log. Since
# the pattern is wrapped in a group, a back-reference to the pattern's
# first group is \2. --forbid patterns stay unanchored: forbidding more is
# never a false pass.
#
# QEMU_ONLY="NAME NAME..." runs only the cases named (the others are not
# run and not counted): one case of a suite while working on it.
#
# Serial output goes to build/test-logs/qemu/NAME.log. Every case prints one
# verdict line (PASS, FAIL or SKIP); qemu_summary prints "N passed, N
# failed" (", N skipped" when some were) and returns non-zero when anything
# failed. qemu_test returns 0 when the case passed, 1 when it failed, with
# the reason in $qemu_verdict.
set -u

QEMU=${QEMU:-qemu-system-x86_64}
PARAVANE_ELF=${PARAVANE_ELF:-build/paravane.elf}
QEMU_LOG_DIR=${QEMU_LOG_DIR:-build/test-logs/qemu}
FATAL_RE='FATAL TRAP|PANIC|ASSERTION FAILED|self-test FAILED'
# The prefix of the hypervisor's printk lines.
HYP='\(hyp\) '
# The timestamp Linux puts before each kernel-log line ("[    1.234567] "),
# when it is configured to (CONFIG_PRINTK_TIME).
KLOG='(\[ *[0-9]+\.[0-9]+\] )?'
# The hypervisor's ready line (printed raw by hyp/setup.c).
QEMU_READY_RE='paravane: ready cpus=[0-9]+ memory=[0-9]+MiB'
qemu_passed=0
qemu_failed=0
qemu_skipped=0
qemu_verdict=""

# Base QEMU command line shared by tests, `make run` and `make debug`.
qemu_base_args() {
    echo "-accel tcg -cpu qemu64 -display none -no-reboot -monitor none" \
        "-device isa-debug-exit,iobase=0xf4,iosize=0x04"
}

# qemu_find RE FILE FROM: print the number of the first line of FILE, at
# or after line FROM, that RE matches from its start; fail if none does.
# -a and the C locale: a guest's stray bytes must not turn the log into
# "binary" for grep (which would then print no line at all).
qemu_find() {
    local n
    n=$(tail -n +"$3" "$2" | LC_ALL=C grep -a -n -E -m1 -- "^($1)" | cut -d: -f1) || return 1
    [ -n "$n" ] || return 1
    echo $(($3 + n - 1))
}

# qemu_match_all FILE UNORDERED RE...: how many of the expectations, in
# order, are met (each searched after the previous one's line unless
# UNORDERED is 1).
qemu_match_all() {
    local file=$1 unordered=$2 from=1 met=0 re n
    shift 2
    for re in "$@"; do
        n=$(qemu_find "$re" "$file" "$from") || break
        [ "$unordered" -eq 1 ] || from=$((n + 1))
        met=$((met + 1))
    done
    echo "$met"
}

qemu_test() {
    local name=$1
    shift
    [ -z "${QEMU_ONLY:-}" ] || [[ " $QEMU_ONLY " == *" $name "* ]] || return 0
    local smp=1 mem=512 timeout=60 cmdline="" exit_mode="" allow_fatal=0 unordered=0 cdrom="" icount=""
    local -a modules=() expects=() forbids=() sends=() ready=() extra=()
    while [ $# -gt 0 ]; do
        case $1 in
        --smp) smp=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --icount) icount=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --cmdline) cmdline=$2; shift 2 ;;
        --module) modules+=("$2"); shift 2 ;;
        --cdrom) cdrom=$2; shift 2 ;;
        --qemu) extra+=($2); shift 2 ;;
        --expect) expects+=("$2"); shift 2 ;;
        --forbid) forbids+=("$2"); shift 2 ;;
        --send) sends+=("$2"); shift 2 ;;
        --ready) ready=("$2" "$3"); shift 3 ;;
        --exit) exit_mode=$2; shift 2 ;;
        --allow-fatal) allow_fatal=1; shift ;;
        --unordered) unordered=1; shift ;;
        *) echo "qemu_test: unknown option $1" >&2; return 2 ;;
        esac
    done
    [ "$allow_fatal" -eq 1 ] || forbids+=("$FATAL_RE")

    mkdir -p "$QEMU_LOG_DIR"
    local log="$QEMU_LOG_DIR/$name.log" dir
    dir=$(mktemp -d)
    mkfifo "$dir/serial.in" "$dir/serial.out"
    : >"$log"
    # QEMU's -initrd separates modules with commas; a comma inside one is doubled.
    local initrd="" m
    for m in "${modules[@]}"; do
        initrd+="${initrd:+,}${m//,/,,}"
    done

    # QEMU reads keys from serial.in and writes the console to serial.out.
    cat "$dir/serial.out" >"$log" &
    local reader=$!
    local -a boot=(-kernel "$PARAVANE_ELF" -append "$cmdline" ${initrd:+-initrd "$initrd"})
    [ -z "$cdrom" ] || boot=(-cdrom "$cdrom" -boot d)
    # shellcheck disable=SC2046
    $QEMU $(qemu_base_args) -smp "$smp" -m "$mem" ${icount:+-icount "$icount"} "${boot[@]}" ${extra[@]+"${extra[@]}"} \
        -chardev pipe,id=ser0,path="$dir/serial" -serial chardev:ser0 \
        >"$dir/qemu.out" 2>&1 &
    local qemu=$!
    exec {keys}>"$dir/serial.in"

    # The log as read: without the serial line's carriage returns.
    local text=$dir/text
    local start=$SECONDS verdict="" status="" met=0 i re
    local -a sent=()
    for i in "${!sends[@]}"; do sent[i]=0; done
    while :; do
        tr -d '\r' <"$log" >"$text"
        met=$(qemu_match_all "$text" "$unordered" "${expects[@]}")
        for re in "${forbids[@]}"; do
            if LC_ALL=C grep -aqE -- "$re" "$text"; then
                verdict="forbidden output: $(LC_ALL=C grep -aE -m1 -- "$re" "$text")"
                break 2
            fi
        done
        for i in "${!sends[@]}"; do
            local pat=${sends[i]%%=>*} k=${sends[i]#*=>}
            if [ "${sent[i]}" -eq 0 ] && qemu_find "$pat" "$text" 1 >/dev/null; then
                printf '%s' "$k" >&"$keys"
                sent[i]=1
            fi
        done
        if ! kill -0 "$qemu" 2>/dev/null; then
            wait "$qemu"
            status=$?
            break
        fi
        if [ "$met" -eq ${#expects[@]} ] && [ -z "$exit_mode" ] &&
            { [ ${#ready[@]} -eq 0 ] || qemu_find "$QEMU_READY_RE" "$text" 1 >/dev/null; }; then
            break
        fi
        if [ $((SECONDS - start)) -ge "$timeout" ]; then
            verdict="timeout after ${timeout}s"
            break
        fi
        sleep 0.2
    done
    if [ -z "$status" ]; then
        kill "$qemu" 2>/dev/null
        wait "$qemu" 2>/dev/null
    fi
    exec {keys}>&-
    wait "$reader" 2>/dev/null
    tr -d '\r' <"$log" >"$text"

    if [ -z "$verdict" ]; then
        # Re-check with the complete log (QEMU may have exited mid-poll).
        met=$(qemu_match_all "$text" "$unordered" "${expects[@]}")
        [ "$met" -lt ${#expects[@]} ] && verdict="missing line matching: ^(${expects[met]})"
    fi
    if [ -z "$verdict" ]; then
        for re in "${forbids[@]}"; do
            if LC_ALL=C grep -aqE -- "$re" "$text"; then
                verdict="forbidden output: $(LC_ALL=C grep -aE -m1 -- "$re" "$text")"
                break
            fi
        done
    fi
    if [ -z "$verdict" ] && [ -n "$exit_mode" ]; then
        local want
        case $exit_mode in
        success) want=1 ;;
        failure) want=3 ;;
        reboot) want=0 ;;
        esac
        if [ -z "$status" ]; then
            verdict="QEMU did not exit by itself"
        elif [ "$status" -ne "$want" ]; then
            verdict="QEMU exited $status, expected $want ($exit_mode)"
        fi
    elif [ -z "$verdict" ] && [ -n "$status" ]; then
        verdict="QEMU exited early with status $status: $(head -c 300 "$dir/qemu.out")"
    fi
    if [ -z "$verdict" ] && [ ${#ready[@]} -eq 2 ]; then
        local line="" n cpus memf
        n=$(qemu_find "$QEMU_READY_RE" "$text" 1) && line=$(sed -n "${n}p" "$text")
        if [ -z "$line" ]; then
            verdict="no ready line"
        else
            cpus=$(sed -E 's/.*cpus=([0-9]+).*/\1/' <<<"$line")
            memf=$(sed -E 's/.*memory=([0-9]+)MiB.*/\1/' <<<"$line")
            if [ "$cpus" -ne "${ready[0]}" ]; then
                verdict="ready line reports $cpus cpus, expected ${ready[0]}"
            elif [ $((memf * 100)) -lt $((ready[1] * 95)) ] || [ "$memf" -gt "${ready[1]}" ]; then
                verdict="ready line reports ${memf} MiB, not within 5% of ${ready[1]} MiB"
            fi
        fi
    fi
    rm -rf "$dir"

    local took=$((SECONDS - start))
    qemu_verdict=$verdict
    if [ -z "$verdict" ]; then
        echo "PASS  $name (${took}s)"
        qemu_passed=$((qemu_passed + 1))
        return 0
    fi
    echo "FAIL  $name: $verdict (log: $log)"
    sed 's/^/      | /' "$log" | tail -n 15
    qemu_failed=$((qemu_failed + 1))
    return 1
}

# A case (or a whole suite) that cannot run here: say so, and count it as
# skipped, never as passed. The "SKIP NAME: REASON" line is what
# tests/run-suites.sh counts.
qemu_skip() {
    echo "SKIP $1: $2"
    qemu_skipped=$((qemu_skipped + 1))
}

# A suite's inputs must exist: otherwise say which is missing, count one
# failure and end the suite (make all builds them).
qemu_require() {
    local f
    for f in "$@"; do
        if [ ! -f "$f" ]; then
            echo "$(basename "$0" .sh): $f missing (make all builds it)"
            echo "0 passed, 1 failed"
            exit 1
        fi
    done
}

qemu_summary() {
    echo "$qemu_passed passed, $qemu_failed failed${qemu_skipped:+, $qemu_skipped skipped}" |
        sed 's/, 0 skipped$//'
    [ "$qemu_failed" -eq 0 ]
}
