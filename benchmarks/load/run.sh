#!/usr/bin/env bash
# Service under load: drives the running service with wrk (one thread, a fixed body) on loopback
# and prints events/s, p50/p99 latency and peak resident memory per body kind and connection count.
#
# usage: benchmarks/load/run.sh [processor|router|all|mixed]...
#   all = processor router; mixed: both bodies at once against one service, each with the connection count
#   CONNECTIONS="1 2 4 8 16" wrk connections to try (requests in flight at once)
#   DURATION=30 WARMUP=5    measured seconds, after a warm-up run whose figures are dropped
#   OUT=artifacts/load      where the bodies, the logs and wrk's reports go (git-ignored)
#   PORT=                   port for the service (default: a free one)
#   SKIP_BUILD=1            reuse the previous build (in artifacts/load/build)
#   SERVICE_DLL=            measure this build of Mappings.Service.dll instead (no build)
#   LOCK=/tmp/bench.lock    taken around every measurement so that benchmarks on this machine don't overlap
#   QUIET_LIMIT=20 TRIES=3  a run during which the rest of the machine used more than 20 % of a core is
#                           measured again, up to 3 times (each measurement first waits for a quiet machine)
#   SHARED_DIR=../shared    where the conformance vectors are
#
# Each (body, connections) pair gets a fresh service process: start, check the answer, warm-up,
# measured run, check the answer again, read VmHWM (peak RSS) from /proc, stop. Needs wrk
# (Debian: apt-get install -y wrk), curl, python3, flock and the .NET SDK.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}
kinds=${*:-all}; kinds=${kinds//all/processor router}
connections=${CONNECTIONS:-1 2 4 8 16}
duration=${DURATION:-30}
warmup=${WARMUP:-5}
out=${OUT:-$repo/artifacts/load}
build=$repo/artifacts/load/build
lock=${LOCK:-/tmp/bench.lock}

die() { echo "run.sh: $*" >&2; exit 1; }
. "$here/common.sh"

[ -d "$shared/conformance/corpus" ] || die "no conformance corpus at $shared/conformance/corpus (clone ../shared beside the repository or set SHARED_DIR)"
require_tools wrk curl python3 dotnet flock
for kind in $kinds; do
  case $kind in processor|router|mixed) ;; *) die "unknown body kind '$kind' (processor, router, all or mixed)" ;; esac
done
mkdir -p "$out" && out=$(cd "$out" && pwd)

# --- bodies and build ---------------------------------------------------------------------------
python3 "$here/bodies.py" "$shared/conformance" "$out"
dll=${SERVICE_DLL:-$build/bin/Mappings.Service/release/Mappings.Service.dll}
if [ -z "${SKIP_BUILD:-}${SERVICE_DLL:-}" ]; then
  echo "building the service (Release) into $build"
  dotnet build "$repo/src/Mappings.Service/Mappings.Service.csproj" -c Release --artifacts-path "$build" -nologo -v q >"$out/build.log" 2>&1 \
    || { tail -20 "$out/build.log" >&2; die "build failed (see $out/build.log)"; }
fi
[ -f "$dll" ] || die "no service build at $dll (run without SKIP_BUILD)"

# --- the service ------------------------------------------------------------------------------------
if [ -n "${PORT:-}" ]; then
  port=$PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is taken"
else
  port=$(free_port)
fi
base=http://127.0.0.1:$port
pid=

start_service() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is taken"
  # METRICS_PORT=0: the metrics listener takes a free port (not 9091, which another service may hold).
  PORT=$port METRICS_PORT=0 dotnet "$dll" >"$out/service.log" 2>&1 9>&- &
  pid=$!
  for _ in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || { pid=; tail -20 "$out/service.log" >&2; die "the service exited at start (log above)"; }
    curl -fsS "$base/health" 2>/dev/null | grep -q '"UP"' && return 0
    sleep 0.1
  done
  die "the service did not answer $base/health within 20 s (see $out/service.log)"
}

stop_service() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
trap stop_service EXIT
trap 'exit 130' INT TERM

