"""Distributed crawling: 1, 2 and 4 `fentwatch crawl --redis` processes sharing one frontier on a real
redis-server, with `fentwatch store-worker` storing, against the demo marketplace served by a multi-threaded server
(http.server's ThreadingHTTPServer) in its own process. pages/s is pages served over the time from the first
request to the last, so process start-up is not counted.

    python bench/distributed.py --listings 2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FENTWATCH = [sys.executable, "-m", "fentwatch"]
SERVER = """
import json, sys, threading, time
from pathlib import Path
from crawler.demo.server import DemoServer, _Handler
times = []
log = _Handler.log_request
def timed(self, code="-", size="-"):
    times.append(time.monotonic())
    log(self, code, size)
_Handler.log_request = timed
with DemoServer(Path(sys.argv[1]), port=int(sys.argv[2])) as s:
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps({"n": len(times), "span": times[-1] - times[0] if times else 0}), flush=True)
"""


def run(n: int, site: Path, port: int, redis_url: str, work: Path) -> dict:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(site), str(port)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    server.stdout.readline()
    url = f"http://127.0.0.1:{port}/index.html"
    args = FENTWATCH + ["crawl", url, "--redis", redis_url, "--set", "AUTOTHROTTLE_ENABLED=False",
                        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "LOG_LEVEL=WARNING"]
    worker = subprocess.Popen(FENTWATCH + ["store-worker", "--redis", redis_url, "--db", str(work / f"{n}.db")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    crawlers = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                for _ in range(n)]
    for c in crawlers:
        c.communicate()
    out, _ = server.communicate("stop\n")
    served = json.loads(out.strip().splitlines()[-1])
    worker.terminate()
    worker.wait()
    return {"processes": n, "pages": served["n"], "seconds": round(served["span"], 2),
            "pages_per_s": round(served["n"] / served["span"])}


def main() -> None:
    import redis

    from crawler.demo.site import build_site, demo_listings
    from tests.conftest import free_port

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=int, default=2000)
    ap.add_argument("--processes", default="1,2,4")
    args = ap.parse_args()
    listings = demo_listings(ordinary=max(0, args.listings - 435))
    random.Random(3).shuffle(listings)
    site = Path(tempfile.mkdtemp(prefix="fentwatch-dbench-site-"))
    work = Path(tempfile.mkdtemp(prefix="fentwatch-dbench-"))
    build_site(site, listings, oversized_mb=6)
    rport = free_port()
    rserver = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(rport), "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    redis_url = f"redis://127.0.0.1:{rport}/0"
    results = []
    try:
        time.sleep(0.5)
        for n in [int(x) for x in args.processes.split(",")]:
            redis.Redis.from_url(redis_url).flushdb()
            results.append(run(n, site, free_port(), redis_url, work))
            print(f"  {n} crawler process(es): {results[-1]['pages']} pages in {results[-1]['seconds']} s, "
                  f"{results[-1]['pages_per_s']} pages/s", flush=True)
    finally:
        rserver.terminate()
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print(f"on {os.cpu_count()} cores; {len(listings)} listings")


if __name__ == "__main__":
    main()
