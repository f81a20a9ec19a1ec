#!/bin/bash
# Compares two builds of debrief on the same timeline, in alternating runs
# (this VM's speed drifts within minutes, so runs back to back would compare
# conditions, not builds), and checks that their outputs are identical.
# Use an even N.
#
#   git stash; go build -o /tmp/a ./cmd/debrief; git stash pop
#   go build -o /tmp/b ./cmd/debrief
#   DATA=bench/data/m1000000 scripts/ab.sh /tmp/a /tmp/b 5
set -euo pipefail
A=$1 B=$2 N=${3:-5}
DATA=${DATA:-bench/data/m100000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=(timeline --quiet --format jsonl --from 2000-01-01T00:00:00Z --to 2100-01-01T00:00:00Z "$DATA/slack" "$DATA/alerts.jsonl" "$DATA"/shell/*)
one() { /usr/bin/time -f "%e %U %S" -a -o "$out/$1.time" "$2" "${args[@]}" >"$out/$1.out"; }
# Which build runs first alternates (A B, B A, A B, ...): the second of a
# pair measured slower by 5 to 8% on this VM whichever build it was.
for i in $(seq "$N"); do
	if ((i % 2)); then one a "$A"; one b "$B"; else one b "$B"; one a "$A"; fi
done
for x in a b; do
	awk -v n="$x" '{w[NR]=$1; c[NR]=$2+$3} END {asort(w); asort(c); m=int((NR+1)/2);
		printf "%s: wall median %.2f s (min %.2f)  cpu median %.2f s (min %.2f)\n", n, w[m], w[1], c[m], c[1]}' "$out/$x.time"
done
if cmp -s "$out/a.out" "$out/b.out"; then echo "outputs identical"; else echo "OUTPUTS DIFFER"; exit 1; fi
