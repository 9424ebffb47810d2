#!/bin/sh
# Run inside a Linux domain on Paravane (from its initramfs /init, with
# paravane.check=/bin/paravane-check on the kernel command line): the
# checks of the Linux-boots issue, one line each, then a verdict line
# "linuxcheck <role>: N passed, N failed". Expected values come from the
# kernel command line: paravane.vcpus=N paravane.mem_kb=N paravane.role=R.
# paravane.checks=a,b runs only the checks named; paravane.wait=N (dom0)
# then waits until domain N is gone and shows the domain list, so dom0
# outlives the domU it was booted with (and powers the machine off last).
pass=0
fail=0
arg() { sed -n "s/.*paravane\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
check() {
    name=$1
    shift
    if "$@" >/tmp/check.out 2>&1; then
        pass=$((pass + 1))
        echo "linuxcheck ok   $name"
    else
        fail=$((fail + 1))
        echo "linuxcheck FAIL $name: $(head -c 300 /tmp/check.out)"
        # the rest of what it said, for the log
        tail -n 40 /tmp/check.out | sed 's/^/linuxcheck  | /'
    fi
}
role=$(arg role)
role=${role:-dom0}

hypervisor_is_xen_pv() {
    [ "$(cat /sys/hypervisor/type)" = xen ] && dmesg | grep -q "Hypervisor detected: Xen PV"
}
vcpus_online() {
    n=$(grep -c ^processor /proc/cpuinfo)
    echo "$n vCPUs online, expected $(arg vcpus)"
    [ "$n" = "$(arg vcpus)" ]
}
memory_is_reservation() {
    kb=$(cat /sys/devices/system/xen_memory/xen_memory0/info/current_kb)
    echo "current_kb=$kb, expected $(arg mem_kb)"
    [ "$kb" = "$(arg mem_kb)" ]
}
fork_exec_1000() {
    i=0
    while [ $i -lt 1000 ]; do
        /bin/true || return 1
        i=$((i + 1))
    done
}
tmpfs_64m_checksum() {
    # The checksum of the bytes as they were written, then as read back.
    a=$(dd if=/dev/urandom bs=1048576 count=64 2>/dev/null | tee /tmp/a | md5sum)
    size=$(wc -c </tmp/a)
    b=$(md5sum </tmp/a)
    echo "$size bytes, written $a, read $b"
    rm -f /tmp/a
    [ "$size" = 67108864 ] && [ "$a" = "$b" ]
}
privcmd_xen_version() {
    /bin/vane info | tee /dev/stderr | grep -q "xen_extra *: -paravane"
}
xen_devices() {
    [ -c /dev/xen/privcmd ] && [ -c /dev/xen/evtchn ] && [ -c /dev/xen/gntdev ] &&
        [ -e /proc/xen/capabilities ]
}
parallel_workload() {
    # Two busy loops at once: both vCPUs must have run some of it.
    n=$(grep -c ^processor /proc/cpuinfo)
    [ "$n" -lt 2 ] && return 0
    before=$(awk '/^cpu[0-9]/ {print $2}' /proc/stat | tr '\n' ' ')
    (i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done) &
    (i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done) &
    wait
    after=$(awk '/^cpu[0-9]/ {print $2}' /proc/stat | tr '\n' ' ')
    echo "user ticks per cpu before: $before after: $after"
    set -- $before $after
    [ "$3" -gt "$1" ] && [ "$4" -gt "$2" ]
}

domain_list() {
    # The hypervisor's own view (XEN_DOMCTL_getdomaininfo through privcmd).
    /bin/vane list | tee /dev/stderr | grep -Eq "^Domain-0 +0 +[0-9]+ +$(arg vcpus) "
}

xenstore_home() {
    # domU: its kernel's xenbus reaches dom0's xenstored over the ring the
    # hypervisor granted; its home was made by vane introduce.
    XENSTORED_PATH=/dev/xen/xenbus
    export XENSTORED_PATH
    id=$(xs read domid) && echo "domid: $id" && [ "$id" = "$(arg domid)" ] &&
        xs write data/check ok && [ "$(xs read data/check)" = ok ] &&
        [ "$(xs read control/feature-poweroff)" = 1 ]
}
domu_in_xenstore() {
    # dom0: what the domU's kernel wrote arrives in dom0's store.
    d=$(arg wait)
    until_for 1500 xs_is /local/domain/$d/control/feature-poweroff 1 ||
        { echo "no control/feature-poweroff"; tail -n 30 /var/log/xen/console/guest-xllinux.log; return 1; }
    xs ls /local/domain/$d
}

boot_console() {
    # The boot-time domU's console went over to vane consoled when dom0
    # came up (vane introduce): what its checks printed since is in the
    # daemon's log (shown here), not on the hypervisor's serial line.
    log=/var/log/vane/console-$1.log
    grep -a "linuxcheck" "$log" | sed "s/^/console-$1| /" >/dev/console
    grep -aq "linuxcheck domU: [0-9]* passed, 0 failed" "$log"
}

# Wait up to 30 s for xenstored to log MESSAGE (its log is shown if not).
# xenstored_said MSG...: wait (30 s at most) until xenstored has said one
# of the messages.
xenstored_said() {
    n=0
    while :; do
        for m in "$@"; do
            grep -q "xenstored: $m" /tmp/xenstored.log && return 0
        done
        n=$((n + 1))
        [ $n -gt 60 ] && { cat /tmp/xenstored.log >/dev/console; return 1; }
        sleep 0.5
    done
}

released_by_xenstored() {
    # dom0's xenstored heard VIRQ_DOM_EXC and let the boot-time domU go by
    # itself (no toolstack sent RELEASE): the nodes its kernel owned are gone.
    xenstored_said "domain $1 is gone, released" &&
        ! xs read /local/domain/$1/control/feature-poweroff 2>/dev/null
}

# Run-time domains through vane (dom0): /etc/vane holds the configurations.
free_mib() { /bin/vane info | awk '/^free_memory/ {print $3}'; }
domid_of() { sed -n 's/^vane: domain \([0-9]*\) .* created$/\1/p' "$1"; }
only_dom0() { [ "$(/bin/vane list | awk 'NR > 1' | wc -l)" = 1 ]; }
vane_create() {
    before=$(free_mib)
    /bin/vane create /etc/vane/pvtest.cfg >/tmp/create.out 2>&1 || { cat /tmp/create.out; return 1; }
    cat /tmp/create.out
    d=$(domid_of /tmp/create.out)
    [ -n "$d" ] || return 1
    # It runs its checks, powers off, and its keeper destroys it.
    /bin/vane wait "$d" 300 || return 1
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}
vane_refuse() {
    before=$(free_mib)
    ok=1
    /bin/vane create /etc/vane/missing-kernel.cfg >/tmp/e1 2>&1 && ok=0
    grep -q "kernel '/boot/no-such-kernel': No such file" /tmp/e1 || ok=0
    /bin/vane create /etc/vane/syntax-error.cfg >/tmp/e2 2>&1 && ok=0
    grep -q "syntax-error.cfg:3:" /tmp/e2 || ok=0
    /bin/vane create /etc/vane/pvtest.cfg memory=1000000 >/tmp/e3 2>&1 && ok=0
    grep -q "memory: 1000000 MiB asked" /tmp/e3 || ok=0
    cat /tmp/e1 /tmp/e2 /tmp/e3
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ $ok = 1 ] && [ "$before" = "$after" ] && only_dom0
}
vane_warn() {
    /bin/vane create -p /etc/vane/unknown-key.cfg >/tmp/w 2>&1 || { cat /tmp/w; return 1; }
    cat /tmp/w
    d=$(domid_of /tmp/w)
    grep -q "unknown-key.cfg:4: warning: unknown key 'frobnicate'" /tmp/w &&
        [ -n "$(/bin/vane list | awk -v d="$d" '$2 == d')" ] && /bin/vane destroy "$d"
}
vane_three() {
    before=$(free_mib)
    ids=""
    for n in 1 2 3; do
        /bin/vane create -p /etc/vane/unknown-key.cfg "name=\"three$n\"" >/tmp/c 2>&1 ||
            { cat /tmp/c; return 1; }
        ids="$ids $(domid_of /tmp/c)"
    done
    /bin/vane list
    [ "$(/bin/vane list | awk 'NR > 2' | wc -l)" = 3 ] || return 1
    for d in $ids; do /bin/vane destroy "$d" || return 1; done
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}
vane_cycles() {
    before=$(free_mib)
    i=0
    while [ $i -lt 20 ]; do
        /bin/vane create -q -p /etc/vane/unknown-key.cfg >/tmp/c 2>&1 || { cat /tmp/c; return 1; }
        d=$(/bin/vane list | awk 'NR > 2 {print $2}')
        /bin/vane destroy "$d" || return 1
        i=$((i + 1))
    done
    after=$(free_mib)
    echo "20 cycles: free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}

# vane's management commands (xl's names, options and output) on one domain
# made paused from unknown-key.cfg (a PV test kernel that spins on yield
# once its checks are done): each sub-check that fails is named.
vtime() { /bin/vane vcpu-list "$1" | awk 'NR == 2 {print $6}'; }
# A vane command, its output shown and kept in /tmp/vv for grep.
vv() {
    /bin/vane "$@" >/tmp/vv 2>&1
    rc=$?
    cat /tmp/vv
    return $rc
}
grew() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(b > a)}'; }
# Exit status $1 and a message matching $2 from the rest, a vane command.
fails() {
    want=$1 msg=$2
    shift 2
    /bin/vane "$@" >/tmp/e 2>&1
    rc=$?
    cat /tmp/e
    [ $rc = "$want" ] && grep -q "$msg" /tmp/e
}
vane_cmds_run() {
    v=/bin/vane
    bad=""
    before=$(free_mib)
    $v create -p /etc/vane/unknown-key.cfg 'name="cmds"' >/tmp/c 2>&1
    cat /tmp/c
    d=$(domid_of /tmp/c)
    [ -n "$d" ] || { bad=" create"; return; }
    vv list
    [ "$($v domid cmds)" = "$d" ] && [ "$($v domname "$d")" = cmds ] &&
        [ "$($v domid Domain-0)" = 0 ] && [ "$($v domname 0)" = Domain-0 ] &&
        grep -Eq "^cmds +$d +[0-9]+ +1 +..p" /tmp/vv || bad="$bad names"
    # Running, its vCPU's time grows; paused, it stands still; and again.
    $v unpause cmds || bad="$bad unpause"
    sleep 1
    t1=$(vtime cmds)
    sleep 1
    t2=$(vtime cmds)
    $v pause "$d" || bad="$bad pause"
    sleep 0.5
    p1=$(vtime cmds)
    sleep 1
    p2=$(vtime cmds)
    $v list "$d" | awk 'NR == 2 {print $5}' | grep -q '^..p' || bad="$bad pause-state"
    $v unpause cmds
    sleep 1
    u1=$(vtime cmds)
    sleep 1
    u2=$(vtime cmds)
    echo "vcpu time: running $t1 $t2, paused $p1 $p2, unpaused $u1 $u2"
    grew "$t1" "$t2" && [ -n "$p1" ] && [ "$p1" = "$p2" ] && grew "$u1" "$u2" || bad="$bad pause-time"
    $v sched-credit -d cmds -w 512 && $v sched-credit -d cmds -c 50 &&
        vv sched-credit -d cmds && grep -Eq "^cmds +$d +512 +50$" /tmp/vv &&
        vv sched-credit && grep -Eq "^Domain-0 +0 +[0-9]+ +[0-9]+$" /tmp/vv &&
        fails 1 "weight out of range" sched-credit -d cmds -w 0 &&
        fails 1 "not sedf" sched-sedf || bad="$bad sched-credit"
    $v vcpu-pin cmds 0 1 && vv vcpu-list cmds && grep -Eq "^cmds +$d +0 .* 1 / all$" /tmp/vv &&
        $v vcpu-pin cmds all all && vv vcpu-list && grep -Eq "^cmds +$d +0 .* all / all$" /tmp/vv &&
        fails 1 "map is empty" vcpu-pin cmds 0 5 || bad="$bad vcpu-pin"
    $v mem-max cmds 64m && vv list -l cmds && grep -q '"max_memkb": 65536' /tmp/vv &&
        $v mem-max "$d" 40960k && $v list -l | grep -q '"max_memkb": 40960' &&
        fails 1 "cannot set domid $d static max" mem-max cmds 16 &&
        fails 1 "invalid memory size" mem-max cmds 40x || bad="$bad mem-max"
    $v list -l | grep -q '"name": "cmds"' && vv list -v && grep -Eq "^cmds +$d .* [0-9a-f]{8}-" /tmp/vv &&
        vv uptime && grep -Eq "^cmds +$d +[ 0-9]+:[0-9]{2}:[0-9]{2}$" /tmp/vv &&
        $v uptime -s 0 | grep -q " up .*, Domain-0 (0)$" || bad="$bad list-uptime"
    $v dmesg >/tmp/dmesg || bad="$bad dmesg"
    grep -q "Paravane hypervisor" /tmp/dmesg && grep -q "d$d: created by the control domain" /tmp/dmesg ||
        bad="$bad dmesg"
    e="nosuch is an invalid domain identifier"
    fails 1 "$e" pause nosuch && fails 1 "$e" unpause nosuch && fails 1 "$e" list nosuch &&
        fails 1 "$e" sched-credit -d nosuch && fails 1 "$e" vcpu-list nosuch &&
        fails 1 "$e" vcpu-pin nosuch 0 all && fails 1 "$e" mem-max nosuch 64 &&
        fails 1 "$e" uptime nosuch || bad="$bad nosuch"
    fails 1 "Domain '999' does not exist" pause 999 &&
        fails 1 "Can't get domid of domain name 'nosuch'" domid nosuch &&
        fails 1 "Can't get domain name of domain id '999'" domname 999 &&
        fails 2 "requires at least 1 argument" pause && fails 2 "Usage: vane pause" pause -z cmds &&
        $v help pause | grep -q "^Usage: vane pause <Domain>" || bad="$bad errors"
    $v destroy "$d" || bad="$bad destroy"
    fails 1 "Can't get domid of domain name 'cmds'" domid cmds || bad="$bad name-gone"
    $v dmesg -c >/dev/null && ! $v dmesg | grep -q "Paravane hypervisor" || bad="$bad dmesg-c"
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0 || bad="$bad memory"
}
vane_cmds() {
    vane_cmds_run >/tmp/cmds.log 2>&1
    [ -z "$bad" ] && return 0
    echo "failed:$bad"
    cat /tmp/cmds.log >/dev/console
    return 1
}

