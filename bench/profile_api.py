"""Where a single-listing API call spends the server's time: cProfile on every thread of a real waitress server
(the review app, 8 threads, over a fresh store) while client processes post single listings to
POST /api/v1/scan, then to POST /api/v1/listings.

    python bench/profile_api.py                  # 1,000 listings of the benchmark mix, 8 clients
    python bench/profile_api.py --count 300 --top 40
    python bench/profile_api.py --wsgi           # what the app adds to a call, in one thread, without HTTP

The server runs in this process so that cProfile sees it; the clients run in another process (bench/api.py's
``over_http``), so they do not compete for this process's GIL. Prints, per endpoint, the server's CPU time per call
split into the parts of a call (each the cumulative time of the named functions, so the parts overlap where one
calls another: read them as "how much of a call passes through"), then the top functions by own time. cProfile
slows Python code down several times over (C code much less), so read the shares, not the absolute times.
Network: loopback only.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import multiprocessing as mp
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# (part of a call, functions whose cumulative time it is: (file suffix, function name))
PARTS = [
    ("whole call in a waitress worker thread (HTTPChannel.service)", [("waitress/channel.py", "service")]),
    ("  Flask: the app's dispatch (full_dispatch_request)", [("flask/app.py", "full_dispatch_request")]),
    ("    before_request hooks (all)", [("flask/app.py", "preprocess_request")]),
    ("      the token look-up (tokens.token_for)", [("store/tokens.py", "token_for")]),
    ("      the rate limiter", [("review/api.py", "wait")]),
    ("    after_request hooks (all)", [("flask/app.py", "process_response")]),
    ("      the audit line (record_request, or its queue)", [("store/tokens.py", "record_request"),
                                                           ("review/api_audit.py", "put")]),
    ("    reading and checking the body", [("review/views/api.py", "body"), ("review/api.py", "listings_of"),
                                          ("review/api.py", "check_listing")]),
    ("    the scan (Scanner.scan)", [("review/api.py", "scan")]),
    ("    the store's writes of a submit (submissions.submit)", [("store/submissions.py", "submit")]),
    ("    the idempotency check (submissions.unchanged)", [("store/submissions.py", "unchanged")]),
    ("    JSON answer (jsonify)", [("flask/json/__init__.py", "jsonify")]),
    ("  WSGI environ and response writing (waitress)", [("waitress/task.py", "get_environment"),
                                                       ("waitress/task.py", "write")]),
    ("HTTP parsing and socket I/O (waitress's main thread)", [("waitress/channel.py", "handle_write"),
                                                              ("waitress/channel.py", "handle_read")]),
]


_on = threading.Event()  # profiling is on
_mine = threading.local()
_phases: list[str] = []
_clock: list = []  # empty: wall time (cProfile's default); [time.thread_time]: this thread's CPU time


def _profiled(fn, profiles: list):
    """``fn`` run under this thread's own profiler while profiling is on (a profiler works on the thread that
    enables it)."""

    def wrapper(*args, **kwargs):
        if not _on.is_set() or getattr(_mine, "active", False):
            return fn(*args, **kwargs)
        prof = getattr(_mine, "prof", None)
        if prof is None or _mine.phase != len(_phases):  # a new phase: a new profiler
            prof = _mine.prof = cProfile.Profile(*_clock)
            _mine.phase = len(_phases)
            profiles.append(prof)
        _mine.active = True
        prof.enable()
        try:
            return fn(*args, **kwargs)
        finally:
            prof.disable()
            _mine.active = False

    return wrapper


def serve(db: Path, profiles: list):
    """The review app in a waitress server on a free loopback port, its request handling profiled in every
    thread: a worker thread's whole call (HTTPChannel.service) and the main thread's reading and writing."""
    from waitress.channel import HTTPChannel
    from waitress.server import create_server

    from review.web import create_app

    for name in ("service", "handle_read", "handle_write"):
        setattr(HTTPChannel, name, _profiled(getattr(HTTPChannel, name), profiles))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is 1" under load
    app = create_app(db, "127.0.0.1")
    server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="fentwatch")
    threading.Thread(target=server.run, daemon=True).start()
    return server


def post_all(port: int, token: str, path: str, listings: list[dict], clients: int, out) -> None:
    from api import over_http

    out.put(over_http(port, token, path, listings, clients))


def stats_of(profiles: list) -> pstats.Stats:
    st = None
    for p in profiles:
        p.create_stats()
        if not p.stats:
            continue
        if st is None:
            st = pstats.Stats(p)
        else:
            st.add(p)
    return st


def report(st: pstats.Stats, calls: int, top: int) -> str:
    out = io.StringIO()
    for part, funcs in PARTS:
        cum = sum(v[3] for (file, _line, name), v in st.stats.items()
                  if any(file.replace(os.sep, "/").endswith(f) and name == n for f, n in funcs))
        out.write(f"{part:<62} {cum / calls * 1000:7.3f} ms per call\n")
    s = io.StringIO()
    st.stream = s
    st.sort_stats("tottime").print_stats(top)
    out.write("\n".join(line for line in s.getvalue().splitlines()[6:] if line.strip()) + "\n")
    return out.getvalue()


def wsgi_overhead(db: Path, token: str, rounds: int = 7, calls: int = 1000) -> None:
    """A single-listing POST /api/v1/scan through the app's WSGI entry in this thread, no HTTP and no other thread
    but the audit writer, against the scan alone: what the app adds to a call (best of ``rounds``)."""
    from werkzeug.test import EnvironBuilder

    from review.api import scanner
    from review.web import create_app

    app = create_app(db, "127.0.0.1")
    listing = {"id": "1", "title": "Sodium chloride 99%", "text": "Food grade, 25kg bags."}
    body = json.dumps(listing).encode()
    environ = EnvironBuilder(path="/api/v1/scan", method="POST", data=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Host": "127.0.0.1"}).get_environ()

    def call():
        e = dict(environ, **{"wsgi.input": io.BytesIO(body)})
        return b"".join(app(e, lambda status, headers, exc=None: None))

    for _ in range(200):
        call()
        scanner.scan([listing])
    full, scan = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            call()
        full.append((time.perf_counter() - t) / calls * 1000)
        t = time.perf_counter()
        for _ in range(calls):
            scanner.scan([listing])
        scan.append((time.perf_counter() - t) / calls * 1000)
    print(f"WSGI call {min(full):.3f} ms, its scan {min(scan):.3f} ms: the app adds {min(full) - min(scan):.3f} ms "
          f"a call (best of {rounds} x {calls}; load {os.getloadavg()[0]:.1f})")


def main() -> None:
    from run import ensure_mix

    from store.db import open_store
    from store.tokens import add_token

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000, help="Listings of the benchmark mix posted per endpoint.")
    ap.add_argument("--clients", type=int, default=8, help="Concurrent HTTP clients (in another process).")
    ap.add_argument("--top", type=int, default=25, help="Functions listed by own time.")
    ap.add_argument("--wsgi", action="store_true",
                    help="Instead: what the app adds to a call, through its WSGI entry in one thread (no HTTP).")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="cpu: each thread's CPU time (what a call costs); wall: elapsed time, which adds the waits "
                         "for locks, the GIL and the disk (where a call's latency goes).")
    args = ap.parse_args()
    if args.clock == "cpu":
        _clock.append(time.thread_time)
    mix = ensure_mix(max(args.count, 5000), ROOT / "bench" / "data" / "mix-5000.jsonl")
    listings = [json.loads(line) for _, line in zip(range(args.count), open(mix, encoding="utf-8"))]
    db = Path(tempfile.mkdtemp(prefix="fentwatch-api-profile-")) / "store.db"
    conn = open_store(db)
    _, token, _ = add_token(conn, "profile", "bench", ["scan", "submit", "read"], rate_per_minute=10_000_000)
    conn.close()
    if args.wsgi:
        return wsgi_overhead(db, token)
    profiles: list[cProfile.Profile] = []
    server = serve(db, profiles)
    port = server.effective_port
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    try:
        for warm, path, batch in ((True, "/api/v1/scan", listings[:200]), (False, "/api/v1/scan", listings),
                                  (False, "/api/v1/listings", [dict(x, id=f"p-{i}") for i, x in enumerate(listings)])):
            profiles.clear()
            _phases.append(path)
            if not warm:
                _on.set()
            t0 = time.perf_counter()
            client = ctx.Process(target=post_all, args=(port, token, path, batch, args.clients, results))
            client.start()
            done = results.get()
            client.join()
            _on.clear()
            if warm:
                continue
            time.sleep(0.5)  # the last answers' threads leave their profiled calls
            st = stats_of(list(profiles))
            print(f"\n== {path}: {done['listings']} single-listing calls, {args.clients} clients, "
                  f"{done['per_second']} calls/s, p50 {done['p50_ms']} ms, p99 {done['p99_ms']} ms "
                  f"(under the profiler), {time.perf_counter() - t0:.1f} s, load {os.getloadavg()[0]:.1f}, "
                  f"{args.clock} time")
            print(report(st, done["listings"], args.top))
    finally:
        server.close()


if __name__ == "__main__":
    main()
