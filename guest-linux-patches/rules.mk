# guest-linux-patches/: Paravane's own Linux guest kernel.
#
# `make guest-kernel` builds it (once per machine: it is cached outside the
# tree, see build.sh) and links build/guests/vmlinux-guest.elf to it. It is
# deliberately not in ALL_TARGETS: `make test` never compiles a kernel, and
# tests/linux/qemu-guest-kernel.sh boots it only when it is in the cache.

.PHONY: guest-kernel
guest-kernel:
	@guest-linux-patches/build.sh $(BUILD)/guests/vmlinux-guest.elf

# dom0 running tests/linux/check.sh on the guest kernel. Its Xen drivers are
# built in, so the image carries no modules (the release named below has no
# /lib/modules directory on purpose).
$(BUILD)/linux/guest-check.cpio.gz: toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init \
                                    tests/linux/check.sh $(BUILD)/toolstack/vane
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ paravane-guest-no-modules toolstack/rootfs/init \
	    $(BUILD)/toolstack/vane:/bin/vane tests/linux/check.sh:/bin/paravane-check

ALL_TARGETS += $(BUILD)/linux/guest-check.cpio.gz
TEST_SUITES += tests/linux/qemu-guest-kernel.sh