xs_dom_exc() {
    # xenstored binds VIRQ_DOM_EXC: a domain that powers off and is kept
    # (on_poweroff=preserve) is reported on @releaseDomain while it still
    # exists; once destroyed it is released.
    xs watch -n 2 @releaseDomain >/tmp/rel 2>&1 &
    w=$!
    /bin/vane create /etc/vane/pvtest.cfg 'on_poweroff="preserve"' >/tmp/p 2>&1 || { cat /tmp/p; return 1; }
    d=$(domid_of /tmp/p)
    xenstored_said "domain $d shut down" || { kill $w; return 1; }
    kill $w 2>/dev/null
    wait $w 2>/dev/null
    # the first event is the watch's own; the second, the shutdown
    [ "$(grep -c "^@releaseDomain" /tmp/rel)" = 2 ] || { cat /tmp/rel; return 1; }
    /bin/vane list | awk '$1 == "pvtest" {print $5}' | grep -q '^...s' || { /bin/vane list; return 1; }
    # Let go by xenstored itself, on VIRQ_DOM_EXC, or on the XS_RELEASE that
    # vane destroy sends at once (as libxl does), whichever came first.
    /bin/vane destroy "$d" && /bin/vane wait "$d" 60 &&
        xenstored_said "domain $d is gone, released" "domain $d released by its toolstack"
}

xl_figures() {
    # Xen's own xl, unchanged, against Paravane: its info, list and
    # vcpu-list show the figures vane shows.
    [ -x /usr/sbin/xl ] || { echo "no xl in this rootfs"; return 1; }
    xl info >/tmp/xi 2>/dev/null && /bin/vane info >/tmp/vi || return 1
    cat /tmp/xi
    for k in nr_cpus max_cpu_id nr_nodes total_memory xen_major xen_minor xen_extra; do
        a=$(awk -v k="$k" '$1 == k {print $3}' /tmp/xi)
        b=$(awk -v k="$k" '$1 == k {print $3}' /tmp/vi)
        [ -n "$a" ] && [ "$a" = "$b" ] || { echo "$k: xl '$a', vane '$b'"; return 1; }
    done
    xl list 2>/dev/null | tee /tmp/xl | awk '{print $1, $2, $3, $4}' >/tmp/xl4
    /bin/vane list | awk '{print $1, $2, $3, $4}' >/tmp/vl4
    cmp /tmp/xl4 /tmp/vl4 || { cat /tmp/xl /tmp/vl4; return 1; }
    grep -q "^Domain-0 *0 " /tmp/xl || return 1
    xl vcpu-list 2>/dev/null | tee /tmp/xv | awk 'NR > 1 {print $1, $2, $3}' >/tmp/xv3
    /bin/vane vcpu-list | awk 'NR > 1 {print $1, $2, $3}' >/tmp/vv3
    cmp /tmp/xv3 /tmp/vv3 || { cat /tmp/xv /tmp/vv3; return 1; }
}

# Xen's own xl create, with Xen's own console daemon (xl waits for it to
# give the new domain's console a tty), on configurations without devices.
# SECONDS COMMAND...: run COMMAND every half second until it succeeds
# (wall-clock time: a loaded machine slows the guests, not the limit).
until_for() {
    t=$(($(date +%s) + $1))
    shift
    until "$@"; do
        [ "$(date +%s)" -ge "$t" ] && return 1
        sleep 0.5
    done
}
no_domain() { ! xl domid "$1" >/dev/null 2>&1; }
xs_is() { [ "$(xs read "$1" 2>/dev/null)" = "$2" ]; }
xl_field() { xl "$@" 2>/dev/null | awk 'NR == 2'; } # the first row under the header
has_ended() { no_domain "$1" || xl_field list "$1" | awk '{print $5}' | grep -q s; }
xl_gone() { # NAME SECONDS: wait until no domain has that name
    until_for "$2" no_domain "$1" || { echo "domain $1 still there after $2 s"; xl list; return 1; }
}
# NAME SECONDS: wait until the domain has ended (gone, or shut down), then
# until it is gone: xl's own child destroys it once xenstored tells it
# (@releaseDomain, on VIRQ_DOM_EXC), as its on_poweroff says.
xl_ended() {
    until_for "$2" has_ended "$1" || { echo "domain $1 still running after $2 s"; xl list; return 1; }
    xl_gone "$1" 60 || { echo "xl's child did not destroy $1"; return 1; }
}
# Command "$@" with Xen's console daemon running (xl create waits for it to
# give each new console a tty) and xl's directories made; its status.
with_xenconsoled() {
    mkdir -p /var/lock /var/lib/xen /var/run/xen /var/log/xen/console /etc/xen
    [ -f /etc/xen/xl.conf ] || : >/etc/xen/xl.conf
    /usr/sbin/xenconsoled --log=guest --pid-file=/run/xenconsoled.pid || return 1
    r=0
    "$@" || r=1
    kill "$(cat /run/xenconsoled.pid)"
    return $r
}
xl_create() { with_xenconsoled xl_create_run; }
xl_create_run() {
    before=$(free_mib)
    # A PV test kernel: created paused (-p), unpaused, runs its checks,
    # powers off; xl's own child destroys it (on_poweroff="destroy").
    xl create -p /etc/vane/xl-pvtest.cfg || return 1
    d=$(xl domid xlpv) && [ -n "$d" ] || return 1
    [ "$(xl_field list xlpv | awk '{print $1, $2, $3, $4, $5}')" = "xlpv $d 32 1 --p---" ] ||
        { xl list; return 1; }
    xen-cpuid -p "$d" >/tmp/xcd 2>&1 && xen-cpuid -p >/tmp/xcs 2>&1 || { cat /tmp/xcd; return 1; }
    # Its CPU policy is the PV default the hypervisor reports (libxl set it).
    sed -n '/^PV Default policy/,/^HVM Default/p' /tmp/xcs | grep '^  [0-9a-f]\{8\}:' >/tmp/xcs.l
    grep '^  [0-9a-f]\{8\}:' /tmp/xcd >/tmp/xcd.l
    [ -s /tmp/xcd.l ] && cmp /tmp/xcd.l /tmp/xcs.l || { cat /tmp/xcd /tmp/xcs; return 1; }
    xl unpause xlpv || return 1
    xl_ended xlpv 300 || return 1
    xl dmesg | grep "^(d$d) pvtest basic: [0-9]* passed, 0 failed" || { xl dmesg | tail; return 1; }
    # A PV test kernel whose console is only its ring, which xenconsoled
    # serves: it waits for a line; meanwhile xl pauses, unpauses, weighs
    # and pins it; the line typed into its tty is echoed, it powers off.
    xl create /etc/vane/xl-xcons.cfg || return 1
    d=$(xl domid xlcons) && [ -n "$d" ] || return 1
    log=/var/log/xen/console/guest-xlcons.log
    until_for 300 grep -q "pvtest xcons: type a line" $log || { echo "no prompt"; cat $log; return 1; }
    state() { xl_field list xlcons | awk '{print $5}'; }
    xl pause xlcons && [ "$(state)" = --p--- ] || { xl list; return 1; }
    xl unpause xlcons && [ "$(state)" != --p--- ] || { xl list; return 1; }
    xl sched-credit -d xlcons -w 512 && [ "$(xl_field sched-credit -d xlcons | awk '{print $3}')" = 512 ] ||
        { xl sched-credit; return 1; }
    xl vcpu-pin xlcons 0 1 && [ "$(xl_field vcpu-list xlcons | awk '{print $7}')" = 1 ] ||
        { xl vcpu-list; return 1; }
    echo hello >"$(xs read /local/domain/$d/console/tty)" || return 1
    xl_ended xlcons 300 || return 1
    grep "pvtest xcons: echo 'hello'" $log && grep -q "pvtest xcons: [0-9]* passed, 0 failed" $log ||
        { cat $log; return 1; }
    # xl destroy ends one at once.
    xl create /etc/vane/xl-xcons.cfg && xl destroy xlcons && xl_gone xlcons 30 || return 1
    sleep 1 # the domains' entries go once they are released
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}
# Debian's kernel created by xl: a narrowed CPU policy (cpuid=) that its
# kernel sees, and xl shutdown. Needs dom0-vane's domU initramfs.
xl_linux() { with_xenconsoled xl_linux_run; }
xl_linux_run() {
    before=$(free_mib)
    # Debian's kernel, a shell on its console: xl shutdown powers it
    # off through its xenstore control node.
    xl create /etc/vane/xl-linux.cfg || return 1
    d=$(xl domid xllinux) && [ -n "$d" ] || return 1
    until_for 1500 xs_is /local/domain/$d/control/feature-poweroff 1 ||
        { echo "no control/feature-poweroff"; tail -n 30 /var/log/xen/console/guest-xllinux.log; return 1; }
    # Its CPU policy lacks HTT (cpuid= in its configuration), and so does
    # the CPUID its kernel sees (asked through its console's shell).
    xen-cpuid -p "$d" | grep -q '^  00000001:ffffffff -> [0-9a-f]*:[0-9a-f]*:[0-9a-f]*:[02468ace][0-9a-f]\{7\}$' ||
        { xen-cpuid -p "$d"; return 1; }
    log=/var/log/xen/console/guest-xllinux.log
    until_for 300 grep -q "paravane: shell on the console" $log || { echo "no shell"; tail -n 20 $log; return 1; }
    echo 'echo "ht-flags: $(grep -cw ht /proc/cpuinfo)"' >"$(xs read /local/domain/$d/console/tty)"
    until_for 300 grep -q "^ht-flags: [0-9]" $log || { echo "no answer from its shell"; tail -n 20 $log; return 1; }
    # (dom0, on the default policy, has it.)
    grep -qw ht /proc/cpuinfo && grep "^ht-flags: 0" $log || { grep "ht-flags" $log; return 1; }
    xl shutdown xllinux || return 1
    xl_ended xllinux 600 || return 1
    sleep 1 # the domain's entries go once it is released
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}

