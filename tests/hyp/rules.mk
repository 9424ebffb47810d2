# Host unit tests of the hypervisor's pure pieces: the same sources the
# hypervisor links, built hosted with ASan/UBSan.
HYPTEST_OUT := $(BUILD)/tests/hyp

define hyp_unit_test
$(HYPTEST_OUT)/$(1): tests/hyp/$(1).c $(2)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	@$(HOST_CC) $(HOST_CFLAGS) -Ihyp/include -o $$@ $$^ $(HOST_LDFLAGS) $(CHECK_LIBS)
UNIT_TESTS += $(HYPTEST_OUT)/$(1)
endef

$(eval $(call hyp_unit_test,test_buddy,hyp/mm/buddy.c))
$(eval $(call hyp_unit_test,test_cmdline,hyp/cmdline.c))
$(eval $(call hyp_unit_test,test_memmap,hyp/mm/memmap.c))
$(eval $(call hyp_unit_test,test_page_type,hyp/mm/page_type.c))

LINT_SRCS += tests/hyp/check_main.h tests/hyp/test_buddy.c tests/hyp/test_cmdline.c tests/hyp/test_memmap.c tests/hyp/test_page_type.c

-include $(wildcard $(HYPTEST_OUT)/*.d)
