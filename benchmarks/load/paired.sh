#!/usr/bin/env bash
# Two configurations of the service measured one after the other, in alternating order, round
# after round (run.sh for each: a fresh process, warm-up, measured run, answers checked), then the
# per-round ratios B/A of events/s and of the service's CPU time per event, with their medians.
# CPU per event is what a change costs on a CPU-bound service whatever share of the machine it
# got; events/s also carries the machine's noise (±15 % from one run to the next on a shared VM).
#
# usage: benchmarks/load/paired.sh LABEL_A 'ENV_A' LABEL_B 'ENV_B'   (after run.sh has built the service)
#   ENV_*: space-separated assignments for run.sh and the service, e.g. 'ENABLE_STATS=false' or
#          'SERVICE_DLL=/path/to/an/older/Mappings.Service.dll'; '' for the defaults
#   ROUNDS=6 DURATION=20 CONNECTIONS=16 (one value) BODY=processor|router OUT=artifacts/load/paired
#   (run.sh's LOCK, QUIET_LIMIT, TRIES and SHARED_DIR apply to every run)
# example: benchmarks/load/paired.sh on '' off 'ENABLE_STATS=false'
set -euo pipefail
set -f # no file-name expansion: the assignments are split on purpose, never globbed

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
die() { echo "paired.sh: $*" >&2; exit 1; }
[ $# -eq 4 ] || die "usage: paired.sh LABEL_A 'ENV_A' LABEL_B 'ENV_B'"
labels=("$1" "$3")
envs=("$2" "$4")
[ "$1" != "$3" ] || die "the two labels must differ"
for label in "$1" "$3"; do [[ $label =~ ^[A-Za-z0-9_.-]+$ ]] || die "the label '$label' must be letters, digits, '_', '.' or '-'"; done
[[ ${CONNECTIONS:-16} =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS is one number here"
rounds=${ROUNDS:-6}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be 1 or more"
body=${BODY:-processor}
. "$here/common.sh"
path_of "$body" >/dev/null # processor or router
out=${OUT:-$repo/artifacts/load/paired}
mkdir -p "$out" && out=$(cd "$out" && pwd)
for assignments in "${envs[@]}"; do
  for a in $assignments; do [[ $a =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "'$a' is not NAME=value"; done
done

rows=$out/rows.tsv
printf 'round\tlabel\tevents/s\tservice CPU µs/event\tservice CPU %%\tother CPU %%\n' >"$rows"
for round in $(seq "$rounds"); do
  # A then B in odd rounds, B then A in even ones, so neither always goes first.
  order="0 1"; (( round % 2 == 0 )) && order="1 0"
  for i in $order; do
    label=${labels[$i]}
    dir=$out/$label-$round
    # shellcheck disable=SC2086 # the assignments are split on purpose
    env ${envs[$i]} SKIP_BUILD=1 OUT="$dir" CONNECTIONS="${CONNECTIONS:-16}" DURATION="${DURATION:-20}" \
      "$here/run.sh" "$body" >"$dir.log" 2>&1 || { tail -20 "$dir.log" >&2; die "run.sh failed ($label, round $round; log: $dir.log)"; }
    # The last row is the measurement kept (run.sh measures again when the machine was busy).
    awk -F'\t' -v r="$round" -v l="$label" 'END { print r "\t" l "\t" $5 "\t" $15 "\t" $12 "\t" $14 }' "$dir/results.tsv" >>"$rows"
    tail -1 "$rows"
  done
done

python3 - "$rows" "${labels[0]}" "${labels[1]}" <<'EOF'
import csv, statistics, sys
path, a, b = sys.argv[1:4]
rows = list(csv.DictReader(open(path), delimiter="\t"))
by = {(r["round"], r["label"]): r for r in rows}
rounds = sorted({r["round"] for r in rows}, key=int)
def ratios(column):
    return [float(by[(n, b)][column]) / float(by[(n, a)][column]) for n in rounds]
print()
print(f"{b} / {a}, {len(rounds)} rounds:")
for column in ("events/s", "service CPU µs/event"):
    values = ratios(column)
    print(f"  {column:22} median {statistics.median(values):.3f}  range {min(values):.3f}–{max(values):.3f}  "
          f"({' '.join(f'{v:.3f}' for v in values)})")
for label in (a, b):
    for column in ("events/s", "service CPU µs/event"):
        values = [float(by[(n, label)][column]) for n in rounds]
        print(f"  {label:>8} {column:22} median {statistics.median(values):,.3f}  range {min(values):,.3f}–{max(values):,.3f}")
EOF
echo "(rows in $rows; each run's wrk report and service log under $out)"
