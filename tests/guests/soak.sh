#!/bin/bash
# make soak (not part of make test): a domU issues 10 million random
# hypercalls (SOAK_CALLS to change it) with random arguments (pointers into
# the hypervisor's area and unmapped memory, other domains' frames and
# foreign domain ids, huge counts, nested multicalls), random privileged
# instructions and faults, beside a running dom0 (tests/guests/fuzz.c,
# through the domain_cycles hook, which reports the heap's free pages
# before the domain and after it is gone). Passes when the hypervisor
# survives, the domU prints its counts, and every frame is free again.
set -u
cd "$(dirname "$0")/../.."
. tests/harness/qemu.sh

G=build/guests
CALLS=${SOAK_CALLS:-10000000}
qemu_test guest-soak --smp 2 --mem 512 --timeout "${SOAK_TIMEOUT:-7200}" --unordered \
    --cmdline "domain_cycles=1:32M:1:12" \
    --module "$G/pvtest-basic.elf linger=1000000000000" \
    --module "$G/pvtest-fuzz.elf calls=$CALLS domid=100" \
    --expect "\(d100\) pvtest fuzz: phase 1 survived $CALLS calls" \
    --expect "\(d100\) pvtest fuzz: phase 1 counts: [0-9]+ hypercalls" \
    --expect "paravane: domain cycles: 1 done, free pages before ([0-9]+), after \2\$"
grep -a "pvtest fuzz: phase\|domain cycles\|crashed" "$QEMU_LOG_DIR/guest-soak.log"
qemu_summary
