#!/bin/sh
# Run inside the Linux under test (native or dom0 on Paravane) by the
# initramfs /init, as paravane.check=/bin/paravane-bench: say what it runs
# on, then the benchmarks (tests/bench/lbench.c). /init powers off after.
echo "lbench system: $(uname -r), hypervisor $(cat /sys/hypervisor/type 2>/dev/null || echo none)," \
    "$(grep -c ^processor /proc/cpuinfo) cpu(s)," \
    "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)," \
    "MemTotal $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"
# The interrupts taken during the run go to the log, for whoever wonders
# where a figure's time went.
grep -v ' 0 *[A-Za-z]' /proc/interrupts | sed 's/^/lbench-irq before: /'
# lbench.args=A,B on the kernel's command line: lbench's arguments.
args=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^lbench\.args=//p' | tr ',' ' ')
# shellcheck disable=SC2086
/bin/lbench $args || echo "lbench failed with status $?"
grep -v ' 0 *[A-Za-z]' /proc/interrupts | sed 's/^/lbench-irq after:  /'