# A domain's CPU time in ns (vane list -l: getdomaininfo's cpu_time).
cpu_ns() { /bin/vane list -l "$1" | sed -n 's/.*"cpu_time": *\([0-9]*\).*/\1/p' | head -n 1; }

vane_linux() {
    vane_linux_steps && return 0
    echo "domain ${d:-?}'s console, last lines:" >/dev/console
    tail -n 40 "/var/log/vane/console-${d:-x}.log" >/dev/console 2>&1
    return 1
}

vane_linux_steps() {
    # Debian's kernel created at run time: its xenbus reaches dom0's
    # xenstored through the ring vane granted and introduced, its checks
    # run, it powers off, its keeper destroys it and forgets its entries.
    before=$(free_mib)
    /bin/vane create /etc/vane/linux-xs.cfg >/tmp/l 2>&1 || { cat /tmp/l; return 1; }
    cat /tmp/l
    d=$(domid_of /tmp/l)
    [ -n "$d" ] || return 1
    n=0
    until [ "$(xs read /local/domain/$d/control/feature-poweroff 2>/dev/null)" = 1 ]; do
        n=$((n + 1))
        st=$(/bin/vane list | awk -v d="$d" '$2 == d {print $5}')
        if [ $n -gt 1200 ] || [ -z "$st" ] || [ "${st#*c}" != "$st" ]; then
            echo "domain $d's kernel never wrote control/feature-poweroff (state '$st')"
            return 1
        fi
        sleep 0.5
    done
    xs ls /local/domain/$d
    grep -q "Grant tables using version 2 layout" "/var/log/vane/console-$d.log" ||
        { echo "domain $d did not switch to grant tables v2"; return 1; }
    [ "$(xs read /local/domain/$d/name)" = linux ] &&
        [ "$(xs read /local/domain/$d/memory/target)" = 262144 ] &&
        [ "$(xs read /local/domain/$d/cpu/1/availability)" = online ] &&
        [ "$(xs read "$(xs read /local/domain/$d/vm)/name")" = linux ] || return 1
    /bin/vane list | grep -E "^linux +$d +256 +2 " || { /bin/vane list; return 1; }
    # Its checks done, it keeps both vCPUs busy: its CPU time grows, stops
    # while it is paused, grows again once unpaused.
    t1=$(cpu_ns "$d") && sleep 2 && t2=$(cpu_ns "$d") && [ "$t2" -gt "$t1" ] ||
        { echo "not running: $t1 $t2"; return 1; }
    /bin/vane pause "$d" && sleep 1 && t3=$(cpu_ns "$d") && sleep 2 && t4=$(cpu_ns "$d") || return 1
    /bin/vane list | awk -v d="$d" '$2 == d {print $5}' | grep -q '^..p' || { /bin/vane list; return 1; }
    [ "$t4" = "$t3" ] || { echo "paused, but its CPU time went from $t3 to $t4"; return 1; }
    /bin/vane unpause "$d" && sleep 2 && t5=$(cpu_ns "$d") && [ "$t5" -gt "$t4" ] ||
        { echo "unpaused, but its CPU time stayed at $t4"; return 1; }
    echo "cpu time (ns): $t1 $t2, paused $t3 $t4, unpaused $t5"
    # A Credit weight reads back.
    /bin/vane sched-credit -d "$d" -w 384 &&
        /bin/vane sched-credit -d "$d" | awk 'NR == 2 {print $3}' | grep -qx 384 ||
        { /bin/vane sched-credit -d "$d"; return 1; }
    # Its end: destroy (make-run-demo shows shutdown -w on a domU; here a
    # domU once acted on no request, see the README's notes).
    /bin/vane destroy "$d" || return 1
    sleep 1 # the keeper forgets the entries once the domain is gone
    if xs read /local/domain/$d/name >/dev/null 2>&1; then
        echo "/local/domain/$d outlived the domain"
        return 1
    fi
    # (No free-memory comparison: this is the boot's first domain, which
    # grows the hypervisor's allocator pools for good; vlive, xl_create and
    # the cycles compare free memory after a first domain.)
    echo "free memory before $before MiB, after $(free_mib) MiB"
}

# A run-time Linux domU that stays (linux-xs.cfg's 2 vCPUs and 256 MiB on
# the shell initramfs) under vane's run-time commands: a second domain of
# its name refused, top's figures, mem-set followed by its balloon driver,
# vcpu-set by its CPU hotplug, rename, destroy by name, shutdown -a.
# Each sub-check that fails is named.
lmem() { /bin/vane list | awk -v n="$1" '$1 == n {print $3}'; }
# vCPU $2 of domain $1: its state column in vcpu-list.
vstate() { /bin/vane vcpu-list "$1" | awk -v v="$2" 'NR > 1 && $3 == v {print $5}'; }
# Until command "$2..." succeeds, at most $1 seconds (its arguments are
# expanded once: put what must be read again in a function).
within() {
    t=$1
    shift
    n=0
    until "$@"; do
        [ $n -ge "$t" ] && return 1
        sleep 1
        n=$((n + 1))
    done
}
# Domain $1's memory in vane list, compared ($2: le or ge) with $3 MiB.
lmem_is() { m=$(lmem "$1"); [ -n "$m" ] && [ "$m" -"$2" "$3" ]; }
# Store key $1 reads $2 (for within: read again each time).
xs_is() { [ "$(xs read "$1" 2>/dev/null)" = "$2" ]; }
# vCPU $2 of domain $1 is ($3 = is) or is not ($3 = not) in state $4.
vstate_is() { if [ "$3" = is ]; then [ "$(vstate "$1" "$2")" = "$4" ]; else [ "$(vstate "$1" "$2")" != "$4" ]; fi; }
# Into domain $1's shell: the line $2.
type_in() { echo "$2" | /bin/vane console -n -w 3 "$1" >/dev/null 2>&1; }
# vane top -b's output $4: column $2 (3: CPU(sec)) of domain $1 in frame $3.
topcol() { awk -v n="$1" -v c="$2" -v f="$3" '$1 == "NAME" {k++} k == f && $1 == n {print $c}' "$4"; }
vlive_run() {
    v=/bin/vane
    bad=""
    before=$(free_mib)
    $v create /etc/vane/linux-xs.cfg 'name="live"' 'ramdisk="/boot/domU.cpio.gz"' >/tmp/c 2>&1
    cat /tmp/c
    d=$(domid_of /tmp/c)
    [ -n "$d" ] || { bad=" create"; return; }
    # A second domain of the same name is refused before anything is made.
    fails 1 'Domain with name "live" already exists' create -p /etc/vane/pvtest.cfg 'name="live"' &&
        [ "$($v list | awk 'NR > 1' | wc -l)" = 2 ] || bad="$bad dup-name"
    # Its kernel is up (xenbus, control) and its shell is on the console.
    within 900 xs_is /local/domain/$d/control/feature-poweroff 1 &&
        within 120 grep -q "shell on the console" "$CONLOG/console-$d.log" ||
        { bad="$bad boot"; tail -n 20 "$CONLOG/console-$d.log"; return; }
    vv list
    grep -Eq "^live +$d +25[0-9] +2 " /tmp/vv || bad="$bad list"
    # top: a busy loop in the domU; its CPU(sec) grows and its CPU(%) shows it.
    type_in "$d" 'while :; do :; done &'
    sleep 2
    $v top -b -i 2 -d 2 >/tmp/top 2>&1
    cat /tmp/top
    c1=$(topcol live 3 1 /tmp/top) c2=$(topcol live 3 2 /tmp/top) p2=$(topcol live 4 2 /tmp/top)
    m2=$(topcol live 5 2 /tmp/top)
    sleep 3
    $v top -b -i 1 >/tmp/top2 2>&1
    c3=$(topcol live 3 1 /tmp/top2)
    echo "top: live CPU(sec) $c1 $c2 then $c3, CPU(%) $p2, MEM(k) $m2, list $(lmem live) MiB"
    [ "$(grep -c '^ *NAME  *STATE  *CPU(sec) CPU(%)  *MEM(k) MEM(%)  *MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS  *VBD_OO  *VBD_RD  *VBD_WR  *VBD_RSECT  *VBD_WSECT SSID$' /tmp/top)" = 2 ] &&
        [ -n "$(topcol Domain-0 3 2 /tmp/top)" ] && [ -n "$c3" ] && grew "$c1" "$c3" &&
        grew 20 "$p2" && [ "$((m2 / 1024))" = "$(lmem live)" ] || bad="$bad top"
    type_in "$d" 'kill %1'
    # mem-set: the balloon driver gives memory back, then takes it again.
    $v mem-set live 128m && [ "$(xs read /local/domain/$d/memory/target)" = 131072 ] &&
        [ "$(xs read "$(xs read /local/domain/$d/vm)/memory")" = 128 ] &&
        within 120 lmem_is live le 129 || bad="$bad mem-set-down"
    say "vlive: after mem-set 128m, live has $(lmem live) MiB"
    $v mem-set "$d" 256m && within 120 lmem_is live ge 255 || bad="$bad mem-set-up"
    say "vlive: after mem-set 256m, live has $(lmem live) MiB"
    fails 1 "memory_dynamic_max must be less than or equal to memory_static_max" mem-set live 300m &&
        fails 1 "invalid memory size: 12q" mem-set live 12q &&
        [ "$(xs read /local/domain/$d/memory/target)" = 262144 ] || bad="$bad mem-set-refuse"
    # vcpu-set: vCPU 1 goes offline in the guest (VCPUOP_down), then back.
    $v vcpu-set live 1 && within 60 vstate_is live 1 is "--p" &&
        [ "$(xs read /local/domain/$d/cpu/1/availability)" = offline ] &&
        [ "$($v list | awk '$1 == "live" {print $4}')" = 1 ] || bad="$bad vcpu-set-1"
    vv vcpu-list live
    # Back: Linux makes the vCPU present again, and onlines it when asked (a
    # Xen guest's udev rule does it; this one's shell, here).
    $v vcpu-set live 2 && [ "$(xs read /local/domain/$d/cpu/1/availability)" = online ] &&
        type_in "$d" 'until echo 1 >/sys/devices/system/cpu/cpu1/online; do sleep 1; done' &&
        within 60 vstate_is live 1 not "--p" &&
        [ "$($v list | awk '$1 == "live" {print $4}')" = 2 ] || bad="$bad vcpu-set-2"
    vv vcpu-list live
    fails 1 "Requested 3 VCPUs, however maxcpus is 2" vcpu-set -i live 3 &&
        fails 1 "Requested 0 VCPUs" vcpu-set live 0 && fails 1 "Invalid argument" vcpu-set live x ||
        bad="$bad vcpu-set-refuse"
    # rename: vane's names and the store follow; a name in use is refused.
    $v rename live renamed && [ "$($v domid renamed)" = "$d" ] &&
        [ "$(xs read /local/domain/$d/name)" = renamed ] &&
        [ "$(xs read "$(xs read /local/domain/$d/vm)/name")" = renamed ] &&
        fails 1 'Domain with name "Domain-0" already exists' rename renamed Domain-0 &&
        [ "$(xs read /local/domain/$d/name)" = renamed ] &&
        fails 1 "Can't get domid of domain name 'live'" domid live || bad="$bad rename"
    # destroy takes a name; never dom0 without -f.
    $v create -q -p /etc/vane/pvtest.cfg 'name="scratch"' && $v destroy scratch &&
        fails 1 "Not destroying domain 0" destroy Domain-0 && fails 1 "Not destroying domain 0" destroy 0 &&
        fails 1 "nosuch is an invalid domain identifier" destroy nosuch || bad="$bad destroy"
    # shutdown -a asks every domU; -w waits until all are gone.
    $v create -q -p /etc/vane/pvtest.cfg 'name="nopv"'
    $v shutdown -a -w >/tmp/sa 2>&1
    cat /tmp/sa
    grep -q "Shutting down domain $d" /tmp/sa && grep -q "Domain $d has been shut down" /tmp/sa &&
        grep -q "PV control interface not available" /tmp/sa || bad="$bad shutdown-a"
    $v destroy nopv
    fails 1 "You must specify -a or a domain id" shutdown || bad="$bad shutdown-usage"
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0 || bad="$bad memory"
}
vlive() {
    vlive_run >/tmp/vlive.log 2>&1
    [ -z "$bad" ] && return 0
    echo "failed:$bad"
    {
        cat /tmp/vlive.log
        echo "the domU's console:"
        tail -n 60 "$CONLOG/console-$d.log"
    } >/dev/console
    /bin/vane destroy "$d" >/dev/null 2>&1
    return 1
}

