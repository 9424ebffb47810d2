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
               -Ihyp/include -I$(HYP_OUT)/include -D__XEN__ \
               -fpie -fno-stack-protector -fno-omit-frame-pointer \
               -fno-asynchronous-unwind-tables -fcf-protection=none \
               -mno-red-zone -mgeneral-regs-only -MMD -MP
HYP_AFLAGS  := -D__ASSEMBLY__ -nostdinc -Ihyp/include -I$(HYP_OUT)/include -MMD -MP
HYP_LDFLAGS := -m elf_x86_64 -nostdlib -static -n -z max-page-size=4096 -z noexecstack \
               --no-warn-rwx-segments --build-id=none

HYP_SRCS := \
    hyp/setup.c hyp/cmdline.c hyp/console.c hyp/multiboot.c hyp/keyhandler.c \
    hyp/timer.c hyp/smp.c hyp/symbols.c \
    hyp/lib/string.c hyp/lib/vsnprintf.c hyp/lib/panic.c \
    hyp/mm/memmap.c hyp/mm/buddy.c hyp/mm/page_alloc.c hyp/mm/xmalloc.c \
    hyp/drivers/uart16550.c \
    hyp/arch/x86_64/head.S hyp/arch/x86_64/trampoline.S hyp/arch/x86_64/entry.S \
    hyp/arch/x86_64/desc.c hyp/arch/x86_64/traps.c hyp/arch/x86_64/paging.c \
    hyp/arch/x86_64/acpi.c hyp/arch/x86_64/apic.c hyp/arch/x86_64/ioapic.c \
    hyp/arch/x86_64/tsc.c hyp/arch/x86_64/smpboot.c hyp/arch/x86_64/machine.c

HYP_OBJS := $(patsubst hyp/%,$(HYP_OUT)/%.o,$(HYP_SRCS))

# The Xen public headers are reached as <xen/...> through a link, so no other
# host header directory is on the hypervisor's include path.
$(HYP_OUT)/include/xen:
	@mkdir -p $(@D)
	ln -sfn /usr/include/xen $@

$(HYP_OUT)/%.c.o: hyp/%.c | $(HYP_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c $< -o $@

$(HYP_OUT)/%.S.o: hyp/%.S | $(HYP_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(HYP_CC) $(HYP_AFLAGS) -c $< -o $@

$(HYP_OUT)/paravane.lds: hyp/arch/x86_64/paravane.lds.S
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

-include $(HYP_OBJS:.o=.d)
