# Check unit tests of the xl.cfg parser (toolstack/cfg/), built from its
# sources with ASan/UBSan; they also parse toolstack/examples/demo.cfg.
XLCFG_TOUT := $(BUILD)/tests/toolstack
# Named here, not through toolstack/rules.mk's XLCFG_SRCS: this fragment is
# read first, and prerequisites expand as they are read.
XLCFG_UNDER_TEST := $(wildcard toolstack/cfg/*.c)
XLCFG_UNDER_TEST_HDRS := $(wildcard toolstack/cfg/*.h)
XLCFG_TEST_SRCS := $(addprefix tests/toolstack/,check_main.c check_good.c check_syntax.c \
                   check_keys.c check_devices.c check_units.c)

$(XLCFG_TOUT)/check_xlcfg: $(XLCFG_TEST_SRCS) $(XLCFG_UNDER_TEST) tests/toolstack/cfg_test.h \
                           $(XLCFG_UNDER_TEST_HDRS) toolstack/examples/demo.cfg \
                           tests/toolstack/rules.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Itoolstack/cfg \
		-DDEMO_CFG='"$(ROOT)/toolstack/examples/demo.cfg"' \
		-o $@ $(XLCFG_TEST_SRCS) $(XLCFG_UNDER_TEST) $(HOST_LDFLAGS) $(CHECK_LIBS)

UNIT_TESTS += $(XLCFG_TOUT)/check_xlcfg
LINT_SRCS += $(XLCFG_TEST_SRCS) tests/toolstack/cfg_test.h

# vane mkboot's refusals and outputs (a shell suite over build/toolstack/vane).
TEST_SUITES += tests/toolstack/mkboot.sh
