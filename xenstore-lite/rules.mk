# xenstore-lite: the xenstore daemon, its client library and CLI tools,
# and their tests and bench. Variables are prefixed XS_.
#
# Everything under $(BUILD)/xenstore-lite. The test build (HOST_CFLAGS:
# ASan/UBSan) is what `make all` and `make test` use; `make bench` also
# builds -O2 copies without sanitizers, so speed is measured on the code
# dom0 would run.

XS_SRC   := xenstore-lite
XS_OUT   := $(BUILD)/xenstore-lite
XS_TDIR  := tests/xenstore-lite
XS_TOUT  := $(BUILD)/tests/xenstore-lite
XS_URCU  := $(shell pkg-config --cflags liburcu-cds 2>/dev/null)
XS_LIBS  := $(shell pkg-config --libs liburcu-cds liburcu 2>/dev/null || echo -lurcu-cds -lurcu-common -lurcu) -lpthread
# The daemon asks the hypervisor about domains through vane's small libxc
# (toolstack/lib/xc.c) and maps rings with its gntdev wrapper
# (toolstack/lib/gntdev.c), built here as its own sources.
XS_XC_DIR := toolstack/lib
XS_CFLAGS := $(HOST_CFLAGS) $(XS_URCU) -I$(XS_SRC) -I$(XS_SRC)/client -I$(XS_XC_DIR)

# The daemon core: everything but main(), shared by the daemon, the unit
# tests and the fuzz target.
XS_CORE := wire tree perms view transaction watch ops handlers control conn unix ring domain daemon \
           dom0 filering xc gntdev
XS_CORE_OBJS := $(XS_CORE:%=$(XS_OUT)/obj/%.o)
XS_CLIENT_OBJS := $(XS_OUT)/obj/client/xs_client.o
XS_TOOLS := xenstore-read xenstore-write xenstore-ls xenstore-list xenstore-rm xenstore-watch \
            xenstore-chmod xenstore-exists

$(XS_OUT)/obj/%.o: $(XS_SRC)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_CFLAGS) -c $< -o $@

$(XS_OUT)/obj/%.o: $(XS_XC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_CFLAGS) -c $< -o $@

$(XS_OUT)/libxsd.a: $(XS_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(XS_OUT)/libxsclient.a: $(XS_CLIENT_OBJS)
	rm -f $@ && ar rcs $@ $^

$(XS_OUT)/xenstored: $(XS_OUT)/obj/xenstored.o $(XS_OUT)/libxsd.a
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@ $(XS_LIBS)

# One multi-call binary; the xenstore-* names are links to it.
$(XS_OUT)/xs: $(XS_OUT)/obj/tools/xs_tool.o $(XS_OUT)/libxsclient.a
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(XS_TOOLS:%=$(XS_OUT)/%): $(XS_OUT)/xs
	ln -sf xs $@

ALL_TARGETS += $(XS_OUT)/xenstored $(XS_OUT)/xs $(XS_TOOLS:%=$(XS_OUT)/%) \
               $(XS_OUT)/libxsclient.a

# --- optimised builds: dom0's static daemon, and the bench ----------------
# dom0 runs the daemon as a static binary (plain C + libc + liburcu); the
# bench measures the same optimised code, not the sanitizer build.
XS_OPT_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP $(XS_URCU) -I$(XS_SRC) -I$(XS_SRC)/client \
                 -I$(XS_XC_DIR)
XS_OPT_OBJS   := $(XS_CORE:%=$(XS_OUT)/opt/%.o)

$(XS_OUT)/opt/%.o: $(XS_SRC)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_OPT_CFLAGS) -c $< -o $@

$(XS_OUT)/opt/%.o: $(XS_XC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_OPT_CFLAGS) -c $< -o $@

$(XS_OUT)/opt/client/%.o: $(XS_SRC)/client/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_OPT_CFLAGS) -c $< -o $@

$(XS_OUT)/xenstored-static: $(XS_OUT)/opt/xenstored.o $(XS_OPT_OBJS)
	$(HOST_CC) -static $^ -o $@ -lurcu-cds -lurcu -lurcu-common -lpthread

# The tools for dom0's initramfs: the multi-call binary, static.
$(XS_OUT)/xs-static: $(XS_OUT)/opt/tools/xs_tool.o $(XS_OUT)/opt/client/xs_client.o
	$(HOST_CC) -static $^ -o $@

$(XS_OUT)/bench/xenstored: $(XS_OUT)/opt/xenstored.o $(XS_OPT_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $^ -o $@ $(XS_LIBS)

$(XS_OUT)/bench/xs_bench: $(XS_TDIR)/xs_bench.c $(XS_OUT)/opt/client/xs_client.o
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_OPT_CFLAGS) $^ -o $@ -lpthread

# Lets Debian's xenstored, the comparator, start without Xen (see the file).
$(XS_OUT)/bench/shim.so: $(XS_TDIR)/bench_shim.c
	@mkdir -p $(dir $@)
	$(HOST_CC) -O2 -fPIC -shared -Wall -Wextra -Werror $< -o $@ -ldl

ALL_TARGETS += $(XS_OUT)/xenstored-static $(XS_OUT)/xs-static $(XS_OUT)/bench/xenstored \
               $(XS_OUT)/bench/xs_bench $(XS_OUT)/bench/shim.so
BENCHES     += $(XS_TDIR)/bench.sh

