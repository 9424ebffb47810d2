#!/bin/bash
# The GRUB rescue image `make iso` builds (scripts/mkiso.sh), booted from
# QEMU's CD drive with SeaBIOS: GRUB loads Paravane with multiboot2 and
# Debian's bzImage and an initramfs with module2, as a grub.cfg for Xen
# would; the hypervisor parses the multiboot2 information, decompresses
# the kernel and dom0 reaches its shell.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

ISO=build/paravane.iso
qemu_require "$ISO"

qemu_test grub-iso-multiboot2 --smp 2 --mem 1024 --timeout 600 --cdrom "$ISO" \
    --expect "${HYP}multiboot2: booted by a multiboot2 loader" \
    --expect "${HYP}command line: dom0_mem=512M dom0_max_vcpus=2\$" \
    --expect "$QEMU_READY_RE" \
    --expect "${HYP}d0: bzImage: xz payload, [0-9]+ bytes decompressed to [0-9]+ in [0-9]+ ms" \
    --expect "${KLOG}Kernel command line: console=hvc0\$" \
    --expect "paravane: shell on the console"

qemu_summary
