#!/bin/bash
# PV test kernels under QEMU: each prints "pvtest <name>: N passed, N failed"
# and powers off; dom0's power-off ends QEMU with success.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

G=build/guests
verdict() { echo "pvtest $1: [0-9]+ passed, 0 failed"; }

# dom0's command line is 900 bytes long, and arrives whole.
PAD=$(printf 'x%.0s' $(seq 1 880))
qemu_test guest-basic-smp1 --smp 1 --module "$G/pvtest-basic.elf pad=$PAD end=1" \
    --expect "$(verdict basic)" --expect "paravane: domain 0 shut down \(poweroff\)" --exit success
qemu_test guest-basic-smp2 --smp 2 --cmdline "sched=sedf" --module "$G/pvtest-basic.elf" \
    --expect "$(verdict basic)" --exit success

# Two domains at once: dom0 and a domU from the boot modules, sharing one
# pCPU; the domU's console lines carry its prefix, its end is logged and
# its memory returned.
qemu_test guest-two-domains --smp 1 --cmdline "domain=1:64M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-basic.elf" \
    --expect "$(verdict basic)" --expect "\(d1\) $(verdict basic)" \
    --expect "paravane: domain 1 shut down \(poweroff\)" --expect "${HYP}domain 1 destroyed, 16384 pages returned" \
    --expect "paravane: domain 0 shut down \(poweroff\)" --exit success

# Boot-time domains from a device tree (`vane mkboot`, tests/guests/dt/):
# module 1 describes domU1 and domU2, both kernels module 3 (its own
# command line says from=module: only the tree's bootargs say from=tree),
# domU1's ramdisk module 4; each domU checks its memory, vCPUs, ramdisk
# and command line, dom0 reads back their sizes and Credit weight and cap.
# Module 2 is a tree corrupted inside /chosen/broken: refused, naming it,
# and everything else boots.
qemu_test guest-dt-domains --smp 1 --unordered \
    --module "$G/pvtest-dtboot.elf d1=512:50:8192:2 d2=256:0:4096:1 wait=2" \
    --module "$G/dt-two.dtb" --module "$G/dt-broken.dtb" \
    --module "$G/pvtest-dtboot.elf from=module" --module "tests/guests/dt/ramdisk.txt" \
    --expect "${HYP}device tree in module 1: 2 domains" \
    --expect "${HYP}device tree in module 2 refused: /chosen/broken: an unknown tag in the structure block \(offset 0x60\)" \
    --expect "${HYP}domain 1 is domU1, from a device tree: 32768 KiB, 2 vCPUs" \
    --expect "${HYP}domain 2 is domU2, from a device tree: 16384 KiB, 1 vCPU\$" \
    --expect "\(d1\) $(verdict dtboot)" --expect "\(d2\) $(verdict dtboot)" \
    --expect "pvtest dtboot: d1 pages 8192 vcpus 2" --expect "pvtest dtboot: d1 weight 512 cap 50" \
    --expect "pvtest dtboot: d2 pages 4096 vcpus 1" --expect "pvtest dtboot: d2 weight 256 cap 0" \
    --expect "$(verdict dtboot)" --expect "paravane: domain 0 shut down \(poweroff\)" --exit success
# The same under SEDF: a domain's sedf_period and sedf_slice become its
# time guarantee (the Credit-only cap is left aside, with a word).
qemu_test guest-dt-sedf --smp 1 --cmdline "sched=sedf" --unordered \
    --module "$G/pvtest-dtboot.elf sedf=1 d1=100:20:4096:1 wait=1" --module "$G/dt-sedf.dtb" \
    --module "$G/pvtest-dtboot.elf from=module" \
    --expect "${HYP}d1: scheduler parameters for another scheduler than sedf left aside" \
    --expect "\(d1\) $(verdict dtboot)" --expect "pvtest dtboot: d1 sedf period 100 ms slice 20 ms" \
    --expect "$(verdict dtboot)" --exit success

# FPU and SSE state of two domains interleaved on one pCPU.
qemu_test guest-fpu-switches --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-fpu.elf seed=1 wait=1" --module "$G/pvtest-fpu.elf seed=2" \
    --expect "$(verdict fpu)" --expect "\(d1\) $(verdict fpu)" --exit success

