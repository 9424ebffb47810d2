# sched/rules.mk - the schedulers, their host simulator, tests and bench.
#
# sched/core.c, credit.c and sedf.c are freestanding: built here with
# -ffreestanding -nostdinc (only the compiler's own stdint/stddef/stdbool,
# the Xen public headers and hypercall-abi/ are reachable), exactly as the
# hypervisor will build SCHED_SRCS. Three flavours of objects:
#   $(BUILD)/sched/host/  HOST_CFLAGS (ASan/UBSan): unit tests
#   $(BUILD)/sched/opt/   -O2, no sanitizers: sched-sim, sched-bench
# Only the Xen public headers are exposed, through a directory holding one
# symlink (xen -> /usr/include/xen), so <stdio.h> stays unreachable.

SCHED_SRCS := sched/core.c sched/credit.c sched/sedf.c
SCHED_HDRS := sched/env.h sched/sched.h sched/private.h
SCHED_SIM_LIB_SRCS := sched/sim/env.c sched/sim/scenario.c sched/sim/engine.c \
                      sched/sim/stats.c sched/sim/report.c sched/sim/gantt.c sched/sim/outfile.c

SCHED_XEN_INC := $(BUILD)/sched/xen-include
SCHED_ABI_CFLAGS := -isystem $(SCHED_XEN_INC) -Ihypercall-abi/include -D__XEN_TOOLS__
SCHED_FREE_CFLAGS := -ffreestanding -nostdinc -isystem $(shell $(HOST_CC) -print-file-name=include) \
                     $(SCHED_ABI_CFLAGS)
SCHED_OPT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -MMD -MP

SCHED_HOST_OBJS := $(patsubst sched/%.c,$(BUILD)/sched/host/%.o,$(SCHED_SRCS) $(SCHED_SIM_LIB_SRCS))
SCHED_OPT_OBJS := $(patsubst sched/%.c,$(BUILD)/sched/opt/%.o,$(SCHED_SRCS) $(SCHED_SIM_LIB_SRCS))

$(SCHED_XEN_INC)/xen:
	@mkdir -p $(SCHED_XEN_INC)
	ln -sfn /usr/include/xen $@

# Freestanding scheduler objects.
$(BUILD)/sched/host/%.o: sched/%.c | $(SCHED_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(SCHED_FREE_CFLAGS) -c $< -o $@
$(BUILD)/sched/opt/%.o: sched/%.c | $(SCHED_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(HOST_CC) $(SCHED_OPT_CFLAGS) $(SCHED_FREE_CFLAGS) -c $< -o $@

# Hosted simulator objects (libc, libm, floating point allowed).
$(BUILD)/sched/host/sim/%.o: sched/sim/%.c | $(SCHED_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(SCHED_ABI_CFLAGS) -c $< -o $@
$(BUILD)/sched/opt/sim/%.o: sched/sim/%.c | $(SCHED_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(HOST_CC) $(SCHED_OPT_CFLAGS) $(SCHED_ABI_CFLAGS) -c $< -o $@

$(BUILD)/sched/sched-sim: $(SCHED_OPT_OBJS) $(BUILD)/sched/opt/sim/main.o
	$(HOST_CC) -o $@ $^ -lm

$(BUILD)/sched/sched-bench: $(SCHED_OPT_OBJS) $(BUILD)/sched/opt/sim/bench.o
	$(HOST_CC) -o $@ $^ -lm

# xentrace-convert: a trace in xentrace's format into CSV and the Gantt
# chart the simulator draws (sched/sim/xentrace.c), for the host, and
# static for dom0's root filesystem.
$(BUILD)/sched/xentrace-convert: $(BUILD)/sched/opt/sim/xentrace.o $(BUILD)/sched/opt/sim/gantt.o \
                                $(BUILD)/sched/opt/sim/outfile.o
	$(HOST_CC) -o $@ $^
$(BUILD)/sched/xentrace-convert-static: sched/sim/xentrace.c sched/sim/gantt.c sched/sim/outfile.c \
                                       sched/sim/sim.h \
                                       sched/rules.mk | $(SCHED_XEN_INC)/xen
	@echo "  HOSTCC  $@ (static)"
	@$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O2 $(SCHED_ABI_CFLAGS) -static -o $@ \
	    sched/sim/xentrace.c sched/sim/gantt.c sched/sim/outfile.c

# Unit tests (Check), one executable per scheduler plus the core.
SCHED_TESTS := core credit sedf stress
SCHED_TEST_BINS := $(patsubst %,$(BUILD)/tests/sched/check_%,$(SCHED_TESTS))

$(BUILD)/tests/sched/%.o: tests/sched/%.c | $(SCHED_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(SCHED_ABI_CFLAGS) -Isched -Isched/sim -c $< -o $@
$(BUILD)/tests/sched/check_%: $(BUILD)/tests/sched/check_%.o $(BUILD)/tests/sched/helpers.o \
                              $(SCHED_HOST_OBJS)
	$(HOST_CC) -o $@ $^ $(HOST_LDFLAGS) $(CHECK_LIBS) -lm

-include $(wildcard $(BUILD)/sched/*/*.d $(BUILD)/sched/*/*/*.d $(BUILD)/tests/sched/*.d)

# make experiment: the scenarios on the hypervisor itself beside the
# simulator (sched/real/experiment.sh; EXPERIMENT=name runs one). Long:
# not part of make test.
.PHONY: experiment
experiment: deps
	@$(MAKE) --no-print-directory all
	@sched/real/experiment.sh

.PHONY: experiment-sim
experiment-sim: $(BUILD)/sched/sched-sim
	sched/sim/experiments.sh $(BUILD)/sched/sched-sim sched/scenarios $(BUILD)/experiments

# The workloads of the experiments, static programs for a Linux guest's
# initramfs (sched/workloads/): vw-hog, vw-periodic, vw-probe.
WORKLOADS := hog periodic probe
WORKLOAD_BINS := $(patsubst %,$(BUILD)/workloads/vw-%,$(WORKLOADS))
$(BUILD)/workloads/vw-%: sched/workloads/%.c sched/rules.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static)"
	@$(HOST_CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static -o $@ $<

ALL_TARGETS += $(WORKLOAD_BINS)
LINT_SRCS += $(patsubst %,sched/workloads/%.c,$(WORKLOADS))

ALL_TARGETS += $(BUILD)/sched/sched-sim $(BUILD)/sched/sched-bench $(BUILD)/sched/xentrace-convert \
               $(BUILD)/sched/xentrace-convert-static
UNIT_TESTS += $(SCHED_TEST_BINS)
TEST_SUITES += tests/sched/run-goldens.sh
BENCHES += $(BUILD)/sched/sched-bench
LINT_SRCS += $(SCHED_SRCS) $(SCHED_HDRS) $(SCHED_SIM_LIB_SRCS) sched/sim/sim.h sched/sim/main.c \
             sched/sim/bench.c sched/sim/xentrace.c $(wildcard tests/sched/*.c tests/sched/*.h) \
             hypercall-abi/include/paravane/sched_sedf.h

# Keep the test objects (make would delete them as intermediates).
.SECONDARY: $(SCHED_TEST_BINS:%=%.o) $(BUILD)/tests/sched/helpers.o
