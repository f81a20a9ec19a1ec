#!/bin/bash
# Side-by-side benchmark of `debrief timeline --format jsonl` against the
# tools a team would otherwise use (../shared/bench: a Python script and a jq
# pipeline) and the read floor (wc -l), on the synthetic generator's data.
#
#   scripts/bench.sh                 # 100k messages (218 MB)
#   SIZE=1000000 scripts/bench.sh    # 1M messages (2.1 GB), the issue's target
#   PEERS=0 scripts/bench.sh         # Debrief and wc only
#   PEERS=python scripts/bench.sh    # without jq (it takes minutes)
#
# Prints wall time and peak RSS of each, and the ratios. Machines are noisy:
# compare ratios from one run, not absolute times across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared/bench}
SIZE=${SIZE:-100000}
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
DATA=${DATA:-bench/data/m$SIZE}
OUT=bench/out
mkdir -p "$OUT"

if [ ! -d "$DATA/slack" ]; then
	echo "generating $SIZE messages into $DATA (once)..."
	python3 "$SHARED/gen_corpus.py" --out "$DATA" --messages "$SIZE" >/dev/null
fi
go build -o bin/debrief ./cmd/debrief

inputs=("$DATA/slack" "$DATA/alerts.jsonl" "$DATA"/shell/*)
warm() { find "$DATA" -type f -exec cat {} + >/dev/null; }

# measure NAME CMD...: median wall seconds over RUNS and max RSS (MiB).
measure() {
	local name=$1; shift
	local walls=() rss=0
	for _ in $(seq "$RUNS"); do
		warm
		/usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || { echo "$name failed:"; tail -5 "$OUT/$name.err"; return 1; }
		read -r wall kb < <(tail -1 "$OUT/time.txt")
		walls+=("$wall")
		(( kb > rss )) && rss=$kb
	done
	local med
	med=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	printf '%-10s %8.2f s %8d MiB\n' "$name" "$med" $((rss / 1024))
	eval "T_$name=$med; M_$name=$((rss / 1024))"
}

echo "data: $DATA ($(du -sh "$DATA" | cut -f1)), $RUNS runs each, median wall time, peak RSS"
measure wc sh -c "find '$DATA/slack' '$DATA/alerts.jsonl' '$DATA/shell' -type f -print0 | xargs -0 cat | wc -l"
measure debrief bin/debrief timeline --quiet --format jsonl --from 2000-01-01T00:00:00Z --to 2100-01-01T00:00:00Z "${inputs[@]}"
if [ "$PEERS" != 0 ]; then
	measure python python3 "$SHARED/timeline.py" "$DATA"
fi
if [ "$PEERS" = 1 ]; then
	if command -v jq >/dev/null 2>&1; then
		measure jq sh "$SHARED/timeline_jq.sh" "$DATA"
	else
		echo "jq         not installed (apt-get install -y jq) - skipped"
	fi
fi
echo "events: debrief $(wc -l <"$OUT/debrief.out")$( [ "$PEERS" != 0 ] && echo ", python $(wc -l <"$OUT/python.out")")"
awk -v d="$T_debrief" -v w="$T_wc" 'BEGIN { printf "debrief / wc -l:   %.2fx (target: at most 4x)\n", d / w }'
if [ "$PEERS" != 0 ]; then
	awk -v d="$T_debrief" -v p="$T_python" 'BEGIN { printf "python / debrief:  %.1fx faster (target: at least 10x)\n", p / d }'
	[ -n "${T_jq:-}" ] && awk -v d="$T_debrief" -v p="$T_jq" 'BEGIN { printf "jq / debrief:      %.1fx faster\n", p / d }'
fi
echo "debrief peak RSS:  ${M_debrief} MiB (target: under 300 MiB)"
