# hypercall-abi/: the freestanding PV image loader and start-of-day layout
# code that the hypervisor's boot-domain builder and the toolstack's domU
# builder both link (see hypercall-abi/README.md).
#
# PV_ABI_SRCS is what hyp/ compiles with its own flags. Here the same files
# are built three ways: freestanding with the hypervisor's flags (a compile
# check that also refuses any undefined symbol but memcpy/memset), hosted
# with ASan/UBSan for the Check suites, and into the host tool pv-extract-elf.

# The decompressors (decompress/), one file a job: containers (xz, gzip,
# zstd frames), codecs (LZMA/LZMA2, DEFLATE, FSE, Huffman), filters and checks.
PV_DECOMP_SRCS := $(addprefix hypercall-abi/decompress/,decompress.c crc.c xxhash.c xz.c lzma2.c \
                  lzma.c bcj_x86.c gzip.c inflate.c zstd.c zstd_fse.c zstd_huf.c)
PV_DECOMP_HDRS := hypercall-abi/include/paravane/decompress.h hypercall-abi/decompress/private.h \
                  hypercall-abi/decompress/lzma.h hypercall-abi/decompress/zstd.h

PV_ABI_SRCS := hypercall-abi/pv_elf.c hypercall-abi/pv_layout.c hypercall-abi/pv_pagetable.c \
               hypercall-abi/bzimage.c hypercall-abi/fdt.c hypercall-abi/boot_fdt.c $(PV_DECOMP_SRCS)

PVABI_OUT    := $(BUILD)/hypercall-abi
PVABI_TOUT   := $(BUILD)/tests/hypercall-abi
PVABI_HDRS   := hypercall-abi/include/paravane/pv_image.h \
                hypercall-abi/include/paravane/pv_layout.h hypercall-abi/pv_lib.h \
                hypercall-abi/include/paravane/fdt.h hypercall-abi/include/paravane/boot_fdt.h
PVABI_GCCINC := $(shell $(HOST_CC) -print-file-name=include)

# The hypervisor's code-generation flags, so a construct it would reject
# fails here first. <xen/...> comes through a link, as in hyp/.
PVABI_FS_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdinc \
                   -isystem $(PVABI_GCCINC) -Ihypercall-abi/include -I$(PVABI_OUT)/include \
                   -D__XEN__ -fpie -fno-stack-protector -mno-red-zone -mgeneral-regs-only \
                   -fno-asynchronous-unwind-tables -MMD -MP
PVABI_HOST_CFLAGS := $(HOST_CFLAGS) -Ihypercall-abi/include

$(PVABI_OUT)/include/xen:
	@mkdir -p $(@D)
	ln -sfn /usr/include/xen $@

PVABI_FS_OBJS := $(patsubst hypercall-abi/%.c,$(PVABI_OUT)/freestanding/%.o,$(PV_ABI_SRCS))

$(PVABI_OUT)/freestanding/%.o: hypercall-abi/%.c | $(PVABI_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  CC (fs) $<"
	@$(HOST_CC) $(PVABI_FS_CFLAGS) -c $< -o $@

# Freestanding objects may only need what hyp/lib provides by name (linked
# together first: the decompressors' files call each other).
$(PVABI_OUT)/freestanding.ok: $(PVABI_FS_OBJS)
	@ld -r -o $(PVABI_OUT)/freestanding.o $^
	@undef=$$(nm -u $(PVABI_OUT)/freestanding.o | awk 'NF == 2 {print $$2}' | grep -vx -e memcpy -e memset | sort -u); \
	if [ -n "$$undef" ]; then echo "hypercall-abi: freestanding objects need: $$undef" >&2; exit 1; fi
	@touch $@

$(PVABI_OUT)/host/%.o: hypercall-abi/%.c | $(PVABI_OUT)/include/xen
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOST_CC) $(PVABI_HOST_CFLAGS) -c $< -o $@

PVABI_HOST_OBJS := $(patsubst hypercall-abi/%.c,$(PVABI_OUT)/host/%.o,$(PV_ABI_SRCS))
PV_DECOMP_HOST_OBJS := $(patsubst hypercall-abi/%.c,$(PVABI_OUT)/host/%.o,$(PV_DECOMP_SRCS))

# A small PV image with Xen notes, shaped like Linux's vmlinux.
PVABI_TEST_GUEST := $(PVABI_TOUT)/pvguest.elf

$(PVABI_TEST_GUEST): tests/hypercall-abi/pvguest.S tests/hypercall-abi/pvguest.lds
	@mkdir -p $(@D)
	@echo "  GUEST   $@"
	@$(HOST_CC) -nostdlib -nostartfiles -static -no-pie -Wl,-T,tests/hypercall-abi/pvguest.lds \
	    -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack \
	    -Wl,--no-warn-rwx-segments -o $@ $<

$(PVABI_TOUT)/%.o: tests/hypercall-abi/%.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOST_CC) $(PVABI_HOST_CFLAGS) -DPVABI_TEST_GUEST='"$(PVABI_TEST_GUEST)"' \
	    -DPVABI_DEBIAN_ELF='"$(BUILD)/guests/vmlinux-debian.elf"' \
	    -DPVABI_VMLINUZ='"$(PVABI_VMLINUZ)"' -DPVABI_MKBOOT_TREE='"$(BUILD)/guests/dt-two.dtb"' \
	    -DPVABI_MKBOOT_SEDF_TREE='"$(BUILD)/guests/dt-sedf.dtb"' \
	    -c $< -o $@

