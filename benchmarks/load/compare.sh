#!/usr/bin/env bash
# Throughput of several builds or settings of the service compared in the same stretch of time:
# all of them start at once, and each round drives them in turn, one short slot each (wrk,
# CONNECTIONS connections, DURATION seconds), the order rotated every round. Each one has the whole
# machine during its slot, as in production, and the slots of a round are seconds apart, so the
# shared VM's slow swings (±15 % from one run to the next) cancel in the ratio of their
# requests/s. The order is rotated, and reversed every other cycle of rotations, so that over
# 2 × (number of builds) rounds each build follows each other one equally often. Prints each round and, for every one after the first, the ratio of its requests/s to
# the first one's: median, mean and the mean's 95 % interval over the rounds.
#
# usage: benchmarks/load/compare.sh LABEL:DLL[:NAME=value,...] ...   (two or more; the first is the reference)
#   DLL: a build's Mappings.Service.dll (run.sh's: artifacts/load/build/bin/Mappings.Service/release/Mappings.Service.dll)
#   NAME=value: environment for that service only (e.g. ENABLE_STATS=false); commas separate several
#   ROUNDS=40 (best a multiple of 2 × the number of builds) DURATION=5 CONNECTIONS=16 WARMUP=15 BODY=processor|router OUT=artifacts/load/compare
#   LOCK=/tmp/bench.lock held for the whole run, as run.sh holds it, so benchmarks don't overlap
#   SHARED_DIR=../shared  where the conformance corpus is (the bodies are built from it, as run.sh does)
# example (what metrics cost, and the code before them):
#   dll=artifacts/load/build/bin/Mappings.Service/release/Mappings.Service.dll
#   benchmarks/load/compare.sh before:/tmp/old/Mappings.Service.dll off:$dll:ENABLE_STATS=false on:$dll
set -euo pipefail
set -f # no file-name expansion: NAME=value assignments are split on purpose, never globbed

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}
rounds=${ROUNDS:-40}
duration=${DURATION:-5}
connections=${CONNECTIONS:-16}
warmup=${WARMUP:-15}
body=${BODY:-processor}
out=${OUT:-$repo/artifacts/load/compare}
lock=${LOCK:-/tmp/bench.lock}

die() { echo "compare.sh: $*" >&2; exit 1; }
. "$here/common.sh"
path=$(path_of "$body")
[ $# -ge 2 ] || die "usage: compare.sh LABEL:DLL[:NAME=value,...] LABEL:DLL[:NAME=value,...] ... (two or more)"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be 1 or more"
require_tools wrk curl python3 dotnet flock
[ -d "$shared/conformance/corpus" ] || die "no conformance corpus at $shared/conformance/corpus (set SHARED_DIR)"

labels=() dlls=() envs=()
for spec in "$@"; do
  IFS=: read -r label dll assignments <<<"$spec"
  [[ $label =~ ^[A-Za-z0-9_.-]+$ ]] || die "'$spec': the label must be letters, digits, '_', '.' or '-'"
  for seen in "${labels[@]}"; do [ "$seen" != "$label" ] || die "the label '$label' is given twice"; done
  [ -f "$dll" ] || die "'$spec': no file $dll"
  for a in ${assignments//,/ }; do [[ $a =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]] || die "'$spec': '$a' is not NAME=value"; done
  labels+=("$label") dlls+=("$dll") envs+=("${assignments//,/ }")
done
count=${#labels[@]}

mkdir -p "$out" && out=$(cd "$out" && pwd)
python3 "$here/bodies.py" "$shared/conformance" "$out" >/dev/null

exec 9>"$lock"
flock -n 9 || { echo "waiting for $lock"; flock 9; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ports=()
for i in $(seq 0 $((count - 1))); do
  port=$(free_port)
  for p in "${ports[@]}"; do [ "$p" != "$port" ] || die "two services were given the same free port; run again"; done
  ports+=("$port")
  # shellcheck disable=SC2086 # the assignments are split on purpose
  env ${envs[$i]} PORT="$port" METRICS_PORT=0 dotnet "${dlls[$i]}" >"$out/${labels[$i]}.log" 2>&1 9>&- &
  pids+=($!)
done
for i in $(seq 0 $((count - 1))); do
  for _ in $(seq 150); do
    kill -0 "${pids[$i]}" 2>/dev/null || die "the service '${labels[$i]}' exited (see $out/${labels[$i]}.log)"
    curl -sf --max-time 10 "http://127.0.0.1:${ports[$i]}$path" -H 'Content-Type: application/json' --data-binary "@$out/$body.json" -o /dev/null && continue 2
    sleep 0.2
  done
  die "the service '${labels[$i]}' did not answer within 30 s (see $out/${labels[$i]}.log)"
done

rows=$out/rounds.tsv
printf 'round\t%s\n' "$(IFS=$'\t'; echo "${labels[*]}")" >"$rows"
for round in $(seq 0 "$rounds"); do
  seconds=$duration
  [ "$round" = 0 ] && seconds=$warmup
  line=() printed=()
  for k in $(seq 0 $((count - 1))); do
    # Rotated by the round; reversed in every other cycle of rotations.
    i=$(( (round + k) % count ))
    (( (round / count) % 2 == 1 )) && i=$(( (round + count - 1 - k) % count ))
    report=$out/${labels[$i]}-$round.txt
    BODY_FILE="$out/$body.json" wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/post.lua" \
      "http://127.0.0.1:${ports[$i]}$path" >"$report" 9>&- || die "wrk against '${labels[$i]}' failed (see $report)"
  done
  for i in $(seq 0 $((count - 1))); do
    line+=("$(requests_per_second "$out/${labels[$i]}-$round.txt")")
    printed+=("${labels[$i]} ${line[$i]}")
  done
  echo "round $round: $(IFS=,; echo "${printed[*]}" | sed 's/,/, /g') requests/s$([ "$round" = 0 ] && echo ' (warm-up, not counted)')"
  [ "$round" = 0 ] || printf '%s\t%s\n' "$round" "$(IFS=$'\t'; echo "${line[*]}")" >>"$rows"
done

python3 - "$rows" <<'EOF'
import csv, math, statistics, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter="\t"))
labels, data = rows[0][1:], [[float(x) for x in r[1:]] for r in rows[1:]]
print(f"\n{len(data)} rounds; requests/s of each, over {labels[0]}'s in the same round:")
for i, label in enumerate(labels[1:], start=1):
    r = [d[i] / d[0] for d in data]
    line = f"  {label} / {labels[0]}: median {statistics.median(r):.3f}, mean {statistics.mean(r):.3f}, range {min(r):.3f}-{max(r):.3f}"
    if len(r) > 1:
        # The rounds' ratios as independent samples: the mean's 95 % interval (normal approximation).
        half = 1.96 * statistics.stdev(r) / math.sqrt(len(r))
        line += f", mean's 95 % interval {statistics.mean(r) - half:.3f}-{statistics.mean(r) + half:.3f}"
    print(line)
EOF
echo "(each round's requests/s in $rows; wrk reports and service logs in $out)"
