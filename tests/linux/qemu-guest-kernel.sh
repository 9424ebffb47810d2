#!/bin/bash
# Paravane's own guest kernel (`make guest-kernel`, guest-linux-patches/)
# boots as dom0 on a busybox initramfs, runs tests/linux/check.sh and powers
# off, as Debian's kernel does in qemu-linux.sh, and as a domU beside itself. `make test` never builds
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
    qemu_skip qemu-guest-kernel "guest kernel not in the cache (make guest-kernel builds it)"
    qemu_summary
    exit 0
fi
qemu_require "$R"
echo "qemu-guest-kernel: $K"

# dom0 with 2 vCPUs on 2 pCPUs and 256 MiB, as in qemu-linux.sh.
qemu_test guest-kernel-dom0-smp2 --smp 2 --mem 1024 --timeout 600 \
    --cmdline "dom0_mem=256M dom0_max_vcpus=2" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check paravane.role=dom0 paravane.vcpus=2 paravane.mem_kb=262144" \
    --module "$R" \
    --expect "${KLOG}Hypervisor detected: Xen PV" --expect "${KLOG}Run /init as init process" \
    --expect "linuxcheck dom0: [0-9]+ passed, 0 failed" \
    --expect "paravane: domain 0 shut down \(poweroff\)" --exit success

# The same kernel as a boot-time domU (2 vCPUs, its own initramfs) running
# the checks, beside itself as dom0, which waits for it.
qemu_test guest-kernel-domU-smp2 --smp 2 --mem 1024 --timeout 900 --unordered \
    --cmdline "dom0_mem=256M dom0_max_vcpus=2 domain=2:256M:2:3" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check paravane.role=dom0 paravane.vcpus=2 paravane.mem_kb=262144 paravane.wait=1 paravane.checks=hypervisor_is_xen_pv,domain_list" \
    --module "$R" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check paravane.role=domU paravane.vcpus=2 paravane.mem_kb=262144" \
    --module "$R" \
    --expect "\(d1\) .*Hypervisor detected: Xen PV" \
    --expect "\(d1\) linuxcheck domU: [0-9]+ passed, 0 failed" \
    --expect "paravane: domain 1 shut down \(poweroff\)" \
    --expect "linuxcheck dom0: 2 passed, 0 failed" \
    --expect "paravane: domain 0 shut down \(poweroff\)" --exit success

qemu_summary