# --- unit tests (Check) ---------------------------------------------------
XS_CHECK_SRCS := $(wildcard $(XS_TDIR)/check_*.c)
XS_CHECK_OBJS := $(XS_CHECK_SRCS:$(XS_TDIR)/%.c=$(XS_TOUT)/%.o) $(XS_TOUT)/harness.o

$(XS_TOUT)/%.o: $(XS_TDIR)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(XS_CFLAGS) -I$(XS_TDIR) -c $< -o $@

$(XS_TOUT)/xs_check: $(XS_CHECK_OBJS) $(XS_OUT)/libxsd.a $(XS_OUT)/libxsclient.a
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@ $(XS_LIBS) $(CHECK_LIBS)

UNIT_TESTS += $(XS_TOUT)/xs_check

# Golden wire transcripts: transcripts/NAME.in replayed must give NAME.ok.
$(XS_TOUT)/xs_transcript: $(XS_TOUT)/xs_transcript.o $(XS_TOUT)/harness.o $(XS_OUT)/libxsd.a
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@ $(XS_LIBS) $(CHECK_LIBS)

UNIT_TESTS += $(XS_TOUT)/xs_transcript

# Xen's clients (Debian's xenstore-utils) and ours against the daemon.
TEST_SUITES += $(XS_TDIR)/compat.sh

# Xen's own test program, test-xenstore, against the daemon.
TEST_SUITES += $(XS_TDIR)/test-xenstore.sh

# Differential test against Xen's own xenstored (see differential.sh).
$(XS_TOUT)/xs_replay: $(XS_TOUT)/xs_replay.o $(XS_OUT)/libxsclient.a
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(XS_TOUT)/differential: $(XS_TDIR)/differential.sh $(XS_TOUT)/xs_replay $(XS_OUT)/bench/shim.so \
                         $(XS_OUT)/xenstored
	cp $< $@

UNIT_TESTS += $(XS_TOUT)/differential

# --- in dom0 Linux on Paravane (QEMU) -------------------------------------
# dom0's initramfs with the static daemon and tools, running
# tests/linux/xenstore-check.sh: xenstored --dom0 serves dom0's own kernel
# xenbus over the ring, and the tools reach it over the socket and through
# the kernel's /dev/xen/xenbus. LINUX_KREL is tests/linux/rules.mk's.
XS_DOM0_CPIO := $(BUILD)/linux/dom0-xenstore.cpio.gz

$(XS_DOM0_CPIO): toolstack/rootfs/mkrootfs.sh toolstack/rootfs/init tests/linux/xenstore-check.sh \
                 $(XS_OUT)/xenstored-static $(XS_OUT)/xs-static
	@mkdir -p $(@D)
	@echo "  ROOTFS  $@"
	@toolstack/rootfs/mkrootfs.sh $@ $(LINUX_KREL) toolstack/rootfs/init \
	    $(XS_OUT)/xenstored-static:/usr/sbin/xenstored $(XS_OUT)/xs-static:/usr/bin/xs \
	    tests/linux/xenstore-check.sh:/bin/paravane-check

ALL_TARGETS += $(XS_DOM0_CPIO)
TEST_SUITES += tests/linux/qemu-xenstore.sh

# --- libFuzzer target over the request path (clang) ------------------------
XS_FUZZ_CC     := clang
XS_FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -MMD -MP -fno-omit-frame-pointer \
                  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                  $(XS_URCU) -I$(XS_SRC) -I$(XS_XC_DIR)
XS_FUZZ_OBJS   := $(XS_CORE:%=$(XS_TOUT)/fuzz/%.o) $(XS_TOUT)/fuzz/fuzz_request.o

$(XS_TOUT)/fuzz/%.o: $(XS_SRC)/%.c
	@mkdir -p $(dir $@)
	$(XS_FUZZ_CC) $(XS_FUZZ_CFLAGS) -c $< -o $@

$(XS_TOUT)/fuzz/%.o: $(XS_XC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(XS_FUZZ_CC) $(XS_FUZZ_CFLAGS) -c $< -o $@

$(XS_TOUT)/fuzz/fuzz_request.o: $(XS_TDIR)/fuzz_request.c
	@mkdir -p $(dir $@)
	$(XS_FUZZ_CC) $(XS_FUZZ_CFLAGS) -c $< -o $@

$(XS_TOUT)/xs_fuzz: $(XS_FUZZ_OBJS)
	$(XS_FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@ $(XS_LIBS)

# The suite runner runs UNIT_TESTS, which make builds first: the bounded
# fuzz run goes there as a copy of fuzz.sh next to the binary it drives.
$(XS_TOUT)/fuzz-30s: $(XS_TDIR)/fuzz.sh $(XS_TOUT)/xs_fuzz
	cp $< $@

UNIT_TESTS += $(XS_TOUT)/fuzz-30s

LINT_SRCS += $(wildcard $(XS_SRC)/*.c $(XS_SRC)/*.h $(XS_SRC)/client/*.[ch] $(XS_SRC)/tools/*.c \
               $(XS_TDIR)/*.c $(XS_TDIR)/*.h)

-include $(XS_TOUT)/xs_transcript.d $(XS_TOUT)/xs_replay.d $(XS_OPT_OBJS:.o=.d) $(XS_FUZZ_OBJS:.o=.d) $(XS_CORE_OBJS:.o=.d) $(XS_CHECK_OBJS:.o=.d) $(XS_OUT)/obj/xenstored.d \
         $(XS_CLIENT_OBJS:.o=.d) $(XS_OUT)/obj/tools/xs_tool.d $(XS_OUT)/opt/tools/xs_tool.d \
         $(XS_OUT)/opt/client/xs_client.d
