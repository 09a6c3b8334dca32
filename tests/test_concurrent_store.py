"""Concurrent writers: two crawls into one new store at once, `fentwatch rescan` run again and again, `users add`
and the review app signing moderators in, all real processes on one SQLite file; nothing is dropped and every run
record says finished."""

import http.cookiejar
import json
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request

import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.demo.site import build_site, corpus_listings
from tests.review_app import PASSWORD, ReviewServer, add_user
from warmrun import WARM_FENTWATCH

FENTWATCH = WARM_FENTWATCH  # forked from a warm process (warmrun.py)
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def migrated(db) -> bool:
    try:
        return "crawl_runs" in sqlite_utils.Database(db).table_names() and \
            sqlite_utils.Database(db)["_sqlite_migrations"].count >= 5
    except sqlite3.Error:
        return False


def test_two_crawls_rescans_and_the_review_app_share_one_store(tmp_path):
    listings = corpus_listings(120)
    root = tmp_path / "site"
    build_site(root, listings)
    expected = {x["id"] for x in listings if x["platform"] in ("catalog", "b2b")}
    db = tmp_path / "shared.db"  # does not exist yet: both crawls create and migrate it at once
    rescans, responses = [], []
    with DemoServer(root) as server:
        crawls = [subprocess.Popen(FENTWATCH + ["crawl", f"{server.url}/{name}/page-1.html", "--spider", name,
                                                "--db", str(db)] + FAST,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for name in ("catalog", "b2b")]
        try:
            deadline = time.monotonic() + 300
            while not migrated(db):
                assert time.monotonic() < deadline and all(c.poll() is None for c in crawls)
                time.sleep(0.1)
            add_user(db, "ann", "lead")
            review = ReviewServer(db)
            try:
                jar = http.cookiejar.CookieJar()
                browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
                while any(c.poll() is None for c in crawls) or len(rescans) < 2:
                    rescans.append(subprocess.run(FENTWATCH + ["rescan", "--db", str(db)], capture_output=True,
                                                  text=True, timeout=300))
                    form = urllib.parse.urlencode({"user": "ann", "password": PASSWORD}).encode()
                    for url, data in ((review.url + "/login", form), (review.url + "/queue", None)):
                        with browser.open(url, data=data, timeout=60) as r:  # a sign-in writes a session
                            responses.append(r.status)
            finally:
                review.close()
            results = [c.communicate(timeout=300) for c in crawls]
        finally:
            for c in crawls:
                c.kill()
    for c, (out, err) in zip(crawls, results):
        assert c.returncode == 0, err[-3000:]
        assert "database is locked" not in err
    assert all(r.returncode == 0 for r in rescans), [r.stderr[-1000:] for r in rescans if r.returncode]
    assert responses and set(responses) == {200}
    store = sqlite_utils.Database(db)
    stored = {r["url"].rsplit("/", 1)[-1].removesuffix(".html") for r in store.query("select url from listings")}
    assert stored == expected  # nothing dropped
    runs = list(store.query("select spider, status, stats from crawl_runs order by spider"))
    assert [(r["spider"], r["status"]) for r in runs] == [("b2b", "finished"), ("catalog", "finished")]
    for r in runs:
        stats = json.loads(r["stats"])
        assert not stats.get("item_dropped_count") and not stats.get("fentwatch/store_errors")
    assert store["sessions"].count >= 2 and store["rescan_runs"].count == len(rescans)
