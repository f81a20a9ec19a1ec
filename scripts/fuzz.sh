#!/bin/sh
# Runs every Fuzz function in the module for a short time each (default 10s):
# parsers of outside input must never panic.
#
# Go's fuzzer sometimes reports "context deadline exceeded" when -fuzztime
# ends while it is minimising a new interesting input: no input failed
# (none is written to testdata). That one outcome is run again once; any
# real failure (a "Failing input written" line) stops the script.
set -eu
cd "$(dirname "$0")/.."
t=${1:-10s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in $(grep -rl --include='*_test.go' '^func Fuzz' .); do
	dir=$(dirname "$f")
	for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
		echo "fuzz $dir $fn ($t)"
		for attempt in 1 2; do
			if go test -run '^$' -fuzz "^$fn\$" -fuzztime "$t" -fuzzminimizetime 2s "$dir" >"$log" 2>&1; then
				break
			fi
			if [ "$attempt" = 1 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
				echo "  (the fuzzer's deadline fell during a minimisation; running again)"
				continue
			fi
			cat "$log"
			exit 1
		done
	done
done
