#!/bin/sh
# Runs every Fuzz function in the module for a short time each (default 10s):
# parsers of outside input must never panic.
set -eu
cd "$(dirname "$0")/.."
t=${1:-10s}
for f in $(grep -rl --include='*_test.go' '^func Fuzz' .); do
	dir=$(dirname "$f")
	for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
		echo "fuzz $dir $fn ($t)"
		go test -run '^$' -fuzz "^$fn\$" -fuzztime "$t" -fuzzminimizetime 2s "$dir" >/tmp/debrief-fuzz.log 2>&1 || { cat /tmp/debrief-fuzz.log; exit 1; }
	done
done