# cpus= at create (pinned as vcpu-pin pins) and sedf_ keys left aside, with
# a word, under the credit scheduler; destroy by name.
vpin() {
    /bin/vane create -p /etc/vane/unknown-key.cfg 'name="pin"' vcpus=2 'cpus="1"' sedf_latency=5 \
        >/tmp/p 2>&1
    cat /tmp/p
    d=$(domid_of /tmp/p)
    [ -n "$d" ] && grep -q "sedf_ keys left aside: the hypervisor runs the credit scheduler" /tmp/p ||
        return 1
    vv vcpu-list pin
    [ "$(grep -Ec "^pin +$d +[01] .* 1 / all$" /tmp/vv)" = 2 ] || return 1
    # A CPU list naming no CPU of this host: refused, nothing left behind.
    fails 1 "cpus= affinity" create -p /etc/vane/unknown-key.cfg 'name="pin2"' 'cpus="5"' &&
        /bin/vane destroy pin && only_dom0
}

# SEDF parameters of the configuration applied at create (sched=sedf boot).
vsedf() {
    v=/bin/vane
    $v create -p /etc/vane/unknown-key.cfg 'name="tdriven"' sedf_period=100 sedf_slice=20 \
        sedf_latency=5 sedf_extratime=1 >/tmp/s 2>&1 || { cat /tmp/s; return 1; }
    $v create -p /etc/vane/unknown-key.cfg 'name="wdriven"' cpu_weight=300 sedf_extratime=0 \
        >/tmp/s 2>&1 || { cat /tmp/s; return 1; }
    $v create -p /etc/vane/unknown-key.cfg 'name="plain"' >/tmp/s 2>&1 || { cat /tmp/s; return 1; }
    vv sched-sedf
    grep -Eq "^tdriven +[0-9]+ +100 +20 +5 +1 +0$" /tmp/vv &&
        grep -Eq "^wdriven +[0-9]+ +[0-9.]+ +[0-9.]+ +0 +0 +300$" /tmp/vv &&
        grep -Eq "^plain +[0-9]+ +100 +0 +0 +1 +" /tmp/vv || return 1
    $v destroy tdriven && $v destroy wdriven && $v destroy plain && only_dom0
}

# vane stat: a PV test kernel (stat.cfg, tests/guests/stat.c) executes
# known numbers of CPUIDs, RDMSRs, HLTs, hypercalls, multicall entries
# and event-channel sends, then blocks; vane stat reports exactly those
# numbers (as JSON, as text and in the all-domains table), and -z zeroes
# them.
# The number under key $3 of object $2 ("" for the domain's own keys) in
# vane stat -j's output $1 (an object's entries are one per line).
jnum() {
    awk -v o="$2" -v k="$3" '/^    "[a-z_]*": [{]$/ {split($1, a, "\""); cur = a[2]; next}
        /^    }/ {cur = ""; next}
        {split($1, a, "\""); if (a[2] == k && cur == o) {v = $2; gsub(/[^0-9]/, "", v); print v; exit}}' "$1"
}
stat_marked() { /bin/vane stat -j "$1" >/tmp/st 2>&1 && [ "$(jnum /tmp/st hypercalls get_debugreg)" = 1 ]; }
vane_stat() {
    /bin/vane create /etc/vane/stat.cfg >/tmp/c 2>&1 || { cat /tmp/c; return 1; }
    d=$(domid_of /tmp/c)
    [ -n "$d" ] || return 1
    within 120 stat_marked "$d" || { cat /tmp/st; return 1; }
    cat /tmp/st
    ok=1
    for want in privileged_instructions/cpuid/1234 privileged_instructions/rdmsr/321 \
        privileged_instructions/hlt/6 privileged_instructions/wrmsr/0 /privileged_refused/6 \
        exceptions/13/6 hypercalls/xen_version/111 \
        multicall_calls/xen_version/4 /evtchn_sends/9 hypercalls/get_debugreg/1; do
        o=${want%%/*} r=${want#*/}
        k=${r%%/*} n=${r#*/}
        got=$(jnum /tmp/st "$o" "$k")
        [ "$got" = "$n" ] || { echo "$o $k: $got, expected $n"; ok=0; }
    done
    /bin/vane stat "$d" >/tmp/st2 && cat /tmp/st2
    grep -Eq "^  cpuid +1234\$" /tmp/st2 && grep -Eq "^  rdmsr +321\$" /tmp/st2 &&
        grep -Eq "^  xen_version +111\$" /tmp/st2 || { echo "text output"; ok=0; }
    /bin/vane stat >/tmp/st3 && cat /tmp/st3
    grep -Eq "^stat +$d +[0-9]+ +4 +6 +[0-9]+ +0 +9 " /tmp/st3 || { echo "table"; ok=0; }
    /bin/vane stat -z "$d" >/dev/null && /bin/vane stat -j "$d" >/tmp/st &&
        [ "$(jnum /tmp/st privileged_instructions cpuid)" = 0 ] || { echo "reset"; ok=0; }
    # Xen's xenperf (where this dom0 carries it) reads the machine's totals.
    if command -v xenperf >/dev/null; then
        xenperf -p >/tmp/xp 2>&1 && sed 's/^/linuxcheck info xenperf: /' /tmp/xp >&3
        grep -Eq "^hypercalls +T= *[1-9]" /tmp/xp && grep -Eq "^xen_version +[1-9]" /tmp/xp &&
            grep -Eq "^sched: context switches +T= *[1-9]" /tmp/xp || { echo "xenperf"; ok=0; }
    fi
    /bin/vane destroy "$d" || ok=0
    [ $ok = 1 ] && only_dom0
}

# vane trace: 2 s of Xen's scheduler records (TRC_SCHED_*) from the
# hypervisor's buffers, in xentrace's format, while two CPU hogs start
# (created paused, unpaused once the recording runs); xentrace-convert
# turns the file into CSV with switches to both domains and slices of
# both in the timeline. Then the same with Debian's own xentrace, where
# this dom0 carries it.
trace_run() { # FILE TRACER...: record while two hogs start
    f=$1
    shift
    for n in a b; do
        /bin/vane create -q -p /etc/vane/hog.cfg "name=\"tr$n\"" >/tmp/c 2>&1 ||
            { cat /tmp/c; return 1; }
    done
    da=$(/bin/vane domid tra) db=$(/bin/vane domid trb)
    khz=$(/bin/vane info | awk '/^cpu_mhz/ {printf "%d", $3 * 1000}')
    "$@" "$f" &
    t=$!
    sleep 1
    /bin/vane unpause tra && /bin/vane unpause trb
    wait $t || rc=1
    /bin/vane destroy tra && /bin/vane destroy trb && ls -l "$f"
}
trace_holds_both() { # FILE DIR
    xentrace-convert --cpu-khz "$khz" --name "$da=tra" --name "$db=trb" -o "$2" --no-plots "$1" \
        >"$2.out" || return 1
    sed "s|^|linuxcheck info $1: |" "$2.out" >&3
    grep -Eq "^tra,$da,[1-9][0-9]*," "$2.out" && grep -Eq "^trb,$db,[1-9][0-9]*," "$2.out" &&
        grep -q ",tra,0\$" "$2/schedule.csv" && grep -q ",trb,0\$" "$2/schedule.csv" &&
        grep -q ",switch," "$2/records.csv"
}
vane_trace() {
    ok=1 rc=0
    trace_run /tmp/t.bin /bin/vane trace -e sched -T 3 || ok=0
    trace_holds_both /tmp/t.bin /tmp/tr || { echo "vane trace's file"; ok=0; }
    rm -rf /tmp/t.bin /tmp/tr # dom0's memory: the next may need it
    if command -v xentrace >/dev/null; then
        trace_run /tmp/x.bin xentrace -e 0x0002f000 -T 3 || ok=0
        trace_holds_both /tmp/x.bin /tmp/xr || { echo "xentrace's file"; ok=0; }
        rm -rf /tmp/x.bin /tmp/xr
    fi
    [ $ok = 1 ] && [ $rc = 0 ] && only_dom0
}

