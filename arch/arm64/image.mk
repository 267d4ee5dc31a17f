# arm64 boot image: the Linux Image format (flat binary with its header).
arch-images := $(O)/basalt.bin

$(O)/basalt.bin: $(IMAGE)
	@echo "  IMAGE   $@"
	$(Q)$(OBJCOPY) -O binary $< $@