# A guest faulting with no handler is crashed alone, with a report.
qemu_test guest-crash-contained --smp 2 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-crash.elf" \
    --expect "\(d1\) pvtest crash: clearing the trap table" \
    --expect "${HYP}d1v0: #PF page fault \(vector 14, error 0x2\) with no guest handler" \
    --expect "${HYP}d1v0: faulting address 0000000000001234" \
    --expect "${HYP}CPU [0-9], guest context \(d1v0, kernel mode\)" \
    --expect "${HYP}domain 1 crashed: guest trap with no handler" \
    --expect "${HYP}domain 1 destroyed, 8192 pages returned" --expect "$(verdict basic)" --exit success

# #BP and #DB (a single step) from guest kernel mode with no trap table, and an
# int3 whose bounce frame cannot be written (the kernel stack points into
# the hypervisor's area): each crashes that domain alone, with its reason.
qemu_test guest-crash-int3 --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-crash.elf fault=int3" \
    --expect "${HYP}d1v0: #BP breakpoint \(vector 3\) with no guest handler" \
    --expect "${HYP}domain 1 crashed: guest trap with no handler" --expect "$(verdict basic)" --exit success
qemu_test guest-crash-tf --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-crash.elf fault=tf" \
    --expect "${HYP}d1v0: #DB debug \(vector 1\) with no guest handler" \
    --expect "${HYP}domain 1 crashed: guest trap with no handler" --expect "$(verdict basic)" --exit success
qemu_test guest-crash-stack --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-crash.elf fault=stack" \
    --expect "${HYP}d1v0: cannot write a bounce frame at ffff830000000f[0-9a-f]+" \
    --expect "${HYP}domain 1 crashed: unusable guest kernel stack" --expect "$(verdict basic)" --exit success

# The edges of the ABI as Xen 4.17 draws them (tests/guests/edges.c):
# fault error codes, traps and software interrupts with no handler, iret,
# segments, I/O privilege, CR4 and debug registers (a hypervisor write to
# a guest-watched buffer is its own #DB, logged and ignored).
qemu_test guest-edges-dom0 --smp 1 --module "$G/pvtest-edges.elf" \
    --expect "${HYP}d0v0: #DB in hypervisor context at [0-9a-f]+, DR6 [0-9a-f]+: ignored" \
    --expect "$(verdict edges)" --exit success

# The guest system call's fast path (tests/guests/sysfast.c): round trips
# keeping every register, a user-mode "iret" that stays a system call,
# iret frames the hardware refuses, RFLAGS cleaned, events unmasked on the
# way out delivered; then a kernel stack and an iret frame that fault as
# the fast path touches them, each ending that domain alone with the slow
# path's report.
qemu_test guest-sysfast-dom0 --smp 1 --module "$G/pvtest-sysfast.elf" \
    --expect "$(verdict sysfast)" --exit success
qemu_test guest-sysfast-bad-stack --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-sysfast.elf mode=bad-bounce-stack" \
    --expect "\(d1\) pvtest sysfast: system call onto an unmapped kernel stack" \
    --expect "${HYP}d1v0: cannot write a bounce frame at 0000400000000fc8" \
    --expect "${HYP}domain 1 crashed: unusable guest kernel stack" --expect "$(verdict basic)" --exit success
qemu_test guest-sysfast-bad-iret --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-sysfast.elf mode=bad-iret-frame" \
    --expect "\(d1\) pvtest sysfast: iret with its frame unmapped" \
    --expect "${HYP}d1v0: cannot read the iret frame at 0000400000001000" \
    --expect "${HYP}domain 1 crashed: iret: unreadable iret frame" --expect "$(verdict basic)" --exit success

# The page-fault bounce and the event upcall's fast paths
# (tests/guests/bouncefast.c): user page faults keeping every register,
# CR2 and error codes as the slow path gives them, events held back while
# masked and delivered on the iret that unmasks, an upcall taken from
# user mode, none without a callback; then a kernel stack unmapped or in
# the hypervisor under a page fault's or an upcall's frame, and no
# page-fault handler: that domain alone ends, with the slow path's report.
qemu_test guest-bouncefast-dom0 --smp 1 --module "$G/pvtest-bouncefast.elf" \
    --expect "$(verdict bouncefast)" --exit success