# The shares two CPU hogs get on one pCPU (make test's real-guest
# scenario, run once under each scheduler): Credit weights 256:512, or
# SEDF slices of 20 and 40 ms every 100 ms without extra time. Each hog's
# share of the two hogs' CPU time over 6 s (vane list's cpu_time) is
# within 5% of the 1/3 and 2/3 the parameters promise; vane trace records
# the scheduler meanwhile, and its file converts, with switches to both.
hog_ns() { /bin/vane list -l "$1" | sed -n 's/.*"cpu_time": *\([0-9]*\).*/\1/p' | head -n 1; }
vane_shares() {
    sched=$(/bin/vane info | awk '/^xen_scheduler/ {print $3}')
    case $sched in
    credit) p1="cpu_weight=256" p2="cpu_weight=512" ;;
    sedf)
        p1="sedf_period=100 sedf_slice=20 sedf_extratime=0"
        p2="sedf_period=100 sedf_slice=40 sedf_extratime=0"
        ;;
    *) echo "scheduler '$sched'" && return 1 ;;
    esac
    # shellcheck disable=SC2086 # the parameters are separate words
    /bin/vane create -q -p /etc/vane/hog.cfg 'name="hog1"' $p1 >/tmp/c 2>&1 &&
        /bin/vane create -q -p /etc/vane/hog.cfg 'name="hog2"' $p2 >>/tmp/c 2>&1 ||
        { cat /tmp/c; return 1; }
    d1=$(/bin/vane domid hog1) d2=$(/bin/vane domid hog2)
    khz=$(/bin/vane info | awk '/^cpu_mhz/ {printf "%d", $3 * 1000}')
    /bin/vane unpause hog1 && /bin/vane unpause hog2 || return 1
    sleep 1
    a1=$(hog_ns hog1) a2=$(hog_ns hog2)
    /bin/vane trace -e sched -T 6 /tmp/s.bin || return 1
    b1=$(hog_ns hog1) b2=$(hog_ns hog2)
    /bin/vane destroy hog1 && /bin/vane destroy hog2 || return 1
    xentrace-convert --cpu-khz "$khz" --name "$d1=hog1" --name "$d2=hog2" -o /tmp/sh --no-plots \
        /tmp/s.bin >/tmp/sh.out || return 1
    sed "s|^|linuxcheck info $sched trace: |" /tmp/sh.out >&3
    awk -v a1="$a1" -v b1="$b1" -v a2="$a2" -v b2="$b2" -v s="$sched" 'BEGIN {
        r1 = b1 - a1; r2 = b2 - a2; t = r1 + r2
        if (t <= 0) exit 1
        s1 = 100 * r1 / t; s2 = 100 * r2 / t
        printf "linuxcheck info %s shares: hog1 %.2f%% (promised 33.33), hog2 %.2f%% (66.67), %.0f ms run\n", s, s1, s2, t / 1e6
        e1 = (s1 - 100 / 3) / (100 / 3); e2 = (s2 - 200 / 3) / (200 / 3)
        exit !(e1 <= 0.05 && e1 >= -0.05 && e2 <= 0.05 && e2 >= -0.05)
    }' >&3 || return 1
    grep -Eq "^hog1,$d1,[1-9][0-9]*," /tmp/sh.out && grep -Eq "^hog2,$d2,[1-9][0-9]*," /tmp/sh.out &&
        only_dom0
}

# The experiments' workloads (sched/workloads/), as a Linux guest runs
# them, here in dom0: a hog reporting its work, a periodic task reporting
# its wake-up latency, and the event-channel latency probe answering
# pings (dom0 connects to its own port).
workloads() {
    vw-hog -r 2 >/tmp/wh && grep -q "^hog: done, [1-9][0-9]* Mloops" /tmp/wh || { cat /tmp/wh; return 1; }
    vw-periodic -p 10 -c 2 -n 50 >/tmp/wp && grep -Eq "^periodic: n=50 lat_us p50=" /tmp/wp ||
        { cat /tmp/wp; return 1; }
    vw-probe serve >/tmp/wq &
    p=$!
    within 10 grep -q "^probe: port" /tmp/wq || { kill $p; return 1; }
    port=$(sed -n 's/^probe: port //p' /tmp/wq)
    vw-probe ping 0 "$port" 20 5 >/tmp/wr
    kill $p
    cat /tmp/wh /tmp/wp /tmp/wr | sed 's/^/linuxcheck info workloads: /' >&3
    grep -Eq "^probe: n=20 rtt_us p50=[0-9.]+ .* lost=0" /tmp/wr
}

# The console daemon (vane consoled, started by /init) and vane console,
# with tests/guests/xcons.c, whose console is only its ring.
CONLOG=/var/log/vane
exec 3>&1 # say: an information line on the console, past check's capture
say() { echo "linuxcheck info $*" >&3; }
served() { /bin/vane console -l | awk -v d="$1" '$1 == d {print $6}'; }
vcons() {
    [ -S /run/vane/consoled.sock ] || { echo "no daemon socket"; return 1; }
    /bin/vane create /etc/vane/xcons.cfg >/tmp/x.out 2>&1 || { cat /tmp/x.out; return 1; }
    cat /tmp/x.out
    d=$(domid_of /tmp/x.out)
    [ -n "$d" ] && ! grep -q warning /tmp/x.out || return 1
    [ -n "$(served "$d")" ] || { echo "domain $d not served"; return 1; }
    # A line typed into its input ring comes back through its output ring.
    w="hello-$$-$d"
    echo "$w" | /bin/vane console -w 120 -u "echo '$w'" "$d" >/tmp/x.con 2>&1 ||
        { echo "no echo: $(tail -c 150 /tmp/x.con)"; return 1; }
    # The replay gave what it printed before we attached.
    grep -q "pvtest xcons: writing through the console ring" /tmp/x.con || return 1
    /bin/vane wait "$d" 120 || return 1
    # Its verdict went to the log (and only the ring leads there); the
    # daemon let go of it when the keeper destroyed it.
    grep -q "echo '$w'" "$CONLOG/console-$d.log" &&
        grep -Eq "pvtest xcons: [0-9]+ passed, 0 failed" "$CONLOG/console-$d.log" || return 1
    [ -z "$(served "$d")" ] && grep -q "domain $d: its end announced; closed" "$CONLOG/consoled.log"
}
vconsc() {
    # create -c attaches at once; the console ends when the domain does.
    w="again-$$"
    (echo "$w"; sleep 15) | /bin/vane create -c /etc/vane/xcons.cfg >/tmp/c.con 2>&1
    tail -c 300 /tmp/c.con
    grep -q "echo '$w'" /tmp/c.con && grep -Eq "pvtest xcons: [0-9]+ passed, 0 failed" /tmp/c.con &&
        only_dom0
}
vflood() {
    before=$(free_mib)
    # 8 KiB/s, well under what a guest writes here (some 40 KiB/s under
    # TCG, a 2 KiB ring at a time), then back to the default 64.
    /bin/vane console -r 8 || return 1
    /bin/vane create /etc/vane/xcons.cfg name=\"flood\" extra=\"flood=1000000\" >/tmp/f.out 2>&1 ||
        { cat /tmp/f.out; return 1; }
    d=$(domid_of /tmp/f.out)
    [ -n "$d" ] || return 1
    sleep 2
    # Throttled: the log grows by about the limit, not by what the guest
    # could write, and it still grows.
    a=$(wc -c <"$CONLOG/console-$d.log")
    sleep 4
    b=$(wc -c <"$CONLOG/console-$d.log")
    say "vflood: the flooding domain's log grew $(((b - a) / 4)) bytes/s at 8 KiB/s"
    [ $((b - a)) -gt 8192 ] && [ $((b - a)) -le $((4 * 10 * 1024)) ] || return 1
    [ "$(served "$d")" -gt 0 ] && grep -q "domain $d: over 8 KiB/s, throttled" "$CONLOG/consoled.log" ||
        return 1
    # Meanwhile another domain's console is served as before.
    /bin/vane create /etc/vane/xcons.cfg >/tmp/f2.out 2>&1 || { cat /tmp/f2.out; return 1; }
    e=$(domid_of /tmp/f2.out)
    echo "quick-$$" | timeout 60 /bin/vane console -n -w 60 -u "echo 'quick-$$'" "$e" >/dev/null ||
        { echo "domain $e not answered while $d floods"; return 1; }
    /bin/vane wait "$e" 60 || return 1
    /bin/vane console -r 64 || return 1
    # Destroyed without telling the daemon: it sees the domain gone and
    # lets go of it (and of its ring frame: free memory is as before).
    VANE_CONSOLED_SOCK=/nonexistent /bin/vane destroy "$d" || return 1
    sleep 3
    grep -q "domain $d: gone; closed" "$CONLOG/consoled.log" || grep -q "domain $d: dying; closed" "$CONLOG/consoled.log" || return 1
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ -z "$(served "$d")" ] && [ "$before" = "$after" ] && only_dom0
}

vlinux() {
    # Debian's kernel as a run-time domU: its kernel log comes through
    # hvc0, the ring the daemon serves. It does not reach its shell yet:
    # its balloon driver waits in xs_talkv for a xenstored, and run-time
    # domains are not introduced to one yet.
    [ -f /etc/vane/linux.cfg ] && [ -f /boot/vmlinuz ] || { echo "no Linux domU here"; return 1; }
    before=$(free_mib)
    t0=$(date +%s)
    /bin/vane create /etc/vane/linux.cfg >/tmp/l.out 2>&1 || { cat /tmp/l.out; return 1; }
    d=$(domid_of /tmp/l.out)
    [ -n "$d" ] || return 1
    n=0
    until grep -q "xen:balloon: Initialising balloon driver" "$CONLOG/console-$d.log" 2>/dev/null; do
        [ $n -ge 300 ] && { echo "no kernel log in 300 s: $(tail -c 200 "$CONLOG/console-$d.log")"; return 1; }
        sleep 1
        n=$((n + 1))
    done
    say "vlinux: domain $d's kernel log reached the daemon $(($(date +%s) - t0)) s after create"
    grep -aq "Hypervisor detected: Xen PV" "$CONLOG/console-$d.log" && /bin/vane destroy "$d" || return 1
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ -z "$(served "$d")" ] && [ "$before" = "$after" ] && only_dom0
}

