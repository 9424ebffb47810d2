#!/bin/sh
# Run inside dom0 Linux on Paravane (from the initramfs /init, with
# paravane.check=/bin/paravane-check; the image is
# build/linux/dom0-xenstore.cpio.gz, see xenstore-lite/rules.mk):
# xenstore-lite's daemon serves dom0's own kernel xenbus over the shared
# ring. dom0 starts without a store event channel, so Linux's xenbus is in
# XS_LOCAL mode: the kernel allocated the ring page and an unbound port,
# offers them through /dev/xen/xenbus_backend, and its xenbus_probe thread
# sleeps until the daemon first signals that port. Then Linux's own xenbus
# users (manage.c's control/ watches, the /dev/xen/xenbus device) work
# through kernel -> ring -> daemon.
#
# One line per check, "xscheck ok NAME" or "xscheck FAIL NAME: why", then
# "xscheck dom0: N passed, N failed". The init powers off afterwards.
# paravane.verbose=1 on the kernel command line also shows what each
# passing check saw, indented under its line.
pass=0
fail=0
SOCK=/run/xenstored/socket
DEV=/dev/xen/xenbus
verbose=$(sed -n 's/.*paravane\.verbose=\([^ ]*\).*/\1/p' /proc/cmdline)
check() {
    name=$1
    shift
    if "$@" >/tmp/xscheck.out 2>&1; then
        pass=$((pass + 1))
        echo "xscheck ok   $name"
        [ -n "$verbose" ] && sed 's/^/xscheck    | /' /tmp/xscheck.out
    else
        fail=$((fail + 1))
        echo "xscheck FAIL $name: $(head -c 400 /tmp/xscheck.out | tr '\n' ' ')"
    fi
}
# The xenstore-* names link to the multi-call xs (the rootfs init makes them).
PATH=/usr/sbin:/usr/bin:/bin:/sbin
export PATH
# Over the daemon's socket, or through the kernel's device.
sock() { XENSTORED_PATH=$SOCK "$@"; }
dev() { XENSTORED_PATH=$DEV "$@"; }
# until SECONDS COMMAND...: retry once a second until it succeeds.
until_ok() {
    n=$1
    shift
    while ! "$@"; do
        n=$((n - 1))
        [ "$n" -gt 0 ] || return 1
        sleep 1
    done
}
probe_thread() { ps | grep -q '\[xenbus_probe\]'; }

# Before the daemon: dom0 is in XS_LOCAL mode and its probe thread waits.
probe_waiting_before=no
probe_thread && probe_waiting_before=yes

kernel_ring_offered() {
    # xenfs shows the ring's port and kernel address; the devices exist.
    echo "xsd_port=$(cat /proc/xen/xsd_port) xsd_kva=$(cat /proc/xen/xsd_kva)" \
        "xenbus_probe thread waiting: $probe_waiting_before"
    [ -c /dev/xen/xenbus_backend ] && [ -c $DEV ] && [ -c /dev/xen/evtchn ] &&
        [ -c /dev/xen/gntdev ] && [ "$(cat /proc/xen/xsd_port)" -gt 0 ]
}

daemon_starts() {
    # It writes its pid file once it serves the socket and dom0's ring.
    mkdir -p /run/xenstored
    xenstored --dom0 --socket $SOCK --pid-file /run/xenstored.pid >/tmp/xenstored.log 2>&1 &
    d=$!
    n=60
    while [ ! -s /run/xenstored.pid ]; do
        if ! kill -0 $d 2>/dev/null || [ $n -eq 0 ]; then
            echo "not serving after $((60 - n)) s; xenstored said: $(cat /tmp/xenstored.log)"
            return 1
        fi
        n=$((n - 1))
        sleep 1
    done
    [ "$(cat /run/xenstored.pid)" = $d ] && [ -S $SOCK ]
}

socket_tools() {
    sock xenstore-write /xscheck/sock hello /xscheck/gone x &&
        [ "$(sock xenstore-read /xscheck/sock)" = hello ] &&
        sock xenstore-exists /xscheck/gone &&
        sock xenstore-rm /xscheck/gone &&
        ! sock xenstore-exists /xscheck/gone &&
        [ "$(sock xenstore-list /xscheck)" = sock ] &&
        sock xenstore-ls /xscheck
}

