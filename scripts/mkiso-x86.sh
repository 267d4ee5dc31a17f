#!/bin/sh
# mkiso-x86.sh KERNEL OUT.iso [MODULE[:CMDLINE] ...]
# A GRUB rescue image (BIOS + x86_64-efi) that boots KERNEL with multiboot2,
# serial console only, no menu delay. Extra modules are passed to the kernel
# with their command lines. BASALT_CMDLINE sets the hypervisor command line.
set -eu
kernel=$1
out=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/basalt"
{
	echo 'serial --unit=0 --speed=115200'
	echo 'terminal_input serial'
	echo 'terminal_output serial'
	echo 'set timeout=0'
	echo 'menuentry "Basalt" {'
	echo "  multiboot2 /boot/basalt ${BASALT_CMDLINE:-}"
	n=0
	for m in "$@"; do
		file=${m%%:*}
		args=
		[ "$file" != "$m" ] && args=${m#*:}
		cp "$file" "$dir/boot/module$n"
		echo "  module2 /boot/module$n $args"
		n=$((n + 1))
	done
	echo '  boot'
	echo '}'
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >"$dir.log" 2>&1 || { cat "$dir.log"; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
