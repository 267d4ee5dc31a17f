#!/bin/sh
# mkesp-x86.sh EFI DIR [MODULE[:CMDLINE] ...]
# An EFI system partition tree in DIR booting basalt.efi as the default
# loader (\EFI\BOOT\BOOTX64.EFI), with basalt.cfg beside it: the first
# module is the dom0 kernel, the second its ramdisk. BASALT_CMDLINE sets the
# hypervisor options. QEMU boots it with -drive file=fat:rw:DIR,format=raw.
set -eu
efi=$1
dir=$2
shift 2
boot="$dir/EFI/BOOT"
mkdir -p "$boot"
cp "$efi" "$boot/BOOTX64.EFI"
{
	echo "options=${BASALT_CMDLINE:-}"
	n=0
	for m in "$@"; do
		file=${m%%:*}
		args=
		[ "$file" != "$m" ] && args=${m#*:}
		cp "$file" "$boot/module$n"
		case $n in
		0) key=kernel ;;
		1) key=ramdisk ;;
		*) key=module ;;
		esac
		echo "$key=module$n${args:+ $args}"
		n=$((n + 1))
	done
} > "$boot/basalt.cfg"
