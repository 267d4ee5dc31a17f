# The arm64 PV test guest (tests/guests): a raw binary loaded as dom0 by the
# boot scenario arm64-pv-guest. Built with the hypervisor (make ARCH=arm64).
ifeq ($(ARCH),arm64)
GUEST_O := $(O)/guests
GUEST_SRCS := tests/guests/arm64/start.S tests/guests/arm64/arch.c tests/guests/arm64/vdev.c \
	tests/guests/common/tests.c tests/guests/common/lib.c
GUEST_OBJS := $(patsubst tests/guests/%,$(GUEST_O)/%.o,$(GUEST_SRCS))
GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc -isystem \
	$(shell $(CROSS_COMPILE)gcc -print-file-name=include) -Iinclude \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-stack-protector -fno-pic \
	-Wall -Wextra -Werror -Wno-unused-parameter

$(GUEST_O)/%.o: tests/guests/%
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_O)/arm64/pv-guest.elf: $(GUEST_OBJS) tests/guests/arm64/guest.lds
	@echo "  GUESTLD $@"
	$(Q)$(CROSS_COMPILE)ld -nostdlib --no-warn-rwx-segments -T tests/guests/arm64/guest.lds -o $@ $(GUEST_OBJS)

$(GUEST_O)/arm64/pv-guest.bin: $(GUEST_O)/arm64/pv-guest.elf
	$(Q)$(CROSS_COMPILE)objcopy -O binary $< $@

all: $(GUEST_O)/arm64/pv-guest.bin
-include $(GUEST_OBJS:.o=.d)
endif
