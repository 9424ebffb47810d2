# The QEMU harness's self-test (tests/harness/selftest.sh): a domU's forged
# console lines must not satisfy expectations meant for others.
TEST_SUITES += tests/harness/selftest.sh
