# Linux on Paravane: dom0 initramfs images and the QEMU suite.
LINUX_OUT := $(BUILD)/linux
LINUX_KREL := $(notdir $(lastword $(sort $(wildcard /lib/modules/*))))

# dom0 with a shell (make run) and dom0 running the checks (make test).
# Both carry xenstored and the xenstore tools (paravane.xenstored=1 runs it).
LINUX_XS := $(BUILD)/xenstore-lite/xenstored-static:/usr/sbin/xenstored \
            $(BUILD)/xenstore-lite/xs-static:/usr/bin/xs
LINUX_XS_DEPS := $(BUILD)/xenstore-lite/xenstored-static $(BUILD)/xenstore-lite/xs-static

$(LINUX_OUT)/dom0.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init $(BUILD)/toolstack/vane \
                           $(LINUX_XS_DEPS)
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init \
	    $(BUILD)/toolstack/vane:/bin/vane $(LINUX_XS)

# The checks' dom0 also carries a PV test kernel and the configurations
# vane creates run-time domains from.
LINUX_VANE_CFGS := $(wildcard tests/linux/vane/*.cfg)
LINUX_CHECK_FILES = $(BUILD)/toolstack/vane:/bin/vane tests/linux/check.sh:/bin/paravane-check $(LINUX_XS) \
                    $(BUILD)/guests/pvtest-basic.elf:/boot/pvtest-basic.elf \
                    $(BUILD)/guests/pvtest-xcons.elf:/boot/pvtest-xcons.elf \
                    $(BUILD)/guests/pvtest-stat.elf:/boot/pvtest-stat.elf \
                    $(BUILD)/guests/pvtest-hog.elf:/boot/pvtest-hog.elf \
                    $(BUILD)/guests/pvtest-periodic.elf:/boot/pvtest-periodic.elf \
                    $(BUILD)/sched/xentrace-convert-static:/bin/xentrace-convert $(LINUX_WORKLOADS) \
                    $(foreach c,$(LINUX_VANE_CFGS),$(c):/etc/vane/$(notdir $(c)))
$(LINUX_OUT)/dom0-check.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init \
                                 tests/linux/check.sh $(BUILD)/toolstack/vane $(LINUX_XS_DEPS) \
                                 $(BUILD)/guests/pvtest-basic.elf $(BUILD)/guests/pvtest-xcons.elf \
                                 $(BUILD)/guests/pvtest-stat.elf $(BUILD)/guests/pvtest-hog.elf $(BUILD)/guests/pvtest-periodic.elf \
                                 $(BUILD)/sched/xentrace-convert-static $(WORKLOAD_BINS) \
                                 $(LINUX_VANE_CFGS)
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init $(LINUX_CHECK_FILES)

# The console checks' dom0 adds a Linux domU for vane to create: Debian's
# kernel and a plain initramfs that gives a shell on hvc0. Its own image,
# so that the other boots' dom0 stays small.
# The experiments' workloads (sched/workloads/) are in it as /bin/vw-*,
# with xenstore's tools (a domU of make experiment waits for its word).
LINUX_WORKLOADS := $(foreach w,$(WORKLOAD_BINS),$(w):/bin/$(notdir $(w)))
$(LINUX_OUT)/domU-shell.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init $(WORKLOAD_BINS) \
                                 $(BUILD)/xenstore-lite/xs-static
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init $(LINUX_WORKLOADS) \
	    $(BUILD)/xenstore-lite/xs-static:/usr/bin/xs

# Xen's own xl (Debian's xen-utils-4.17) with the libraries it loads, at
# their paths, for dom0 to run against Paravane; beside it Xen's console
# daemon (xl create waits for it to give the new domain's console a tty)
# and xen-cpuid (which reads the CPU policies).
XL_DIR := /usr/lib/xen-4.17/bin
XL_BINS := $(wildcard $(addprefix $(XL_DIR)/,xl xenconsoled xen-cpuid xentrace xenperf))
LINUX_XL := $(if $(wildcard $(XL_DIR)/xl),$(foreach b,$(XL_BINS),$(b):/usr/sbin/$(notdir $(b))) \
            $(foreach l,$(sort $(shell ldd $(XL_BINS) 2>/dev/null | \
            awk '/=>/ {print $$3} /ld-linux/ {print $$1}')),$(l):$(l)) \
            $(foreach l,$(wildcard /lib/x86_64-linux-gnu/libgcc_s.so.1),$(l):$(l)))

# The files of make run's dom0: dom0-check's, Xen's xl, and a Linux domU
# for vane (Debian's kernel, a shell initramfs, dom0-check's as a domU's).
LINUX_VANE_DEPS := toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init \
                   tests/linux/check.sh $(BUILD)/toolstack/vane $(LINUX_XS_DEPS) \
                   $(BUILD)/guests/pvtest-basic.elf $(BUILD)/guests/pvtest-xcons.elf \
                   $(BUILD)/guests/pvtest-stat.elf $(BUILD)/guests/pvtest-hog.elf $(BUILD)/guests/pvtest-periodic.elf \
                   $(BUILD)/sched/xentrace-convert-static $(WORKLOAD_BINS) \
                   $(LINUX_VANE_CFGS) $(PVABI_VMLINUZ) \
                   $(LINUX_OUT)/domU-shell.cpio.gz $(LINUX_OUT)/dom0-check.cpio.gz
LINUX_VANE_FILES = $(LINUX_CHECK_FILES) $(PVABI_VMLINUZ):/boot/vmlinuz $(LINUX_XL) \
                   $(LINUX_OUT)/domU-shell.cpio.gz:/boot/domU.cpio.gz \
                   $(LINUX_OUT)/dom0-check.cpio.gz:/boot/domU-check.cpio.gz

$(LINUX_OUT)/dom0-vane.cpio.gz: $(LINUX_VANE_DEPS)
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init $(LINUX_VANE_FILES)

# make disk: the same files as a disk image, one ext4 filesystem labelled
# paravane-root, for dom0 to boot from through Debian's own initrd
# (make run DISK=..., tests/linux's linux-dom0-disk).
LINUX_DISK := $(BUILD)/disk/paravane-root.img
$(LINUX_DISK): $(LINUX_VANE_DEPS)
	@mkdir -p $(@D)
	@echo "  DISK    $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init $(LINUX_VANE_FILES)

ALL_TARGETS += $(LINUX_OUT)/dom0.cpio.gz $(LINUX_OUT)/dom0-check.cpio.gz \
               $(LINUX_OUT)/dom0-vane.cpio.gz $(LINUX_DISK)
TEST_SUITES += tests/linux/qemu-linux.sh
