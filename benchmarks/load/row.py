#!/usr/bin/env python3
"""One results row (tab-separated) from a wrk report written with post.lua, for run.sh.

usage: row.py kind connections events-per-body peak-rss-kB wrk-report service-ticks wrk-ticks other-ticks other-limit-%
Exits 1 when the rest of the machine used more than other-limit-% of one core during the run.
"""
import re
import sys

kind, connections, events, hwm_kb, report = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
service, wrk, other, limit = (int(a) for a in sys.argv[6:10])
r = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", open(report).read().split("RESULT", 1)[1])}
seconds = r["duration_us"] / 1e6
rps = r["requests"] / seconds


def cpu(ticks):
    """% of one core, from clock ticks (1/100 s) over the run."""
    return max(0, ticks) / seconds


print("\t".join([
    kind, connections, f"{seconds:.0f}", f"{rps:.1f}", f"{rps * events:.0f}",
    f"{r['p50_us'] / 1000:.1f}", f"{r['p99_us'] / 1000:.1f}", f"{r['max_us'] / 1000:.1f}", f"{hwm_kb / 1024:.0f}",
    str(r["non2xx"]), str(r["socket_errors"]), f"{cpu(service):.0f}", f"{cpu(wrk):.0f}", f"{cpu(other):.0f}",
    # The service's CPU time per event (a tick is 10,000 µs): what its throughput costs, whatever
    # share of the machine it got during the run.
    # Not for the parts of a mixed run: the service's CPU served both bodies at once.
    f"{max(0, service) * 10_000 / (r['requests'] * events):.3f}" if r["requests"] and not kind.startswith("mixed") else "-",
]))
sys.exit(1 if cpu(other) > limit else 0)
