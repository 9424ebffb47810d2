# The hypervisor: a freestanding ELF booted by multiboot (build/paravane.elf).
#
# Two link passes: the first image has an empty symbol table; its function
# symbols are then generated into the second (see tools/gensyms.sh and the
# .symtable section in the linker script).

HYP_CC      ?= gcc
HYP_LD      ?= ld
HYP_NM      ?= nm
HYP_OUT     := $(BUILD)/hyp
HYP_GCCINC  := $(shell $(HYP_CC) -print-file-name=include)

HYP_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-address-of-packed-member \
               -ffreestanding -nostdinc -isystem $(HYP_GCCINC) \
               -Ihyp/include -I$(HYP_OUT)/include \
               -Ihypercall-abi/include -D__XEN__ \
               -fpie -include hyp/include/visibility.h \
               -fno-stack-protector -fno-omit-frame-pointer \
               -fno-asynchronous-unwind-tables -fcf-protection=none \
               -mno-red-zone -mgeneral-regs-only -MMD -MP
HYP_AFLAGS  := -D__ASSEMBLY__ -nostdinc -Ihyp/include -I$(HYP_OUT)/include -MMD -MP
HYP_LDFLAGS := -m elf_x86_64 -nostdlib -static -n -z max-page-size=4096 -z noexecstack \
               --no-warn-rwx-segments --build-id=none

HYP_SRCS := \
    hyp/setup.c hyp/cmdline.c hyp/console.c hyp/multiboot.c hyp/keyhandler.c \
    hyp/timer.c hyp/smp.c hyp/symbols.c hyp/softirq.c hyp/guest_access.c \
    hyp/domain.c hyp/vcpu.c hyp/schedule.c hyp/sched_env.c hyp/boot_domains.c \
    hyp/dom_build.c hyp/kernel_unpack.c hyp/hypercall.c hyp/console_io.c hyp/console_ring.c hyp/version.c hyp/sched_op.c \
    hyp/event_channel.c hyp/guest_time.c hyp/vcpu_op.c hyp/domctl.c hyp/sysctl.c hyp/grant_table.c hyp/grant_v2.c \
    hyp/cpu_policy.c hyp/tsc_mode.c hyp/physdev.c hyp/pci.c hyp/ioport.c hyp/irq_pirq.c hyp/msi.c \
    hyp/platform_op.c \
    hyp/perfc.c hyp/trace.c \
    hyp/lib/string.c hyp/lib/vsnprintf.c hyp/lib/panic.c \
    hyp/mm/memmap.c hyp/mm/buddy.c hyp/mm/page_alloc.c hyp/mm/xmalloc.c \
    hyp/mm/page_type.c hyp/mm/pt_validate.c hyp/mm/pv_mmu.c hyp/mm/ptwr.c hyp/mm/m2p.c \
    hyp/mm/memory_op.c hyp/mm/mem_exchange.c hyp/mm/iomem.c hyp/mm/mmio_ro.c hyp/mm/tlbflush.c \
    hyp/drivers/uart16550.c \
    hyp/arch/x86_64/head.S hyp/arch/x86_64/trampoline.S hyp/arch/x86_64/entry.S \
    hyp/arch/x86_64/desc.c hyp/arch/x86_64/traps.c hyp/arch/x86_64/paging.c \
    hyp/arch/x86_64/acpi.c hyp/arch/x86_64/apic.c hyp/arch/x86_64/ioapic.c \
    hyp/arch/x86_64/tsc.c hyp/arch/x86_64/smpboot.c hyp/arch/x86_64/machine.c \
    hyp/arch/x86_64/rtc.c hyp/arch/x86_64/flushstat.c \
    hyp/arch/x86_64/usercopy.S hyp/arch/x86_64/syscall_fast.S hyp/arch/x86_64/bounce_fast.S \
    hyp/arch/x86_64/pv/context.c hyp/arch/x86_64/pv/traps.c hyp/arch/x86_64/pv/emulate.c \
    hyp/arch/x86_64/pv/cpuid.c hyp/arch/x86_64/pv/callbacks.c \
    hyp/arch/x86_64/pv/descriptor.c hyp/arch/x86_64/pv/debugreg.c hyp/arch/x86_64/pv/insn.c \
    hyp/arch/x86_64/pv/iopl.c hyp/arch/x86_64/pv/cr4.c

