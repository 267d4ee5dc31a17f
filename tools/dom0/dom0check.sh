#!/bin/sh
# Health of dom0 Linux on Basalt (issue 7's Linux boot test). init runs it
# when the kernel command line has basalt.dom0check, then powers off. One
# line per check, then "dom0check: PASS" or "dom0check: FAIL (n)".
fails=0
ok() { echo "dom0check: ok - $*"; }
bad() {
	echo "dom0check: FAIL - $*"
	fails=$((fails + 1))
}

ncpu=$(grep -c '^processor' /proc/cpuinfo)
if [ "$ncpu" -ge 2 ]; then ok "$ncpu CPUs in /proc/cpuinfo"; else bad "$ncpu CPUs in /proc/cpuinfo"; fi

# The arch timer's line: one count per CPU; every one must move within 2 s
# while a busy loop keeps that CPU out of tickless idle (the kernel is
# NO_HZ: an idle CPU may legitimately not tick for seconds).
timer_counts() { grep 'arch_timer' /proc/interrupts | head -1 | sed 's/^ *[0-9]*: *//'; }
busy=""
i=0
while [ "$i" -lt "$ncpu" ]; do
	taskset -c "$i" sh -c 'while :; do :; done' &
	busy="$busy $!"
	i=$((i + 1))
done
before=$(timer_counts)
sleep 2
after=$(timer_counts)
# shellcheck disable=SC2086
kill $busy
wait 2> /dev/null
i=1
ticking=0
while [ "$i" -le "$ncpu" ]; do
	b=$(echo "$before" | awk -v i="$i" '{print $i}')
	a=$(echo "$after" | awk -v i="$i" '{print $i}')
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -gt "$b" ]; then
		ticking=$((ticking + 1))
	else
		echo "dom0check: CPU $((i - 1)) timer $b -> $a"
	fi
	i=$((i + 1))
done
if [ "$ticking" -eq "$ncpu" ] && [ "$ncpu" -ge 1 ]; then
	ok "arch timer ticking on all $ncpu CPUs"
else
	bad "arch timer ticking on $ticking of $ncpu CPUs"
fi

dmesg > /tmp/dmesg.txt
bad_lines=$(grep -E 'Kernel panic|BUG:|Oops|WARNING:|SError|rcu: INFO|Unable to handle' /tmp/dmesg.txt)
if [ -z "$bad_lines" ]; then ok "dmesg healthy"; else bad "dmesg: $bad_lines"; fi

if grep -q '^basalt ' /proc/modules && grep -q 'basalt: hypervisor interface' /tmp/dmesg.txt; then
	ok "basalt.ko loaded: $(grep -o 'basalt: hypervisor interface.*' /tmp/dmesg.txt)"
else
	bad "basalt.ko not loaded"
fi

if vmctl list > /tmp/list.txt 2>&1 && grep -q 'Domain-0' /tmp/list.txt; then
	ok "vmctl list shows Domain-0"
	cat /tmp/list.txt
else
	bad "vmctl list: $(head -2 /tmp/list.txt)"
fi

if [ "$fails" -eq 0 ]; then echo "dom0check: PASS"; else echo "dom0check: FAIL ($fails)"; fi
[ "$fails" -eq 0 ]
