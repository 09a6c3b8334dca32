"""The crawl pair: fentwatch's crawl (detection and storage on) against a bare spider that only fetches pages and
extracts their text, on the same demo marketplace served by the same local server, in one run.

    python bench/crawl.py --listings 2000

The site is served by Twisted's static web server in its own process (a faster server than http.server).
Prints pages/s for both crawls and their ratio, listings/s and peak memory; writes bench/results/crawl-<date>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import FENTWATCH, _tree_rss_kb  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the settings both crawls of a pair run with: our own loopback server, no need to wait between requests
CRAWL_SETTINGS = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                  "--set", "LOG_LEVEL=WARNING"]
BARE = ["--set", "ITEM_PIPELINES={}"]


@contextlib.contextmanager
def demo_site(n_listings: int):
    """The demo marketplace with ``n_listings`` (corpus + ordinary, shuffled), served by Twisted's static web
    server in its own process on a free loopback port: yields (start URL, listings)."""
    from crawler.demo.site import build_site, demo_listings

    listings = demo_listings(ordinary=max(0, n_listings - 435))
    random.Random(3).shuffle(listings)
    site = Path(tempfile.mkdtemp(prefix="fentwatch-bench-site-"))
    build_site(site, listings, oversized_mb=6)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "twisted", "web", "--path", str(site), "--listen",
                               f"tcp:{port}:interface=127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        yield f"http://127.0.0.1:{port}/index.html", listings
    finally:
        server.terminate()
        shutil.rmtree(site, ignore_errors=True)


def crawl(url: str, db: Path, extra: list[str]) -> dict:
    args = FENTWATCH + ["crawl", url, "--db", str(db)] + CRAWL_SETTINGS + extra
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        py, java = _tree_rss_kb(proc.pid)
        peak = max(peak, py + java)
        time.sleep(0.2)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed: {err[-2000:]}")
    m = re.search(r"crawled (\d+) pages in ([\d.]+) s", out)  # spider open to close: start-up not counted
    pages, seconds = int(m.group(1)), float(m.group(2))
    listings = int(re.search(r": (\d+) listings,", out).group(1))
    return {"pages": pages, "crawl_seconds": seconds, "pages_per_s": round(pages / seconds),
            "listings": listings, "wall_seconds_with_start": round(wall, 2), "peak_mb": round(peak / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=int, default=2000, help="listings on the demo site (corpus + ordinary)")
    ap.add_argument("--repeat", type=int, default=3, help="pairs of crawls; the median pair is reported")
    ap.add_argument("--scan-workers", type=int, default=None, help="FENTWATCH_SCAN_WORKERS for the fentwatch crawl")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    with demo_site(args.listings) as (url, listings):
        work = Path(tempfile.mkdtemp(prefix="fentwatch-bench-"))
        pairs = []
        for i in range(args.repeat):  # alternate the two, so that a slow spell of the machine hits both
            bare = crawl(url, work / f"bare{i}.db", BARE)
            full = crawl(url, work / f"full{i}.db", [] if args.scan_workers is None else
                         ["--set", f"FENTWATCH_SCAN_WORKERS={args.scan_workers}"])
            pairs.append((full["pages_per_s"] / bare["pages_per_s"], bare, full))
        pairs.sort(key=lambda p: p[0])
        ratio, bare, full = pairs[len(pairs) // 2]
        all_ratios = [round(p[0], 2) for p in pairs]
    results = {"ratios": all_ratios, "date": dt.date.today().isoformat(), "site_listings": len(listings),
               "bare": bare, "fentwatch": full, "ratio": round(ratio, 3)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"crawl-{results['date']}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"crawl pair on {len(listings)} listings ({bare['pages']} pages), one Scrapy process each:")
    print(f"  bare spider (fetch + extract text)         {bare['pages_per_s']:>6} pages/s  peak {bare['peak_mb']} MB")
    print(f"  fentwatch crawl (+ detection + storage)    {full['pages_per_s']:>6} pages/s  peak {full['peak_mb']} MB"
          f"  {full['listings'] / full['crawl_seconds']:.0f} listings/s")
    print(f"  ratio {ratio:.2f}, the median pair of {all_ratios} (goal: at least 0.80)")


if __name__ == "__main__":
    main()
