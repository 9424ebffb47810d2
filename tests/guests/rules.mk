# PV test kernels (tests/guests/), built freestanding for the guest ABI,
# and their QEMU suite.
GUEST_OUT := $(BUILD)/guests
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-pic -no-pie -static \
                -mcmodel=kernel -mno-red-zone -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fcf-protection=none -fno-toplevel-reorder -isystem $(BUILD)/hyp/include -Itests/guests \
                -Ihypercall-abi/include -MMD -MP
GUEST_LIB := tests/guests/lib/head.S tests/guests/lib/traps.S tests/guests/lib/lib.c \
             tests/guests/lib/traps.c
GUESTS := basic fpu crash fuzz console mm sched pair isolation ctl forger hostile xcons edges gntv2 failsafe stat hog periodic dtboot \
          sysfast bouncefast

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

# Device trees of boot-time domains for guest-dt-domains, written by
# `vane mkboot`; in dt-broken.dtb the tag after the node name "broken" is
# overwritten with 7, a tag no tree has.
GUEST_DT_CFGS := tests/guests/dt/domU1.cfg tests/guests/dt/domU2.cfg
$(GUEST_OUT)/dt-two.dtb: $(GUEST_DT_CFGS) $(BUILD)/toolstack/vane
	@mkdir -p $(@D)
	@echo "  MKBOOT  $@"
	@$(BUILD)/toolstack/vane mkboot -m 3 -o $@ $(GUEST_DT_CFGS) >/dev/null
$(GUEST_OUT)/dt-sedf.dtb: tests/guests/dt/sedf.cfg $(BUILD)/toolstack/vane
	@mkdir -p $(@D)
	@echo "  MKBOOT  $@"
	@$(BUILD)/toolstack/vane mkboot -m 2 -o $@ $< >/dev/null
$(GUEST_OUT)/dt-broken.dtb: tests/guests/dt/broken.cfg $(BUILD)/toolstack/vane
	@mkdir -p $(@D)
	@echo "  MKBOOT  $@ (then corrupted)"
	@$(BUILD)/toolstack/vane mkboot -m 3 -o $@.tmp $< >/dev/null
	@at=$$(grep -obUa broken $@.tmp | head -1 | cut -d: -f1); test -n "$$at" && \
	    printf '\000\000\000\007' | dd of=$@.tmp bs=1 seek=$$((at + 8)) conv=notrunc status=none
	@mv $@.tmp $@
ALL_TARGETS += $(GUEST_OUT)/dt-two.dtb $(GUEST_OUT)/dt-broken.dtb $(GUEST_OUT)/dt-sedf.dtb

TEST_SUITES += tests/guests/qemu-guests.sh
LINT_SRCS += tests/guests/basic.c tests/guests/fpu.c tests/guests/crash.c tests/guests/fuzz.c tests/guests/console.c tests/guests/mm.c tests/guests/sched.c tests/guests/pair.c tests/guests/isolation.c tests/guests/ctl.c tests/guests/forger.c tests/guests/hostile.c tests/guests/xcons.c tests/guests/edges.c tests/guests/gntv2.c tests/guests/failsafe.c tests/guests/stat.c tests/guests/hog.c tests/guests/periodic.c tests/guests/dtboot.c \
             tests/guests/sysfast.c tests/guests/bouncefast.c tests/guests/lib/lib.c tests/guests/lib/traps.c \
             tests/guests/lib/pvtest.h tests/guests/lib/hypercall.h tests/guests/lib/pvmm.h tests/guests/lib/pvclock.h

# make soak: the fuzzer guest for 10 million calls beside dom0 (soak.sh);
# long, so not part of make test.
.PHONY: soak
soak: all
	@tests/guests/soak.sh
