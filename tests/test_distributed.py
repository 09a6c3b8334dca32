"""Distributed mode with real parts: a real redis-server (conftest), real crawler processes sharing one frontier
against the demo marketplace on 127.0.0.1, a real store worker writing a real SQLite store.

The processes' overlap is guaranteed, not hoped for: the site server holds its answers at a barrier (``Gate``) that
reads the crawl's own registrations in Redis, so no crawler can finish the site before the other has joined,
however fast or loaded the machine is."""

import json
import os
import re
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.site import LABELS, build_site, corpus_listings
from gates import FirstPages, Gate, gated_server
from warmrun import WARM_FENTWATCH, command_pid, warm_with_pid

# every process is forked from a warm one (warmrun.py), their start-up not being the subject: still a process each,
# with its own Redis registration; the crawler and the store worker that are killed are killed themselves (their own
# pids, warmrun.command_pid)
# two requests at a time per process, so that two processes really split the work
# a download timeout longer than any wait at the barrier: a timed-out request would be retried (fetched twice)
SHARED = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS=2", "--set", "LOG_LEVEL=INFO",
          "--set", "DOWNLOAD_TIMEOUT=600"]
# the heartbeat: short for the crawler that is killed (its requests are queued again 2 s after the kill; a thread beats
# it, so a warm fork starting OPSIN's JVM on its first name does not lapse it); long for the others
KILLED_HEARTBEAT, LIVE_HEARTBEAT = 2, 30
BARRIER_TIMEOUT = 300  # a barrier never reached answers anyway, and the test's assertions say what went wrong


class RedisGate(Gate):
    """The barrier, reading the crawl's own registrations in Redis."""

    def __init__(self, redis_url: str):
        import redis

        super().__init__(timeout=BARRIER_TIMEOUT)
        self.redis = redis.Redis.from_url(redis_url)
        self.busy: set[str] = set()  # workers seen with a request in flight (held here, so not missed by polling)

    def workers(self) -> set[str]:
        """The registered crawler processes of the (one) crawl in this Redis database."""
        return {w.decode() for key in self.redis.scan_iter("fentwatch:crawl:*:workers") for w in
                self.redis.smembers(key)}

    def note_busy(self) -> set[str]:
        for key in self.redis.scan_iter("fentwatch:crawl:*:workers"):
            base = key.decode().rsplit(":", 1)[0]
            for w in self.redis.smembers(key):
                if self.redis.hlen(f"{base}:inflight:{w.decode()}"):
                    self.busy.add(w.decode())
        return self.busy


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    listings = corpus_listings(30)  # enough for two processes to split and for a kill midway (20 pages in)
    root = tmp_path_factory.mktemp("dsite")
    build_site(root, listings, oversized_mb=6)
    labels = {json.loads(x)["id"]: json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines()}
    return root, {x["id"]: labels[x["id"]]["flag"] for x in listings}


def crawler(url, redis_url, extra=(), pid_file=None):
    """A crawler forked from a warm one; with ``pid_file``, the one to be killed: its own pid written there."""
    heartbeat = KILLED_HEARTBEAT if pid_file else LIVE_HEARTBEAT
    return subprocess.Popen((warm_with_pid(pid_file) if pid_file else WARM_FENTWATCH) + ["crawl", url, "--redis",
                                                                                        redis_url] + SHARED
                            + ["--set", f"FENTWATCH_REDIS_HEARTBEAT={heartbeat}"] + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def worker(redis_url, db, idle=None, pid_file=None):
    """A store worker forked from a warm one; with ``pid_file``, one whose own pid is written there (to be killed)."""
    args = (warm_with_pid(pid_file) if pid_file else WARM_FENTWATCH) + ["store-worker", "--redis", redis_url, "--db",
                                                                       str(db), "--batch", "5"]
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
    gate = RedisGate(redis_url)

    joined, overlapped = [False], [False]  # latched: a process that finishes leaves the registrations

    def allow(path):
        joined[0] = joined[0] or len(gate.workers()) >= 2  # nothing is answered before both have registered
        if not joined[0]:
            return False
        # the home page opens the frontier; every other page waits until both processes have taken work from it
        overlapped[0] = overlapped[0] or len(gate.note_busy()) >= 2
        return path in ("/robots.txt", "/index.html") or overlapped[0]

    gate.allow = allow
    with gated_server(root, gate) as server:
        a = crawler(f"{server.url}/index.html", redis_url)
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
    gate = RedisGate(redis_url)
    gate.allow = FirstPages(20)  # the first 20 listing pages, then nothing until the kill and the restart
    with gated_server(root, gate) as server:
        url = f"{server.url}/index.html"
        a, b = crawler(url, redis_url, pid_file=tmp_path / "crawler.pid"), crawler(url, redis_url)
        w = worker(redis_url, db_file, pid_file=tmp_path / "worker.pid")
        crawler_pid, worker_pid = command_pid(tmp_path / "crawler.pid", a), command_pid(tmp_path / "worker.pid", w)
        deadline = time.monotonic() + BARRIER_TIMEOUT
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if db_file.exists() and "listings" in sqlite_utils.Database(db_file).table_names() and \
                    sqlite_utils.Database(db_file)["listings"].count >= 10:
                break
        with gate.lock:  # from here on nothing is answered until the restarted crawler has registered
            before = gate.workers()
            rejoined = [False]

            def after_restart(path):
                rejoined[0] = rejoined[0] or bool(gate.workers() - before)
                return rejoined[0]

            gate.allow = after_restart
        os.kill(crawler_pid, signal.SIGKILL)  # the crawl process itself
        os.kill(worker_pid, signal.SIGKILL)  # the store worker process itself
        a.communicate()
        w.communicate()
        assert a.returncode == w.returncode == -signal.SIGKILL  # both died of the kill, not of something else
        stored_before = sqlite_utils.Database(db_file)["listings"].count
        assert 10 <= stored_before < len(truth), "the crawl was not interrupted midway"
        assert b.poll() is None  # the other crawler is still at work when the killed one comes back
        finish(crawler(url, redis_url))  # the killed crawler, started again
        finish(b)
        out = finish(worker(redis_url, db_file, idle=1))  # the killed worker, started again: finds all waiting
    assert store_state(db_file) == store_state(uninterrupted[0])  # the same store as the uninterrupted run
    db = sqlite_utils.Database(db_file)
    assert db.execute("select count(*) from listings").fetchone()[0] == len(truth)
    run = list(db.query("select * from crawl_runs"))
    assert len(run) == 1 and run[0]["status"] == "finished"
    assert "stored" in out
