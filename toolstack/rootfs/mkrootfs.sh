#!/bin/sh
# Build the root filesystem of a Linux PV domain on Paravane: busybox-static,
# the kernel's Xen modules, this directory's init, and any extra files given
# as SRC:DEST pairs. OUT.cpio.gz is an initramfs (newc cpio, gzip); OUT.img
# is a disk image, one ext4 filesystem labelled paravane-root (mkfs.ext4 -d,
# no root needed), for dom0 to boot from through Debian's own initrd.
#
# usage: mkrootfs.sh OUT.cpio.gz|OUT.img KERNEL_RELEASE INIT [SRC:DEST ...]
set -eu
out=$1
krel=$2
init=$3
shift 3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" \
    "$root/tmp" "$root/root" "$root/lib/modules" "$root/usr/bin" "$root/usr/sbin" "$root/var" \
    "$root/mnt"
cp /bin/busybox "$root/bin/busybox"
for app in $(/bin/busybox --list); do
    [ "$app" = busybox ] || ln -sf busybox "$root/bin/$app"
done
# The kernel's modules a Paravane domain uses, with what they depend on, in
# the order they load (init insmods /lib/modules/load-order): Xen's device
# files for the control domain, the split-device back-ends and their
# helpers (loop devices, the bridge), the front-ends, ext4 (which also
# mounts ext2), and the virtio PCI disk and NIC drivers a hardware domain
# under QEMU drives. A kernel with them built in names a release that has no
# /lib/modules directory: then there is nothing to load.
mods="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback xen-netback loop bridge
      xen-blkfront xen-netfront ext4 virtio_pci virtio_blk virtio_net"
: >"$root/lib/modules/load-order"
if [ -d "/lib/modules/$krel/kernel" ]; then
    for m in $mods; do
        modprobe -S "$krel" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" {print $2}'
    done | awk '!seen[$0]++' | while read -r f; do
        b=$(basename "$f")
        cp "$f" "$root/lib/modules/$b"
        echo "$b" >>"$root/lib/modules/load-order"
    done
fi
# The kernel runs /sbin/poweroff and /sbin/reboot when its toolstack asks
# (Xen's control/shutdown: orderly_poweroff, orderly_reboot); without them
# a running guest ignores "poweroff". This init is no service manager, so
# they act at once, as `poweroff -f` does.
# A root on a disk is left clean, as an installed system's halt scripts
# leave it: every other process is asked to end (the daemons hold their
# logs open on it), then it is remounted read-only, which also empties
# ext4's journal.
for cmd in poweroff reboot; do
    cat >"$root/sbin/$cmd" <<EOF
#!/bin/sh
sync
if [ "\$(awk '\$2 == "/" {print \$3}' /proc/mounts)" != rootfs ]; then
    # (not ended with the shell that ran it)
    trap '' HUP
    kill -TERM -1 2>/dev/null
    sleep 1
    sync
    mount -o remount,ro / || echo "$cmd: / stays writable"
fi
exec /bin/busybox $cmd -f
EOF
    chmod +x "$root/sbin/$cmd"
done
printf 'alias poweroff=/sbin/poweroff reboot=/sbin/reboot\n' >"$root/etc/profile"
# The DHCP server dom0's init runs on xenbr0, and the hook with which a
# domU's udhcpc puts its address on eth0.
cat >"$root/etc/udhcpd.conf" <<'CONF'
interface xenbr0
start 10.99.0.10
end 10.99.0.250
option subnet 255.255.255.0
option router 10.99.0.1
lease_file /var/lib/misc/udhcpd.leases
# make run's demo domU (its vif's MAC in /etc/vane/demo.cfg)
static_lease 00:16:3e:00:00:10 10.99.0.10
CONF
mkdir -p "$root/usr/share/udhcpc"
cat >"$root/usr/share/udhcpc/default.script" <<'HOOK'
#!/bin/sh
case "$1" in
deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
bound | renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    # the first router the server names is the default route
    [ -z "${router:-}" ] || ip route replace default via "${router%% *}" dev "$interface"
    echo "udhcpc: $interface has $ip/${mask:-24}${router:+, router ${router%% *}}"
    ;;
esac
HOOK
chmod +x "$root/usr/share/udhcpc/default.script"
cp "$init" "$root/init"
chmod +x "$root/init"
for pair in "$@"; do
    src=${pair%%:*}
    dest=${pair#*:}
    mkdir -p "$root$(dirname "$dest")"
    cp "$src" "$root$dest"
done
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
case $out in
*.img)
    # On a disk the kernel's initrd (initramfs-tools) mounts this
    # filesystem and runs /sbin/init; it moves /run (and /dev, /proc, /sys)
    # onto it first, so the mount points must be there.
    mkdir -p "$root/run"
    ln -s ../init "$root/sbin/init"
    # Room beside the files for what dom0 writes (logs, domU disk images).
    mib=$(($(du -sm "$root" | cut -f1) * 5 / 4 + 96))
    rm -f "$out"
    truncate -s "${mib}M" "$out"
    # mkfs.ext4 -d records each file's owner as stat shows it: fakeroot
    # makes a non-root user's files root's, as dom0 expects them.
    fake=""
    [ "$(id -u)" = 0 ] || fake=fakeroot
    $fake mkfs.ext4 -q -F -L paravane-root -d "$root" "$out" >/dev/null
    ;;
*) (cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out" ;;
esac
