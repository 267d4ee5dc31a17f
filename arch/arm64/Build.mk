obj-y += head.o entry.o setup.o mm.o mmu.o pgtable.o traps.o gic.o gic_v2.o gic_v3.o time.o smp.o selftest.o
obj-y += psci.o stack_chk.o dt_platform.o efi_memmap.o efi_stub.o
obj-y += stage2.o p2m.o guest.o vcpu.o traps_guest.o vmmio.o vgic.o vgic_spi.o vpl011.o pl011_model.o dom0_iomem.o
obj-y += dom0_fdt.o dom0_devices.o id_regs.o vsysreg_hw.o

# libfdt from Debian's libfdt-dev:arm64, unpacked by scripts/deps.sh. Only
# the device-tree glue sees its headers (and the <string.h>/<stdlib.h>
# shims libfdt_env.h wants).
ARM64_DEPS := build/deps/arm64/usr
FDT_INC := $(ARM64_DEPS)/include
FDT_LIB := $(ARM64_DEPS)/lib/aarch64-linux-gnu/libfdt.a
$(O)/arch/arm64/dt_platform.o: KCFLAGS += -Iarch/arm64/include/libc -I$(FDT_INC)
$(O)/arch/arm64/dom0_fdt.o: KCFLAGS += -Iarch/arm64/include/libc -I$(FDT_INC)
$(O)/arch/arm64/dom0_devices.o: KCFLAGS += -Iarch/arm64/include/libc -I$(FDT_INC)
