"""The generic extraction on the real shop pages of ``../shared/realhtml``: how many product pages become listings,
how many other pages wrongly do, and whether the stored title, price and CAS are right; the pages kept out of
tuning (``tests/realhtml.py: HELD_OUT``) are scored apart. Then, with ``--crawl``, pages/s of a plain crawl and of
a ``--render`` crawl of the folder served on 127.0.0.1, with peak memory (the crawl process and its children).

    python bench/realhtml.py [--crawl] [--repeat N]

Runs against whatever ``crawler`` package is first on the path (PYTHONPATH=<checkout> compares two checkouts).
No network but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from realhtml import HELD_OUT, PRICES, family, pages, require  # noqa: E402


def amounts(text) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text or "")]


def score() -> dict:
    from scrapy.http import HtmlResponse

    from crawler.extract import parse_listing
    from crawler.items import ListingItem

    out = {}
    for part in ("tuned", "held-out"):
        rows = [r for r in pages() if (family(r) in HELD_OUT) == (part == "held-out")]
        s = {"product pages": 0, "stored": 0, "other pages": 0, "others stored": 0, "title has the product": 0,
             "price right": 0, "price printed": 0, "CAS in text": 0, "CAS printed": 0}
        for row in rows:
            body = (require() / "site" / row["path"]).read_bytes()
            url = row["url"] or f"https://{row['site']}/{row['path']}"
            item = parse_listing(HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}))
            stored = isinstance(item, ListingItem)
            if not row["is_listing"]:
                s["other pages"] += 1
                s["others stored"] += stored
                continue
            s["product pages"] += 1
            s["stored"] += stored
            s["price printed"] += 1
            s["CAS printed"] += bool(row["cas"])
            if stored:
                s["title has the product"] += row["product"].lower() in item.title.lower()
                s["price right"] += amounts(item.price) == [float(x) for x in PRICES[row["path"]]]
                s["CAS in text"] += bool(row["cas"]) and row["cas"] in item.text
        out[part] = s
    return out


def _rss_tree_kb(pid: int) -> int:
    total = 0
    for p in [pid] + [int(x) for x in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                     text=True).stdout.split()]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        if p != pid:  # Chromium's own children
            total += sum(_rss_tree_kb(int(c)) for c in subprocess.run(
                ["pgrep", "-P", str(p)], capture_output=True, text=True).stdout.split())
    return total


def crawl(render: bool) -> dict:
    from crawler.demo.server import DemoServer

    with tempfile.TemporaryDirectory() as tmp, DemoServer(require() / "site") as server:
        cmd = [sys.executable, "-m", "fentwatch", "crawl", f"{server.url}/index.html", "--db", f"{tmp}/b.db",
               "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
               "--set", "LOG_LEVEL=WARNING"] + (["--render"] if render else [])
        t0 = time.monotonic()
        log = open(f"{tmp}/crawl.log", "w")  # a file, not a pipe: a full pipe would stall the crawl
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _rss_tree_kb(proc.pid))
            time.sleep(0.2)
        log.close()
        wall = time.monotonic() - t0
        import sqlite_utils

        db = sqlite_utils.Database(f"{tmp}/b.db")
        (run,) = db.query("select stats from crawl_runs")
        stats = json.loads(run["stats"])
        pages_ = stats.get("response_received_count", 0)
        return {"pages": pages_, "seconds": round(stats.get("elapsed_time_seconds", wall), 2),
                "pages/s": round(pages_ / max(stats.get("elapsed_time_seconds", wall), 1e-9), 1),
                "listings": db["listings"].count, "peak RSS MB": round(peak / 1024), "exit": proc.returncode}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crawl", action="store_true", help="also time a plain and a --render crawl of the folder")
    ap.add_argument("--repeat", type=int, default=1, help="crawls of each kind (the best is kept)")
    args = ap.parse_args()
    print(json.dumps(score(), indent=1))
    if args.crawl:
        for render in (False, True):
            best = max((crawl(render) for _ in range(args.repeat)), key=lambda r: r["pages/s"])
            print("render" if render else "plain", json.dumps(best))


if __name__ == "__main__":
    main()
