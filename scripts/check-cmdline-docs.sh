#!/bin/sh
# Every command-line option in the code (CMDLINE_PARAM) has a section in
# docs/cmdline.md, and every section there names an option the code has.
# Usage: check-cmdline-docs.sh [results-file]
set -eu
cd "$(dirname "$0")/.."
results=${1:-/dev/null}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -rhoE 'CMDLINE_PARAM\("[a-z0-9_]+"' common arch sched drivers |
	sed -E 's/.*"(.*)"/\1/' | sort -u > "$tmp/code"
grep -oE '^### `[a-z0-9_]+' docs/cmdline.md | sed 's/^### `//' | sort -u > "$tmp/docs"
missing=$(comm -23 "$tmp/code" "$tmp/docs" | tr '\n' ' ')
stale=$(comm -13 "$tmp/code" "$tmp/docs" | tr '\n' ' ')
[ -z "$missing" ] || echo "options without a section in docs/cmdline.md: $missing"
[ -z "$stale" ] || echo "docs/cmdline.md sections for options the code lacks: $stale"
if [ -z "$missing$stale" ]; then
	echo "PASS lint:cmdline-docs" >> "$results"
else
	echo "FAIL lint:cmdline-docs" >> "$results"
	exit 1
fi
