#!/bin/bash
# QEMU test harness for Paravane. Source it from a suite script, call
# qemu_test once per case, then qemu_summary.
#
#   qemu_test NAME [options]
#     --smp N               vCPUs of the machine (default 1)
#     --mem MB              RAM in MiB (default 512)
#     --timeout S           seconds before the case fails (default 60)
#     --cmdline "ARGS"      hypervisor command line
#     --module "FILE ARGS"  a multiboot module and its command line (repeatable)
#     --expect RE           an extended regex that must appear, in order (repeatable)
#     --unordered           the expected lines may appear in any order (several
#                           domains print concurrently)
#     --forbid RE           a regex that must not appear (repeatable); the fatal
#                           markers (FATAL TRAP, PANIC, ASSERTION FAILED,
#                           self-test FAILED) are
#                           always forbidden unless --allow-fatal
#     --send 'RE=>KEYS'     once RE has appeared, type KEYS on the serial line
#     --ready CPUS MB       the ready line must report CPUS cpus and a memory
#                           figure within 5% of MB
#     --exit success|failure|reboot
#                           QEMU must end by itself this way (isa-debug-exit
#                           status 0 -> 1, status 1 -> 3; reboot -> 0 with
#                           -no-reboot); without --exit the case passes as soon
#                           as every expectation is met and QEMU is stopped.
#
# Serial output goes to build/test-logs/qemu/NAME.log. Every case prints one
# verdict line; qemu_summary prints "N passed, N failed" and returns non-zero
# when anything failed.
set -u

QEMU=${QEMU:-qemu-system-x86_64}
PARAVANE_ELF=${PARAVANE_ELF:-build/paravane.elf}
QEMU_LOG_DIR=${QEMU_LOG_DIR:-build/test-logs/qemu}
FATAL_RE='FATAL TRAP|PANIC|ASSERTION FAILED|self-test FAILED'
qemu_passed=0
qemu_failed=0

# Base QEMU command line shared by tests, `make run` and `make debug`.
qemu_base_args() {
    echo "-accel tcg -cpu qemu64 -display none -no-reboot -monitor none" \
        "-device isa-debug-exit,iobase=0xf4,iosize=0x04"
}

qemu_test() {
    local name=$1
    shift
    local smp=1 mem=512 timeout=60 cmdline="" exit_mode="" allow_fatal=0 unordered=0
    local -a modules=() expects=() forbids=() sends=() ready=()
    while [ $# -gt 0 ]; do
        case $1 in
        --smp) smp=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --cmdline) cmdline=$2; shift 2 ;;
        --module) modules+=("$2"); shift 2 ;;
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
    # The ready line may come before or after the other expectations.
    local ready_re='paravane: ready cpus=[0-9]+ memory=[0-9]+MiB'

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
    # shellcheck disable=SC2046
    $QEMU $(qemu_base_args) -smp "$smp" -m "$mem" -kernel "$PARAVANE_ELF" \
        -append "$cmdline" ${initrd:+-initrd "$initrd"} \
        -chardev pipe,id=ser0,path="$dir/serial" -serial chardev:ser0 \
        >"$dir/qemu.out" 2>&1 &
    local qemu=$!
    exec {keys}>"$dir/serial.in"

    local start=$SECONDS verdict="" status="" next=0 i
    local -a sent=()
    for i in "${!sends[@]}"; do sent[i]=0; done
    while :; do
        local text
        text=$(tr -d '\r' <"$log")
        # Expectations must appear in order: each is searched after the
        # previous one's match.
        local rest=$text
        next=0
        for i in "${!expects[@]}"; do
            local m
            m=$(grep -E -m1 -- "${expects[i]}" <<<"$rest") || break
            [ "$unordered" -eq 1 ] || rest=${rest#*"$m"}
            next=$((i + 1))
        done
        for re in "${forbids[@]}"; do
            if grep -qE -- "$re" <<<"$text"; then
                verdict="forbidden output: $(grep -E -m1 -- "$re" <<<"$text")"
                break 2
            fi
        done
        for i in "${!sends[@]}"; do
            local pat=${sends[i]%%=>*} k=${sends[i]#*=>}
            if [ "${sent[i]}" -eq 0 ] && grep -qE -- "$pat" <<<"$text"; then
                printf '%s' "$k" >&"$keys"
                sent[i]=1
            fi
        done
        if ! kill -0 "$qemu" 2>/dev/null; then
            wait "$qemu"
            status=$?
            break
        fi
        if [ "$next" -eq ${#expects[@]} ] && [ -z "$exit_mode" ] &&
            { [ ${#ready[@]} -eq 0 ] || grep -qE "$ready_re" <<<"$text"; }; then
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
    local text
    text=$(tr -d '\r' <"$log")

    if [ -z "$verdict" ]; then
        # Re-check with the complete log (QEMU may have exited mid-poll).
        local rest=$text
        for i in "${!expects[@]}"; do
            local m
            if ! m=$(grep -E -m1 -- "${expects[i]}" <<<"$rest"); then
                verdict="missing line matching: ${expects[i]}"
                break
            fi
            [ "$unordered" -eq 1 ] || rest=${rest#*"$m"}
        done
    fi
    if [ -z "$verdict" ]; then
        for re in "${forbids[@]}"; do
            if grep -qE -- "$re" <<<"$text"; then
                verdict="forbidden output: $(grep -E -m1 -- "$re" <<<"$text")"
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
        local line cpus memf
        line=$(grep -E -m1 "$ready_re" <<<"$text")
        cpus=$(sed -E 's/.*cpus=([0-9]+).*/\1/' <<<"$line")
        memf=$(sed -E 's/.*memory=([0-9]+)MiB.*/\1/' <<<"$line")
        if [ -z "$line" ]; then
            verdict="no ready line"
        elif [ "$cpus" -ne "${ready[0]}" ]; then
            verdict="ready line reports $cpus cpus, expected ${ready[0]}"
        elif [ $((memf * 100)) -lt $((ready[1] * 95)) ] || [ "$memf" -gt "${ready[1]}" ]; then
            verdict="ready line reports ${memf} MiB, not within 5% of ${ready[1]} MiB"
        fi
    fi
    rm -rf "$dir"

    local took=$((SECONDS - start))
    if [ -z "$verdict" ]; then
        echo "PASS  $name (${took}s)"
        qemu_passed=$((qemu_passed + 1))
    else
        echo "FAIL  $name: $verdict (log: $log)"
        sed 's/^/      | /' "$log" | tail -n 15
        qemu_failed=$((qemu_failed + 1))
    fi
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
    echo "$qemu_passed passed, $qemu_failed failed"
    [ "$qemu_failed" -eq 0 ]
}