# Split devices: disks. mkimg: a 64 MiB ext2 image at $1 holding "known"
# (1 MiB of random bytes) and its checksum. img_checks: both that file and
# the "new" one the domU wrote (32 MiB) check, read back here.
mkimg() {
    dd if=/dev/zero of="$1" bs=1M count=64 2>/dev/null && mke2fs -q -F "$1" >/dev/null &&
        in_image "$1" make_known
}
make_known() { dd if=/dev/urandom of=known bs=1M count=1 2>/dev/null && sha256sum known >known.sha256; }
img_checks() { in_image "$1" both_check; }
# Command "$2..." run in image $1, mounted at /mnt/i; its status.
in_image() {
    img=$1
    shift
    mkdir -p /mnt/i && mount -o loop "$img" /mnt/i || return 1
    (cd /mnt/i && "$@")
    rc=$?
    umount /mnt/i
    return $rc
}
known_checks() { sha256sum -c known.sha256; }
both_check() { known_checks && sha256sum -c new.sha256 && [ "$(stat -c %s new)" = 33554432 ]; }
vdisk() {
    before=$(free_mib)
    mkimg /tmp/d1.img && mkimg /tmp/d2.img && losetup /dev/loop7 /tmp/d2.img || return 1
    /bin/vane create /etc/vane/disk.cfg >/tmp/c 2>&1
    cat /tmp/c
    d=$(domid_of /tmp/c)
    [ -n "$d" ] || return 1
    xs ls /local/domain/0/backend/vbd/$d
    /bin/vane wait "$d" 900 || { tail -n 30 "$CONLOG/console-$d.log"; return 1; }
    grep -a "linuxcheck" "$CONLOG/console-$d.log"
    grep -aq "linuxcheck ok   vdisk_guest" "$CONLOG/console-$d.log" || return 1
    # Its back-ends and loop device went with it; dom0's own stays.
    losetup -a
    [ "$(losetup -a | wc -l)" = 1 ] && ! xs ls /local/domain/0/backend/vbd/$d 2>/dev/null || return 1
    losetup -d /dev/loop7
    img_checks /tmp/d1.img && img_checks /tmp/d2.img || return 1
    rm -f /tmp/d1.img /tmp/d2.img # dom0's /tmp is its memory
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}
# In the domU: both disks mounted, dom0's file checked, 32 MiB written.
vdisk_guest() {
    for v in xvda xvdb; do
        within 60 test -b /dev/$v || { echo "no /dev/$v"; ls /sys/block; return 1; }
        mkdir -p /mnt/$v && mount /dev/$v /mnt/$v || return 1
        (cd /mnt/$v && sha256sum -c known.sha256 &&
            dd if=/dev/urandom of=new bs=1M count=32 2>/dev/null && sha256sum new >new.sha256) ||
            return 1
        umount /mnt/$v || return 1
    done
}

# Split devices: networks. Two domUs on xenbr0 (net.cfg), each sending
# 64 MiB to its own listener here (paravane.port); once both have their
# addresses, each is told the other's (data/peer) and pings it; when both
# have (data/peer-ok), dom0 lets them end (data/done).
xs_set() { [ -n "$(xs read "$1" 2>/dev/null)" ]; }
# dom0's side of the network, when something was lost.
net_state() {
    cat /proc/net/dev
    grep -E "^(Ip|Icmp|IcmpMsg):" /proc/net/snmp
    for f in /sys/class/net/xenbr0/statistics/*; do
        [ "$(cat "$f")" = 0 ] || echo "$f: $(cat "$f")"
    done
    ip neigh
    for f in /sys/class/net/vif*/statistics/*_dropped /sys/class/net/vif*/statistics/*_errors; do
        [ "$(cat "$f")" = 0 ] || echo "$f: $(cat "$f")"
    done
}
# Key $2 is written, or domain $1 is gone (for within: either ends the wait).
set_or_gone() { xs_set "$2" || xs_set /local/domain/$1/data/failed || ! /bin/vane list "$1" >/dev/null 2>&1; }
vnet() {
    vnet_run
    rc=$?
    rm -f /tmp/rx1 /tmp/rx2 # dom0's /tmp is its memory
    kill "$udp_serve" 2>/dev/null
    # After a failure, what is left would fail the next checks too.
    for n in net1 net2; do /bin/vane destroy $n >/dev/null 2>&1; done
    return $rc
}
vnet_run() {
    before=$(free_mib)
    [ -d /sys/class/net/xenbr0/bridge ] || { echo "no xenbr0"; return 1; }
    vw-probe udp-serve 7777 >/tmp/udp-serve &
    udp_serve=$!
    for i in 1 2; do
        sleep 1200 | nc -l -p 500$i >/tmp/rx$i &
        /bin/vane create /etc/vane/net.cfg "name=\"net$i\"" "extra=\"console=hvc0 paravane.check=/bin/paravane-check paravane.role=domU paravane.checks=vnet_guest paravane.port=500$i\"" >/tmp/c 2>&1
        cat /tmp/c
        eval "d$i=$(domid_of /tmp/c)"
    done
    [ -n "$d1" ] && [ -n "$d2" ] || return 1
    echo "xenbr0's ports: $(ls /sys/class/net/xenbr0/brif)"
    [ -e /sys/class/net/xenbr0/brif/vif$d1.0 ] && [ -e /sys/class/net/xenbr0/brif/vif$d2.0 ] || return 1
    for d in $d1 $d2; do
        within 900 set_or_gone $d /local/domain/$d/data/ip && xs_set /local/domain/$d/data/ip ||
            { echo "domain $d has no address"; tail -n 40 "$CONLOG/console-$d.log"; net_state; return 1; }
    done
    ip1=$(xs read /local/domain/$d1/data/ip) ip2=$(xs read /local/domain/$d2/data/ip)
    echo "addresses: $d1 $ip1, $d2 $ip2"
    xs write /local/domain/$d1/data/peer "$ip2" && xs write /local/domain/$d2/data/peer "$ip1"
    for d in $d1 $d2; do
        within 900 set_or_gone $d /local/domain/$d/data/peer-ok && xs_set /local/domain/$d/data/peer-ok ||
            { echo "domain $d did not reach its peer"; tail -n 40 "$CONLOG/console-$d.log"; return 1; }
    done
    xs write /local/domain/$d1/data/done 1 && xs write /local/domain/$d2/data/done 1
    /bin/vane wait "$d1" 300 && /bin/vane wait "$d2" 300 || return 1
    i=1
    for d in $d1 $d2; do
        grep -a "linuxcheck" "$CONLOG/console-$d.log"
        sent=$(sed -n 's/.*linuxcheck info vnet sent \([0-9a-f]*\).*/\1/p' "$CONLOG/console-$d.log")
        got=$(sha256sum </tmp/rx$i | cut -d' ' -f1)
        echo "domain $d: sent $sent, dom0 received $(stat -c %s /tmp/rx$i) bytes, $got"
        [ -n "$sent" ] && [ "$sent" = "$got" ] && [ "$(stat -c %s /tmp/rx$i)" = 67108864 ] &&
            grep -aq "linuxcheck ok   vnet_guest" "$CONLOG/console-$d.log" || return 1
        i=$((i + 1))
    done
    # Their back-ends went with them: no vif left on the bridge, no entries.
    ! ls /sys/class/net | grep -q '^vif' && ! xs ls /local/domain/0/backend/vif/$d1 2>/dev/null || return 1
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}
# The kernel's ICMP counter $1 (/proc/net/snmp's Icmp lines: names, values).
icmp() { awk -v k="$1" '$1 == "Icmp:" && !h {for (i = 2; i <= NF; i++) n[$i] = i; h = 1; next} $1 == "Icmp:" {print $n[k]}' /proc/net/snmp; }
# In a domU: its address from dom0's DHCP server, 200 pings to dom0 with
# no loss, 20 UDP round trips of the latency probe, 64 MiB to dom0 over
# TCP, 20 pings to the peer dom0 names.
# eth0 has its address from dom0's DHCP server.
has_address() { ip -4 addr show eth0 2>/dev/null | grep -q "inet 10.99.0."; }
# $2 pings to $1, $3 s apart; no loss means every echo request sent had its
# reply arrive, counted by the kernel (busybox ping stops waiting two round
# trips after its last request, and a reply can come later than that on a
# loaded host), waiting up to $4 s for late ones. Sets o and i.
pings() {
    o0=$(icmp OutEchos) i0=$(icmp InEchoReps)
    ping -c "$2" -i "$3" "$1" >/tmp/p 2>&1
    tail -n 2 /tmp/p
    t0=$(date +%s)
    within "$4" replies_back "$2"
    o=$(($(icmp OutEchos) - o0)) i=$(($(icmp InEchoReps) - i0))
    say "vnet: $o echo requests sent to $1, $i replies arrived (the last $(($(date +%s) - t0))s after ping ended)"
}
replies_back() { [ $(($(icmp InEchoReps) - i0)) -ge "$1" ]; }
vnet_guest() {
    within 300 has_address || { echo "eth0 has no address"; cat /tmp/udhcpc.log; ip addr; return 1; }
    me=$(ip -4 addr show eth0 | sed -n 's/.*inet \([0-9.]*\).*/\1/p')
    say "vnet: eth0 has $me"
    pings 10.99.0.1 200 0.05 60
    [ "$o" = 200 ] && [ "$i" = 200 ] ||
        { cat /proc/net/dev /proc/net/snmp; xs write data/failed ping; sleep 20; return 1; }
    # The experiments' latency probe over the network: UDP round trips to
    # the echo server dom0 runs (vw-probe udp-serve), none lost (an answer
    # may take seconds on a loaded host: QEMU runs on host time here).
    vw-probe udp-ping 10.99.0.1 7777 20 10 30000 >/tmp/probe
    say "vnet: $(cat /tmp/probe)"
    grep -Eq "^probe: n=20 rtt_us p50=[0-9.]+ .* lost=0" /tmp/probe || return 1
    dd if=/dev/urandom of=/tmp/data bs=1M count=64 2>/dev/null
    say "vnet sent $(sha256sum </tmp/data | cut -d' ' -f1)"
    nc 10.99.0.1 "$(arg port)" </tmp/data || return 1
    rm /tmp/data
    xs write data/ip "$me" || return 1
    within 900 xs_set data/peer || { echo "no peer named"; return 1; }
    pings "$(xs read data/peer)" 20 0.1 5
    [ "$o" = 20 ] && [ "$i" = 20 ] || return 1
    xs write data/peer-ok 1
    within 900 xs_set data/done
}

