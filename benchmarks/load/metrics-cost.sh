#!/usr/bin/env bash
# What metrics cost under load, measured side by side: two processes of the same service build,
# one with metrics on (the default) and one with ENABLE_STATS=false, each driven by its own wrk
# (CONNECTIONS each, the processor body) at the same time. Both share the machine's cores and its
# noise, so the ratio of their requests/s is the ratio of their costs per request; measuring them
# one after the other moves by ±15 % on a shared VM. Round 0 warms both up (JIT, pools) and is
# printed but not counted.
#
# usage: benchmarks/load/metrics-cost.sh     (after benchmarks/load/run.sh has built the service
#        and written the bodies; settings: ROUNDS=6 DURATION=20 CONNECTIONS=8 BODY=processor|router
#        OUT=artifacts/load SERVICE_DLL=<dll>)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${OUT:-$repo/artifacts/load}
dll=${SERVICE_DLL:-$repo/artifacts/load/build/bin/Mappings.Service/release/Mappings.Service.dll}
rounds=${ROUNDS:-6}
duration=${DURATION:-20}
connections=${CONNECTIONS:-8}
body=${BODY:-processor}
case $body in
  processor) path=/v0/destinations/clevertap ;;
  router) path=/routerTransform ;;
  *) echo "metrics-cost.sh: BODY is processor or router" >&2; exit 1 ;;
esac
[ -f "$dll" ] || { echo "metrics-cost.sh: no service build at $dll (run benchmarks/load/run.sh first)" >&2; exit 1; }
[ -f "$out/$body.json" ] || { echo "metrics-cost.sh: no body at $out/$body.json (run benchmarks/load/run.sh first)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
on_port=$(free_port)
off_port=$(free_port)
PORT=$on_port METRICS_PORT=0 dotnet "$dll" >"$out/metrics-on.log" 2>&1 &
on_pid=$!
ENABLE_STATS=false PORT=$off_port dotnet "$dll" >"$out/metrics-off.log" 2>&1 &
off_pid=$!
trap 'kill $on_pid $off_pid 2>/dev/null; wait $on_pid $off_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$on_port/health" >/dev/null && curl -sf "http://127.0.0.1:$off_port/health" >/dev/null && break
  sleep 0.2
done

ratios=()
for round in $(seq 0 "$rounds"); do
  BODY_FILE="$out/$body.json" wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/post.lua" "http://127.0.0.1:$on_port$path" >"$out/metrics-on-$round.txt" &
  on_wrk=$!
  BODY_FILE="$out/$body.json" wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/post.lua" "http://127.0.0.1:$off_port$path" >"$out/metrics-off-$round.txt" &
  off_wrk=$!
  wait $on_wrk $off_wrk
  on=$(awk '/Requests\/sec/ {print $2}' "$out/metrics-on-$round.txt")
  off=$(awk '/Requests\/sec/ {print $2}' "$out/metrics-off-$round.txt")
  ratio=$(python3 -c "print(f'{$on / $off:.3f}')")
  echo "round $round: metrics on $on requests/s, off $off requests/s, on/off $ratio$([ "$round" = 0 ] && echo ' (warm-up, not counted)')"
  [ "$round" = 0 ] || ratios+=("$ratio")
done
python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; print(f'on/off over {len(r)} rounds: median {statistics.median(r):.3f}, mean {statistics.mean(r):.3f}, range {min(r):.3f}-{max(r):.3f}')" "${ratios[@]}"
