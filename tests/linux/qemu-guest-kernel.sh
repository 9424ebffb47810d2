#!/bin/bash
# Paravane's own guest kernel (`make guest-kernel`, guest-linux-patches/)
# boots as dom0 on a busybox initramfs, runs tests/linux/check.sh and powers
# off, as Debian's kernel does in qemu-linux.sh. `make test` never builds
# this kernel: without it in the cache the suite is skipped.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/harness/qemu.sh

# The current recipe's kernel if the cache has it, else whatever
# build/guests/vmlinux-guest.elf points at (a cache elsewhere, through
# PARAVANE_CACHE when it was built).
K=$(guest-linux-patches/build.sh --cached 2>/dev/null) || K=build/guests/vmlinux-guest.elf
R=build/linux/guest-check.cpio.gz
if [ ! -f "$K" ]; then
    echo "qemu-guest-kernel: guest kernel not in the cache (make guest-kernel builds it); skipped"
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -f "$R" ]; then
    echo "qemu-guest-kernel: $R missing (make all builds it)"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "qemu-guest-kernel: $K"

# dom0 with 2 vCPUs on 2 pCPUs and 256 MiB, as in qemu-linux.sh.
qemu_test guest-kernel-dom0-smp2 --smp 2 --mem 1024 --timeout 600 \
    --cmdline "dom0_mem=256M dom0_max_vcpus=2" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check paravane.role=dom0 paravane.vcpus=2 paravane.mem_kb=262144" \
    --module "$R" \
    --expect "Hypervisor detected: Xen PV" --expect "Run /init as init process" \
    --expect "linuxcheck dom0: [0-9]+ passed, 0 failed" \
    --expect "domain 0 shut down \(poweroff\)" --exit success

# domU: the same kernel as an unprivileged domain goes here once boot-time
# Linux domUs have a console back-end (qemu_test guest-kernel-domU ...).

qemu_summary
