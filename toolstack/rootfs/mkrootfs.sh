#!/bin/sh
# Build an initramfs (newc cpio, gzip) for a Linux PV domain on Paravane:
# busybox-static, the kernel's Xen modules, this directory's init, and any
# extra files given as SRC:DEST pairs.
#
# usage: mkrootfs.sh OUT.cpio.gz KERNEL_RELEASE INIT [SRC:DEST ...]
set -eu
out=$1
krel=$2
init=$3
shift 3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" \
    "$root/tmp" "$root/root" "$root/lib/modules" "$root/usr/bin" "$root/usr/sbin" "$root/var"
cp /bin/busybox "$root/bin/busybox"
for app in $(/bin/busybox --list); do
    [ "$app" = busybox ] || ln -sf busybox "$root/bin/$app"
done
# The Xen drivers dom0 needs (blkback/netback for back-ends later). A kernel
# with them built in names a release that has no /lib/modules directory.
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback xen-netback; do
    [ -d "/lib/modules/$krel/kernel" ] || break
    f=$(find "/lib/modules/$krel/kernel" -name "$m.ko*" | head -n 1)
    [ -n "$f" ] && cp "$f" "$root/lib/modules/"
done
# The kernel runs /sbin/poweroff and /sbin/reboot when its toolstack asks
# (Xen's control/shutdown: orderly_poweroff, orderly_reboot); without them
# a running guest ignores "poweroff". This init is no service manager, so
# they act at once, as `poweroff -f` does.
for cmd in poweroff reboot; do
    printf '#!/bin/sh\nsync\nexec /bin/busybox %s -f\n' "$cmd" >"$root/sbin/$cmd"
    chmod +x "$root/sbin/$cmd"
done
cp "$init" "$root/init"
chmod +x "$root/init"
for pair in "$@"; do
    src=${pair%%:*}
    dest=${pair#*:}
    mkdir -p "$root$(dirname "$dest")"
    cp "$src" "$root$dest"
done
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
