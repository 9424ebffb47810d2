#!/bin/bash
# Hypervisor boot tests under QEMU: CPU and memory bring-up, the fatal-trap
# report, options and debug keys. Each case reads the serial log.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

# Boot reaches the ready line with every CPU and (nearly) all the memory.
qemu_test boot-smp1-512M --smp 1 --mem 512 --ready 1 512
qemu_test boot-smp4-512M --smp 4 --mem 512 --ready 4 512
qemu_test boot-smp2-3072M --smp 2 --mem 3072 --ready 2 3072
qemu_test boot-smp8-1024M --smp 8 --mem 1024 --ready 8 1024 \
    --expect "${HYP}timer: self-test passed on 8 CPUs"
# pace_us (make experiment's short QEMU turns): every CPU still comes up.
qemu_test boot-pace --smp 2 --cmdline "pace_us=100" --ready 2 512 \
    --expect "${HYP}sched: a pacing timer every 100 us on each CPU"
qemu_test boot-maxcpus --smp 4 --cmdline "maxcpus=2" --ready 2 512 \
    --expect "${HYP}smp: CPU with APIC id [0-9]+ not started \(maxcpus=2\)"

# The boot command line: options applied, bad ones named, loglvl honoured.
qemu_test cmdline-options --cmdline "sched=sedf maxcpus=3 bogus=1 loglvl=debug/all" \
    --expect "${HYP}.*unknown option 'bogus=1' ignored" \
    --expect "${HYP}options: sched=sedf maxcpus=3" --expect "${HYP}sched: sedf scheduler on 1 CPUs" \
    --ready 1 512
qemu_test cmdline-loglvl-error --cmdline "loglvl=error" --ready 1 512 \
    --forbid "\(hyp\) (time|mm|memory):"

# Multiboot modules are listed with their command lines; module 0 is dom0's
# kernel, and one that is not a PV kernel is refused by name, ending the
# machine (there is no dom0 to run).
mod=$(mktemp)
head -c 10000 /dev/urandom >"$mod"
qemu_test boot-modules --module "$mod console=hvc0 root=/dev/ram" --module "$mod second" \
    --expect "${HYP}2 boot modules" \
    --expect "${HYP}  module 0: 0x[0-9a-f]+-0x[0-9a-f]+ \(9 KiB\) 'console=hvc0 root=/dev/ram'" \
    --expect "${HYP}  module 1: .* 'second'" --ready 1 512 \
    --expect "${HYP}d0: kernel image refused by the ELF loader" \
    --expect "paravane: domain 0 shut down \(crash\)" --exit failure
rm -f "$mod"

# A hypervisor fault prints the whole report and ends the machine.
fault_report=(--allow-fatal --exit failure --expect "${HYP}CPU 0, hypervisor context"
    --expect "${HYP}RIP: e008:\[<ffff82d0[0-9a-f]+>\] deliberate_fault\+0x"
    --expect "${HYP}rax: [0-9a-f]{16}" --expect "${HYP}.*cr3: [0-9a-f]{16}" --expect "${HYP}Backtrace:"
    --expect "${HYP}.*start_hypervisor\+0x" --expect "${HYP}paravane: fatal trap on CPU [0-9]+, system halted")
qemu_test fault-pf --smp 2 --cmdline "test_fault=pf" \
    --expect "${HYP}----\\[ FATAL TRAP: vector 14 \(#PF page fault\), error code 0x2" \
    --expect "${HYP}faulting address 0000000000000010 \(not present, write, data\)" "${fault_report[@]}"
qemu_test fault-ud --cmdline "test_fault=ud" \
    --expect "${HYP}----\\[ FATAL TRAP: vector 6 \(#UD invalid opcode\)" "${fault_report[@]}"
qemu_test fault-gp --cmdline "test_fault=gp" \
    --expect "${HYP}----\\[ FATAL TRAP: vector 13 \(#GP general protection\)" "${fault_report[@]}"
qemu_test fault-de --cmdline "test_fault=de" \
    --expect "${HYP}----\\[ FATAL TRAP: vector 0 \(#DE divide error\)" "${fault_report[@]}"

# Debug keys on the serial console.
qemu_test keys-help-memory-timers --smp 2 --ready 2 512 \
    --send "paravane: ready=>h" --expect "${HYP} key 'd': dump registers of every CPU" \
    --send "${HYP} key 'R': reboot=>m" --expect "${HYP}memory: 511 MiB RAM, [0-9]+ MiB in the heap" \
    --expect "${HYP}  order +[0-9]+: [0-9]+ free blocks" \
    --send "${HYP}  order +[0-9]+: [0-9]+ free blocks=>t" --expect "${HYP}  CPU 1: [0-9]+ interrupts"
qemu_test keys-registers --smp 3 --ready 3 512 --send "paravane: ready=>d" \
    --expect "${HYP}\*\*\* CPU [0-2] \(APIC id [0-9]+\) state \*\*\*" \
    --expect "${HYP}\*\*\* CPU [0-2] \(APIC id [0-9]+\) state \*\*\*" \
    --expect "${HYP}\*\*\* CPU [0-2] \(APIC id [0-9]+\) state \*\*\*" --expect "${HYP}RIP: e008:.*(idle_loop|snapshot_here)"
qemu_test keys-crash --smp 2 --send "paravane: ready=>C" --allow-fatal --exit failure \
    --expect "${HYP}----\\[ FATAL TRAP: vector 14" --expect "${HYP}.*deliberate_fault\+0x" \
    --expect "${HYP}.*serial_rx_softirq\+0x" \
    --expect "${HYP}.*do_softirq\+0x" --expect "${HYP}paravane: fatal trap on CPU [0-9]+, system halted"
qemu_test keys-reboot --send "paravane: ready=>R" --exit reboot --expect "paravane: restarting"

qemu_summary
