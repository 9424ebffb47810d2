#!/bin/bash
# Boot Paravane in QEMU on this terminal (`make run`), or stopped under
# QEMU's gdb stub with gdb attached (`make debug`).
#
# By default it boots Debian's stock kernel as installed (the newest
# /boot/vmlinuz-*-amd64, a bzImage the hypervisor decompresses itself; KERNEL
# overrides) as dom0 (2 vCPUs, 512 MiB) on
# the busybox initramfs from toolstack/rootfs, with a shell on the console;
# dom0's init runs xenstored and the console daemon and creates the demo
# domU with `vane create /etc/vane/linux.cfg` (the same kernel, 1 vCPU,
# 128 MiB, a shell on its hvc0): `vane console linux` reaches it, and
# Ctrl-] twice detaches (QEMU's own escape is Ctrl-], so one is eaten).
#
# DISK=IMAGE boots dom0 from a disk instead (make disk builds one,
# build/disk/paravane-root.img): QEMU gets a virtio-blk disk with IMAGE
# and a virtio-net card on its user network (10.0.2.0/24, the host at
# 10.0.2.2), and dom0 boots Debian's own initrd (the newest
# /boot/initrd.img-*-amd64; INITRD overrides), which finds the root
# filesystem by its label (ROOT overrides: root=UUID=... or root=/dev/vda)
# and runs its /sbin/init, whose DHCP client brings the card up.
#
# Environment: SMP (default 2), MEM in MiB (default 1024), HYP_ARGS (the
# hypervisor command line), MODULES (comma-separated "file args" list, as
# QEMU's -initrd takes it; NOMODULES=1 for none), QEMU (binary).
set -eu
cd "$(dirname "$0")/.."
. tests/harness/qemu.sh

mode=${1:-run}
elf=build/paravane.elf
k=${KERNEL:-$(ls -v /boot/vmlinuz-*-amd64 2>/dev/null | tail -n 1)}
r=build/linux/dom0-vane.cpio.gz
default_modules="$k console=hvc0 paravane.xenstored=1 paravane.demo=/etc/vane/demo.cfg,$r"
args=(-smp "${SMP:-2}" -m "${MEM:-1024}" -kernel "$elf"
    -append "${HYP_ARGS:-dom0_mem=512M dom0_max_vcpus=2}")
if [ -n "${DISK:-}" ]; then
    [ -f "$DISK" ] || { echo "DISK=$DISK: no such image (make disk builds one)" >&2; exit 2; }
    initrd=${INITRD:-$(ls -v /boot/initrd.img-*-amd64 2>/dev/null | tail -n 1)}
    [ -f "$initrd" ] || { echo "no /boot/initrd.img-*-amd64 (INITRD= names one)" >&2; exit 2; }
    default_modules="$k root=${ROOT:-LABEL=paravane-root} console=hvc0 paravane.xenstored=1 paravane.demo=/etc/vane/demo.cfg,$initrd"
    # (QEMU's options are comma-separated lists, one array element each)
    # shellcheck disable=SC2054
    args+=(-drive "file=$DISK,if=none,id=hd0,format=raw" -device virtio-blk-pci,drive=hd0
        -netdev user,id=n0 -device virtio-net-pci,netdev=n0)
fi
[ -z "${NOMODULES:-}" ] && args+=(-initrd "${MODULES:-$default_modules}")

case $mode in
run)
    echo "Paravane on QEMU (TCG): the serial console is this terminal; dom0 (Debian's"
    echo "kernel) gives a shell on it. Ctrl-A three times switches input to the"
    echo "hypervisor's debug keys (h for help) and back. Ctrl-] x quits QEMU."
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