kernel_xenbus_probed() {
    # After the daemon's first event the probe thread runs xenbus_probe():
    # the xenstore notifier chain, where drivers/xen/manage.c registers
    # its control/shutdown and control/sysrq watches and writes
    # control/feature-poweroff and feature-reboot (relative paths: dom0's
    # home, /local/domain/0). The thread then exits.
    if ! until_ok 60 sock xenstore-exists /local/domain/0/control/feature-reboot; then
        echo "Linux wrote no /local/domain/0/control/feature-reboot in 60 s"
        sock xenstore-ls /
        return 1
    fi
    sock xenstore-ls /local/domain/0
    [ "$(sock xenstore-read /local/domain/0/control/feature-poweroff)" = 1 ] &&
        [ "$(sock xenstore-read /local/domain/0/control/feature-reboot)" = 1 ] &&
        until_ok 10 eval '! probe_thread'
}

xenbus_dev_reads() {
    # What the socket wrote, read through kernel -> ring -> daemon.
    v=$(dev xenstore-read /xscheck/sock) && echo "read $v" && [ "$v" = hello ] &&
        [ "$(dev xenstore-read control/feature-poweroff)" = 1 ]
}

xenbus_dev_writes() {
    # Written through the kernel, read back over the socket.
    dev xenstore-write /xscheck/dev world /xscheck/dev2 "two words" &&
        [ "$(sock xenstore-read /xscheck/dev)" = world ] &&
        [ "$(sock xenstore-read /xscheck/dev2)" = "two words" ] &&
        dev xenstore-rm /xscheck/dev2 && ! sock xenstore-exists /xscheck/dev2
}

xenbus_dev_ls() {
    # xenstore-ls of the whole store through the kernel (directory, read
    # and get-perms requests), compared with the same over the socket.
    dev xenstore-ls -p / >/tmp/ls.dev && sock xenstore-ls -p / >/tmp/ls.sock &&
        cat /tmp/ls.dev && cmp /tmp/ls.dev /tmp/ls.sock &&
        grep -q 'feature-poweroff = "1"' /tmp/ls.dev && grep -q 'dev = "world"' /tmp/ls.dev
}

xenbus_dev_watch() {
    # A watch set through the kernel (it registers its own with the
    # daemon and relays the events): the initial event, then two writes.
    XENSTORED_PATH=$DEV xenstore-watch -n 3 /xscheck/w >/tmp/watch.out 2>&1 &
    w=$!
    until_ok 30 grep -q '^/xscheck/w$' /tmp/watch.out || { kill $w; cat /tmp/watch.out; return 1; }
    sock xenstore-write /xscheck/w/a 1 && sock xenstore-write /xscheck/w/b 2 || return 1
    until_ok 30 grep -q '^/xscheck/w/b$' /tmp/watch.out || { kill $w; cat /tmp/watch.out; return 1; }
    wait $w
    cat /tmp/watch.out
    [ "$(tr '\n' ' ' </tmp/watch.out)" = "/xscheck/w /xscheck/w/a /xscheck/w/b " ]
}

linux_sysrq_watch() {
    # drivers/xen/manage.c's own watch on control/sysrq: the kernel reads
    # the key in a transaction, acknowledges by writing it empty, and runs
    # the SysRq ('h': help, a line in the kernel log).
    echo 1 >/proc/sys/kernel/sysrq
    sock xenstore-write /local/domain/0/control/sysrq h || return 1
    until_ok 30 eval 'v=$(sock xenstore-read /local/domain/0/control/sysrq) && [ -z "$v" ]' ||
        { echo "control/sysrq still '$(sock xenstore-read /local/domain/0/control/sysrq)'"; return 1; }
    until_ok 10 eval 'dmesg | grep -q "sysrq: HELP"' || { echo "no sysrq: HELP in dmesg"; return 1; }
}

daemon_still_serving() {
    # Still up, still answering both ways, nothing alarming in its log.
    kill -0 "$(cat /run/xenstored.pid)" && [ "$(dev xenstore-read /xscheck/dev)" = world ] &&
        [ "$(sock xenstore-read /xscheck/sock)" = hello ] && cat /tmp/xenstored.log &&
        [ ! -s /tmp/xenstored.log ]
}

check kernel_ring_offered kernel_ring_offered
check daemon_starts daemon_starts
check socket_tools socket_tools
check kernel_xenbus_probed kernel_xenbus_probed
check xenbus_dev_reads xenbus_dev_reads
check xenbus_dev_writes xenbus_dev_writes
check xenbus_dev_ls xenbus_dev_ls
check xenbus_dev_watch xenbus_dev_watch
check linux_sysrq_watch linux_sysrq_watch
check daemon_still_serving daemon_still_serving
echo "xscheck dom0: $pass passed, $fail failed"
