# vane, the toolstack CLI, built static for dom0's root filesystem.
VANE_OUT := $(BUILD)/toolstack

# The xl.cfg parser (toolstack/cfg/xlcfg.h): pure code, a static library
# for vane to link (-Itoolstack/cfg, $(XLCFG_LIB)); tests/toolstack builds
# the same sources with the sanitizers.
XLCFG_SRCS := $(addprefix toolstack/cfg/,lexer.c parse.c diag.c domain_config.c cpulist.c disk.c \
              vif.c units.c vdev.c)
XLCFG_HDRS := toolstack/cfg/xlcfg.h toolstack/cfg/private.h
XLCFG_LIB  := $(VANE_OUT)/libxlcfg.a
XLCFG_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP -Itoolstack/cfg

$(VANE_OUT)/cfg/%.o: toolstack/cfg/%.c toolstack/rules.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(XLCFG_CFLAGS) -c $< -o $@

$(XLCFG_LIB): $(XLCFG_SRCS:toolstack/cfg/%.c=$(VANE_OUT)/cfg/%.o)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

ALL_TARGETS += $(XLCFG_LIB)
LINT_SRCS += $(XLCFG_SRCS) $(XLCFG_HDRS)

-include $(wildcard $(VANE_OUT)/cfg/*.d)

# vane: its commands, lib/ (a small libxc and the PV builder, which drives
# hypercall-abi/'s loader and layout as the hypervisor's boot builder does),
# xenstore-lite's client library and the xl.cfg parser, in one binary.
VANE_SRCS := toolstack/vane.c toolstack/domains.c toolstack/cmd_info.c toolstack/cmd_list.c \
             toolstack/cmd_introduce.c toolstack/cmd_create.c toolstack/cmd_pause.c toolstack/cmd_shutdown.c \
             toolstack/cmd_domid.c toolstack/cmd_dmesg.c toolstack/cmd_uptime.c \
             toolstack/cmd_vcpu.c toolstack/cmd_sched.c toolstack/cmd_mem.c toolstack/cmd_top.c toolstack/cmd_devices.c toolstack/cmd_stat.c toolstack/cmd_trace.c \
             toolstack/cmd_mkboot.c \
             toolstack/privcmd.c \
             toolstack/lib/xc.c toolstack/lib/build.c toolstack/lib/xsdom.c toolstack/lib/names.c \
             toolstack/console.c toolstack/consoled.c toolstack/lib/evtchn.c toolstack/lib/gntdev.c \
             toolstack/lib/loopdev.c toolstack/lib/xsdev.c toolstack/lib/vbd.c toolstack/lib/vnet.c \
             toolstack/lib/devstats.c
VANE_XS_SRCS := xenstore-lite/client/xs_client.c
VANE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -Itoolstack -Itoolstack/lib \
               -Ixenstore-lite/client -Ihypercall-abi/include

$(VANE_OUT)/vane: $(VANE_SRCS) $(VANE_XS_SRCS) $(PV_ABI_SRCS) $(XLCFG_LIB) \
                  $(wildcard toolstack/lib/*.h) $(wildcard hypercall-abi/include/paravane/*.h) $(XLCFG_HDRS) toolstack/vane.h toolstack/privcmd.h \
                  xenstore-lite/client/xs_client.h toolstack/consoled_proto.h toolstack/rules.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static)"
	@$(HOST_CC) $(VANE_CFLAGS) -o $@ $(VANE_SRCS) $(VANE_XS_SRCS) $(PV_ABI_SRCS) $(XLCFG_LIB) -lfdt

ALL_TARGETS += $(VANE_OUT)/vane
LINT_SRCS += $(VANE_SRCS) toolstack/vane.h toolstack/privcmd.h toolstack/consoled_proto.h $(wildcard toolstack/lib/*.h)
