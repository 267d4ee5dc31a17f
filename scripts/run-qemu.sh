#!/bin/sh
# run-qemu.sh ARCH — boot the most complete Basalt system for ARCH in QEMU,
# serial console on this terminal. Extra QEMU arguments: QEMU_EXTRA="...";
# hypervisor command line: BASALT_CMDLINE="..."; arm64 dom0: GUEST=linux
# (default: Debian's kernel with the dom0 initramfs, `make -C tools dom0`)
# or GUEST=pv (the PV test guest); dom0 Linux's command line: DOM0_CMDLINE.
# QEMU's escape key is Ctrl-T (-echr 0x14), so Ctrl-A reaches Basalt (three
# of them move console input) and Ctrl-] reaches vmctl console: quit with
# Ctrl-T then X.
set -eu
arch=${1:-arm64}
cmdline=${BASALT_CMDLINE:-loglvl=info}
echo "Basalt on $arch in QEMU. Quit: Ctrl-T then X; Ctrl-A x3 switches console input.  (gdb: QEMU_EXTRA='-s -S', then"
echo "  gdb-multiarch build/$arch/basalt -ex 'target remote :1234')"
case "$arch" in
arm64)
	if [ "${GUEST:-linux}" = linux ]; then
		# dom0 is Linux: 2 vCPUs, 512 MiB, its initramfs lands in a shell
		# with vmctl ready. No -icount: it boots in seconds in real time.
		# No -no-reboot: dom0's `reboot` restarts the machine (Basalt
		# boots again); `poweroff` ends QEMU.
		dom0_cmdline=${DOM0_CMDLINE:-console=ttyAMA0 rdinit=/init}
		for f in build/tools/dom0-Image build/tools/dom0-initramfs; do
			[ -f "$f" ] || { echo "run-qemu.sh: no $f: make -C tools dom0" >&2; exit 1; }
		done
		# shellcheck disable=SC2086
		exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
			-cpu max,pauth-impdef=on -smp 2 -m 2G -nographic -echr 0x14 \
			-kernel build/arm64/basalt.bin \
			-append "$cmdline dom0_mem=512M dom0_vcpus=2" \
			-device guest-loader,addr=0x50000000,kernel=build/tools/dom0-Image,bootargs="$(echo "$dom0_cmdline" | sed 's/,/,,/g')" \
			-device guest-loader,addr=0x54000000,initrd=build/tools/dom0-initramfs \
			${QEMU_EXTRA:-}
	fi
	# dom0 is the PV test guest: it runs its checks
	# on 4 vCPUs over the 4 pCPUs, then powers the machine off. -icount gives
	# deterministic virtual time (see docs/SUPPORT.md for the known stall
	# without it).
	# shellcheck disable=SC2086
	exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
		-cpu max,pauth-impdef=on -smp 4 -m 2G -nographic -echr 0x14 -no-reboot \
		-kernel build/arm64/basalt.bin -append "$cmdline dom0_mem=16M dom0_vcpus=4" \
		-device guest-loader,addr=0x60000000,kernel=build/arm64/guests/arm64/pv-guest.bin \
		-icount shift=0,sleep=off ${QEMU_EXTRA:-}
	;;
x86_64)
	# dom0 is the PV test guest (SVM: -cpu max): it runs its checks on 4
	# vCPUs over the 2 pCPUs, then powers off, and Basalt powers the
	# machine off through ACPI S5, which ends QEMU. -icount as in the
	# x86-qemu-svm-guest scenario.
	make -s -C tests/guests/x86_64 O="$PWD/build/guests/x86_64"
	BASALT_CMDLINE="$cmdline dom0_mem=16M dom0_vcpus=4" scripts/mkiso-x86.sh \
		build/x86_64/basalt build/x86_64/basalt-run.iso \
		build/guests/x86_64/guest.bin:'pv test guest' >/dev/null
	# shellcheck disable=SC2086
	exec qemu-system-x86_64 -M q35 -cpu max -smp 2 -m 2G -nographic -echr 0x14 -no-reboot \
		-cdrom build/x86_64/basalt-run.iso -icount shift=0,sleep=off ${QEMU_EXTRA:-}
	;;
*)
	echo "run-qemu.sh: unknown arch '$arch'" >&2
	exit 2
	;;
esac