qemu_test guest-bouncefast-domU --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-bouncefast.elf" \
    --expect "\(d1\) $(verdict bouncefast)" --expect "$(verdict basic)" --exit success
bouncefast_crash() { # NAME MODE EXPECTED-REPORT REASON
    qemu_test "guest-bouncefast-$1" --smp 1 --cmdline "domain=1:32M:1" --unordered \
        --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-bouncefast.elf mode=$2" \
        --expect "\(d1\) pvtest bouncefast: mode=$2" --expect "${HYP}d1v0: $3" \
        --expect "${HYP}domain 1 crashed: $4" --forbid "still running after" \
        --expect "$(verdict basic)" --exit success
}
bouncefast_crash pf-unmapped-stack pf-unmapped-stack "cannot write a bounce frame at 0000400000000fc0" \
    "unusable guest kernel stack"
bouncefast_crash pf-hyp-stack pf-hyp-stack "cannot write a bounce frame at ffff830000000fc0" \
    "unusable guest kernel stack"
bouncefast_crash upcall-stack upcall-unmapped-stack "cannot write a bounce frame at 0000400000000fc8" \
    "unusable guest kernel stack"
bouncefast_crash pf-no-handler pf-no-handler \
    "#PF page fault \(vector 14, error 0x4\) with no guest handler" "guest trap with no handler"

# Grant tables version 2 (tests/guests/gntv2.c), as dom0 (an empty table
# at first) and as a domU beside dom0: set_version both ways, status
# frames, sub-page and transitive grants, and Xen's answer to each misuse;
# the domU's frames all come back.
qemu_test guest-gntv2-dom0 --smp 1 --module "$G/pvtest-gntv2.elf" \
    --expect "$(verdict gntv2)" --exit success
qemu_test guest-gntv2-domU --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-gntv2.elf" \
    --expect "\(d1\) $(verdict gntv2)" --expect "${HYP}domain 1 destroyed, 8192 pages returned" \
    --expect "$(verdict basic)" --exit success

# The failsafe callback (tests/guests/failsafe.c): a data selector whose
# descriptor went away while loaded will not reload when the vCPU comes
# back on the pCPU (its other vCPU had it meanwhile); the callback gets
# Xen's frame. Without a callback the domain is crashed, with its reason.
qemu_test guest-failsafe-domU --smp 1 --cmdline "domain=1:32M:2" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-failsafe.elf" \
    --expect "\(d1\) $(verdict failsafe)" --expect "${HYP}domain 1 destroyed, 8192 pages returned" \
    --expect "$(verdict basic)" --exit success
qemu_test guest-failsafe-none --smp 1 --cmdline "domain=1:32M:2" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-failsafe.elf nocallback=1" \
    --expect "\(d1\) pvtest failsafe: no callback, giving the pCPU away" \
    --expect "${HYP}d1v0: data selectors ds 0023 es 002b fs 0023 gs 0000 would not reload, and no failsafe callback" \
    --expect "${HYP}domain 1 crashed: segment reload failed with no failsafe callback" \
    --expect "${HYP}domain 1 destroyed, 8192 pages returned" --expect "$(verdict basic)" --exit success

# A hostile guest with 12 vCPUs (tests/guests/fuzz.c): first well-formed
# hostile arguments, each checked against Xen's answer, with vCPU 1
# brought up and the hostile vCPU contexts offered to vCPUs 2-11; then
# random hypercalls and arguments. It may be crashed in phase 2; the
# hypervisor and dom0 must carry on.
qemu_test guest-fuzz --smp 2 --cmdline "domain=1:32M:12" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-fuzz.elf calls=20000 domid=1" \
    --expect "\(d1\) pvtest fuzz: targeted checks: 0 failed" \
    --expect "\(d1\) pvtest fuzz: phase 1 survived 20000 calls" \
    --expect "\(d1\) pvtest fuzz: vCPU 0 resumed after VCPUOP_down and up" \
    --expect "\(d1\) pvtest fuzz: phase 2 survived|${HYP}domain 1 crashed|paravane: domain 1 shut down" \
    --expect "$(verdict basic)" --exit success --timeout 120

