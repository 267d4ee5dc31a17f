#!/bin/sh
# Install everything Basalt needs on Debian 12, from Debian's packages only.
#
# Host packages come from apt-get. Packages for the arm64 target that cannot
# be co-installed with their host versions (libfdt-dev, gnu-efi) and the
# arm64 guest kernel/busybox are downloaded with `apt-get download` and
# unpacked under build/deps/arm64 (never into the repo).
#
# Idempotent: when everything is present it returns in well under a second.
# Usage: scripts/deps.sh [--check]   (--check: only report, exit 1 if missing)
set -eu

cd "$(dirname "$0")/.."
DEPS_DIR=build/deps
ARM64_DIR=$DEPS_DIR/arm64
STAMP=$ARM64_DIR/.stamp-v1
# The dom0 module (tools/linux) builds against Debian's arm64 kernel headers.
KHEADERS_STAMP=$ARM64_DIR/.stamp-kheaders-v1

HOST_PKGS="make gcc g++ git python3 python3-kconfiglib libcmocka-dev libfdt-dev
device-tree-compiler gnu-efi gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
qemu-system-arm qemu-system-x86 qemu-efi-aarch64 ovmf bochs bochsbios vgabios
grub-common grub-pc-bin grub-efi-amd64-bin grub-efi-arm64-bin xorriso mtools
cppcheck clang-format"
ARM64_PKGS="libfdt-dev:arm64 gnu-efi:arm64 linux-image-arm64:arm64 busybox-static:arm64"

missing_host() {
	# dpkg-query prints one status per known package; count the installed ones.
	for p in $HOST_PKGS; do
		s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$s" = installed ] || echo "$p"
	done
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# A version-free name for the arm64 kernel, so tests survive Debian's updates.
link_kernel() {
	k=$(cd "$ARM64_DIR/boot" && ls vmlinuz-*-arm64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$k" ] && ln -sfn "$k" "$ARM64_DIR/boot/vmlinuz"
}
if [ -f "$STAMP" ] && [ ! -e "$ARM64_DIR/boot/vmlinuz" ]; then
	link_kernel
fi

need_host=$(missing_host)
need_arm64=
[ -f "$STAMP" ] || need_arm64=yes
need_kheaders=
[ -f "$KHEADERS_STAMP" ] || need_kheaders=yes

if [ -z "$need_host" ] && [ -z "$need_arm64" ] && [ -z "$need_kheaders" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	[ -n "$need_host" ] && echo "missing packages:" $need_host
	[ -n "$need_arm64" ] && echo "missing arm64 target packages under $ARM64_DIR"
	[ -n "$need_kheaders" ] && echo "missing arm64 kernel headers under $ARM64_DIR"
	exit 1
fi

echo "deps: installing what is missing (Debian packages only)"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	as_root dpkg --add-architecture arm64
fi
as_root apt-get update -q
if [ -n "$need_host" ]; then
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need_host
fi

if [ -n "$need_arm64" ]; then
	rm -rf "$ARM64_DIR" && mkdir -p "$ARM64_DIR/debs"
	# Resolve the kernel metapackage to the real image package.
	kernel=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-/ {print $2; exit}')
	(cd "$ARM64_DIR/debs" && apt-get download libfdt-dev:arm64 gnu-efi:arm64 busybox-static:arm64 "$kernel")
	for deb in "$ARM64_DIR"/debs/*.deb; do
		dpkg-deb -x "$deb" "$ARM64_DIR"
	done
	link_kernel
	touch "$STAMP"
fi

# Kernel headers for the dom0 module: the arm64 flavour's headers and the
# common (all) headers for the same ABI as the kernel image, unpacked next to
# it; the host's linux-kbuild-6.1 of the same version supplies the build
# programs (fixdep, modpost) compiled for the build machine.
if [ ! -f "$KHEADERS_STAMP" ]; then
	kernel=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-/ {print $2; exit}')
	kabi=${kernel#linux-image-}; kabi=${kabi%%:*}; kabi=${kabi%-arm64}
	kver=$(apt-cache policy "linux-headers-$kabi-arm64:arm64" | awk '/Candidate:/ {print $2; exit}')
	kbuild=$(dpkg-query -W -f='${Version}' linux-kbuild-6.1 2>/dev/null || true)
	if [ "$kbuild" != "$kver" ]; then
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "linux-kbuild-6.1=$kver"
	fi
	mkdir -p "$ARM64_DIR/debs"
	(cd "$ARM64_DIR/debs" && apt-get download "linux-headers-$kabi-arm64:arm64" \
		"linux-headers-$kabi-common")
	for deb in "$ARM64_DIR"/debs/linux-headers-"$kabi"-*.deb; do
		dpkg-deb -x "$deb" "$ARM64_DIR"
	done
	# The flavour's Makefile includes the common tree by absolute path.
	hdr=$ARM64_DIR/usr/src/linux-headers-$kabi-arm64
	sed -i "s|^include /usr/src/|include $(pwd)/$ARM64_DIR/usr/src/|" "$hdr/Makefile"
	# Its scripts/ and tools/ are relative links into linux-kbuild-6.1: the host's.
	ln -sfn /usr/lib/linux-kbuild-6.1 "$ARM64_DIR/usr/lib/linux-kbuild-6.1"
	echo "$kabi" > "$ARM64_DIR/kernel-abi"
	touch "$KHEADERS_STAMP"
fi
echo "deps: done"