$(PVABI_TOUT)/check_pv_elf: $(PVABI_TOUT)/check_pv_elf.o $(PVABI_TOUT)/pvtest.o \
                            $(PVABI_OUT)/host/pv_elf.o | $(PVABI_TEST_GUEST)
	@echo "  LINK    $@"
	@$(HOST_CC) -o $@ $^ $(HOST_LDFLAGS) $(CHECK_LIBS)

PVABI_LAYOUT_OBJS := $(PVABI_TOUT)/pvtest.o $(PVABI_TOUT)/layoutcheck.o $(PVABI_OUT)/host/pv_elf.o \
                     $(PVABI_OUT)/host/pv_layout.o $(PVABI_OUT)/host/pv_pagetable.o

$(PVABI_TOUT)/check_pv_layout: $(PVABI_TOUT)/check_pv_layout.o $(PVABI_LAYOUT_OBJS) \
                               | $(PVABI_TEST_GUEST)
	@echo "  LINK    $@"
	@$(HOST_CC) -o $@ $^ $(HOST_LDFLAGS) $(CHECK_LIBS)

# Debian's kernel (built above) and /boot/vmlinuz-* itself.
$(PVABI_TOUT)/check_pv_debian: $(PVABI_TOUT)/check_pv_debian.o $(PVABI_LAYOUT_OBJS) \
                               $(PVABI_OUT)/host/bzimage.o $(PV_DECOMP_HOST_OBJS) \
                               | $(BUILD)/guests/vmlinux-debian.elf
	@echo "  LINK    $@"
	@$(HOST_CC) -o $@ $^ $(HOST_LDFLAGS) $(CHECK_LIBS)

# The decompressors against xz, gzip and zstd, on generated inputs, Debian's
# kernel and damaged streams.
$(PVABI_TOUT)/check_decompress: $(PVABI_TOUT)/check_decompress.o $(PVABI_TOUT)/pvtest.o \
                                $(PVABI_OUT)/host/bzimage.o $(PV_DECOMP_HOST_OBJS) \
                                | $(BUILD)/guests/vmlinux-debian.elf
	@echo "  LINK    $@"
	@$(HOST_CC) -o $@ $^ $(HOST_LDFLAGS) $(CHECK_LIBS)

# The device tree reader and boot-domain descriptions against Debian's
# libfdt (package libfdt-dev) as the oracle.
# (It also reads the tree `vane mkboot` writes for tests/guests.)
$(PVABI_TOUT)/check_fdt: $(PVABI_TOUT)/check_fdt.o $(PVABI_TOUT)/pvtest.o \
                         $(PVABI_OUT)/host/fdt.o $(PVABI_OUT)/host/boot_fdt.o \
                         | $(BUILD)/guests/dt-two.dtb $(BUILD)/guests/dt-sedf.dtb
	@echo "  LINK    $@"
	@$(HOST_CC) -o $@ $^ $(HOST_LDFLAGS) -lfdt $(CHECK_LIBS)

# Host tool that makes the PV ELF out of a bzImage, with the same decoders.
$(PVABI_OUT)/pv-extract-elf: hypercall-abi/tools/pv-extract-elf.c $(PVABI_OUT)/host/pv_elf.o \
                             $(PVABI_OUT)/host/bzimage.o $(PV_DECOMP_HOST_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(PVABI_HOST_CFLAGS) -I$(PVABI_OUT)/include -o $@ $^ $(HOST_LDFLAGS)

# Debian's stock kernel (package linux-image-amd64) as a PV ELF, for the
# tests that load an ELF module: the newest /boot/vmlinuz-*, unpacked on the
# host. (Cases that boot the bzImage itself use PVABI_VMLINUZ.)
PVABI_VMLINUZ := $(lastword $(shell ls -v /boot/vmlinuz-* 2>/dev/null))

$(BUILD)/guests/vmlinux-debian.elf: $(PVABI_VMLINUZ) $(PVABI_OUT)/pv-extract-elf
	@test -n "$(PVABI_VMLINUZ)" || \
	    { echo "no /boot/vmlinuz-*: run 'make deps' (linux-image-amd64)" >&2; exit 1; }
	@mkdir -p $(@D)
	@echo "  EXTRACT $(PVABI_VMLINUZ) -> $@"
	@$(PVABI_OUT)/pv-extract-elf $(PVABI_VMLINUZ) $@

ALL_TARGETS += $(PVABI_OUT)/freestanding.ok $(BUILD)/guests/vmlinux-debian.elf
UNIT_TESTS  += $(PVABI_TOUT)/check_pv_elf $(PVABI_TOUT)/check_pv_layout \
               $(PVABI_TOUT)/check_pv_debian $(PVABI_TOUT)/check_decompress $(PVABI_TOUT)/check_fdt

LINT_SRCS += $(PVABI_HDRS) $(PV_DECOMP_HDRS) $(PV_ABI_SRCS) hypercall-abi/tools/pv-extract-elf.c \
             tests/hypercall-abi/check_pv_layout.c tests/hypercall-abi/check_pv_debian.c \
             tests/hypercall-abi/layoutcheck.h tests/hypercall-abi/layoutcheck.c \
             tests/hypercall-abi/pvtest.h tests/hypercall-abi/pvtest.c \
             tests/hypercall-abi/check_pv_elf.c tests/hypercall-abi/check_decompress.c \
             tests/hypercall-abi/check_fdt.c

-include $(wildcard $(PVABI_OUT)/*/*.d $(PVABI_OUT)/*/*/*.d $(PVABI_TOUT)/*.d)