# The PV MMU: address spaces built, pinned, switched and torn down, entries
# updated by hypercall and in place, and each refusal, as dom0 and as domU.
qemu_test guest-mm-dom0 --smp 2 --module "$G/pvtest-mm.elf" --expect "$(verdict mm)" --exit success
qemu_test guest-mm-domU --smp 2 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-mm.elf" \
    --expect "\(d1\) $(verdict mm)" --expect "${HYP}domain 1 destroyed, 8192 pages returned" \
    --expect "$(verdict basic)" --exit success

# 50 domains built, run (leaving pinned tables behind) and destroyed in turn:
# the heap gets every frame back.
qemu_test guest-mm-create-destroy-50 --smp 2 --timeout 240 \
    --cmdline "domain_cycles=1:16M:50 loglvl=warning" \
    --module "$G/pvtest-basic.elf linger=100000000" --module "$G/pvtest-mm.elf" \
    --expect "paravane: domain cycles: 50 done, free pages before ([0-9]+), after \2\$"

# Two domains together: an interdomain event channel both ways, grants
# mapped, written, unmapped and copied, every refusal, and the guest clock
# (VIRQ_TIMER within a tick, pvclock monotonic while dom0 pins its vCPU to
# each pCPU in turn: 8 rounds over 2 pCPUs are 15 changes).
for smp in 1 2; do
    # Under icount: its timer checks (woken within a tick of the deadline)
    # measure the hypervisor, not how often a loaded host stalls QEMU.
    qemu_test guest-pair-smp$smp --smp $smp --cmdline "domain=1:32M:1" --unordered --timeout 120 \
        --icount shift=0,sleep=off \
        --module "$G/pvtest-pair.elf wait=1 pcpus=$smp" --module "$G/pvtest-pair.elf" \
        --expect "pvtest pair: pvclock monotonic over $((smp == 1 ? 0 : 15)) pCPU changes" \
        --expect "$(verdict pair)" --expect "\(d1\) $(verdict pair)" \
        --expect "${HYP}domain 1 destroyed, 8192 pages returned" --exit success
done

# Attacks on the isolation boundary (descriptor writes into page tables,
# hostile vCPU contexts, sub-word page-table writes, translations that
# outlive a released frame), as dom0 and as a domU beside it, with two
# vCPUs each; the hypervisor and dom0 carry on.
qemu_test guest-isolation-dom0 --smp 2 --cmdline "dom0_max_vcpus=2" \
    --module "$G/pvtest-isolation.elf" --expect "$(verdict isolation)" --exit success
qemu_test guest-isolation-domU --smp 1 --cmdline "domain=1:32M:2" --unordered \
    --module "$G/pvtest-basic.elf wait=1" --module "$G/pvtest-isolation.elf" \
    --expect "\(d1\) $(verdict isolation)" --expect "${HYP}domain 1 destroyed, 8190 pages returned" \
    --expect "$(verdict basic)" --exit success

# The control interface (dom0 with two vCPUs): domains created, described, paused and destroyed
# by dom0 (twenty cycles, every frame back), the machine described, the
# log read; a domU trying the same gets -EPERM for each.
qemu_test guest-ctl --smp 2 --cmdline "domain=1:32M:1 dom0_max_vcpus=2" --unordered \
    --module "$G/pvtest-ctl.elf pcpus=2 wait=1" --module "$G/pvtest-ctl.elf" \
    --expect "$(verdict ctl)" --expect "\(d1\) $(verdict ctl)" --exit success

# The counters (tests/guests/stat.c): a domU executes a known number of
# CPUIDs, RDMSRs, HLTs, hypercalls (direct and in a multicall) and
# event-channel sends; dom0 reads exactly those numbers from its
# counters, its own deltas around known work, Xen's perfc_op as xenperf
# reads it (and its reset), then resets and destroys the domU.
qemu_test guest-stat --smp 1 --cmdline "domain=1:32M:1" --unordered \
    --module "$G/pvtest-stat.elf role=reader domid=1 wait=1" --module "$G/pvtest-stat.elf role=worker" \
    --expect "\(d1\) pvtest stat: worker done, 1000 cpuid 300 rdmsr 5 hlt 200 xen_version" \
    --expect "pvtest stat: d1: 1000 cpuid, 300 rdmsr, 5 hlt, 200 xen_version, 3 in a multicall, 7 sends" \
    --expect "$(verdict stat)" --exit success