# Freestanding code shared with the host (scheduler library, PV image
# loader), built here with the hypervisor's flags.
HYP_EXT_SRCS := $(SCHED_SRCS) $(PV_ABI_SRCS)

# Files that include the scheduler library's headers see domctl.h, whose
# __XEN__ branch wants Xen's internal headers: they take the tools' view.
HYP_TOOLS_VIEW := $(HYP_OUT)/schedule.c.o $(HYP_OUT)/sched_env.c.o $(HYP_OUT)/domctl.c.o $(HYP_OUT)/sysctl.c.o \
                  $(HYP_OUT)/cpu_policy.c.o $(HYP_OUT)/tsc_mode.c.o $(HYP_OUT)/perfc.c.o $(HYP_OUT)/trace.c.o \
                  $(patsubst %,$(HYP_OUT)/ext/%.o,$(SCHED_SRCS))
$(HYP_TOOLS_VIEW): HYP_CFLAGS += -U__XEN__ -D__XEN_TOOLS__

HYP_OBJS := $(patsubst hyp/%,$(HYP_OUT)/%.o,$(HYP_SRCS)) \
            $(patsubst %,$(HYP_OUT)/ext/%.o,$(HYP_EXT_SRCS))

# The Xen public headers are reached as <xen/...> through a link, so no other
# host header directory is on the hypervisor's include path.
$(HYP_OUT)/include/xen:
	@mkdir -p $(@D)
	ln -sfn /usr/include/xen $@

$(HYP_OUT)/%.c.o: hyp/%.c | $(HYP_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c $< -o $@

$(HYP_OUT)/ext/%.c.o: %.c | $(HYP_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c $< -o $@

$(HYP_OUT)/%.S.o: hyp/%.S | $(HYP_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(HYP_CC) $(HYP_AFLAGS) -c $< -o $@

# (layout.h sets the stack alignment and addresses: a change must relink.)
$(HYP_OUT)/paravane.lds: hyp/arch/x86_64/paravane.lds.S hyp/include/asm/layout.h
	@mkdir -p $(@D)
	$(HYP_CC) -E -P -x c -Ihyp/include $< -o $@

$(HYP_OUT)/syms-empty.S: hyp/tools/gensyms.sh
	@mkdir -p $(@D)
	hyp/tools/gensyms.sh $(HYP_NM) >$@

$(HYP_OUT)/syms-empty.o: $(HYP_OUT)/syms-empty.S
	$(HYP_CC) -c $< -o $@

$(HYP_OUT)/paravane-pass1.elf: $(HYP_OBJS) $(HYP_OUT)/syms-empty.o $(HYP_OUT)/paravane.lds
	$(HYP_LD) $(HYP_LDFLAGS) -T $(HYP_OUT)/paravane.lds -o $@ $(HYP_OBJS) $(HYP_OUT)/syms-empty.o

$(HYP_OUT)/syms.S: $(HYP_OUT)/paravane-pass1.elf hyp/tools/gensyms.sh
	hyp/tools/gensyms.sh $(HYP_NM) $< >$@

$(HYP_OUT)/syms.o: $(HYP_OUT)/syms.S
	$(HYP_CC) -c $< -o $@

$(BUILD)/paravane.elf: $(HYP_OBJS) $(HYP_OUT)/syms.o $(HYP_OUT)/paravane.lds
	$(HYP_LD) $(HYP_LDFLAGS) -T $(HYP_OUT)/paravane.lds -o $@ $(HYP_OBJS) $(HYP_OUT)/syms.o
	@# The second pass must not move any function the table names.
	@$(HYP_NM) -n --defined-only $@ | awk '$$2 ~ /^[tT]$$/ && $$3 !~ /^\./ {print $$1, $$3}' | \
	    cmp -s - $(HYP_OUT)/paravane-pass1.elf.syms || \
	    { echo "symbol table pass moved functions" >&2; rm -f $@; exit 1; }

.PHONY: hyp
hyp: $(BUILD)/paravane.elf
ALL_TARGETS += $(BUILD)/paravane.elf

LINT_SRCS += $(filter %.c,$(HYP_SRCS)) $(wildcard hyp/include/*.h hyp/include/*/*.h)

# A change of flags rebuilds everything.
$(HYP_OBJS): hyp/rules.mk

-include $(HYP_OBJS:.o=.d)
