#!/usr/bin/env python3
"""Stalled readers: clients that send a small request for a large answer and never read it.

Starts the service (a Release build of Mappings.Service.dll, default settings), reads one ~50 MB
answer in full to see its size, then opens CLIENTS connections (default 10) with a 16 KiB receive
buffer, sends each the same ~0.3 KB processor request (an identify event whose trait "x.10000000"
asks for a 10-million-element array: a ~50 MB answer) and never reads. For DURATION seconds (default 90)
it prints, every 10 s, the service's resident memory, the time /health takes and how many of
the connections are still established, then a summary.

usage: [CLIENTS=10] [DURATION=90] benchmarks/load/stalled.py [Mappings.Service.dll]
  default dll: artifacts/load/build/bin/Mappings.Service/release/Mappings.Service.dll
  (benchmarks/load/run.sh builds it there). Linux only (reads /proc and TCP_INFO).
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
dll = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    repo, "artifacts/load/build/bin/Mappings.Service/release/Mappings.Service.dll")
clients = int(os.environ.get("CLIENTS", "10"))
seconds = int(os.environ.get("DURATION", "90"))
if not os.path.isfile(dll):
    sys.exit(f"stalled.py: no service build at {dll} (run benchmarks/load/run.sh once, or pass a dll)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
env = dict(os.environ, PORT=str(port), METRICS_PORT="0")
log = open(os.path.join(repo, "artifacts", "stalled-service.log"), "w") if os.path.isdir(os.path.join(repo, "artifacts")) else subprocess.DEVNULL
service = subprocess.Popen(["dotnet", dll], env=env, stdout=log, stderr=subprocess.STDOUT)


def rss_mb():
    with open(f"/proc/{service.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return -1


def health_seconds():
    start = time.time()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as answer:
        answer.read()
    return time.time() - start


def established(connection):
    # TCP_INFO's first byte is the state; 1 = ESTABLISHED.
    return connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0] == 1


stalled = []
try:
    for _ in range(150):
        try:
            health_seconds()
            break
        except OSError:
            time.sleep(0.2)
    else:
        sys.exit("stalled.py: the service did not answer /health")
    time.sleep(2)
    idle = rss_mb()

    body = ('[{"message":{"type":"identify","userId":"u1","traits":{"x.10000000":1}},"metadata":{"jobId":1},'
            '"destination":{"ID":"d1","Config":{"accountId":"acc","passcode":"pc","region":"sg1"}}}]').encode()
    head = ("POST /v0/destinations/clevertap HTTP/1.1\r\nHost: probe\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n")

    with socket.create_connection(("127.0.0.1", port)) as reader:
        reader.settimeout(60)
        reader.sendall((head + "Connection: close\r\n\r\n").encode() + body)
        received = 0
        while chunk := reader.recv(1 << 20):
            received += len(chunk)
    time.sleep(3)
    after_one = rss_mb()
    print(f"idle: {idle} MB resident; one answer read in full: {received / 1e6:.1f} MB; then {after_one} MB", flush=True)

    for _ in range(clients):
        connection = socket.socket()
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
        connection.connect(("127.0.0.1", port))
        connection.sendall((head + "\r\n").encode() + body)
        stalled.append(connection)

    start = time.time()
    slowest = peak = 0
    failed = 0
    next_report = 0
    while (elapsed := time.time() - start) < seconds:
        try:
            took = health_seconds()
            slowest = max(slowest, took)
            health = f"{took * 1000:4.0f} ms"
        except OSError as error:
            failed += 1
            health = f"failed ({error.__class__.__name__})"
        resident = rss_mb()
        peak = max(peak, resident)
        if elapsed >= next_report:
            open_now = sum(established(c) for c in stalled)
            print(f"t={elapsed:4.0f} s  resident {resident:5d} MB  /health {health}  established {open_now}/{clients}", flush=True)
            next_report += 10
        time.sleep(1)
    open_now = sum(established(c) for c in stalled)
    resident = rss_mb()
    print(f"after {seconds} s: {open_now}/{clients} connections still established; resident {resident} MB "
          f"({resident - idle:+d} MB from idle), peak {peak} MB; slowest /health {slowest * 1000:.0f} ms, "
          f"{failed} failed")
finally:
    for connection in stalled:
        connection.close()
    service.terminate()
    service.wait()