# A hostile domU against dom0 (tests/guests/hostile.c): grant-table
# privacy and unmap addresses, frames given back while mapped still
# counted, and 10^6-entry mmu_update/mmuext_op, a huge multicall and
# rep insb with rcx = 2^40, which must be preempted: on one pCPU, dom0's
# timer keeps firing meanwhile. On two, the grant_map_delay_ms hook holds
# a grant map open while the granter gives the frame back.
qemu_test guest-hostile-smp1 --smp 1 --cmdline "domain=1:96M:1" --unordered --timeout 300 \
    --module "$G/pvtest-hostile.elf wait=1 pcpus=1" --module "$G/pvtest-hostile.elf" \
    --expect "$(verdict hostile)" --expect "\(d1\) $(verdict hostile)" \
    --expect "${HYP}domain 1 destroyed, 24576 pages returned" --exit success
qemu_test guest-hostile-race-smp2 --smp 2 --cmdline "domain=1:96M:1 grant_map_delay_ms=500" \
    --unordered --timeout 300 \
    --module "$G/pvtest-hostile.elf wait=1 pcpus=2 race=1" --module "$G/pvtest-hostile.elf race=1" \
    --expect "$(verdict hostile)" --expect "\(d1\) $(verdict hostile)" \
    --expect "${HYP}domain 1 destroyed, 24576 pages returned" --exit success

# The scheduler through domctl/sysctl, under each scheduler; a domU may not.
qemu_test guest-sched-credit --cmdline "sched=credit" --module "$G/pvtest-sched.elf expect=credit" \
    --expect "$(verdict sched)" --exit success
qemu_test guest-sched-sedf --cmdline "sched=sedf domain=1:32M:1" --unordered \
    --module "$G/pvtest-sched.elf expect=sedf wait=1" --module "$G/pvtest-sched.elf" \
    --expect "$(verdict sched)" --expect "\(d1\) $(verdict sched)" --exit success

# Serial input goes to dom0 once it runs, read with CONSOLEIO_read; three
# Ctrl-A hand it to the hypervisor's debug keys and back.
qemu_test guest-console-input --module "$G/pvtest-console.elf" \
    --send "pvtest console: waiting for input=>"$'\x01\x01\x01'"h"$'\x01\x01\x01'"hello dom0"$'\r' \
    --expect "${HYP}\*\*\* serial input to DOM0" --expect "${HYP}\*\*\* serial input to the hypervisor" \
    --expect "${HYP} key 'd': dump registers" --expect "${HYP}\*\*\* serial input to DOM0" \
    --expect "pvtest console: got 'hello dom0'" --expect "$(verdict console)" --exit success

# Debian's stock kernel is accepted by the loader and runs in ring 3: its
# first hypercalls are logged by name, and with no root filesystem given
# it boots as dom0 all the way to mounting root (a clean panic, which ends
# the machine).
if [ -f "$G/vmlinux-debian.elf" ]; then
    qemu_test guest-debian-kernel-starts --mem 1024 --timeout 120 \
        --cmdline "hypercall_trace=8 dom0_mem=256M" --module "$G/vmlinux-debian.elf console=hvc0" \
        --expect "${HYP}d0: linux 2.6 kernel, entry 0xffffffff8[0-9a-f]+, virt base 0xffffffff80000000" \
        --expect "${HYP}d0: hypercall 1: xen_version\(0x6," --expect "${HYP}d0: hypercall 2: memory_op\(0xc," \
        --expect "${HYP}d0: hypercall 3: update_va_mapping" --expect "${HYP}d0: hypercall 4: set_gdt" \
        --expect "${KLOG}Hypervisor detected: Xen PV" --expect "${KLOG}Memory: [0-9]+K/262140K available" \
        --expect "${KLOG}xen:events: Using 2-level ABI" --expect "${KLOG}clocksource: xen:" \
        --expect "${KLOG}Kernel panic - not syncing: VFS: Unable to mount root fs" \
        --expect "paravane: domain 0 shut down \(crash\)" --exit failure
else
    qemu_skip guest-debian-kernel-starts "$G/vmlinux-debian.elf missing (make all unpacks it from linux-image-amd64)"
fi

qemu_summary
