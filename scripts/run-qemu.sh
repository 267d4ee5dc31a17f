#!/bin/sh
# run-qemu.sh ARCH — boot the most complete Basalt system for ARCH in QEMU,
# serial console on this terminal. Extra QEMU arguments: QEMU_EXTRA="...";
# hypervisor command line: BASALT_CMDLINE="...". Quit with Ctrl-A then X.
set -eu
arch=${1:-arm64}
cmdline=${BASALT_CMDLINE:-loglvl=info}
echo "Basalt on $arch in QEMU. Quit: Ctrl-A then X.  (gdb: QEMU_EXTRA='-s -S', then"
echo "  gdb-multiarch build/$arch/basalt -ex 'target remote :1234')"
case "$arch" in
arm64)
	# dom0 is the PV test guest (Linux dom0 comes later): it runs its checks
	# on 4 vCPUs over the 4 pCPUs, then powers the machine off. -icount gives
	# deterministic virtual time (see docs/SUPPORT.md for the known stall
	# without it).
	# shellcheck disable=SC2086
	exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
		-cpu max,pauth-impdef=on -smp 4 -m 2G -nographic -no-reboot \
		-kernel build/arm64/basalt.bin -append "$cmdline dom0_mem=16M dom0_vcpus=4" \
		-device guest-loader,addr=0x60000000,kernel=build/arm64/guests/arm64/pv-guest.bin \
		-icount shift=0,sleep=off ${QEMU_EXTRA:-}
	;;
x86_64)
	# shellcheck disable=SC2086
	exec qemu-system-x86_64 -M q35 -cpu max -smp 4 -m 2G -nographic -no-reboot \
		-cdrom build/x86_64/basalt.iso ${QEMU_EXTRA:-}
	;;
*)
	echo "run-qemu.sh: unknown arch '$arch'" >&2
	exit 2
	;;
esac
