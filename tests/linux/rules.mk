# Linux on Paravane: dom0 initramfs images and the QEMU suite.
LINUX_OUT := $(BUILD)/linux
LINUX_KREL := $(notdir $(lastword $(sort $(wildcard /lib/modules/*))))

# dom0 with a shell (make run) and dom0 running the checks (make test).
$(LINUX_OUT)/dom0.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init $(BUILD)/toolstack/vane
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init \
	    $(BUILD)/toolstack/vane:/bin/vane

$(LINUX_OUT)/dom0-check.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init \
                                 tests/linux/check.sh $(BUILD)/toolstack/vane
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init \
	    $(BUILD)/toolstack/vane:/bin/vane tests/linux/check.sh:/bin/paravane-check

ALL_TARGETS += $(LINUX_OUT)/dom0.cpio.gz $(LINUX_OUT)/dom0-check.cpio.gz
TEST_SUITES += tests/linux/qemu-linux.sh
