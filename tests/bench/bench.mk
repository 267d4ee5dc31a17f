# Built from the repository root (see Makefile here): the core, the fake arch
# and each tests/bench/*_bench.c, at -O2 without sanitizers.
O := build/host
BO := build/bench
Q ?= @

include scripts/collect.mk
-include $(O)/.config

CC := gcc
BENCH_CFLAGS := -std=gnu11 -O2 -g -fno-builtin -fno-tree-loop-distribute-patterns $(WARNINGS) \
	-Iinclude -Itests/unit/fake/include -Itests/unit -I$(O)/include \
	-include basalt/kconfig.h -include host-rename.h

$(foreach d,common sched,$(eval $(call collect,$(d),$(BO))))
core-objs := $(objs)
fake-objs := $(patsubst tests/unit/%.c,$(BO)/tests/%.o,$(wildcard tests/unit/fake/*.c))
benches := $(patsubst tests/bench/%.c,$(BO)/%,$(wildcard tests/bench/*_bench.c))

all: $(benches)

$(BO)/%.o: %.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  BENCHCC $<"
	$(Q)$(CC) $(BENCH_CFLAGS) -MMD -MP -c $< -o $@

$(BO)/tests/%.o: tests/unit/%.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  BENCHCC $<"
	$(Q)$(CC) $(BENCH_CFLAGS) -MMD -MP -c $< -o $@

$(BO)/tests/fake/libc_ref.o: tests/unit/fake/libc_ref.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O2 $(WARNINGS) -Itests/unit/fake/include -c $< -o $@

$(BO)/%_bench: $(BO)/tests/bench/%_bench.o $(fake-objs) $(core-objs)
	@echo "  BENCHLD $@"
	$(Q)$(CC) -o $@ $^

$(BO)/tests/bench/%.o: tests/bench/%.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  BENCHCC $<"
	$(Q)$(CC) $(BENCH_CFLAGS) -MMD -MP -c $< -o $@

.SECONDARY:
-include $(core-objs:.o=.d) $(fake-objs:.o=.d) $(benches:$(BO)/%=$(BO)/tests/bench/%.d)
