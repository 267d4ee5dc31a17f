# The arm64 PV test guest (tests/guests): raw binaries loaded as dom0 by the
# boot scenarios arm64-pv-*. Built with the hypervisor (make ARCH=arm64).
# One set of objects, linked once per suite with common/suite.c built for it:
# pv-guest.bin (every single-guest check), pv-interdomain.bin (boot test 2),
# pv-misbehave.bin (boot test 3), pv-bench.bin (tests/bench), pv-sched.bin
# (vCPU rounds for the runs without -icount).
ifeq ($(ARCH),arm64)
GUEST_O := $(O)/guests
GUEST_SRCS := tests/guests/arm64/start.S tests/guests/arm64/arch.c tests/guests/arm64/vdev.c \
	tests/guests/common/tests.c tests/guests/common/lib.c

GUEST_SRCS += tests/guests/common/builder.c tests/guests/common/interdomain.c \
	tests/guests/common/misbehave.c tests/guests/common/bench.c
GUEST_OBJS := $(patsubst tests/guests/%,$(GUEST_O)/%.o,$(GUEST_SRCS))
GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc -isystem \
	$(shell $(CROSS_COMPILE)gcc -print-file-name=include) -Iinclude \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-stack-protector -fno-pic \
	-Wall -Wextra -Werror -Wno-unused-parameter
GUEST_SUITES := guest:GUEST_SUITE_FULL interdomain:GUEST_SUITE_INTERDOMAIN \
	misbehave:GUEST_SUITE_MISBEHAVE bench:GUEST_SUITE_BENCH sched:GUEST_SUITE_SCHED
suite_name = $(word 1,$(subst :, ,$(1)))
suite_id = $(word 2,$(subst :, ,$(1)))

$(GUEST_O)/%.o: tests/guests/%
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

define guest_suite_rules
$(GUEST_O)/arm64/suite-$(call suite_name,$(1)).o: tests/guests/common/suite.c tests/guests/common/guest.h
	@mkdir -p $$(dir $$@)
	@echo "  GUESTCC $$@"
	$(Q)$(CROSS_COMPILE)gcc $(GUEST_CFLAGS) -DGUEST_SUITE=$(call suite_id,$(1)) -c $$< -o $$@

$(GUEST_O)/arm64/pv-$(call suite_name,$(1)).elf: $(GUEST_OBJS) $(GUEST_O)/arm64/suite-$(call suite_name,$(1)).o tests/guests/arm64/guest.lds
	@echo "  GUESTLD $$@"
	$(Q)$(CROSS_COMPILE)ld -nostdlib --no-warn-rwx-segments -T tests/guests/arm64/guest.lds -o $$@ $(GUEST_OBJS) $(GUEST_O)/arm64/suite-$(call suite_name,$(1)).o

$(GUEST_O)/arm64/pv-$(call suite_name,$(1)).bin: $(GUEST_O)/arm64/pv-$(call suite_name,$(1)).elf
	$(Q)$(CROSS_COMPILE)objcopy -O binary $$< $$@

all: $(GUEST_O)/arm64/pv-$(call suite_name,$(1)).bin
endef
$(foreach s,$(GUEST_SUITES),$(eval $(call guest_suite_rules,$(s))))
-include $(GUEST_OBJS:.o=.d)
endif
