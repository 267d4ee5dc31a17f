#!/bin/sh
# mk-arm64-grub-esp.sh DIR IMAGE — an EFI system partition tree in DIR for
# QEMU's vvfat: GRUB arm64-efi (grub-mkstandalone, with a memdisk grub.cfg)
# as the removable-media loader, loading IMAGE with xen_hypervisor and two
# dummy modules with xen_module, as a Xen-on-arm install would.
set -eu
dir=$1
image=$2
mkdir -p "$dir/EFI/BOOT"
cp "$image" "$dir/basalt.bin"
printf 'dom0 kernel' > "$dir/dom0.bin"
printf 'dom0 initrd' > "$dir/initrd.bin"
cat > "$dir/../grub.cfg" <<'CFG'
set timeout=0
search --no-floppy --file --set=root /basalt.bin
echo "GRUB: loading Basalt with xen_hypervisor"
xen_hypervisor /basalt.bin loglvl=info
xen_module /dom0.bin console=hvc0 root=/dev/ram0
xen_module /initrd.bin
boot
CFG
grub-mkstandalone -O arm64-efi -o "$dir/EFI/BOOT/BOOTAA64.EFI" \
	--install-modules="xen_boot fdt search search_fs_file fat part_msdos part_gpt echo normal configfile" \
	--modules="part_msdos part_gpt fat" --locales= --fonts= --themes= \
	"boot/grub/grub.cfg=$dir/../grub.cfg"
