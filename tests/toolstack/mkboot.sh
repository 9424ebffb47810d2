#!/bin/bash
# vane mkboot on the host: what it refuses, with its words, and where the
# tree and the module list go. (What the tree says is read back by
# tests/hypercall-abi/check_fdt.c, with both readers.)
set -u
cd "$(dirname "$0")/../.."
VANE=${VANE:-build/toolstack/vane}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

# case NAME EXPECTED_STATUS STDERR_RE -- ARGS...
case_() {
    local name=$1 want=$2 re=$3
    shift 4
    "$VANE" mkboot "$@" >"$T/out" 2>"$T/err"
    local st=$?
    if [ "$st" -eq "$want" ] && grep -Eq -- "$re" "$T/err"; then
        pass=$((pass + 1))
    else
        echo "FAIL mkboot $name: status $st (want $want), stderr:"
        sed 's/^/  | /' "$T/err"
        fail=$((fail + 1))
    fi
}

cfg() { printf 'name = "%s"\nmemory = 16\nkernel = "%s"\n%b' "$2" "${3:-/k}" "${4:-}" >"$T/$1"; }

cfg a.cfg one /k 'ramdisk = "/r"\n'
cfg b.cfg two /k
cfg dup.cfg one /k2
cfg space.cfg 'my dom'
cfg long.cfg abcdefghijabcdefghijabcdefghijab
cfg at.cfg 'x@1'
printf 'name = "bad"\nmemory = "lots"\nkernel = "/k"\n' >"$T/bad.cfg"

case_ two-domains 0 '^# 2 domains; the loader.s modules after this tree, from 3:$' -- "$T/a.cfg" "$T/b.cfg"
case_ shared-kernel 0 '^3 /k \(kernel of one, kernel of two\)$' -- "$T/a.cfg" "$T/b.cfg"
case_ ramdisk-next 0 '^4 /r \(ramdisk of one\)$' -- "$T/a.cfg" "$T/b.cfg"
case_ first-module 0 '^5 /k ' -- -m 5 "$T/a.cfg"
case_ duplicate-name 1 "two domains are called 'one'" -- "$T/a.cfg" "$T/dup.cfg"
case_ name-with-space 1 "name 'my dom': a device tree node name is 1 to 31" -- "$T/space.cfg"
case_ name-too-long 1 "a device tree node name is 1 to 31" -- "$T/long.cfg"
case_ name-with-at 1 "name 'x@1'" -- "$T/at.cfg"
case_ bad-config 1 'bad.cfg:2: memory: ' -- "$T/bad.cfg"
case_ missing-config 1 'nope.cfg: No such file' -- "$T/nope.cfg"
case_ first-module-zero 2 '-m: a module index from 1 to 15' -- -m 0 "$T/a.cfg"
case_ no-config 2 'Usage' --
# The tree itself: to stdout without -o (the list on stderr), to OUT with -o.
if "$VANE" mkboot "$T/a.cfg" 2>/dev/null | head -c 4 | od -An -tx1 | grep -q 'd0 0d fe ed' &&
    "$VANE" mkboot -o "$T/t.dtb" "$T/a.cfg" >/dev/null 2>&1 && [ "$(head -c 4 "$T/t.dtb" | od -An -tx1)" = " d0 0d fe ed" ]; then
    pass=$((pass + 1))
else
    echo "FAIL mkboot tree-output: no device tree magic on stdout or in -o OUT"
    fail=$((fail + 1))
fi
echo "mkboot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
