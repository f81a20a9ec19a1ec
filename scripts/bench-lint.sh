#!/bin/bash
# Side-by-side benchmark of `debrief lint` against Vale running the
# equivalent 20-rule blameless style (../shared/bench/vale), on the synthetic
# generator's postmortems (~1,500 words each).
#
#   scripts/bench-lint.sh               # 10,000 postmortems (118 MB), the issue's target
#   N=1000 scripts/bench-lint.sh        # 1,000
#   VALE=/path/to/vale scripts/bench-lint.sh
#
# Vale is built once with ../shared/bench/vale/install.sh (about 80 s) unless
# VALE points at one. Prints wall time and peak RSS of each, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared/bench}
N=${N:-10000}
RUNS=${RUNS:-3}
DATA=${DATA:-bench/data/pm$N}
OUT=bench/out
mkdir -p "$OUT" bench/bin

if [ ! -d "$DATA/postmortems" ]; then
	echo "generating $N postmortems into $DATA (once)..."
	python3 "$SHARED/gen_corpus.py" --out "$DATA" --only postmortems --postmortems "$N" >/dev/null
fi
VALE=${VALE:-bench/bin/vale}
if [ ! -x "$VALE" ]; then
	echo "building Vale into bench/bin (once, about 80 s)..."
	bash "$SHARED/vale/install.sh" bench/bin >/dev/null
fi
go build -o bin/debrief ./cmd/debrief

warm() { find "$DATA" -type f -exec cat {} + >/dev/null; }
measure() {
	local name=$1; shift
	local walls=() rss=0
	for _ in $(seq "$RUNS"); do
		warm
		# Both exit non-zero when they find something: that is their job.
		/usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || true
		read -r wall kb < <(tail -1 "$OUT/time.txt")
		walls+=("$wall")
		(( kb > rss )) && rss=$kb
	done
	local med
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	printf '%-10s %8.2f s %8d MiB\n' "$name" "$med" $((rss / 1024))
	eval "T_$name=$med; M_$name=$((rss / 1024))"
}

echo "data: $DATA ($(du -sh "$DATA" | cut -f1), $(ls "$DATA/postmortems" | wc -l) docs), $RUNS runs each, median wall time, peak RSS"
measure wc sh -c "cat '$DATA'/postmortems/* | wc -w"
measure debrief bin/debrief lint "$DATA/postmortems"
measure vale "$VALE" --config "$SHARED/vale/.vale.ini" --output line "$DATA/postmortems"
echo "findings: debrief $(wc -l <"$OUT/debrief.out"), vale $(wc -l <"$OUT/vale.out")"
awk -v d="$T_debrief" -v v="$T_vale" 'BEGIN { printf "vale / debrief:    %.1fx faster (target: at least 10x)\n", v / d }'
echo "debrief peak RSS:  ${M_debrief} MiB (target: under 200 MiB)"
