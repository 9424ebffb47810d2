#!/bin/bash
# Linux on Paravane: Debian's stock 6.1 kernel boots as dom0 on a busybox
# initramfs and runs tests/linux/check.sh, then powers off (ending QEMU).
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

K=build/guests/vmlinux-debian.elf
R=build/linux/dom0-check.cpio.gz
if [ ! -f "$K" ] || [ ! -f "$R" ]; then
    echo "qemu-linux: $K or $R missing (make all builds them)"
    echo "0 passed, 1 failed"
    exit 1
fi

# dom0 with 2 vCPUs on 2 pCPUs and 256 MiB, as the issue describes.
qemu_test linux-dom0-smp2 --smp 2 --mem 1024 --timeout 600 \
    --cmdline "dom0_mem=256M dom0_max_vcpus=2" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check paravane.role=dom0 paravane.vcpus=2 paravane.mem_kb=262144" \
    --module "$R" \
    --expect "Hypervisor detected: Xen PV" --expect "Run /init as init process" \
    --expect "linuxcheck dom0: [0-9]+ passed, 0 failed" \
    --expect "domain 0 shut down \(poweroff\)" --exit success

qemu_summary
