# Benchmarks of the hypervisor's PV paths (make bench).
BENCHES += tests/bench/pv-bench.sh

# Linux natively and on Paravane (tests/bench/linux-bench.sh): lbench, a
# static program run inside the guest, on a busybox initramfs whose /init
# runs it (paravane.check=/bin/paravane-bench) and powers off.
LBENCH_OUT    := $(BUILD)/bench
LBENCH_CFLAGS := -static -O2 -std=gnu11 -Wall -Wextra -Werror
LBENCH_KREL   := $(notdir $(lastword $(sort $(wildcard /lib/modules/*))))

$(LBENCH_OUT)/lbench: tests/bench/lbench.c tests/bench/rules.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static)"
	@$(HOST_CC) $(LBENCH_CFLAGS) -o $@ $<

$(BUILD)/linux/bench.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init \
                              tests/bench/lbench-run.sh $(LBENCH_OUT)/lbench
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LBENCH_KREL) toolstack/rootfs/init \
	    $(LBENCH_OUT)/lbench:/bin/lbench tests/bench/lbench-run.sh:/bin/paravane-bench

ALL_TARGETS += $(LBENCH_OUT)/lbench $(BUILD)/linux/bench.cpio.gz
BENCHES     += tests/bench/linux-bench.sh tests/bench/dev-bench.sh
LINT_SRCS   += tests/bench/lbench.c
