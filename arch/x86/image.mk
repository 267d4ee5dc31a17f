# x86 boot media: a GRUB rescue ISO (BIOS and EFI) booting basalt via multiboot2.
arch-images := $(O)/basalt.iso

$(O)/basalt.iso: $(IMAGE) scripts/mkiso-x86.sh
	@echo "  ISO     $@"
	$(Q)scripts/mkiso-x86.sh $(IMAGE) $@