# Hot plug on a running domU's shell: a second disk attached shows up as
# xvdb (vane top counts it and its reads), and once the guest has unmounted
# it, detaching it takes it away. (Linux 6.1's blkfront gives a disk up
# when asked even while it is mounted, as it does on Xen: see the
# README.) A network interface attached becomes its eth0, and detaching it
# takes eth0 away.
# In domain $1's console log: the line "$2 $3" (typed as $2 $(($3 - 1 + 1))
# so that the echo of the typed line never matches).
said() { within 60 grep -aq "^$2 $3" "$CONLOG/console-$1.log"; }
# Domain $1's xvdb (block-list's row) is in front-end state $2.
blk_state() { /bin/vane block-list "$1" | grep -Eq "^51728 +0 +$1 +$2 "; }
vhot() {
    vhot_run
    rc=$?
    /bin/vane destroy hot >/dev/null 2>&1
    rm -f /tmp/d3.img
    return $rc
}
vhot_run() {
    v=/bin/vane
    before=$(free_mib)
    mkimg /tmp/d3.img || return 1
    $v create /etc/vane/linux-xs.cfg 'name="hot"' 'ramdisk="/boot/domU.cpio.gz"' >/tmp/c 2>&1
    cat /tmp/c
    d=$(domid_of /tmp/c)
    [ -n "$d" ] || return 1
    within 900 grep -q "shell on the console" "$CONLOG/console-$d.log" || return 1
    $v block-attach hot 'format=raw, vdev=xvdb, access=rw, target=/tmp/d3.img' || return 1
    within 60 blk_state "$d" 4 || { vv block-list hot; return 1; }
    vv block-list hot
    type_in "$d" 'mkdir -p /mnt/b && mount /dev/xvdb /mnt/b && echo "mounted $((1 + 1))"'
    said "$d" mounted 2 || { echo "xvdb not mounted"; tail -n 20 "$CONLOG/console-$d.log"; return 1; }
    # vane top counts it, and the reads the mount made (VBDS, VBD_RD).
    $v top -b -i 1 >/tmp/top 2>&1
    awk '$1 == "NAME" || $1 == "hot"' /tmp/top
    [ "$(awk '$1 == "hot" {print $13}' /tmp/top)" = 1 ] && grew 0 "$(awk '$1 == "hot" {print $15}' /tmp/top)" ||
        { echo "top: no vbd"; return 1; }
    # A guest that does not close its disk keeps it: paused, it cannot
    # answer, so block-detach gives up after libxl's 10 s, says why, and
    # the disk stays connected and mounted (its checksum is read below).
    $v pause hot || return 1
    fails 1 "disk 51728 of domain $d is in use by the guest: it did not close it" \
        block-detach hot xvdb
    rc=$?
    $v unpause hot || return 1
    [ $rc = 0 ] && within 10 blk_state "$d" 4 || { vv block-list hot; return 1; }
    type_in "$d" 'sha256sum /mnt/b/known | cut -c1-16 && umount /mnt/b && echo "unmounted $((2 + 1))"'
    said "$d" unmounted 3 || return 1
    $v block-detach hot xvdb || return 1
    vv block-list hot
    [ "$(wc -l </tmp/vv)" = 1 ] && ! losetup -a | grep -q d3.img || return 1
    fails 1 "Error: Device xvdb not connected." block-detach hot xvdb || return 1
    in_image /tmp/d3.img known_checks || return 1
    # A network interface, then none.
    $v network-attach hot bridge=xenbr0 mac=00:16:3e:12:34:56 || return 1
    vv network-list hot
    grep -Eq "^0 +0 +00:16:3e:12:34:56 " /tmp/vv || return 1
    type_in "$d" 'n=0; until [ -e /sys/class/net/eth0 ] || [ $n -gt 30 ]; do sleep 1; n=$((n+1)); done; cat /sys/class/net/eth0/address && echo "eth0 $((3 + 1))"'
    said "$d" eth0 4 && grep -aq "^00:16:3e:12:34:56" "$CONLOG/console-$d.log" || return 1
    $v top -b -i 1 >/tmp/top 2>&1
    [ "$(awk '$1 == "hot" {print $10}' /tmp/top)" = 1 ] || { cat /tmp/top; echo "top: no vif"; return 1; }
    $v network-detach hot 00:16:3E:12:34:56 || return 1
    type_in "$d" 'n=0; while [ -e /sys/class/net/eth0 ] && [ $n -lt 30 ]; do sleep 1; n=$((n+1)); done; [ -e /sys/class/net/eth0 ] || echo "noeth0 $((4 + 1))"'
    said "$d" noeth0 5 || return 1
    vv network-list hot
    [ "$(wc -l </tmp/vv)" = 1 ] && fails 1 "Unknown device 7." network-detach hot 7 || return 1
    $v destroy hot || return 1
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ "$before" = "$after" ] && only_dom0
}
# Devices that cannot be served are refused, named with their cause, before
# a domain is made; nothing is left (no domain, loop device or entry).
vdev_refuse() {
    before=$(free_mib)
    c=/etc/vane/pvtest.cfg
    mkimg /tmp/d4.img || return 1
    fails 1 "disk xvda: /tmp/nope.img: No such file or directory" create $c "disk=['/tmp/nope.img,,xvda,w']" &&
        fails 1 "disk\[1\]: vdev 'xvda' is already used by disk\[0\]" create $c "disk=['/tmp/d4.img,,xvda,w', '/tmp/d4.img,,d0p0,r']" &&
        fails 1 "vif 0: bridge nobr0 does not exist in dom0" create $c "vif=['bridge=nobr0']" &&
        fails 1 "disk xvda: format qcow2: dom0's blkback serves raw images only" create $c "disk=['/tmp/d4.img,qcow2,xvda,w']" ||
        return 1
    rmmod xen-blkback || return 1
    fails 1 "disk xvda: dom0's block back-end is not loaded" create $c "disk=['/tmp/d4.img,,xvda,w']"
    rc=$?
    insmod /lib/modules/xen-blkback.ko || return 1
    rm -f /tmp/d4.img
    [ $rc = 0 ] || return 1
    # No domain, loop device or back-end entry left; memory as before.
    losetup -a
    after=$(free_mib)
    echo "free memory before $before MiB, after $after MiB"
    [ -z "$(losetup -a)" ] && ! xs ls /local/domain/0/backend/vbd 2>/dev/null | grep -q . &&
        [ "$before" = "$after" ] && only_dom0
}

# make bench (tests/bench/dev-bench.sh): a domU's disk and network against
# the same work in dom0: dd of 64 MiB to and from the same image (dom0
# through a loop device, the domU through blkfront), and 64 MiB over TCP
# (dom0 to its own loopback, the domU to dom0 through netfront). Figures
# in MiB/s, "linuxcheck info bench WHERE KEY VALUE" lines.
cs() { awk '{printf "%d\n", $1 * 100}' /proc/uptime; }
rate() { awk -v t="$1" 'BEGIN {printf "%.1f\n", (t > 0 ? 6400 / t : 0)}'; }
dd_bench() {
    t0=$(cs)
    dd if=/dev/zero of="$1" bs=1M count=64 conv=fsync 2>/dev/null || return 1
    t1=$(cs)
    sync
    echo 3 >/proc/sys/vm/drop_caches
    t2=$(cs)
    dd if="$1" of=/dev/null bs=1M count=64 2>/dev/null || return 1
    t3=$(cs)
    say "bench $2 disk_write_mibs $(rate $((t1 - t0)))"
    say "bench $2 disk_read_mibs $(rate $((t3 - t2)))"
}
tcp_bench() {
    t0=$(cs)
    dd if=/dev/zero bs=1M count=64 2>/dev/null | nc "$1" "$2" || return 1
    say "bench $3 tcp_send_mibs $(rate $(($(cs) - t0)))"
}
vbench() {
    dd if=/dev/zero of=/tmp/b.img bs=1M count=80 2>/dev/null || return 1
    l=$(losetup -f) && losetup "$l" /tmp/b.img || return 1
    dd_bench "$l" dom0
    losetup -d "$l"
    sleep 600 | nc -l -p 5100 >/dev/null &
    sleep 1
    tcp_bench 127.0.0.1 5100 dom0 || return 1
    sleep 600 | nc -l -p 5101 >/dev/null &
    /bin/vane create /etc/vane/net.cfg 'name="bench"' "disk=['/tmp/b.img,,xvda,w']" \
        'extra="console=hvc0 paravane.check=/bin/paravane-check paravane.role=domU paravane.checks=vbench_guest"' \
        >/tmp/c 2>&1
    cat /tmp/c
    d=$(domid_of /tmp/c)
    [ -n "$d" ] && /bin/vane wait "$d" 1200 || return 1
    grep -a "linuxcheck info bench domU" "$CONLOG/console-$d.log" | sed 's/.*linuxcheck info //' |
        while read -r line; do say "$line"; done
    rm -f /tmp/b.img
    grep -aq "linuxcheck ok   vbench_guest" "$CONLOG/console-$d.log"
}
vbench_guest() {
    within 300 has_address || return 1
    dd_bench /dev/xvda domU && tcp_bench 10.99.0.1 5101 domU
}

