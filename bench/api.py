"""The platform API's throughput and latency beside the in-process scan, on the same listings, in one run.

    python bench/api.py                                # 2,000 listings of the benchmark mix, 8 concurrent clients
    python bench/api.py --count 500                    # quick look
    python bench/api.py --baseline main --rounds 3     # before (main's code) and after, alternating, in one run

Runs the real `fentwatch review` server (waitress, 8 threads) on 127.0.0.1 over a fresh store, then:
1. in-process: the listings through detect.batch.scan_blocks (what `fentwatch scan` runs), warm;
2. POST /api/v1/scan: 8 client threads, each with one keep-alive connection, posting single listings (and then
   batches of 100, the {"listings": [...]} form); then one
   client alone on the first 500 (the latency of a call without queueing behind the others), and one client on
   300 while another keeps posting a 1 MB listing;
3. POST /api/v1/listings: the same, each listing under its own id (scanned and stored).
4. stops the server (SIGTERM) and counts its audit lines against the requests it answered.
Prints a table (markdown) of listings/s, p50/p99/max latency of a single-listing call, peak memory (the server
process's VmHWM and its OPSIN JVM), each figure with the machine's load average when its phase began, a column per
run; writes every figure to bench/results/api-<date>T<time>.json. With --baseline, the server also runs from
another git ref's code (extracted with git archive), alternating with this checkout's. Network: loopback only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import queue
import shutil
import sqlite3
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
    """Peak resident memory (VmHWM) of a process and its descendants (the server's scan worker, the OPSIN JVMs), in
    KB: java processes apart from the Python ones."""
    out = {"python": 0, "java": 0}
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():  # a child belongs to the thread that started it
                try:
                    todo += [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    pass
            status = dict(line.split(":", 1) for line in open(f"/proc/{p}/status").read().splitlines() if ":" in line)
        except OSError:
            continue
        kind = "java" if status["Name"].strip() == "java" else "python"
        out[kind] += int(status.get("VmHWM", "0 kB").split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its descendants (the scan worker, OPSIN JVMs)."""
    total, todo, seen = 0.0, [pid], set()
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                try:
                    todo += [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    pass
        except OSError:
            continue
    return total


def in_process(listings: list[dict]) -> dict:
    from detect.batch import scan_blocks
    from detect.engine import Detector

    det = Detector()
    lines = [json.dumps(x) + "\n" for x in listings]
    list(scan_blocks(lines[:200], detector=det))  # warm
    t0, c0 = time.perf_counter(), cpu_seconds(os.getpid())  # with the OPSIN JVM's, as for the server
    n = sum(b.count for b in scan_blocks(lines, detector=det))
    wall, cpu = time.perf_counter() - t0, cpu_seconds(os.getpid()) - c0
    per_call = []
    for x in listings[:500]:  # one listing at a time, as a platform's publish call would
        t = time.perf_counter()
        det.scan(x)
        per_call.append((time.perf_counter() - t) * 1000)
    return {"listings": n, "seconds": round(wall, 2), "per_second": round(n / wall),
            "cpu_ms_per_listing": round(cpu * 1000 / n, 2), **pct(per_call)}


def pct(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50_ms": round(statistics.median(ms), 2), "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 2),
            "max_ms": round(ms[-1], 2)}


SENT = [0]  # requests answered by the servers, to compare with their audit lines


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
            SENT[0] += len(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"listings": len(latencies) * per_call, "calls": len(latencies), "errors": len(errors),
            "seconds": round(wall, 2),
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


def phases(port: int, token: str, listings: list[dict], clients: int, pid: int) -> dict:
    """The HTTP measurements against one running server, each with the load average when it started and the
    server's CPU time per call (which the machine's load changes much less than the rates)."""
    out = {}

    def measure(name, fn, *a):
        load, cpu = round(os.getloadavg()[0], 1), cpu_seconds(pid)
        r = fn(*a)
        out[name] = dict(r, load=load, server_cpu_ms_per_call=round((cpu_seconds(pid) - cpu) * 1000 / r["calls"], 2))

    over_http(port, token, "/api/v1/scan", listings[:200], clients)  # warm: the detector loads
    measure("http_scan", over_http, port, token, "/api/v1/scan", listings, clients)
    batches = [{"listings": listings[i:i + 100]} for i in range(0, len(listings), 100)]
    measure("http_scan_batches_of_100", over_http, port, token, "/api/v1/scan", batches, clients, 100)
    measure("http_scan_one_client", over_http, port, token, "/api/v1/scan", listings[:500], 1)
    submitted = [dict(x, id=f"bench-{i}") for i, x in enumerate(listings)]
    measure("http_submit", over_http, port, token, "/api/v1/listings", submitted, clients)
    measure("http_submit_one_client", over_http, port, token, "/api/v1/listings",
            [dict(x, id=f"one-{i}") for i, x in enumerate(listings[:500])], 1)
    measure("http_scan_beside_huge", beside_huge, port, token, listings[:300])
    return out


def serve_and_measure(code: Path, listings: list[dict], clients: int, threads: int) -> dict:
    """A fresh store and a `fentwatch review` server running the code at ``code``; the phases against it."""
    tmp = Path(tempfile.mkdtemp(prefix="fentwatch-api-bench-"))
    db = tmp / "store.db"
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run(FENTWATCH + ["tokens", "add", "bench", "--platform", "bench", "--rate", "10000000", "--db",
                                      str(db)], capture_output=True, text=True, env=env, cwd=code, check=True).stdout
    token = out.split()[-1]
    port = free_port()
    server = subprocess.Popen(FENTWATCH + ["review", "--db", str(db), "--port", str(port), "--threads", str(threads)],
                              env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        SENT[0] = 1  # the answer above
        results = phases(port, token, listings, clients, server.pid)
        results["server_peak_kb"] = hwm_kb(server.pid)
    finally:
        server.terminate()
        server.wait(60)
    audited = sqlite3.connect(db).execute("select count(*) from api_requests").fetchone()[0]
    results["audited_requests"] = {"calls": SENT[0], "audit_lines": audited}
    shutil.rmtree(tmp, ignore_errors=True)
    return results


def baseline_tree(ref: str) -> Path:
    """The code of git ``ref`` (e.g. main) in a temporary directory, to run the server from."""
    tmp = Path(tempfile.mkdtemp(prefix="fentwatch-api-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    return tmp


ROWS = [  # (label, run key, figure)
    ("in process (scan_blocks), listings/s", "in_process", "rate"),
    ("  the same, CPU ms per listing (with its OPSIN JVM's)", "in_process", "cpu_in"),
    ("POST /scan, 8 clients, single listings: listings/s (x in process)", "http_scan", "rate_ratio"),
    ("  the same, latency p50 / p99 / max ms", "http_scan", "latency"),
    ("  the same, the server's CPU ms per call (with its OPSIN JVM's)", "http_scan", "cpu"),
    ("POST /scan, batches of 100: listings/s (x in process)", "http_scan_batches_of_100", "rate_ratio"),
    ("POST /scan, one client: p50 / p99 / max ms", "http_scan_one_client", "latency"),
    ("  the same, the server's CPU ms per call", "http_scan_one_client", "cpu"),
    ("POST /scan, one client beside 1 MB listings: p50 / p99 ms (1 MB done)", "http_scan_beside_huge", "huge"),
    ("POST /listings, 8 clients: listings/s", "http_submit", "rate"),
    ("  the same, latency p50 / p99 / max ms", "http_submit", "latency"),
    ("  the same, the server's CPU ms per call", "http_submit", "cpu"),
    ("POST /listings, one client: p50 / p99 / max ms", "http_submit_one_client", "latency"),
    ("server peak memory, Python + OPSIN JVM, MB", "server_peak_kb", "memory"),
    ("in-process peak memory (the benchmark process), MB", "in_process_peak_kb", "kb"),
    ("requests answered / audit lines in the store", "audited_requests", "audit"),
]


def cell(run: dict, key: str, kind: str) -> str:
    r = run.get(key)
    if r is None:
        return "-"
    load = f" (load {r['load']})" if isinstance(r, dict) and "load" in r else ""
    if kind == "rate":
        return f"{r['per_second']}{load}"
    if kind == "rate_ratio":
        return f"{r['per_second']} ({r['per_second'] / run['in_process']['per_second']:.2f}x){load}"
    if kind == "latency":
        return f"{r['p50_ms']:.1f} / {r['p99_ms']:.0f} / {r['max_ms']:.0f}{load}"
    if kind == "huge":
        return f"{r['p50_ms']:.1f} / {r['p99_ms']:.0f} ({r['huge_listings_meanwhile']}){load}"
    if kind == "cpu_in":
        return f"{r['cpu_ms_per_listing']:.2f}"
    if kind == "cpu":
        return f"{r['server_cpu_ms_per_call']:.2f}"
    if kind == "memory":
        return f"{r['python'] // 1024} + {r['java'] // 1024}"
    if kind == "kb":
        return str(r // 1024)
    if kind == "audit":
        return f"{r['calls']} / {r['audit_lines']}"
    return str(r)


def table(runs: list[tuple[str, dict]]) -> str:
    """The runs side by side, a row per figure, the load average beside each (markdown)."""
    lines = ["| what | " + " | ".join(name for name, _ in runs) + " |", "|---" * (len(runs) + 1) + "|"]
    for label, key, kind in ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(run, key, kind) for _, run in runs) + " |")
    return "\n".join(lines)


def main() -> None:
    import resource

    from run import ensure_mix

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=2000, help="Listings of the benchmark mix.")
    ap.add_argument("--clients", type=int, default=8, help="Concurrent HTTP clients.")
    ap.add_argument("--threads", type=int, default=8, help="The server's request threads (fentwatch review --threads).")
    ap.add_argument("--baseline", metavar="GIT_REF", default=None,
                    help="Also run the server from this git ref's code (e.g. main), alternating with this checkout's, "
                         "each round on a fresh store: before and after in one run.")
    ap.add_argument("--rounds", type=int, default=1, help="Measurements of each code (alternating).")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    mix = ensure_mix(max(args.count, 5000), ROOT / "bench" / "data" / "mix-5000.jsonl")
    listings = [json.loads(line) for _, line in zip(range(args.count), open(mix, encoding="utf-8"))]
    codes = [("this checkout", ROOT)]
    if args.baseline:
        codes.insert(0, (args.baseline, baseline_tree(args.baseline)))
    results = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"),
               "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                           "python": platform.python_version()},
               "count": len(listings), "clients": args.clients, "threads": args.threads, "runs": []}
    runs = []
    for n in range(1, args.rounds + 1):
        load = round(os.getloadavg()[0], 1)
        in_proc = dict(in_process(listings), load=load)
        for name, code in codes:
            print(f"round {n}: {name} ...", file=sys.stderr, flush=True)
            run = {"code": name, "round": n, "in_process": in_proc,
                   **serve_and_measure(code, listings, args.clients, args.threads)}
            run["in_process_peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            run["ratio_scan_http_to_in_process"] = round(run["http_scan"]["per_second"] / in_proc["per_second"], 2)
            runs.append((f"{name}, round {n}" if args.rounds > 1 else name, run))
            results["runs"].append(run)
    for _, code in codes[:-1]:
        shutil.rmtree(code, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"api-{dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%dT%H%M')}.json"
    path.write_text(json.dumps(results, indent=1) + "\n")
    print(f"{len(listings)} listings, {args.clients} clients, {args.threads} server threads, "
          f"{os.cpu_count()} cores, {results['date']}; load = 1-minute load average when the figure's phase began; "
          f"all figures in {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n")
    print(table(runs))


if __name__ == "__main__":
    main()
