# Unit tests: the core (common/, sched/) built for the host against the fake
# arch in tests/unit/fake, with AddressSanitizer and UBSan, linked into one
# CMocka program per tests/unit/test_*.c.
#
# Core functions that share a name with the C library (snprintf, memcpy, ...)
# are renamed to basalt_* by fake/include/host-rename.h, so the tests exercise
# ours while cmocka and the sanitizers keep using the C library's.

ifeq ($(ARCH),host)

include scripts/collect.mk
# Included as a makefile: make creates it (defconfig) and restarts when missing.
-include $(O)/.config

HOST_CC ?= gcc
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fno-builtin \
	-fno-tree-loop-distribute-patterns $(SANITIZE) $(WARNINGS) \
	-Iinclude -Itests/unit/fake/include -Itests/unit -I$(O)/include \
	-include basalt/kconfig.h -include host-rename.h
UNIT_LDLIBS := -lcmocka

# Pure arch parsers (arch/*/lib: multiboot2, ACPI, ...) are host-tested too.
UNIT_ARCH_LIBS := $(patsubst %/Build.mk,%,$(wildcard arch/*/lib/Build.mk))
# ... and the HVM page-table builders (arch/x86/hvm/lib).
UNIT_ARCH_LIBS += $(patsubst %/Build.mk,%,$(wildcard arch/*/hvm/lib/Build.mk))
$(foreach d,common sched $(UNIT_ARCH_LIBS),$(eval $(call collect,$(d),$(O))))
core-objs := $(objs)
fake-objs := $(patsubst tests/unit/%.c,$(O)/tests/%.o,$(wildcard tests/unit/fake/*.c))
test-srcs := $(wildcard tests/unit/test_*.c)
test-bins := $(patsubst tests/unit/%.c,$(O)/tests/%,$(test-srcs))
# Helpers shared by several tests: tests/unit/helpers/*.c
helper-objs := $(patsubst tests/unit/%.c,$(O)/tests/%.o,$(wildcard tests/unit/helpers/*.c))

# Whole archive: objects known only through a linker section (CMDLINE_PARAM,
# SCHED_REGISTER) are referenced by nothing else and must still be linked.
$(O)/libcore.a: $(core-objs)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/%.o: %.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

$(O)/tests/%.o: tests/unit/%.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

# The reference C library wrappers must see the real names.
$(O)/tests/fake/libc_ref.o: tests/unit/fake/libc_ref.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) -std=gnu11 -g -O1 $(SANITIZE) $(WARNINGS) -Itests/unit/fake/include -c $< -o $@

$(O)/tests/test_%: $(O)/tests/test_%.o $(helper-objs) $(fake-objs) $(O)/libcore.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(SANITIZE) -o $@ $< $(helper-objs) $(fake-objs) \
		-Wl,--whole-archive $(O)/libcore.a -Wl,--no-whole-archive $(UNIT_LDLIBS)

.SECONDARY:

unit-build: $(test-bins)

all: unit-build

-include $(core-objs:.o=.d) $(fake-objs:.o=.d) $(helper-objs:.o=.d) $(test-bins:=.d)

# The dom0 toolstack's host tests (tools/).
include tests/unit/tools/tools.mk
endif

# arm64 device-tree glue: arch/arm64/dt_platform.c on QEMU's DTBs
# (tests/unit/data), against the host's libfdt.
ifeq ($(ARCH),host)
$(O)/tests/arm64/dt_platform.o: arch/arm64/dt_platform.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@
$(O)/tests/test_dt_platform.o: $(wildcard tests/unit/data/*.dtb)
# test_acpi embeds the ACPI dumps (.incbin): rebuild when they change.
$(O)/tests/test_acpi.o: $(wildcard tests/unit/data/acpi-*.txt)
$(O)/tests/test_dt_platform: $(O)/tests/arm64/dt_platform.o
$(O)/tests/test_dt_platform: UNIT_LDLIBS := $(O)/tests/arm64/dt_platform.o $(O)/libcore.a -lfdt -lcmocka
endif

# arm64 UEFI memory-map glue: arch/arm64/efi_memmap.c.
ifeq ($(ARCH),host)
$(O)/tests/arm64/efi_memmap.o: arch/arm64/efi_memmap.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@
$(O)/tests/test_efi_memmap: $(O)/tests/arm64/efi_memmap.o
$(O)/tests/test_efi_memmap: UNIT_LDLIBS := $(O)/tests/arm64/efi_memmap.o $(O)/libcore.a -lcmocka
endif

# arm64 EL2 page-table builder: arch/arm64/pgtable.c (no system registers).
ifeq ($(ARCH),host)
$(O)/tests/arm64/pgtable.o: arch/arm64/pgtable.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_pgtable.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_pgtable: $(O)/tests/arm64/pgtable.o
$(O)/tests/test_pgtable: UNIT_LDLIBS := $(O)/tests/arm64/pgtable.o $(O)/libcore.a -lcmocka
endif

# arm64 stage-2 table builder: arch/arm64/stage2.c (no system registers).
ifeq ($(ARCH),host)
$(O)/tests/arm64/stage2.o: arch/arm64/stage2.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_stage2.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_stage2: $(O)/tests/arm64/stage2.o
$(O)/tests/test_stage2: UNIT_LDLIBS := $(O)/tests/arm64/stage2.o $(O)/libcore.a -lcmocka
endif

# arm64 MMIO syndrome decoding: arch/arm64/vmmio.c.
ifeq ($(ARCH),host)
$(O)/tests/arm64/vmmio.o: arch/arm64/vmmio.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_vmmio.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_vmmio: $(O)/tests/arm64/vmmio.o
$(O)/tests/test_vmmio: UNIT_LDLIBS := $(O)/tests/arm64/vmmio.o $(O)/libcore.a -lcmocka
endif

# arm64 dom0 device tree: arch/arm64/dom0_fdt.c on QEMU's DTBs, host libfdt.
ifeq ($(ARCH),host)
$(O)/tests/arm64/dom0_fdt.o: arch/arm64/dom0_fdt.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/arm64/dom0_devices.o: arch/arm64/dom0_devices.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_dom0_fdt.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_dom0_fdt.o: $(wildcard tests/unit/data/*.dtb)
$(O)/tests/test_dom0_fdt: $(O)/tests/arm64/dom0_fdt.o $(O)/tests/arm64/dom0_devices.o
$(O)/tests/test_dom0_fdt: UNIT_LDLIBS := $(O)/tests/arm64/dom0_fdt.o $(O)/tests/arm64/dom0_devices.o \
	$(O)/libcore.a -lfdt -lcmocka
# Which host devices dom0 owns: arch/arm64/dom0_devices.c on QEMU's DTBs.
$(O)/tests/test_dom0_devices.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_dom0_devices.o: $(wildcard tests/unit/data/*.dtb)
$(O)/tests/test_dom0_devices: $(O)/tests/arm64/dom0_devices.o
$(O)/tests/test_dom0_devices: UNIT_LDLIBS := $(O)/tests/arm64/dom0_devices.o $(O)/libcore.a \
	-lfdt -lcmocka
endif

# arm64 guest ID registers: arch/arm64/id_regs.c (pure).
ifeq ($(ARCH),host)
$(O)/tests/arm64/id_regs.o: arch/arm64/id_regs.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_id_regs.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_id_regs: $(O)/tests/arm64/id_regs.o
$(O)/tests/test_id_regs: UNIT_LDLIBS := $(O)/tests/arm64/id_regs.o $(O)/libcore.a -lcmocka
endif

# arm64 vGICv3 SPI model: arch/arm64/vgic_spi.c.
ifeq ($(ARCH),host)
$(O)/tests/arm64/vgic_spi.o: arch/arm64/vgic_spi.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_vgic_spi.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_vgic_spi: $(O)/tests/arm64/vgic_spi.o
$(O)/tests/test_vgic_spi: UNIT_LDLIBS := $(O)/tests/arm64/vgic_spi.o $(O)/libcore.a -lcmocka
endif

# arm64 PL011 register model (the vPL011): arch/arm64/pl011_model.c.
ifeq ($(ARCH),host)
$(O)/tests/arm64/pl011_model.o: arch/arm64/pl011_model.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -Iarch/arm64/include -MMD -MP -c $< -o $@
$(O)/tests/test_pl011_model.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_pl011_model: $(O)/tests/arm64/pl011_model.o
$(O)/tests/test_pl011_model: UNIT_LDLIBS := $(O)/tests/arm64/pl011_model.o $(O)/libcore.a -lcmocka
endif

# Basalt's console PL011 driver against a model of QEMU's PL011 (fake MMIO).
ifeq ($(ARCH),host)
$(O)/tests/drivers/pl011.o: drivers/uart/pl011.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@
$(O)/tests/test_pl011_driver: $(O)/tests/drivers/pl011.o
$(O)/tests/test_pl011_driver: UNIT_LDLIBS := $(O)/tests/drivers/pl011.o $(O)/libcore.a -lcmocka
endif

# The vPL011's receive path: the PL011 model driving a vGIC SPI.
ifeq ($(ARCH),host)
$(O)/tests/test_vpl011_rx.o: UNIT_CFLAGS += -Iarch/arm64/include
$(O)/tests/test_vpl011_rx: $(O)/tests/arm64/pl011_model.o $(O)/tests/arm64/vgic_spi.o
$(O)/tests/test_vpl011_rx: UNIT_LDLIBS := $(O)/tests/arm64/pl011_model.o \
	$(O)/tests/arm64/vgic_spi.o $(O)/libcore.a -lcmocka
endif