# The hardware domain (dom0 driving QEMU's virtio disk and NIC itself):
# both PCI devices listed, the NIC's MSI-X table out of dom0's reach
# (msix_table_ro), their interrupts counted in /proc/interrupts rising
# with I/O, 64 MiB written to the disk and read back alike, and
# 16 MiB the host sends through QEMU's hostfwd to a server here arriving
# with the checksum the command line names (paravane.tcp_md5).
pci_dev() { # VENDOR DEVICE...: the first PCI device with one of these ids
    v=$1
    shift
    for d in /sys/bus/pci/devices/*; do
        [ "$(cat "$d/vendor")" = "$v" ] || continue
        for id in "$@"; do [ "$(cat "$d/device")" = "$id" ] && echo "$d" && return; done
    done
}
virtio_irqs() { # the interrupts counted for the virtio devices, all CPUs
    awk '/virtio/ {for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i} END {print n + 0}' \
        /proc/interrupts
}
# The MSI-X table is the hypervisor's (it writes the messages from
# map_pirq): a store to it from dom0, here from user space through
# /dev/mem (dom0 boots with iomem=relaxed, so busy device regions may be
# mapped), leaves it unchanged; the hypervisor drops it. The entry tried
# is the NIC's second (its receive queue's): had the store landed, the
# value is put back, and the check fails.
cfg_u8() { od -An -tu1 -j"$2" -N1 "$1/config" | tr -d ' '; }
cfg_u32() { od -An -tu4 -j"$2" -N4 "$1/config" | tr -d ' '; }
msix_cap() { # DEV: the offset of its MSI-X capability (id 0x11), if any
    p=$(($(cfg_u8 "$1" 52) & 252))
    n=0
    while [ "$p" -ge 64 ] && [ $n -lt 48 ]; do
        [ "$(cfg_u8 "$1" "$p")" = 17 ] && echo "$p" && return
        p=$(($(cfg_u8 "$1" $((p + 1))) & 252))
        n=$((n + 1))
    done
}
msix_table_ro() { # DEV
    cap=$(msix_cap "$1")
    [ -n "$cap" ] || { echo "no MSI-X capability on $1"; return 1; }
    t=$(cfg_u32 "$1" $((cap + 4)))
    bar=$(sed -n "$(((t & 7) + 1))p" "$1/resource" | cut -d' ' -f1)
    addr=$(printf 0x%x $((bar + (t & ~7) + 16 + 8)))
    v0=$(devmem "$addr" 32) || return 1
    devmem "$addr" 32 $((v0 ^ 1))
    v1=$(devmem "$addr" 32)
    say "hwdom: MSI-X entry 1 data at $addr was $v0, after a store of $(printf 0x%08x $((v0 ^ 1))) reads $v1"
    [ "$v1" = "$v0" ] && return 0
    devmem "$addr" 32 "$v0"
    return 1
}
# MMCONFIG (q35's MCFG): dom0's Linux found it (and uses it past the first
# 256 bytes, which no device here has); a load of dom0's from the area
# (user space, /dev/mem) reads the device, as the ports do; a store there
# reaches the device through the hypervisor, which performs it (the NIC's
# interrupt-line byte, 0x3c, a scratch register, takes the value stored
# there and reads it back through the ports), or drops it if the filter
# that 0xcfc writes pass refuses it (msix capability below).
mmconfig() { # DEV
    base=$(dmesg | sed -n 's/.*PCI: MMCONFIG for domain 0000 \[bus 00-ff\] at \[mem \(0x[0-9a-f]*\)-.*/\1/p' | head -n 1)
    [ -n "$base" ] || { echo "no MMCONFIG in dmesg"; return 1; }
    bdf=${1##*/}
    bus=$((0x$(echo "$bdf" | cut -d: -f2)))
    dev=$((0x$(echo "$bdf" | cut -d: -f3 | cut -d. -f1)))
    fn=$(echo "$bdf" | cut -d. -f2)
    f=$((base + (bus << 20) + (dev << 15) + (fn << 12)))
    id=$(($(devmem "$(printf 0x%x "$f")" 32)))
    say "hwdom: MMCONFIG at $base; $bdf's id there $(printf %08x "$id"), through the ports $(printf %08x "$(cfg_u32 "$1" 0)")"
    [ "$id" = "$(cfg_u32 "$1" 0)" ] || return 1
    l0=$(cfg_u8 "$1" 60)
    devmem "$(printf 0x%x $((f + 60)))" 8 $((l0 ^ 0x5a))
    l1=$(cfg_u8 "$1" 60)
    devmem "$(printf 0x%x $((f + 60)))" 8 "$l0"
    l2=$(cfg_u8 "$1" 60)
    say "hwdom: interrupt line $l0, after an MMCONFIG store of $((l0 ^ 0x5a)) $l1, put back $l2"
    [ "$l1" = $((l0 ^ 0x5a)) ] && [ "$l2" = "$l0" ] || return 1
    # The MSI-X capability's first dword, with the mask-all bit of its
    # control word flipped, through MMCONFIG and then (flipped from what
    # that left) through the ports (the sysfs config file): the device
    # would take either, the filter (Xen's: only a 2-byte write of the
    # control word) takes neither.
    cap=$(msix_cap "$1")
    c0=$(cfg_u32 "$1" "$cap")
    devmem "$(printf 0x%x $((f + cap)))" 32 $((c0 ^ 0x40000000))
    c1=$(cfg_u32 "$1" "$cap")
    le32 $((c1 ^ 0x40000000)) | dd of="$1/config" bs=4 seek=$((cap / 4)) count=1 conv=notrunc 2>/dev/null
    c2=$(cfg_u32 "$1" "$cap")
    say "hwdom: MSI-X capability dword $(printf %08x "$c0"), after a store through MMCONFIG $(printf %08x "$c1"), through the ports $(printf %08x "$c2")"
    [ "$c1" = "$c0" ] && [ "$c2" = "$c0" ] && return 0
    le32 "$c0" | dd of="$1/config" bs=4 seek=$((cap / 4)) count=1 conv=notrunc 2>/dev/null
    return 1
}
le32() { # N: its 4 bytes, little-endian
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}
hwdom() {
    ls /sys/bus/pci/devices
    blk=$(pci_dev 0x1af4 0x1001 0x1042)
    net=$(pci_dev 0x1af4 0x1000 0x1041)
    echo "virtio-blk: ${blk:-none}, virtio-net: ${net:-none}"
    [ -n "$blk" ] && [ -n "$net" ] && [ -b /dev/vda ] || return 1
    msix_table_ro "$net" || return 1
    mmconfig "$net" || return 1
    grep virtio /proc/interrupts
    i0=$(virtio_irqs)
    # 64 MiB from a file in memory (one process at a time: a pipeline's
    # many cross-vCPU wake-ups are what costs under TCG), written and read
    # back with O_DIRECT, so the device sees 1 MiB requests.
    dd if=/dev/urandom of=/tmp/w bs=1048576 count=64 2>/dev/null
    a=$(md5sum </tmp/w)
    dd if=/tmp/w of=/dev/vda bs=1048576 oflag=direct 2>/dev/null || return 1
    rm -f /tmp/w
    b=$(dd if=/dev/vda bs=1048576 count=64 iflag=direct 2>/dev/null | md5sum)
    i1=$(virtio_irqs)
    say "hwdom: disk written $a, read back $b; virtio interrupts $i0 -> $i1"
    [ "$a" = "$b" ] && [ "$i1" -gt "$i0" ] || return 1
    ifc=""
    for n in /sys/class/net/*; do
        readlink "$n/device" 2>/dev/null | grep -q virtio && ifc=${n##*/}
    done
    [ -n "$ifc" ] || return 1
    ip link set "$ifc" up && ip addr add 10.0.2.15/24 dev "$ifc" || return 1
    nc -l -p 5000 >/tmp/tcp.in &
    ncpid=$!
    say "hwdom: tcp server on $ifc port 5000 ready"
    n=0
    while kill -0 $ncpid 2>/dev/null && [ $n -lt 300 ]; do sleep 1; n=$((n + 1)); done
    kill $ncpid 2>/dev/null
    c=$(md5sum </tmp/tcp.in | cut -c1-32)
    size=$(wc -c </tmp/tcp.in)
    rm -f /tmp/tcp.in
    i2=$(virtio_irqs)
    say "hwdom: tcp $size bytes, md5 $c, expected $(arg tcp_md5); virtio interrupts $i1 -> $i2"
    grep virtio /proc/interrupts
    [ "$size" = 16777216 ] && [ "$c" = "$(arg tcp_md5)" ] && [ "$i2" -gt "$i1" ]
}

# dom0 from a disk (make disk's image, booted by Debian's own initrd): its
# root filesystem is QEMU's virtio disk, the one the command line's root=
# names (by UUID or label); initramfs-tools mounted it (its /run/initramfs
# came along with /run); and the PCI network card's DHCP client got an
# address on QEMU's user network, through which the host (10.0.2.2) hands
# over the token the command line names (paravane.token) from a server on
# its loopback (paravane.token_port).
pci_nic() { # the first network card that is a PCI device of dom0's own
    for n in /sys/class/net/*; do
        readlink -f "$n/device" 2>/dev/null | grep -q /pci && echo "${n##*/}" && return
    done
}
has_lease() { ip -4 addr show dev "$1" | grep -q "inet 10\.0\.2\."; }
diskroot() {
    set -- $(awk '$2 == "/" {print $1, $3, substr($4, 1, 2)}' /proc/mounts)
    want=$(sed -n 's/.*root=\([^ ]*\).*/\1/p' /proc/cmdline)
    dev=$(findfs "$want")
    say "diskroot: / is $1 ($2, $3), root=$want is $dev"
    [ "$1" = /dev/vda ] && [ "$2" = ext4 ] && [ "$3" = rw ] && [ "$dev" = /dev/vda ] || return 1
    [ -d /run/initramfs ] || return 1
    ifc=$(pci_nic)
    [ -n "$ifc" ] && within 120 has_lease "$ifc" || return 1
    ip -4 addr show dev "$ifc"
    ip route
    gw=$(ip route | awk '$1 == "default" {print $3}')
    got=$(nc 10.0.2.2 "$(arg token_port)" </dev/null)
    say "diskroot: $ifc has $(ip -4 addr show dev "$ifc" | awk '$1 == "inet" {print $2}'), default via $gw; host sent ${got:-nothing} over tcp from 10.0.2.2, expected $(arg token)"
    [ "$gw" = 10.0.2.2 ] && [ "$got" = "$(arg token)" ]
}

only=$(arg checks)
run() {
    case ",${only:-$1}," in
    *",$1,"*) check "$1" "$1" ;;
    esac
}
run hypervisor_is_xen_pv
run vcpus_online
run memory_is_reservation
run fork_exec_1000
run tmpfs_64m_checksum
run xen_devices
[ "$role" = dom0 ] && run privcmd_xen_version
[ "$role" = dom0 ] && run domain_list
[ "$role" = dom0 ] && [ -n "$(arg wait)" ] && [ "$(arg xenstored)" = 1 ] && run domu_in_xenstore
[ "$role" = domU ] && [ "$(arg xenstore)" = 1 ] && run xenstore_home
run parallel_workload
if [ "$role" = dom0 ] && [ -n "$only" ]; then
    run vane_cmds
    run vane_linux
    run xl_figures
    run xs_dom_exc
    run vlive
    run vpin
    run vsedf
    run vane_stat
    run vane_trace
    run vane_shares
    run workloads
    run xl_create
    run xl_linux
    run vane_create
    run vane_refuse
    run vane_warn
    run vane_three
    run vane_cycles
    run vcons
    run vconsc
    run vflood
    run vlinux
    run vdisk
    run vnet
    run vhot
    run vdev_refuse
    run vbench
    run hwdom
    run diskroot
fi
if [ "$role" = domU ] && [ -n "$only" ]; then
    run vdisk_guest
    run vnet_guest
    run vbench_guest
fi
wait_for=$(arg wait)
if [ "$role" = dom0 ] && [ -n "$wait_for" ]; then
    if /bin/vane wait "$wait_for" 1200; then
        echo "linuxcheck dom0: domain $wait_for is gone, dom0 carries on"
        /bin/vane list
        if [ "$(arg xenstored)" = 1 ]; then
            check released_by_xenstored released_by_xenstored "$wait_for"
            check boot_console boot_console "$wait_for"
        fi
    else
        fail=$((fail + 1))
        echo "linuxcheck FAIL domain $wait_for still there"
    fi
fi
echo "linuxcheck $role: $pass passed, $fail failed"
# paravane.hold=1 (a domU): stay, with every vCPU busy, until dom0 shuts
# the domain down (Linux powers off on control/shutdown by itself).
if [ "$role" = domU ] && [ "$(arg hold)" = 1 ]; then
    for i in $(seq "$(nproc)"); do (while :; do :; done) & done
    while :; do sleep 60; done
fi
