# Building the hypervisor image for ARCH=arm64|x86_64 under $(O).
#
# Each source directory has a Build.mk that appends objects to obj-y
# (or obj-$(CONFIG_FOO)) and names its subdirectories in subdir-y, as Kbuild.

# Included as a makefile: make creates it (defconfig) and restarts when missing.
-include $(O)/.config

SRCARCH_arm64 := arm64
SRCARCH_x86_64 := x86
SRCARCH := $(SRCARCH_$(ARCH))

CROSS_COMPILE_arm64 := aarch64-linux-gnu-
CROSS_COMPILE_x86_64 :=
CROSS_COMPILE ?= $(CROSS_COMPILE_$(ARCH))
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

include scripts/collect.mk

KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-fno-common -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-strict-aliasing -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	$(WARNINGS) -D__BASALT__ \
	-Iinclude -Iarch/$(SRCARCH)/include -I$(O)/include \
	-include basalt/kconfig.h

# arm64: no FP/SIMD in hypervisor code (guests own those registers); strict
# alignment because the early code runs with the MMU off (Device memory).
KCFLAGS_arm64 := -mgeneral-regs-only -mstrict-align -mbranch-protection=none \
	-mno-outline-atomics
# x86-64: no red zone (interrupts use the stack), kernel code model (linked in
# the top 2 GiB), no FP/SIMD registers.
KCFLAGS_x86_64 := -m64 -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-mno-mmx -mno-sse -mno-sse2 -fcf-protection=none
KCFLAGS += $(KCFLAGS_$(ARCH))
KAFLAGS := $(filter-out -std=gnu11,$(KCFLAGS)) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -no-pie -z noexecstack -z max-page-size=4096 \
	--no-warn-rwx-segments

$(foreach d,common sched drivers arch/$(SRCARCH),$(eval $(call collect,$(d),$(O))))

IMAGE := $(O)/basalt
LDS := $(O)/basalt.lds

include arch/$(SRCARCH)/image.mk

all: $(IMAGE) $(arch-images)

$(O)/%.o: %.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(O)/%.o: %.S $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KAFLAGS) -MMD -MP -c $< -o $@

$(LDS): arch/$(SRCARCH)/basalt.lds.S $(O)/include/generated/autoconf.h
	$(Q)$(CC) $(KAFLAGS) -E -P -x c $< -o $@

$(IMAGE): $(objs) $(arch-libs) $(LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -T $(LDS) -Map $@.map -o $@ $(objs) $(arch-libs)

-include $(objs:.o=.d)
