"""Distributed mode with real parts: a real redis-server (conftest), real crawler processes sharing one frontier
against the demo marketplace on 127.0.0.1, a real store worker writing a real SQLite store."""

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.demo.site import CORPUS, LABELS, build_site

FENTWATCH = [sys.executable, "-m", "fentwatch"]
# two requests at a time per process, so that two processes really split the work
SHARED = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS=2", "--set", "LOG_LEVEL=INFO",
          "--set", "FENTWATCH_REDIS_HEARTBEAT=2"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    listings = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()[:60]]
    root = tmp_path_factory.mktemp("dsite")
    build_site(root, listings, oversized_mb=6)
    labels = {json.loads(x)["id"]: json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines()}
    return root, {x["id"]: labels[x["id"]]["flag"] for x in listings}


def crawler(url, redis_url, extra=()):
    return subprocess.Popen(FENTWATCH + ["crawl", url, "--redis", redis_url] + SHARED + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def worker(redis_url, db, idle=None):
    args = FENTWATCH + ["store-worker", "--redis", redis_url, "--db", str(db), "--batch", "5"]
    if idle is not None:
        args += ["--exit-when-idle", str(idle)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    return out


def store_state(db_file):
    """What an uninterrupted run and a crashed-and-restarted one must agree on."""
    db = sqlite_utils.Database(db_file)
    listings = {r["url"].split("/", 3)[3]: (r["flagged"], r["score"], r["status"], r["content_hash"])
                for r in db.query("select * from listings")}
    hits = Counter((r["url"].split("/", 3)[3], r["substance"], r["method"], r["matched"]) for r in db.query(
        "select l.url, h.substance, h.method, h.matched from hits h join listings l on l.id = h.listing_id "
        "where h.current = 1"))
    return listings, hits


@pytest.fixture(scope="module")
def uninterrupted(site, tmp_path_factory, redis_server):
    """Two crawler processes and a store worker, nothing killed: the reference store, and the server's log."""
    import redis

    root, truth = site
    db_file = tmp_path_factory.mktemp("ref") / "ref.db"
    redis_url = f"{redis_server}/1"  # its own database: the other tests empty /0
    redis.Redis.from_url(redis_url).flushdb()
    with DemoServer(root) as server:
        a = crawler(f"{server.url}/index.html", redis_url)
        time.sleep(1)
        b = crawler(f"{server.url}/index.html", redis_url)
        out_a, out_b = finish(a), finish(b)
        requested = list(server.requests)
    finish(worker(redis_url, db_file, idle=0.5))
    return db_file, requested, out_a, out_b, redis_url


def pages(out: str) -> int:
    return int(re.search(r"crawled (\d+) pages", out).group(1))


def test_two_crawlers_share_one_frontier_fetching_each_page_once(site, uninterrupted):
    root, truth = site
    db_file, requested, out_a, out_b, redis_url = uninterrupted
    assert pages(out_a) > 0 and pages(out_b) > 0, (out_a, out_b)  # both took part
    counts = Counter(p for p in requested if p != "/robots.txt")  # robots.txt: once per process, by design
    assert [p for p, n in counts.items() if n > 1] == []  # every page fetched exactly once
    assert "/index.html" in counts and not [p for p in counts if "/private/" in p or "/drafts/" in p]
    db = sqlite_utils.Database(db_file)
    rows = list(db.query("select url, flagged, times_seen from listings"))
    assert len(rows) == len({r["url"] for r in rows}) == len(truth)  # every listing, once
    assert {Path(r["url"]).stem: bool(r["flagged"]) for r in rows} == truth
    assert all(r["times_seen"] == 1 for r in rows) and db["snapshots"].count == len(truth)
    (run,) = db.query("select * from crawl_runs")  # one record for the crawl, from the last process to finish
    assert run["status"] == "finished" and run["listings"] == len(truth) and run["pages"] == pages(out_a) + pages(
        out_b)
    import redis

    r = redis.Redis.from_url(redis_url)
    assert [k for k in r.keys("fentwatch:crawl:*")] == []  # a finished crawl leaves no frontier behind
    assert r.llen("fentwatch:items") == r.llen("fentwatch:items:processing") == 0


def test_sigkill_of_a_crawler_and_the_store_worker_loses_nothing_and_stores_nothing_twice(site, uninterrupted,
                                                                                         redis_url, tmp_path):
    root, truth = site
    db_file = tmp_path / "crash.db"
    slow = ["--set", "DOWNLOAD_DELAY=0.25"]  # slow enough that the restarted crawler joins before the end
    with DemoServer(root) as server:
        url = f"{server.url}/index.html"
        a, b, w = crawler(url, redis_url, slow), crawler(url, redis_url, slow), worker(redis_url, db_file)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if db_file.exists() and "listings" in sqlite_utils.Database(db_file).table_names() and \
                    sqlite_utils.Database(db_file)["listings"].count >= 10:
                break
        a.send_signal(signal.SIGKILL)
        w.send_signal(signal.SIGKILL)
        a.communicate()
        w.communicate()
        stored_before = sqlite_utils.Database(db_file)["listings"].count
        assert 10 <= stored_before < len(truth), "the crawl was not interrupted midway"
        finish(crawler(url, redis_url, slow))  # the killed crawler, started again
        finish(b)
        out = finish(worker(redis_url, db_file, idle=1))  # the killed worker, started again: finds all waiting
    assert store_state(db_file) == store_state(uninterrupted[0])  # the same store as the uninterrupted run
    db = sqlite_utils.Database(db_file)
    assert db.execute("select count(*) from listings").fetchone()[0] == len(truth)
    run = list(db.query("select * from crawl_runs"))
    assert len(run) == 1 and run[0]["status"] == "finished"
    assert "stored" in out
