#!/bin/bash
# Build Paravane's guest kernel (the recipe behind `make guest-kernel`):
# Debian's linux-source-6.1, the patches of patches/series applied in order,
# `make allnoconfig` with paravane-guest.config on top, `make olddefconfig`,
# then vmlinux, stripped of debug info. The result is an uncompressed ELF
# with Xen notes, the same kind of image as build/guests/vmlinux-debian.elf.
#
# It is cached outside the tree, once per machine, under
#   ${PARAVANE_CACHE:-/var/cache/paravane}/guest-kernel/<key>/vmlinux
# where <key> hashes the linux-source version, the fragment, the series,
# the patches and this script. A build runs in a temporary directory beside
# the cache entries and is renamed into place only when complete, so an
# interrupted build never leaves half a kernel behind; a lock keeps two
# builds from running at once.
#
# usage: build.sh [LINK]   build unless cached, print the cached vmlinux's
#                          path, and point the symlink LINK at it
#        build.sh --cached print the cached vmlinux's path for the current
#                          recipe and exit 0, or exit 1 if there is none
#                          (never installs or builds anything)
set -euo pipefail
umask 022

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/paravane-guest.config
series=$here/patches/series
src_pkg=linux-source-6.1
src_tar=/usr/src/$src_pkg.tar.xz
cache_root=${PARAVANE_CACHE:-/var/cache/paravane}/guest-kernel
jobs=${GUEST_KERNEL_JOBS:-2}
# What the build needs besides the source itself.
build_pkgs="$src_pkg make gcc binutils bc bison flex libelf-dev libssl-dev xz-utils patch"

say() { echo "guest-kernel: $*" >&2; }
die() {
    echo "guest-kernel: $*" >&2
    exit 1
}

# The patch files named by the series, in order (blank lines and # comments
# are skipped).
patch_list() {
    [ -f "$series" ] || return 0
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$series" | grep -v '^[[:space:]]*$' || true
}

installed_version() {
    local status
    status=$(dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null || true)
    case $status in
    "install ok installed "*) echo "${status##* }" ;;
    esac
}

# The cache key: everything that decides what the build produces.
cache_key() {
    local version p
    version=$(installed_version "$src_pkg")
    [ -n "$version" ] || return 1
    {
        echo "$src_pkg $version"
        echo "--- fragment"
        cat "$fragment"
        echo "--- series"
        [ -f "$series" ] && cat "$series"
        for p in $(patch_list); do
            echo "--- patch $p"
            cat "$here/patches/$p"
        done
        echo "--- build.sh"
        cat "$here/build.sh"
    } | sha256sum | cut -c1-16
}

ensure_packages() {
    local p missing=""
    for p in $build_pkgs; do
        [ -n "$(installed_version "$p")" ] || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing Debian packages:$missing (run as root, or: apt-get install$missing)"
    say "installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
        apt-get update -qq >/dev/null
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
}

# Every line of the fragment must hold in the final .config: CONFIG_X=V as
# written, `# CONFIG_X is not set` as X absent or not set.
verify_config() {
    local config=$1 line opt bad=0
    while IFS= read -r line; do
        case $line in
        CONFIG_*=*)
            if ! grep -qxF -- "$line" "$config"; then
                opt=${line%%=*}
                echo "  wanted $line, got: $(grep -E "^($opt=|# $opt is not set)" "$config" || echo "$opt absent")" >&2
                bad=1
            fi
            ;;
        "# CONFIG_"*" is not set")
            opt=${line#\# }
            opt=${opt%% *}
            if grep -q "^$opt=" "$config"; then
                echo "  wanted $opt off, got: $(grep "^$opt=" "$config")" >&2
                bad=1
            fi
            ;;
        esac
    done <"$fragment"
    return $bad
}

