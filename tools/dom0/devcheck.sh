#!/bin/sh
# dom0 drives the host devices Basalt left it (issue 7): init runs this when
# the kernel command line has basalt.devcheck, then powers off. The boot
# test (tests/boot/scenarios/arm64-linux-dom0-devices.toml) attaches a
# virtio-blk disk on virtio-mmio and one on PCIe (each starting with a
# marker), and QEMU's edu PCI device. One line per check, then
# "devcheck: PASS" or "devcheck: FAIL (n)".
fails=0
ok() { echo "devcheck: ok - $*"; }
bad() {
	echo "devcheck: FAIL - $*"
	fails=$((fails + 1))
}

for m in virtio_mmio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
	insmod /lib/modules/extra/$m.ko || bad "insmod $m"
done
# Probing is asynchronous to insmod: give the disks a moment to appear.
disks() { set -- /sys/block/vd*; [ -e "$1" ] && echo $# || echo 0; }
i=0
while [ "$i" -lt 50 ] && [ "$(disks)" -lt 2 ]; do
	sleep 0.1
	i=$((i + 1))
done

# lspci, from sysfs: slot, vendor:device, class, IRQ.
edu=""
vblk_pci=""
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/vendor" ] || continue
	id="$(cat "$d/vendor"):$(cat "$d/device")"
	echo "devcheck: pci ${d##*/} [$id] class $(cat "$d/class") irq $(cat "$d/irq")"
	case "$id" in
	0x1234:0x11e8) edu=$d ;;
	0x1af4:0x1001 | 0x1af4:0x1042) vblk_pci=$d ;;
	esac
done
if [ -n "$edu" ]; then ok "PCI: edu at ${edu##*/}"; else bad "PCI: no edu device"; fi
if [ -n "$vblk_pci" ]; then ok "PCI: virtio-blk at ${vblk_pci##*/}"; else bad "PCI: no virtio-blk"; fi

# Each disk: its transport, its marker (read by the device's DMA), a
# sector written and read back past the page cache (DMA both ways).
check_disk() { # transport marker
	for b in /sys/block/vd*; do
		[ -e "$b" ] || continue
		dev=/dev/${b##*/}
		case "$(readlink -f "$b/device")" in
		*virtio_mmio* | *virtio-mmio*) t=mmio ;;
		*pci*) t=pci ;;
		*) t=other ;;
		esac
		[ "$t" = "$1" ] || continue
		got=$(dd if="$dev" bs=512 count=1 2> /dev/null | head -c ${#2})
		if [ "$got" != "$2" ]; then
			bad "$1 disk ${dev}: marker '$got'"
			return
		fi
		ok "virtio-blk on $1 ($dev) reads its marker $2"
		pat="basalt-dom0-dma-$1-$$"
		echo "$pat" | dd of="$dev" bs=512 seek=8 count=1 conv=sync,fsync 2> /dev/null
		sync
		echo 3 > /proc/sys/vm/drop_caches
		back=$(dd if="$dev" bs=512 skip=8 count=1 2> /dev/null | head -c ${#pat})
		if [ "$back" = "$pat" ]; then
			ok "virtio-blk on $1: a sector written and read back"
		else
			bad "virtio-blk on $1: wrote '$pat', read '$back'"
		fi
		return
	done
	bad "no virtio-blk disk on $1"
}
check_disk mmio BASALT-DOM0-MMIO-DISK
check_disk pci BASALT-DOM0-PCI-DISK

# The disks' interrupts: virtio-mmio's SPI (edge) and the PCI INTx line
# (level, no MSI without an ITS) both count.
grep virtio /proc/interrupts | while read -r line; do echo "devcheck: irq $line"; done
irq_count() { # Edge|Level: the virtio lines of that trigger, summed over CPUs
	grep virtio /proc/interrupts | grep "$1" |
		awk '{ for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) t += $i } END { print t + 0 }'
}
n=$(irq_count Edge)
if [ "$n" -gt 0 ]; then ok "virtio-mmio SPI (edge) counted $n"; else bad "virtio-mmio SPI did not count"; fi
n=$(irq_count Level)
if [ "$n" -gt 0 ]; then ok "PCI INTx (level) counted $n"; else bad "PCI INTx did not count"; fi
if grep -q -i 'msi' /proc/interrupts; then bad "MSI in use without an ITS"; fi

# edu: its identification register and a factorial, through BAR 0.
if [ -n "$edu" ]; then
	echo 1 > "$edu/enable"
	bar0=$(head -1 "$edu/resource" | awk '{ print $1 }')
	ident=$(devmem "$bar0" 32)
	if [ "$ident" = "0x010000ED" ]; then ok "edu BAR 0 at $bar0: ident $ident"; else bad "edu ident '$ident' at $bar0"; fi
	devmem $((bar0 + 8)) 32 5 > /dev/null
	i=0
	while [ "$i" -lt 20 ] && [ $(($(devmem $((bar0 + 0x20)) 32) & 1)) -ne 0 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	fact=$(devmem $((bar0 + 8)) 32)
	if [ "$((fact))" -eq 120 ]; then ok "edu computed 5! = 120"; else bad "edu 5! = '$fact'"; fi
fi

if [ "$fails" -eq 0 ]; then echo "devcheck: PASS"; else echo "devcheck: FAIL ($fails)"; fi
[ "$fails" -eq 0 ]
