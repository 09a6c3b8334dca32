"""The platform API's throughput and latency beside the in-process scan, on the same listings, in one run.

    python bench/api.py                   # 2,000 listings of the benchmark mix, 8 concurrent clients
    python bench/api.py --count 500       # quick look

Runs the real `fentwatch review` server (waitress, 8 threads) on 127.0.0.1 over a fresh store, then:
1. in-process: the listings through detect.batch.scan_blocks (what `fentwatch scan` runs), warm;
2. POST /api/v1/scan: 8 client threads, each with one keep-alive connection, posting single listings (and then
   batches of 100, the {"listings": [...]} form); then one
   client alone on the first 500 (the latency of a call without queueing behind the others), and one client on
   300 while another keeps posting a 1 MB listing;
3. POST /api/v1/listings: the same, each listing under its own id (scanned and stored).
Prints listings/s, p50/p99/max latency of a single-listing call, and peak memory (the server process's VmHWM and
its OPSIN JVM); writes bench/results/api-<date>.json. Network: loopback only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
FENTWATCH = [sys.executable, "-m", "fentwatch"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hwm_kb(pid: int) -> dict:
    """Peak resident memory (VmHWM) of a process and of its java children, in KB."""
    out = {"python": 0, "java": 0}
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():  # the JVM is started by whichever thread scanned first
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    for p in pids:
        try:
            status = dict(line.split(":", 1) for line in open(f"/proc/{p}/status").read().splitlines() if ":" in line)
        except OSError:
            continue
        kind = "java" if status["Name"].strip() == "java" else "python"
        out[kind] += int(status.get("VmHWM", "0 kB").split()[0])
    return out


def in_process(listings: list[dict]) -> dict:
    from detect.batch import scan_blocks
    from detect.engine import Detector

    det = Detector()
    lines = [json.dumps(x) + "\n" for x in listings]
    list(scan_blocks(lines[:200], detector=det))  # warm
    t0 = time.perf_counter()
    n = sum(b.count for b in scan_blocks(lines, detector=det))
    wall = time.perf_counter() - t0
    per_call = []
    for x in listings[:500]:  # one listing at a time, as a platform's publish call would
        t = time.perf_counter()
        det.scan(x)
        per_call.append((time.perf_counter() - t) * 1000)
    return {"listings": n, "seconds": round(wall, 2), "per_second": round(n / wall), **pct(per_call)}


def pct(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50_ms": round(statistics.median(ms), 2), "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 2),
            "max_ms": round(ms[-1], 2)}


def over_http(port: int, token: str, path: str, listings: list[dict], clients: int, per_call: int = 1) -> dict:
    work: queue.Queue = queue.Queue()
    for x in listings:
        work.put(json.dumps(x).encode())
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        mine = []
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                break
            t = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            r = conn.getresponse()
            r.read()
            mine.append((time.perf_counter() - t) * 1000)
            if r.status >= 300:
                errors.append(r.status)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"listings": len(latencies) * per_call, "errors": len(errors), "seconds": round(wall, 2),
            "per_second": round(len(latencies) * per_call / wall), **pct(latencies)}


def beside_huge(port: int, token: str, listings: list[dict]) -> dict:
    """One client posting ordinary listings while another keeps posting a 1 MB listing dense with names (the
    costliest input the caps allow): the ordinary calls' latency, and how many huge ones went through meanwhile."""
    huge = {"id": "huge", "text": ("fentanyl 4-ANPP NPP " * 50000)[:1_000_000]}
    done = threading.Event()
    count = [0]

    def big():
        while not done.is_set():
            over_http(port, token, "/api/v1/scan", [huge], 1)
            count[0] += 1

    t = threading.Thread(target=big)
    t.start()
    time.sleep(1)
    out = over_http(port, token, "/api/v1/scan", listings, 1)
    done.set()
    t.join()
    return dict(out, huge_listings_meanwhile=count[0])


def main() -> None:
    from run import ensure_mix

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=2000, help="Listings of the benchmark mix.")
    ap.add_argument("--clients", type=int, default=8, help="Concurrent HTTP clients.")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    mix = ensure_mix(max(args.count, 5000), ROOT / "bench" / "data" / "mix-5000.jsonl")
    listings = [json.loads(line) for _, line in zip(range(args.count), open(mix, encoding="utf-8"))]
    tmp = Path(tempfile.mkdtemp(prefix="fentwatch-api-bench-"))
    db = tmp / "store.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(FENTWATCH + ["tokens", "add", "bench", "--platform", "bench", "--rate", "10000000", "--db",
                                      str(db)], capture_output=True, text=True, env=env, check=True).stdout
    token = out.split()[-1]
    port = free_port()
    server = subprocess.Popen(FENTWATCH + ["review", "--db", str(db), "--port", str(port), "--threads", "8"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.3)
        over_http(port, token, "/api/v1/scan", listings[:200], args.clients)  # warm: the detector loads
        results = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"),
                   "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                               "python": platform.python_version()},
                   "count": len(listings), "clients": args.clients}
        results["in_process"] = in_process(listings)
        results["http_scan"] = over_http(port, token, "/api/v1/scan", listings, args.clients)
        batches = [{"listings": listings[i:i + 100]} for i in range(0, len(listings), 100)]
        results["http_scan_batches_of_100"] = over_http(port, token, "/api/v1/scan", batches, args.clients, 100)
        results["http_scan_one_client"] = over_http(port, token, "/api/v1/scan", listings[:500], 1)
        submitted = [dict(x, id=f"bench-{i}") for i, x in enumerate(listings)]
        results["http_submit"] = over_http(port, token, "/api/v1/listings", submitted, args.clients)
        results["http_submit_one_client"] = over_http(port, token, "/api/v1/listings",
                                                      [dict(x, id=f"one-{i}") for i, x in enumerate(listings[:500])], 1)
        results["http_scan_beside_huge"] = beside_huge(port, token, listings[:300])
        results["server_peak_kb"] = hwm_kb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    import resource

    results["in_process_peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results["ratio_scan_http_to_in_process"] = round(results["http_scan"]["per_second"] /
                                                     results["in_process"]["per_second"], 2)
    print(json.dumps(results, indent=1))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"api-{dt.date.today().isoformat()}.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
