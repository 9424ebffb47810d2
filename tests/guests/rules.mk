# PV test kernels (tests/guests/), built freestanding for the guest ABI,
# and their QEMU suite.
GUEST_OUT := $(BUILD)/guests
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-pic -no-pie -static \
                -mcmodel=kernel -mno-red-zone -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fcf-protection=none -fno-toplevel-reorder -isystem $(BUILD)/hyp/include -Itests/guests \
                -Ihypercall-abi/include -MMD -MP
GUEST_LIB := tests/guests/lib/head.S tests/guests/lib/traps.S tests/guests/lib/lib.c \
             tests/guests/lib/traps.c
GUESTS := basic fpu crash fuzz console mm sched pair isolation ctl forger hostile xcons edges gntv2 failsafe stat hog periodic sysfast

define pv_guest
$(GUEST_OUT)/pvtest-$(1).elf: tests/guests/$(1).c $(GUEST_LIB) tests/guests/lib/guest.lds \
                              tests/guests/lib/pvtest.h tests/guests/lib/hypercall.h tests/guests/lib/pvmm.h tests/guests/lib/pvclock.h \
                              hypercall-abi/include/paravane/perfc.h tests/guests/rules.mk | $(BUILD)/hyp/include/xen
	@mkdir -p $$(@D)
	@echo "  GUEST   $$@"
	@$(HOST_CC) $(GUEST_CFLAGS) -Wl,-T,tests/guests/lib/guest.lds -Wl,--build-id=none \
	    -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -o $$@ tests/guests/$(1).c $(GUEST_LIB)
ALL_TARGETS += $(GUEST_OUT)/pvtest-$(1).elf
endef
$(foreach g,$(GUESTS),$(eval $(call pv_guest,$(g))))

TEST_SUITES += tests/guests/qemu-guests.sh
LINT_SRCS += tests/guests/basic.c tests/guests/fpu.c tests/guests/crash.c tests/guests/fuzz.c tests/guests/console.c tests/guests/mm.c tests/guests/sched.c tests/guests/pair.c tests/guests/isolation.c tests/guests/ctl.c tests/guests/forger.c tests/guests/hostile.c tests/guests/xcons.c tests/guests/edges.c tests/guests/gntv2.c tests/guests/failsafe.c tests/guests/stat.c tests/guests/hog.c tests/guests/periodic.c tests/guests/sysfast.c tests/guests/lib/lib.c tests/guests/lib/traps.c \
             tests/guests/lib/pvtest.h tests/guests/lib/hypercall.h tests/guests/lib/pvmm.h tests/guests/lib/pvclock.h

# make soak: the fuzzer guest for 10 million calls beside dom0 (soak.sh);
# long, so not part of make test.
.PHONY: soak
soak: all
	@tests/guests/soak.sh
