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

need_host=$(missing_host)
need_arm64=
[ -f "$STAMP" ] || need_arm64=yes

if [ -z "$need_host" ] && [ -z "$need_arm64" ]; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	[ -n "$need_host" ] && echo "missing packages:" $need_host
	[ -n "$need_arm64" ] && echo "missing arm64 target packages under $ARM64_DIR"
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
	touch "$STAMP"
fi
echo "deps: done"
