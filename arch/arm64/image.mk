# arm64 boot image: the Linux Image format (flat binary with its header).
arch-images := $(O)/basalt.bin

# libfdt (FDT_LIB, set in Build.mk) is linked whole-archive-free: only
# the objects the device-tree glue needs come in.
arch-libs := $(FDT_LIB)

$(FDT_LIB):
	@echo "error: $@ is missing: run scripts/deps.sh (libfdt-dev:arm64)" >&2; exit 1

$(O)/basalt.bin: $(IMAGE)
	@echo "  IMAGE   $@"
	$(Q)$(OBJCOPY) -O binary $< $@
