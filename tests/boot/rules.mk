# Boot tests of the hypervisor under QEMU (tests/boot/qemu-boot.sh).
TEST_SUITES += tests/boot/qemu-boot.sh
