#!/bin/sh
# extract-vmlinux.sh IN OUT: write the PV kernel ELF contained in IN to OUT.
#
# IN is a Linux bzImage (Debian's /boot/vmlinuz-*) or already an ELF. The
# compressed payload is located through the setup header by pv-extract-elf,
# decompressed here on the host (the hypervisor never decompresses: it gets
# the ELF as a boot module), and the decompressed stream, an ELF followed
# by relocation data, is cut to the ELF and checked by the same parser the
# hypervisor uses. PV_EXTRACT_ELF overrides the helper's path.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 BZIMAGE-OR-ELF OUT" >&2
    exit 2
fi
in=$1
out=$2
tool=${PV_EXTRACT_ELF:-build/hypercall-abi/pv-extract-elf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

magic() {
    od -An -tx1 -N"$2" "$1" | tr -d ' \n'
}

if [ "$(magic "$in" 4)" = 7f454c46 ]; then
    cp "$in" "$tmp/vmlinux.bin"
else
    "$tool" payload "$in" "$tmp/payload"
    # The payload carries trailing bytes (the appended size): decode one stream.
    case $(magic "$tmp/payload" 6) in
    fd377a585a00) xz -dc --single-stream "$tmp/payload" >"$tmp/vmlinux.bin" ;;
    1f8b*) { gzip -dc "$tmp/payload" || [ $? -eq 2 ]; } >"$tmp/vmlinux.bin" ;;
    28b52ffd*) zstd -qdc "$tmp/payload" >"$tmp/vmlinux.bin" ;;
    *)
        echo "$0: $in: unsupported payload compression ($(magic "$tmp/payload" 6))" >&2
        exit 1
        ;;
    esac
fi
mkdir -p "$(dirname "$out")"
"$tool" trim "$tmp/vmlinux.bin" "$tmp/vmlinux.elf"
mv "$tmp/vmlinux.elf" "$out"
