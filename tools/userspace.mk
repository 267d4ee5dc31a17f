# tools/ user space: libvmctl and vmctl, for the host (tests, fake transport)
# and for arm64 dom0 (static, against the arm64 libfdt in build/deps/arm64).
# Included by tools/Makefile; tests/unit/tools/tools.mk reuses TOOLS_*.

TOOLS_WARN := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wvla \
	-Wimplicit-fallthrough -Wundef -Wformat=2
TOOLS_CFLAGS := -std=gnu11 -g -O2 $(TOOLS_WARN) -I$(ROOT)/include -I$(ROOT)/tools/libvmctl \
	-I$(ROOT)/tools/linux/uapi -I$(ROOT)/tools/vmctl
LIB_SRCS := $(wildcard $(ROOT)/tools/libvmctl/*.c)
VMCTL_SRCS := $(wildcard $(ROOT)/tools/vmctl/*.c)
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all

# Host: sanitizers on; the fake hypervisor is linked in (VMCTL_FAKE=1).
HOST_OUT := $(OUT)/host
HOST_LIB_OBJS := $(patsubst $(ROOT)/tools/libvmctl/%.c,$(HOST_OUT)/libobj/%.o,$(LIB_SRCS))
HOST_VMCTL_OBJS := $(patsubst $(ROOT)/tools/vmctl/%.c,$(HOST_OUT)/obj/%.o,$(VMCTL_SRCS))

$(HOST_OUT)/libobj/%.o: $(ROOT)/tools/libvmctl/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $(notdir $<)"
	@gcc $(TOOLS_CFLAGS) $(SANITIZE) -DVMCTL_WITH_FAKE -MMD -MP -c $< -o $@

$(HOST_OUT)/obj/%.o: $(ROOT)/tools/vmctl/%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $(notdir $<)"
	@gcc $(TOOLS_CFLAGS) $(SANITIZE) -DVMCTL_WITH_FAKE -MMD -MP -c $< -o $@

$(HOST_OUT)/libvmctl.a: $(HOST_LIB_OBJS)
	@rm -f $@ && ar rcs $@ $^

$(HOST_OUT)/vmctl: $(HOST_VMCTL_OBJS) $(HOST_OUT)/libvmctl.a
	@echo "  HOSTLD  $@"
	@gcc $(SANITIZE) -o $@ $(HOST_VMCTL_OBJS) $(HOST_OUT)/libvmctl.a -lfdt

host: $(HOST_OUT)/vmctl

# arm64 dom0: static, no fake.
A64_OUT := $(OUT)/arm64
A64_SYSROOT := $(DEPS)/usr
A64_LIB_OBJS := $(patsubst $(ROOT)/tools/libvmctl/%.c,$(A64_OUT)/libobj/%.o,$(filter-out %/fake.c,$(LIB_SRCS)))
A64_VMCTL_OBJS := $(patsubst $(ROOT)/tools/vmctl/%.c,$(A64_OUT)/obj/%.o,$(VMCTL_SRCS))

$(A64_OUT)/libobj/%.o: $(ROOT)/tools/libvmctl/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $(notdir $<) (arm64)"
	@$(CROSS)gcc $(TOOLS_CFLAGS) -I$(A64_SYSROOT)/include -MMD -MP -c $< -o $@

$(A64_OUT)/obj/%.o: $(ROOT)/tools/vmctl/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $(notdir $<) (arm64)"
	@$(CROSS)gcc $(TOOLS_CFLAGS) -I$(A64_SYSROOT)/include -MMD -MP -c $< -o $@

$(A64_OUT)/vmctl: $(A64_VMCTL_OBJS) $(A64_LIB_OBJS)
	@test -f $(A64_SYSROOT)/lib/aarch64-linux-gnu/libfdt.a || { echo "no arm64 libfdt: run scripts/deps.sh"; exit 1; }
	@echo "  LD      $@ (arm64, static)"
	@$(CROSS)gcc -static -o $@ $^ $(A64_SYSROOT)/lib/aarch64-linux-gnu/libfdt.a

arm64: $(A64_OUT)/vmctl

-include $(HOST_LIB_OBJS:.o=.d) $(HOST_VMCTL_OBJS:.o=.d) $(A64_LIB_OBJS:.o=.d) $(A64_VMCTL_OBJS:.o=.d)
