# vane, the toolstack CLI, built static for dom0's root filesystem.
VANE_OUT := $(BUILD)/toolstack
VANE_SRCS := toolstack/vane.c toolstack/cmd_info.c toolstack/cmd_list.c toolstack/cmd_introduce.c \
             toolstack/privcmd.c
# xenstore-lite's client library, compiled in (vane is one static binary).
VANE_XS_SRCS := xenstore-lite/client/xs_client.c
VANE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -Itoolstack -Ixenstore-lite/client

$(VANE_OUT)/vane: $(VANE_SRCS) $(VANE_XS_SRCS) toolstack/vane.h toolstack/privcmd.h \
                  xenstore-lite/client/xs_client.h toolstack/rules.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static)"
	@$(HOST_CC) $(VANE_CFLAGS) -o $@ $(VANE_SRCS) $(VANE_XS_SRCS)

ALL_TARGETS += $(VANE_OUT)/vane
LINT_SRCS += $(VANE_SRCS) toolstack/vane.h toolstack/privcmd.h
