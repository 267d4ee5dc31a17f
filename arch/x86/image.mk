# x86 boot media: a GRUB rescue ISO (BIOS and EFI) booting basalt via multiboot2.
arch-images := $(O)/basalt.iso

$(O)/basalt.iso: $(IMAGE) scripts/mkiso-x86.sh
	@echo "  ISO     $@"
	$(Q)scripts/mkiso-x86.sh $(IMAGE) $@

# UEFI: basalt.efi, a GNU-EFI application carrying the image (arch/x86/efi/).
arch-images += $(O)/basalt.efi
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CFLAGS := -std=gnu11 -O2 -I$(EFI_INC) -I$(EFI_INC)/x86_64 -fpic -fshort-wchar \
	-mno-red-zone -fno-stack-protector -ffreestanding -fno-strict-aliasing \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-pointer-sign
# The low 32 bits of an image symbol (the shell's arithmetic is signed 64-bit).
sym = $$(nm $(IMAGE) | awk '$$3 == "$(1)" { print "0x" substr($$1, 9) }')

$(O)/basalt.bin: $(IMAGE)
	$(Q)$(OBJCOPY) -O binary $< $@

$(O)/efi/loader.o: arch/x86/efi/loader.c
	@mkdir -p $(dir $@)
	@echo "  EFICC   $<"
	$(Q)gcc $(EFI_CFLAGS) -c $< -o $@

$(O)/efi/blob.o: arch/x86/efi/blob.S $(O)/basalt.bin
	@mkdir -p $(dir $@)
	$(Q)gcc -c -DBASALT_BIN='"$(O)/basalt.bin"' \
		-DBASALT_MEMSZ=$$(( $(call sym,_end) - $(call sym,_start) )) \
		-DBASALT_EFI_ENTRY=$$(( $(call sym,_start_efi64) - 0x80000000 )) $< -o $@

$(O)/basalt.efi: $(O)/efi/loader.o $(O)/efi/blob.o
	@echo "  EFI     $@"
	$(Q)ld -nostdlib -znocombreloc -T $(EFI_LIB)/elf_x86_64_efi.lds -shared -Bsymbolic \
		-L$(EFI_LIB) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@.so -lefi -lgnuefi
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 --subsystem=10 $@.so $@
