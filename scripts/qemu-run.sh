#!/bin/bash
# Boot Paravane in QEMU on this terminal (`make run`), or stopped under
# QEMU's gdb stub with gdb attached (`make debug`).
#
# Environment: SMP (default 2), MEM in MiB (default 1024), HYP_ARGS (the
# hypervisor command line), MODULES (comma-separated "file args" list, as
# QEMU's -initrd takes it), QEMU (binary).
set -eu
cd "$(dirname "$0")/.."
. tests/harness/qemu.sh

mode=${1:-run}
elf=build/paravane.elf
args=(-smp "${SMP:-2}" -m "${MEM:-1024}" -kernel "$elf" -append "${HYP_ARGS:-}")
[ -n "${MODULES:-}" ] && args+=(-initrd "$MODULES")

case $mode in
run)
    echo "Paravane on QEMU (TCG): the serial console is this terminal."
    echo "Debug keys: h (help), d, m, t, R.  Ctrl-] x quits QEMU, Ctrl-] c toggles its monitor."
    set +e
    # shellcheck disable=SC2046
    $QEMU $(qemu_base_args | sed 's/-monitor none//') "${args[@]}" -echr 29 \
        -chardev stdio,id=con,mux=on,signal=off -serial chardev:con -mon chardev=con
    status=$?
    # isa-debug-exit: 1 = clean power-off (status 0); 0 = reset or quit.
    case $status in
    0 | 1) exit 0 ;;
    *) echo "QEMU exited with status $status (hypervisor failure)"; exit "$status" ;;
    esac
    ;;
debug)
    log=build/debug-serial.log
    echo "QEMU waits for gdb on :1234; serial output goes to $log (tail -f it)."
    echo "In gdb: 'hbreak start_hypervisor', 'continue'. The image's symbols are loaded."
    # shellcheck disable=SC2046
    $QEMU $(qemu_base_args) "${args[@]}" -serial file:"$log" -s -S &
    qemu=$!
    trap 'kill $qemu 2>/dev/null' EXIT
    gdb -q "$elf" -ex 'target remote :1234'
    ;;
*)
    echo "usage: $0 run|debug" >&2
    exit 2
    ;;
esac
