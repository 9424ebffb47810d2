# Paravane — top-level build.
#
# Each directory contributes a `rules.mk` fragment (and tests/<dir>/rules.mk
# where its tests need rules). A fragment adds to these lists:
#
#   ALL_TARGETS   things `make all` builds
#   UNIT_TESTS    host test executables (built with ASan/UBSan); each prints a
#                 Check summary or "N passed, N failed" and exits non-zero on
#                 failure
#   TEST_SUITES   other test commands with the same contract (QEMU suites...)
#   BENCHES       commands `make bench` runs, in order
#   LINT_SRCS     C sources and headers held to clang-format and cppcheck
#
# Everything built goes under build/. Nothing here needs to be run from a
# particular directory but the top.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
# Keep intermediate objects (and keep make quiet about deleting them).
.SECONDARY:

BUILD      := build
ROOT       := $(CURDIR)

# Host code (tests, simulator, xenstore-lite, toolstack): C11, warnings as
# errors, ASan/UBSan in every test build.
HOST_CC      ?= gcc
HOST_CFLAGS  := -std=gnu11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all -MMD -MP
HOST_LDFLAGS := -fsanitize=address,undefined
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

QEMU       ?= qemu-system-x86_64

ALL_TARGETS :=
UNIT_TESTS  :=
TEST_SUITES :=
BENCHES     :=
LINT_SRCS   :=

# hyp/ comes last: it links sources other fragments name (SCHED_SRCS, PV_ABI_SRCS).
include $(filter-out hyp/rules.mk,$(sort $(wildcard */rules.mk) $(wildcard tests/*/rules.mk)))
include hyp/rules.mk

.PHONY: all deps test check bench lint run debug clean iso disk
all: $(ALL_TARGETS)

deps:
	@scripts/deps.sh

# `make test` = install what is missing, build everything, run every suite.
test: deps
	@$(MAKE) --no-print-directory check

check: all $(UNIT_TESTS)
	@tests/run-suites.sh $(UNIT_TESTS) tests/lint.sh $(TEST_SUITES)

lint:
	@LINT_SRCS="$(LINT_SRCS)" tests/lint.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@set -e; for b in $(BENCHES); do echo "=== bench $$b"; $$b; done

# A GRUB rescue image (BIOS, CD) booting Paravane by multiboot2 with
# Debian's kernel and dom0's initramfs (tests/boot/qemu-iso.sh boots it).
iso: deps
	@$(MAKE) --no-print-directory $(BUILD)/paravane.iso

# dom0's root filesystem as a disk image (ext4, label paravane-root) made
# from Debian's packages without root: build/disk/paravane-root.img.
disk: deps
	@$(MAKE) --no-print-directory $(BUILD)/disk/paravane-root.img

# Boot the hypervisor and dom0 on this terminal (SMP=, MEM=, HYP_ARGS=,
# MODULES= override; DISK=IMAGE boots dom0 from that disk through Debian's
# own initrd; see scripts/qemu-run.sh).
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/qemu-run.sh run

# The same machine stopped at its first instruction, under gdb.
debug: deps
	@$(MAKE) --no-print-directory hyp
	@scripts/qemu-run.sh debug

clean:
	rm -rf $(BUILD)

export LINT_SRCS
