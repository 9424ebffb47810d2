#!/bin/sh
# Generate the function-symbol table of a linked hypervisor image as
# assembly for the .symtable section (see symbols.c).
# usage: gensyms.sh <nm> <image.elf>   (no image: an empty table)
set -eu
nm=$1
img=${2:-}
{
    echo '    .section .symtable, "a"'
    echo '    .balign 8'
    echo '    .globl symtab_count, symtab_entries, symtab_names'
    if [ -n "$img" ]; then
        "$nm" -n --defined-only "$img" | awk '$2 ~ /^[tT]$/ && $3 !~ /^\./ { print $1, $3 }' >"$img.syms"
    else
        : >"${TMPDIR:-/tmp}/empty.syms.$$"
    fi
    syms=${img:+$img.syms}
    syms=${syms:-${TMPDIR:-/tmp}/empty.syms.$$}
    echo "symtab_count: .quad $(wc -l <"$syms")"
    echo 'symtab_entries:'
    awk 'BEGIN { off = 0 } { printf "    .quad 0x%s, %d\n", $1, off; off += length($2) + 1 }' "$syms"
    echo 'symtab_names:'
    awk '{ printf "    .asciz \"%s\"\n", $2 }' "$syms"
    [ -n "$img" ] || rm -f "$syms"
}