build() {
    local key=$1 tmp src out log p start header notes
    mkdir -p "$cache_root"
    tmp=$(mktemp -d "$cache_root/.build.$key.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    trap 'exit 130' INT TERM HUP
    src=$tmp/src
    out=$tmp/out
    log=$tmp/build.log
    mkdir -p "$src" "$out"
    chmod 755 "$tmp"
    start=$(date +%s)
    say "building $key from $src_pkg $(installed_version "$src_pkg") in $tmp"
    say "(log: $log)"
    tar -xf "$src_tar" -C "$src" --strip-components=1

    for p in $(patch_list); do
        [ -f "$here/patches/$p" ] || die "patches/series names $p, which does not exist"
        # A patch must say why it exists before its first hunk.
        header=$(sed -n '/^\(diff \|--- \|Index: \)/q;p' "$here/patches/$p")
        if [ -z "${header//[[:space:]]/}" ]; then
            die "patches/$p does not state its reason at its top"
        fi
        say "applying $p"
        patch -d "$src" -p1 --batch --forward --quiet <"$here/patches/$p" ||
            die "patches/$p does not apply"
    done

    local kmake=(make -C "$src" ARCH=x86_64 KBUILD_BUILD_USER=paravane KBUILD_BUILD_HOST=paravane)
    KCONFIG_ALLCONFIG=$fragment "${kmake[@]}" -s allnoconfig >>"$log" 2>&1 ||
        { tail -n 30 "$log" >&2; die "allnoconfig failed"; }
    "${kmake[@]}" -s olddefconfig >>"$log" 2>&1 ||
        { tail -n 30 "$log" >&2; die "olddefconfig failed"; }
    verify_config "$src/.config" ||
        die "the options above of $(basename "$fragment") did not survive Kconfig (a dependency missing?)"

    say "compiling vmlinux (nice -n 19, -j$jobs)"
    if ! nice -n 19 "${kmake[@]}" -j"$jobs" vmlinux >>"$log" 2>&1; then
        cp "$log" "$cache_root/last-failed-build.log"
        tail -n 40 "$log" >&2
        die "compile failed (whole log: $cache_root/last-failed-build.log)"
    fi

    strip --strip-debug -o "$out/vmlinux" "$src/vmlinux"
    # The loader needs the Xen notes, the entry point above all: owner Xen,
    # type 1 (XEN_ELFNOTE_ENTRY, which readelf calls NT_VERSION).
    notes=$(readelf -n "$out/vmlinux")
    grep -Eq '^ +Xen +0x[0-9a-f]+[[:space:]]+NT_VERSION' <<<"$notes" ||
        die "vmlinux has no Xen entry note (is CONFIG_XEN_PV on?)"
    cp "$src/.config" "$out/config"
    cp "$src/System.map" "$out/System.map"
    "${kmake[@]}" -s kernelrelease >"$out/release"
    cp "$log" "$out/build.log"
    echo "$(($(date +%s) - start))" >"$out/build-seconds"

    mv -T "$out" "$cache_root/$key"
    say "built $(cat "$cache_root/$key/release") in $(cat "$cache_root/$key/build-seconds")s"
}

if [ "${1:-}" = --cached ]; then
    key=$(cache_key) || exit 1
    [ -f "$cache_root/$key/vmlinux" ] || exit 1
    echo "$cache_root/$key/vmlinux"
    exit 0
fi
case ${1:-} in -*) die "usage: build.sh [LINK] | build.sh --cached" ;; esac
link=${1:-}

ensure_packages
key=$(cache_key) || die "$src_pkg is not installed"
if [ ! -f "$cache_root/$key/vmlinux" ]; then
    mkdir -p "$cache_root"
    exec 9>"$cache_root/.lock"
    if ! flock -n 9; then
        say "another build holds $cache_root/.lock; waiting"
        flock 9
    fi
    # Under the lock no build runs but ours: whatever a killed one left goes.
    rm -rf "$cache_root"/.build.*
    [ -f "$cache_root/$key/vmlinux" ] || build "$key"
fi
kernel=$cache_root/$key/vmlinux
if [ -n "$link" ]; then
    mkdir -p "$(dirname "$link")"
    ln -sfn "$kernel" "$link"
    say "$link -> $kernel"
fi
echo "$kernel"
