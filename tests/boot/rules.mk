# Boot tests of the hypervisor under QEMU (tests/boot/qemu-boot.sh).
TEST_SUITES += tests/boot/qemu-boot.sh

# `make iso`: a GRUB rescue image (multiboot2) with Paravane, Debian's kernel
# as installed and dom0's busybox initramfs; qemu-iso.sh boots it from a CD.
ISO_KERNEL := $(lastword $(shell ls -v /boot/vmlinuz-*-amd64 2>/dev/null))

$(BUILD)/paravane.iso: scripts/mkiso.sh $(BUILD)/paravane.elf $(ISO_KERNEL) $(BUILD)/linux/dom0.cpio.gz
	@echo "  ISO     $@"
	@scripts/mkiso.sh $@ $(BUILD)/paravane.elf $(ISO_KERNEL) $(BUILD)/linux/dom0.cpio.gz

ALL_TARGETS += $(BUILD)/paravane.iso
TEST_SUITES += tests/boot/qemu-iso.sh
