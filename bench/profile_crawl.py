"""Where a fentwatch crawl spends its time: py-spy samples the crawl of the demo marketplace (detection and
storage on) and prints the share of the crawler's CPU time per stage.

    python bench/profile_crawl.py --listings 2000      # or: make profile

The site is served by Twisted's static web server in its own process, as in bench/crawl.py. py-spy records the
crawl process at 200 Hz (CPU-active samples only) in raw "collapsed stack" form, kept in bench/results/; a stage's
share is the fraction of samples inside the reactor whose stack passes through that stage's code.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.crawl import BARE, CRAWL_SETTINGS, demo_site  # noqa: E402
from bench.run import FENTWATCH  # noqa: E402

# stage -> a piece of a frame (function and file) that marks it; the first match in this order names the stage
STAGES = [
    ("detection (DetectPipeline)", "DetectPipeline._scan_pending"),
    ("storage (StorePipeline)", "StorePipeline.process_item"),
    ("listing extraction (crawler/extract.py)", "crawler/extract.py"),
    ("link extraction (Scrapy LinkExtractor)", "linkextractors/lxmlhtml.py"),
    ("spider middlewares (depth, referer, offsite ...)", "spidermiddlewares/"),
    ("downloader (Twisted HTTP client, middlewares)", "scrapy/core/downloader"),
    ("engine, scheduler, signals", "scrapy/core/"),
]
OTHER = "other (Twisted, asyncio, Scrapy glue)"


def stage_shares(raw: Path) -> tuple[float, list[tuple[str, float]]]:
    """(CPU seconds in the reactor, [(stage, share)]) from a py-spy raw file."""
    counts: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, n = line.rsplit(" ", 1)
        if "twisted/internet" not in stack and "asyncio/base_events" not in stack:
            continue  # start-up and shutdown, outside the event loop
        total += int(n)
        counts[next((name for name, mark in STAGES if mark in stack), OTHER)] += int(n)
    names = [name for name, _ in STAGES] + [OTHER]
    return total / 200, [(name, counts[name] / total) for name in names] if total else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=int, default=2000, help="listings on the demo site (corpus + ordinary)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        raise SystemExit("py-spy is not installed: pip install py-spy (make profile does it)")
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    with demo_site(args.listings) as (url, listings):
        work = Path(tempfile.mkdtemp(prefix="fentwatch-profile-"))
        for mode, extra in (("fentwatch", []), ("bare", BARE)):
            raw = args.out / f"profile-{mode}-{dt.date.today().isoformat()}.txt"
            subprocess.run([py_spy, "record", "-r", "200", "--format", "raw", "-o", str(raw), "--"] + FENTWATCH +
                           ["crawl", url, "--db", str(work / f"{mode}.db")] + CRAWL_SETTINGS + extra,
                           check=True, capture_output=True)
            results[mode] = stage_shares(raw)
    for mode, (seconds, shares) in results.items():
        print(f"{mode} crawl of {len(listings)} listings: {seconds:.1f} CPU-s in the event loop")
        for name, share in shares:
            print(f"  {share * 100:5.1f}%  {seconds * share:6.2f} s  {name}")
    full, bare = results["fentwatch"][0], results["bare"][0]
    print(f"CPU per crawl: fentwatch {full:.1f} s, bare {bare:.1f} s: a ratio of {bare / full:.2f} when the crawler is "
          f"CPU-bound")


if __name__ == "__main__":
    main()