# One POST with curl: a 200 whose body answers every item of the request.
check_answer() { # kind path
  local status
  status=$(curl -sS -o "$out/$1.answer.json" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$out/$1.json" "$base$2")
  [ "$status" = 200 ] || die "$1: HTTP $status from $2 (body in $out/$1.answer.json)"
  python3 - "$1" "$out/$1.answer.json" "$out/$1.expect.json" <<'EOF' || die "$1: wrong answer from the service (see $out/$1.answer.json)"
import json, sys
kind, answer, expect = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
if kind == "processor":
    # One entry per expected entry, in order, with its status (D1: ours answers 400 where the reference said 500).
    got = [entry["statusCode"] for entry in answer]
    assert got == [400 if s == 500 else s for s in expect], f"statuses {got} != expected {expect}"
else:
    jobs = sorted(m["jobId"] for entry in answer["output"] for m in entry["metadata"])
    assert jobs == expect, f"router output covers {len(jobs)} jobs, not the {len(expect)} sent"
EOF
}

# --- measurements -----------------------------------------------------------------------------------
# CPU accounting in clock ticks (1/100 s): the whole machine, the service, and wrk (the shell's
# waited-for children). "Other CPU" is what the rest of the machine used meanwhile; a run during
# which it exceeds $QUIET_LIMIT % of one core is measured again (up to $TRIES times).
quiet_limit=${QUIET_LIMIT:-20}
tries=${TRIES:-3}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
service_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# (`times` must run in this shell, not in a $(...) subshell, to see wrk's time.)
children_ticks() { times >"$out/times"; awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 100 }' "$out/times"; }

# Waits (up to 10 minutes) until the machine uses less than $QUIET_LIMIT % of one core.
wait_quiet() {
  local a b
  for _ in $(seq 120); do
    a=$(machine_ticks); sleep 2; b=$(machine_ticks)
    (( (b - a) / 2 < quiet_limit )) && return 0
    echo "machine busy ($(( (b - a) / 2 ))% of a core in use), waiting"
    sleep 3
  done
  echo "machine still busy after 10 minutes: measuring anyway" >&2
}

results=$out/results.tsv
printf 'body\tconnections\tseconds\trequests/s\tevents/s\tp50 ms\tp99 ms\tmax ms\tpeak RSS MB\tnon-2xx\tsocket errors\tservice CPU %%\twrk CPU %%\tother CPU %%\tservice CPU µs/event\n' >"$results"

events_of() { case $1 in processor) echo 100 ;; router) echo 1000 ;; esac; }

report_of() { echo "$out/wrk-$1-c$2-$3s.txt"; } # label connections seconds

# Runs wrk for $2 seconds with $3 connections on every body kind in $1 at once; $4: "mixed-" or "".
drive() {
  local part w wrks=()
  for part in $1; do
    BODY_FILE=$out/$part.json wrk -t1 -c"$3" -d"$2s" --timeout 10s --latency -s "$here/post.lua" "$base$(path_of "$part")" \
      >"$(report_of "$4$part" "$3" "$2")" &
    wrks+=($!)
  done
  for w in "${wrks[@]}"; do wait "$w" || die "wrk failed"; done
}

measure() { # kind connections: appends a row per body; status 1 when the rest of the machine was busy meanwhile
  local kind=$1 c=$2 parts=$1 tag= part hwm m0 s0 w0 m1 s1 w1 status=0
  [ "$kind" = mixed ] && parts="processor router" && tag=mixed-
  wait_quiet
  start_service
  for part in $parts; do check_answer "$part" "$(path_of "$part")"; done
  drive "$parts" "$warmup" "$c" "$tag"
  children_ticks >"$out/ticks"; w0=$(<"$out/ticks"); m0=$(machine_ticks); s0=$(service_ticks)
  drive "$parts" "$duration" "$c" "$tag"
  m1=$(machine_ticks); s1=$(service_ticks); children_ticks >"$out/ticks"; w1=$(<"$out/ticks")
  hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
  for part in $parts; do check_answer "$part" "$(path_of "$part")"; done
  stop_service
  for part in $parts; do
    python3 "$here/row.py" "$tag$part" "$c" "$(events_of "$part")" "$hwm" "$(report_of "$tag$part" "$c" "$duration")" \
      $((s1 - s0)) $((w1 - w0)) $((m1 - m0 - (s1 - s0) - (w1 - w0))) "$quiet_limit" >>"$results" || status=1
    tail -1 "$results"
  done
  return $status
}

exec 9>"$lock"
for kind in $kinds; do
  for c in $connections; do
    flock -n 9 || { echo "waiting for $lock"; flock 9; }
    for try in $(seq "$tries"); do
      measure "$kind" "$c" && break
      echo "  ^ the rest of the machine used more than $quiet_limit% of a core during this run$( ((try < tries)) && echo '; measuring again')"
    done
    flock -u 9
  done
done
echo
column -t -s $'\t' "$results"
echo "(wrk reports, bodies and the service log are in $out)"
