# Benchmarks of the hypervisor's PV paths (make bench).
BENCHES += tests/bench/pv-bench.sh

# Linux natively, on Paravane and on Xen (tests/bench/linux-bench.sh): lbench, a
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

# Xen 4.17 for the same bench (Debian's xen-hypervisor-4.17-amd64, which
# make deps installs): QEMU's multiboot loader takes the image uncompressed.
# Built only where the package is there: nothing but the bench needs it.
LBENCH_XEN_GZ := $(wildcard /boot/xen-4.17-amd64.gz)

$(LBENCH_OUT)/xen.elf: $(LBENCH_XEN_GZ)
	@mkdir -p $(@D)
	@echo "  GUNZIP  $@"
	@gzip -dc $< >$@

ALL_TARGETS += $(LBENCH_OUT)/lbench $(BUILD)/linux/bench.cpio.gz $(if $(LBENCH_XEN_GZ),$(LBENCH_OUT)/xen.elf)
BENCHES     += tests/bench/linux-bench.sh tests/bench/dev-bench.sh
LINT_SRCS   += tests/bench/lbench.c
