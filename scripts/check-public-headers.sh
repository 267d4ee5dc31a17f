#!/bin/sh
# Compile every include/public/*.h stand-alone: C99 and C++ for the host,
# C99 with the arm64 cross compiler; and with -Wpadded on both arches, so no
# struct has padding the compiler inserted (every hole is an explicit _pad
# field): with fixed-width types that makes the layouts identical. Each header must need nothing but itself
# (and the headers it includes), so the toolstack and guests can use it as is.
# Usage: check-public-headers.sh [RESULTS_FILE]
# Writes "PASS|FAIL abi-headers:<compiler>" lines to RESULTS_FILE (if given)
# and exits non-zero when any header fails.
set -u
results=${1:-/dev/null}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# name | compiler and flags | source language
configs="c99-host|gcc -std=c99 -pedantic -Wall -Wextra -Werror|c
c++-host|g++ -std=c++11 -pedantic -Wall -Wextra -Werror|c++
c99-arm64|aarch64-linux-gnu-gcc -std=c99 -pedantic -Wall -Wextra -Werror|c
no-implicit-padding-host|gcc -std=c11 -Wpadded -Werror|c
no-implicit-padding-arm64|aarch64-linux-gnu-gcc -std=c11 -Wpadded -Werror|c"

echo "$configs" | while IFS='|' read -r name cc lang; do
	ok=1
	for h in include/public/*.h; do
		src="$tmp/$(basename "$h" .h).$lang"
		[ "$lang" = c++ ] && src="$tmp/$(basename "$h" .h).cpp"
		printf '#include "%s"\ntypedef int basalt_header_check_t;\n' "$PWD/$h" > "$src"
		if ! $cc -fsyntax-only "$src" > "$tmp/log" 2>&1; then
			echo "FAIL: $h ($name)"; cat "$tmp/log"; ok=0
		fi
	done
	if [ $ok = 1 ]; then
		echo "PASS abi-headers:$name" >> "$results"
	else
		echo "FAIL abi-headers:$name" >> "$results"; touch "$tmp/failed"
	fi
done
[ -e "$tmp/failed" ] && status=1
exit $status
