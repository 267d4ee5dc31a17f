#!/bin/sh
# dom0_boot.sh — boot-to-shell time of Debian's arm64 Linux as dom0 on
# Basalt, beside the same kernel and initramfs booted natively in the same
# emulator (docs/perf.md). Deterministic virtual time: QEMU -icount
# shift=0,sleep=off (one instruction = 1 ns, idle time skipped), one CPU.
# The dom0 initramfs' init, under basalt.bench, prints the machine's
# virtual time (basalt-vtime: CNTVCT, offset 0 on both) where it would
# start the shell, then powers off. Run from the top of the tree after
# `make ARCH=arm64` and `make -C tools dom0`.
set -eu
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-600}
QEMU="qemu-system-aarch64 -cpu max,pauth-impdef=on -smp 1 -m 1024 -nographic -no-reboot -icount shift=0,sleep=off"
KCMD="console=ttyAMA0 rdinit=/init panic=-1 basalt.bench"

# "<machine time at the shell> <Linux's own clock at Run /init>"
shell_time() {
	awk '/Run \/init as init process/ { sub(/.*\[ */, ""); sub(/\].*/, ""); init = $0 }
	     /dom0: shell reached at/ { t = $NF } END { print t, init }'
}

native() {
	timeout "$TIMEOUT" $QEMU -M virt,gic-version=3 -kernel build/tools/dom0-Image \
		-initrd build/tools/dom0-initramfs -append "$KCMD" < /dev/null 2>&1 | shell_time
}

basalt() {
	timeout "$TIMEOUT" $QEMU -M virt,virtualization=on,gic-version=3 \
		-kernel build/arm64/basalt.bin -append "loglvl=info dom0_mem=256M dom0_vcpus=1 sched=credit" \
		-device guest-loader,addr=0x50000000,kernel=build/tools/dom0-Image,bootargs="$KCMD" \
		-device guest-loader,addr=0x54000000,initrd=build/tools/dom0-initramfs \
		< /dev/null 2>&1 | shell_time
}

for f in build/arm64/basalt.bin build/tools/dom0-Image build/tools/dom0-initramfs; do
	[ -f "$f" ] || { echo "dom0_boot.sh: no $f (make ARCH=arm64; make -C tools dom0)" >&2; exit 1; }
done
i=1
while [ "$i" -le "$RUNS" ]; do
	n=$(native)
	b=$(basalt)
	echo "$n $b" | awk -v i="$i" '{ printf "run %d: shell at %s s native, %s s on Basalt (ratio %.2f); " \
		"Linux clock at /init %s s native, %s s on Basalt\n", i, $1, $3, $3 / $1, $2, $4 }'
	i=$((i + 1))
done
