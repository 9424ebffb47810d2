#!/bin/bash
# xenstore-lite in dom0 Linux on Paravane: Debian's stock 6.1 kernel boots
# as dom0 (no store event channel, so its xenbus is in XS_LOCAL mode) on
# build/linux/dom0-xenstore.cpio.gz, whose check script
# (tests/linux/xenstore-check.sh) starts `xenstored --dom0`, which serves
# the kernel's own xenbus over the shared ring; the tools then reach the
# store over the daemon's socket and through the kernel's /dev/xen/xenbus.
# dom0 powers off afterwards, ending QEMU.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

K=build/guests/vmlinux-debian.elf
R=build/linux/dom0-xenstore.cpio.gz
qemu_require "$K" "$R"

qemu_test xenstore-dom0-ring --smp 2 --mem 1024 --timeout 300 \
    --cmdline "dom0_mem=256M dom0_max_vcpus=2" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check" --module "$R" \
    --expect "${KLOG}Hypervisor detected: Xen PV" --expect "${KLOG}Run /init as init process" \
    --expect "xscheck ok +daemon_starts" \
    --expect "xscheck ok +kernel_xenbus_probed" \
    --expect "xscheck ok +xenbus_dev_reads" \
    --expect "xscheck dom0: [0-9]+ passed, 0 failed" \
    --expect "paravane: domain 0 shut down \(poweroff\)" --exit success

qemu_summary
