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

# once NAME CMD...: one run; appends wall seconds to W_NAME and keeps the
# largest RSS (MiB) in M_NAME.
once() {
	local name=$1; shift
	warm
	/usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || { echo "$name failed:"; tail -5 "$OUT/$name.err"; exit 1; }
	local wall kb
	read -r wall kb < <(tail -1 "$OUT/time.txt")
	eval "W_$name+=\" $wall\"; (( kb / 1024 > \${M_$name:-0} )) && M_$name=$((kb / 1024)); true"
}
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The tools take turns, round after round: this machine's speed drifts by
# tens of percent over minutes (other tenants of the host), so each round
# compares tools under the same conditions, and the ratios are medians of
# the rounds' ratios.
tools=(wc debrief)
[ "$PEERS" != 0 ] && tools+=(python)
[ "$PEERS" = 1 ] && command -v jq >/dev/null 2>&1 && tools+=(jq)
[ "$PEERS" = 1 ] && ! command -v jq >/dev/null 2>&1 && echo "jq         not installed (apt-get install -y jq) - skipped"
echo "data: $DATA ($(du -sh "$DATA" | cut -f1)), $RUNS rounds, median wall time, peak RSS"
for round in $(seq "$RUNS"); do
	for tool in "${tools[@]}"; do
		case $tool in
		wc) once wc sh -c "find '$DATA/slack' '$DATA/alerts.jsonl' '$DATA/shell' -type f -print0 | xargs -0 cat | wc -l" ;;
		debrief) once debrief bin/debrief timeline --quiet --format jsonl --from 2000-01-01T00:00:00Z --to 2100-01-01T00:00:00Z "${inputs[@]}" ;;
		python) once python python3 "$SHARED/timeline.py" "$DATA" ;;
		jq) once jq sh "$SHARED/timeline_jq.sh" "$DATA" ;;
		esac
	done
	line="round $round:"
	for tool in "${tools[@]}"; do eval "line+=\" $tool \${W_$tool##* } s\""; done
	echo "$line"
done
for tool in "${tools[@]}"; do
	eval "walls=\$W_$tool; rss=\$M_$tool"
	med=$(median "$walls")
	printf '%-10s %8.2f s %8d MiB   (runs:%s)\n' "$tool" "$med" "$rss" "$walls"
	eval "T_$tool=$med"
done
# ratio A B: the median over rounds of A's time / B's time.
ratio() {
	local a b r=()
	eval "a=(\$W_$1); b=(\$W_$2)"
	for i in "${!a[@]}"; do r+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", x / y }')"); done
	median "${r[*]}"
}
echo "events: debrief $(wc -l <"$OUT/debrief.out")$( [ "$PEERS" != 0 ] && echo ", python $(wc -l <"$OUT/python.out")")"
printf 'debrief / wc -l:   %.2fx (target: at most 4x)\n' "$(ratio debrief wc)"
if [ "$PEERS" != 0 ]; then
	printf 'python / debrief:  %.1fx faster (target: at least 10x)\n' "$(ratio python debrief)"
	[ -n "${W_jq:-}" ] && printf 'jq / debrief:      %.1fx faster\n' "$(ratio jq debrief)"
fi
echo "debrief peak RSS:  ${M_debrief} MiB (target: under 300 MiB)"
