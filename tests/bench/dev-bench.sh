#!/bin/bash
# Split devices' throughput: one boot of Paravane with dom0 (2 vCPUs,
# 512 MiB) creating a Linux domU (1 vCPU, 256 MiB) with a disk and a vif,
# and the same work done in dom0 itself in the same run (check.sh's
# vbench): dd of 64 MiB to and from one image (dom0 through a loop device,
# the domU through blkfront and dom0's blkback), and 64 MiB over TCP (dom0
# to its own loopback, the domU to dom0 through netfront, netback and the
# bridge). Prints each figure (MiB/s, guest-measured) and the ratio
# domU/dom0. TCG without icount: the figures follow the host's load; read
# the ratios. Log: build/test-logs/qemu/dev-bench.log.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
. tests/harness/qemu.sh

K=build/guests/vmlinux-debian.elf
RV=build/linux/dom0-vane.cpio.gz
qemu_test dev-bench --smp 2 --mem 1536 --timeout 1800 \
    --cmdline "dom0_mem=512M dom0_max_vcpus=2" \
    --module "$K console=hvc0 paravane.check=/bin/paravane-check paravane.role=dom0 paravane.vcpus=2 paravane.xenstored=1 paravane.checks=vbench" \
    --module "$RV" \
    --expect "${HYP}d1: created by the control domain, 1 vCPUs" \
    --expect "linuxcheck ok   vbench" \
    --expect "paravane: domain 0 shut down \(poweroff\)" --exit success
log=build/test-logs/qemu/dev-bench.log
printf '%-26s %12s %12s %10s\n' "metric (MiB/s)" dom0 domU domU/dom0
for k in disk_write_mibs disk_read_mibs tcp_send_mibs; do
    a=$(sed -n "s/.*linuxcheck info bench dom0 $k \([0-9.]*\).*/\1/p" "$log" | head -n 1)
    b=$(sed -n "s/.*linuxcheck info bench domU $k \([0-9.]*\).*/\1/p" "$log" | head -n 1)
    printf '%-26s %12s %12s %10s\n' "$k" "${a:--}" "${b:--}" \
        "$(awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN {if (a > 0 && b > 0) printf "%.2f", b / a; else print "-"}')"
done
qemu_summary
