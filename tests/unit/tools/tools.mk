# Host unit tests of the dom0 toolstack (tools/): libvmctl against the fake
# hypervisor transport, the builder (image header, layout, device tree parsed
# back with libfdt), config files and vmctl's argument handling. Built with
# ASan+UBSan into build/host/tests/test_tools_*, so check-unit runs them.
# Included from tests/unit/unit.mk (ARCH=host).

TOOLS_TEST_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer $(SANITIZE) $(WARNINGS) \
	-Wno-unused-parameter -Iinclude -Itools/libvmctl -Itools/linux/uapi -Itools/vmctl \
	-Itests/unit -DVMCTL_WITH_FAKE -DVMCTL_NO_MAIN
tools-objs := $(patsubst %.c,$(O)/%.o,$(wildcard tools/libvmctl/*.c tools/vmctl/*.c))
tools-test-srcs := $(wildcard tests/unit/tools/test_*.c)
tools-test-bins := $(patsubst tests/unit/tools/%.c,$(O)/tests/%,$(tools-test-srcs))

$(O)/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(TOOLS_TEST_CFLAGS) -MMD -MP -c $< -o $@

$(O)/tests/tools/%.o: tests/unit/tools/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(TOOLS_TEST_CFLAGS) -MMD -MP -c $< -o $@

$(O)/libtools.a: $(tools-objs)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/tests/test_tools_%: $(O)/tests/tools/test_tools_%.o $(O)/libtools.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(SANITIZE) -o $@ $< $(O)/libtools.a -lfdt -lcmocka

# vmctl itself on the fake (VMCTL_FAKE=FILE), for scripts such as
# tools/dom0/selftest.sh (test_tools_selftest runs it).
$(O)/tools/vmctl-main.o: tools/vmctl/main.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $< (with main)"
	$(Q)$(HOST_CC) $(filter-out -DVMCTL_NO_MAIN,$(TOOLS_TEST_CFLAGS)) -MMD -MP -c $< -o $@

$(O)/tools/bin/vmctl: $(O)/tools/vmctl-main.o $(O)/libtools.a
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(SANITIZE) -o $@ $< $(O)/libtools.a -lfdt

unit-build: $(tools-test-bins) $(O)/tools/bin/vmctl

-include $(tools-objs:.o=.d) $(patsubst $(O)/tests/%,$(O)/tests/tools/%.d,$(tools-test-bins))
