#!/bin/bash
# mkiso.sh OUT HYPERVISOR KERNEL INITRD: a GRUB rescue image (BIOS, for a
# CD drive) that boots Paravane with KERNEL as dom0 and INITRD as its
# initramfs, through a grub.cfg entry written as for Xen:
#   multiboot2 /boot/paravane.gz ...  module2 /boot/vmlinuz ...  module2 /boot/initrd.img
# The console is the first serial port (GRUB's menu too).
# Needs grub-mkrescue (grub-common, grub-pc-bin) and xorriso.
set -eu
if [ $# -ne 4 ]; then
    echo "usage: $0 OUT HYPERVISOR KERNEL INITRD" >&2
    exit 2
fi
out=$1 hyp=$2 kernel=$3 initrd=$4
tmp=$(mktemp -d)
log=$(mktemp) # outside the tree grub-mkrescue packs: xorriso refuses a file that grows
trap 'rm -rf "$tmp" "$log"' EXIT
mkdir -p "$tmp/boot/grub"
gzip -9nc "$hyp" >"$tmp/boot/paravane.gz"
cp "$kernel" "$tmp/boot/vmlinuz"
cp "$initrd" "$tmp/boot/initrd.img"
cat >"$tmp/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=1
set default=0
menuentry "Paravane, Debian's kernel as dom0" {
    multiboot2 /boot/paravane.gz dom0_mem=512M dom0_max_vcpus=2
    module2 /boot/vmlinuz console=hvc0
    module2 /boot/initrd.img
}
CFG
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$tmp" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
