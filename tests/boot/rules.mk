# Boot tests of the hypervisor under QEMU (tests/boot/run.sh).
TEST_SUITES += tests/boot/run.sh
