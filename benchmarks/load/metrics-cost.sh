#!/usr/bin/env bash
# What metrics cost under load, measured side by side: two processes of the service at once, one
# with metrics on (the default) and one with ENABLE_STATS=false (or, with BASELINE_DLL, another
# build with its default settings), each driven by its own wrk (CONNECTIONS each, the same body)
# for the same DURATION. Both share the machine's cores and its noise, so the ratio of their
# requests/s is the ratio of their costs per request; measuring them one after the other moves by
# ±15 % on a shared VM. Round 0 warms both up (JIT, pools) and is printed but not counted.
#
# usage: benchmarks/load/metrics-cost.sh     (after benchmarks/load/run.sh has built the service
#        and written the bodies into artifacts/load)
#   ROUNDS=6 DURATION=20 CONNECTIONS=8 BODY=processor|router OUT=artifacts/load
#   SERVICE_DLL=<dll>    the build measured (default: run.sh's build)
#   BASELINE_DLL=<dll>   compare with this build, run as it comes (e.g. the code before a change),
#                        instead of the same build with ENABLE_STATS=false
#   LOCK=/tmp/bench.lock held for the whole run, as run.sh holds it, so benchmarks don't overlap
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${OUT:-$repo/artifacts/load}
dll=${SERVICE_DLL:-$repo/artifacts/load/build/bin/Mappings.Service/release/Mappings.Service.dll}
baseline=${BASELINE_DLL:-}
rounds=${ROUNDS:-6}
duration=${DURATION:-20}
connections=${CONNECTIONS:-8}
body=${BODY:-processor}
lock=${LOCK:-/tmp/bench.lock}

die() { echo "metrics-cost.sh: $*" >&2; exit 1; }
. "$here/common.sh"
path=$(path_of "$body")
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be 1 or more"
require_tools wrk curl python3 dotnet flock
[ -f "$dll" ] || die "no service build at $dll (run benchmarks/load/run.sh first)"
[ -z "$baseline" ] || [ -f "$baseline" ] || die "no baseline build at $baseline"
[ -f "$out/$body.json" ] || die "no body at $out/$body.json (run benchmarks/load/run.sh first)"

exec 9>"$lock"
flock 9

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

on_port=$(free_port)
off_port=$(free_port)
while [ "$off_port" = "$on_port" ]; do off_port=$(free_port); done

PORT=$on_port METRICS_PORT=0 dotnet "$dll" >"$out/metrics-on.log" 2>&1 9>&- &
on_pid=$!
pids+=("$on_pid")
if [ -n "$baseline" ]; then
  PORT=$off_port METRICS_PORT=0 dotnet "$baseline" >"$out/metrics-off.log" 2>&1 9>&- &
  off_label=baseline
else
  ENABLE_STATS=false PORT=$off_port dotnet "$dll" >"$out/metrics-off.log" 2>&1 9>&- &
  off_label="metrics off"
fi
off_pid=$!
pids+=("$off_pid")

ready=
for _ in $(seq 150); do
  kill -0 "$on_pid" 2>/dev/null || die "the service with metrics on exited (see $out/metrics-on.log)"
  kill -0 "$off_pid" 2>/dev/null || die "the $off_label service exited (see $out/metrics-off.log)"
  if curl -sf "http://127.0.0.1:$on_port/health" >/dev/null && curl -sf "http://127.0.0.1:$off_port/health" >/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
[ -n "$ready" ] || die "the services did not answer /health within 30 s"

ratios=()
for round in $(seq 0 "$rounds"); do
  BODY_FILE="$out/$body.json" wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/post.lua" "http://127.0.0.1:$on_port$path" >"$out/metrics-on-$round.txt" 9>&- &
  on_wrk=$!
  pids+=("$on_wrk")
  BODY_FILE="$out/$body.json" wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/post.lua" "http://127.0.0.1:$off_port$path" >"$out/metrics-off-$round.txt" 9>&- &
  off_wrk=$!
  pids+=("$off_wrk")
  wait "$on_wrk" || die "wrk against the service with metrics on failed (see $out/metrics-on-$round.txt)"
  wait "$off_wrk" || die "wrk against the $off_label service failed (see $out/metrics-off-$round.txt)"
  on=$(requests_per_second "$out/metrics-on-$round.txt")
  off=$(requests_per_second "$out/metrics-off-$round.txt")
  ratio=$(python3 -c "print(f'{$on / $off:.3f}')")
  echo "round $round: metrics on $on requests/s, $off_label $off requests/s, ratio $ratio$([ "$round" = 0 ] && echo ' (warm-up, not counted)')"
  [ "$round" = 0 ] || ratios+=("$ratio")
done
python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; print(f'ratio over {len(r)} rounds: median {statistics.median(r):.3f}, mean {statistics.mean(r):.3f}, range {min(r):.3f}-{max(r):.3f}')" "${ratios[@]}"
