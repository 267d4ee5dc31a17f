#!/bin/sh
# Init of the toolstack's stock-kernel scenario: Debian's arm64 kernel without
# Basalt underneath. The module must link into the stock kernel (insmod gets
# as far as its init, which refuses with ENODEV: no /hypervisor node), and the
# static arm64 vmctl must run and fail cleanly without /dev/basalt.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
echo "toolstack: insmod"
/bin/busybox insmod /basalt.ko
echo "toolstack: insmod-rc=$?"
/bin/busybox grep -q '^basalt ' /proc/modules && echo "toolstack: module stayed loaded"
/vmctl help > /tmp.help 2>&1
echo "toolstack: vmctl-help-rc=$? verbs=$(/vmctl verbs | /bin/busybox wc -l)"
/vmctl list
echo "toolstack: vmctl-list-rc=$?"
/vmctl create /nonexistent.cfg
echo "toolstack: vmctl-create-rc=$?"
echo "toolstack: done"
/bin/busybox poweroff -f
