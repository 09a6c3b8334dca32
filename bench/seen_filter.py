"""Memory of the seen-request filter per million URLs, measured on a real redis-server (needs redis-server on
PATH): scrapy-redis's own filter (a Redis set of 40-character SHA-1 fingerprints) against fentwatch's Bloom filter.

    python bench/seen_filter.py --urls 1000000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    import redis
    from scrapy import Request
    from scrapy.utils.request import RequestFingerprinter

    from crawler.distributed import BloomDupeFilter
    from tests.conftest import free_port

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--urls", type=int, default=1_000_000)
    args = ap.parse_args()
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        r = redis.Redis(port=port)
        fp = RequestFingerprinter()
        base = r.info("memory")["used_memory"]
        pipe = r.pipeline(transaction=False)
        for i in range(args.urls):  # what scrapy_redis.dupefilter.RFPDupeFilter stores
            pipe.sadd("set", fp.fingerprint(Request(f"https://marketplace.example/item/{i}.html")).hex()[:40])
            if i % 10000 == 9999:
                pipe.execute()
        pipe.execute()
        set_bytes = r.info("memory")["used_memory"] - base
        r.flushall()
        base = r.info("memory")["used_memory"]
        t0 = time.perf_counter()
        df = BloomDupeFilter(r, "bloom", "bloom-count", 10_000_000, 1e-6, fp)
        n = min(args.urls, 100_000)
        for i in range(n):
            df.request_seen(Request(f"https://marketplace.example/item/{i}.html"))
        rate = n / (time.perf_counter() - t0)
        bloom_bytes = r.info("memory")["used_memory"] - base
    finally:
        proc.terminate()
    per_m = 1_000_000 / args.urls
    print(f"seen-request filter, {args.urls:,} URLs:")
    print(f"  scrapy-redis set of fingerprints   {set_bytes * per_m / 2**20:7.1f} MB per million URLs "
          f"({set_bytes / args.urls:.0f} bytes/URL), growing with the crawl")
    print(f"  fentwatch Bloom filter (10M URLs at 1e-6)  {bloom_bytes / 2**20:7.1f} MB in all, fixed "
          f"({bloom_bytes / 10_000_000:.1f} bytes/URL at capacity); {rate:,.0f} checks/s from one process")


if __name__ == "__main__":
    main()
