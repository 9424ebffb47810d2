#!/bin/bash
# Xen's own clients against xenstore-lite: Debian's xenstore-utils (built
# on libxenstore) and our multi-call tools, both pointed at a private
# daemon through XENSTORED_PATH, as dom0's scripts would use them.
# Prints "N passed, N failed"; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=build/xenstore-lite
dir=$(mktemp -d /tmp/xs-compat-XXXXXX)
sock=$dir/socket
pass=0 fail=0
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

check() { # name expected actual
    if [ "$2" == "$3" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'FAIL %s\n  expected: %q\n  actual:   %q\n' "$1" "$2" "$3"
    fi
}

export XENSTORED_PATH=$sock
start() {
    "$out/$1" --socket "$sock" 2>"$dir/log" &
    pid=$!
    for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
}

# The sanitizer build with both sets of clients, then dom0's static build.
start xenstored
for suite in debian ours static; do
    if [ $suite = static ]; then
        # SIGTERM ends the sanitizer build cleanly: exit 0 means no leak
        # (LeakSanitizer runs at exit) after all that traffic.
        kill "$pid" && wait "$pid"
        check "clean exit, no leaks" 0 $?
        grep -q Sanitizer "$dir/log" && cat "$dir/log"
        start xenstored-static
    fi
    if [ $suite = debian ]; then
        if ! command -v xenstore-read >/dev/null || [ "$(command -v xenstore-read)" != /usr/bin/xenstore-read ]; then
            check "debian xenstore-utils installed (make deps)" yes no
            continue
        fi
        X() { "/usr/bin/xenstore-$1" "${@:2}"; }
    else
        X() { "$out/xenstore-$1" "${@:2}"; }
    fi
    p=/$suite
    check "$suite write" "" "$(X write $p/a/b hello $p/a/c 'two words' 2>&1)"
    check "$suite read" "hello" "$(X read $p/a/b 2>&1)"
    check "$suite read many" $'hello\ntwo words' "$(X read $p/a/b $p/a/c 2>&1)"
    check "$suite list" $'b\nc' "$(X list $p/a 2>&1)"
    check "$suite ls" $'a = ""\n b = "hello"\n c = "two words"' "$(X ls $p 2>&1)"
    X exists $p/a/b; check "$suite exists" 0 $?
    X exists $p/none 2>/dev/null; check "$suite exists missing" 1 $?
    X read $p/none >/dev/null 2>&1; check "$suite read missing fails" 1 $?
    check "$suite chmod" "" "$(X chmod $p/a b0 r5 2>&1)"
    check "$suite ls -p" 'a = ""  (b0,r5)' "$(X ls -p $p 2>&1 | head -1 | sed 's/ *\. \. .*(/  (/; s/ *(\(.*\))$/  (\1)/')"
    check "$suite rm" "" "$(X rm $p/a/b 2>&1)"
    check "$suite list after rm" "c" "$(X list $p/a 2>&1)"
    # a watch sees its initial event, then a change made by another client
    X watch -n 2 $p/w >"$dir/watch.$suite" 2>&1 &
    wpid=$!
    for _ in $(seq 50); do [ -s "$dir/watch.$suite" ] && break; sleep 0.05; done
    X write $p/w/x 1
    for _ in $(seq 100); do kill -0 $wpid 2>/dev/null || break; sleep 0.05; done
    kill $wpid 2>/dev/null
    wait $wpid 2>/dev/null
    check "$suite watch" "$p/w"$'\n'"$p/w/x" "$(sed 's/ .*//' "$dir/watch.$suite")"
    check "$suite rm tree" "" "$(X rm $p 2>&1)"
    X exists $p 2>/dev/null; check "$suite gone" 1 $?
done

# the daemon survived all of it
kill -0 "$pid" 2>/dev/null; check "daemon alive" 0 $?

# the multi-call form: xs <command>
check "xs read" "1" "$("$out/xs" write /xs/k 1 && "$out/xs" read /xs/k)"
"$out/xs" nosuchcommand 2>/dev/null; check "xs unknown command" 2 $?

# chmod -r reaches the whole subtree
"$out/xenstore-write" /r/a/b 1 && "$out/xenstore-chmod" -r /r b0 r7
check "chmod -r" 'b = "1"  (b0,r7)' "$("$out/xenstore-ls" -p /r/a)"

# options are parsed strictly; startup errors are fatal
"$out/xenstored" --quota nodes=many --socket "$dir/x" 2>/dev/null; check "bad quota value" 2 $?
"$out/xenstored" --quota bogus=1 --socket "$dir/x" 2>/dev/null; check "unknown quota" 2 $?
"$out/xenstored" --socket /nonexistent-dir/sock 2>/dev/null; check "unusable socket path" 1 $?
echo "compat: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
