"""Real crawls: Scrapy against the demo marketplace served on 127.0.0.1, detection and a real SQLite store."""

import json
import subprocess
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.demo.site import LABELS, build_site, corpus_listings
from clirun import fentwatch
from gates import FirstPages, Gate, gated_server
from warmrun import WARM_FENTWATCH

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """60 labeled listings (in all three layouts) and one oversized page, small enough for a quick crawl."""
    listings = corpus_listings(60)
    root = tmp_path_factory.mktemp("site")
    info = build_site(root, listings, oversized_mb=6)
    labels = {json.loads(x)["id"]: json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines()}
    return root, info, {x["id"]: labels[x["id"]]["flag"] for x in listings}


def crawl(url: str, db: Path, spider: str = "generic", extra: list[str] = ()):
    proc = subprocess.run(WARM_FENTWATCH + ["crawl", url, "--db", str(db), "--spider", spider] + FAST + list(extra),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_generic_crawl_stores_every_listing_with_the_labeled_flags(site, tmp_path):
    root, info, truth = site
    db_file = tmp_path / "crawl.db"
    with DemoServer(root) as server:
        proc = crawl(f"{server.url}/index.html", db_file)
        requested = list(server.requests)
    db = sqlite_utils.Database(db_file)
    rows = {Path(r["url"]).stem: r for r in db.query("select * from listings")}
    assert set(rows) == set(truth)  # every listing page, and nothing else (no index, noise or 404 page)
    assert {k: bool(r["flagged"]) for k, r in rows.items()} == truth
    assert not [p for p in requested if "/private/" in p or "/drafts/" in p]  # robots.txt obeyed
    assert "/robots.txt" in requested
    assert "skipped (DownloadCancelledError)" in proc.stdout  # the oversized page, dropped with its reason
    assert "3 not found (404/410)" in proc.stdout
    (run,) = db.query("select * from crawl_runs")
    assert run["spider"] == "generic" and run["listings"] == len(truth) and run["status"] == "finished"
    assert db["snapshots"].count == len(truth)
    versions = {(h["detector_version"], h["lexicon_version"]) for h in db.query("select * from hits")}
    assert len(versions) == 1 and all(versions.pop())  # every hit says which detector and lexicon found it


def test_recrawl_of_an_unchanged_site_stores_nothing_twice(site, tmp_path):
    root, _, truth = site
    db_file = tmp_path / "again.db"
    with DemoServer(root, port=0) as server:
        crawl(f"{server.url}/catalog/page-1.html", db_file, spider="catalog")
        crawl(f"{server.url}/catalog/page-1.html", db_file, spider="catalog")
    db = sqlite_utils.Database(db_file)
    counts = list(db.query("select count(*) n, min(times_seen) lo, max(times_seen) hi from listings"))[0]
    assert counts["n"] == sum(1 for k in truth if (root / "catalog" / "product" / f"{k}.html").exists())
    assert counts["lo"] == counts["hi"] == 2
    assert db["snapshots"].count == counts["n"] and db["crawl_runs"].count == 2


def test_export_cli_after_a_crawl_that_scans_in_a_worker_process(site, tmp_path):
    root, _, truth = site
    db_file = tmp_path / "export.db"
    with DemoServer(root) as server:
        crawl(f"{server.url}/index.html", db_file, extra=["--set", "FENTWATCH_SCAN_WORKERS=1"])
    out = fentwatch("export", "--db", db_file, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == sum(truth.values()) and all(r["flagged"] and r["hits"] for r in rows)
    csv_out = fentwatch("export", "--db", db_file, "--all", "--format", "csv", check=True).stdout
    assert csv_out.splitlines()[0].startswith("id,url,platform,seller,price,title,flagged") and len(csv_out.splitlines()) == 61
    missing = fentwatch("export", "--db", tmp_path / "none.db")
    assert missing.exit_code != 0 and "no store" in missing.stderr


def test_demo_command_end_to_end(demo_run):
    proc = demo_run  # conftest.py: one real `fentwatch demo` for the session
    assert proc.returncode == 0, proc.stderr[-3000:]
    labels = [json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines()]
    assert f"635 listings, {sum(x['flag'] for x in labels)} flagged" in proc.stdout
    assert "disallowed by robots.txt" in proc.stdout and "flagged by platform: " in proc.stdout


def test_sitemap_spider_reads_every_listing_the_sitemap_names(site, tmp_path):
    root, info, truth = site
    db_file = tmp_path / "sitemap.db"
    with DemoServer(root) as server:
        crawl(f"{server.url}/sitemap.xml", db_file, spider="sitemap")
        requested = set(server.requests)
    db = sqlite_utils.Database(db_file)
    assert {Path(r["url"]).stem for r in db.query("select url from listings")} == set(truth)
    assert not any("page-" in p for p in requested)  # no index page needed


def test_interrupted_crawl_resumes_without_losing_or_refetching(site, tmp_path):
    import signal
    import time

    root, _, truth = site
    db_file, jobdir = tmp_path / "resume.db", tmp_path / "job"
    # the site answers 24 listing pages, then holds the rest until the stop: the crawl is stopped midway however
    # fast the machine is (the download timeout outlasts the hold: a timed-out page would be fetched twice)
    gate = Gate(FirstPages(24))
    with gated_server(root, gate) as server:
        # both runs are processes of their own forked from a warm one (warmrun.py: the client forwards the SIGINT to
        # the crawl process); the start-up is not the subject, the stop and the resume are
        args = WARM_FENTWATCH + ["crawl", f"{server.url}/index.html", "--db", str(db_file), "--jobdir", str(jobdir),
                                 "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_TIMEOUT=600"]
        slow = subprocess.Popen(args + ["--set", "CONCURRENT_REQUESTS=1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        stored = 0
        while time.monotonic() < deadline and slow.poll() is None:
            time.sleep(0.05)
            if db_file.exists():
                stored = sqlite_utils.Database(db_file)["listings"].count if "listings" in sqlite_utils.Database(
                    db_file).table_names() else 0
                if stored >= 15:
                    break
        slow.send_signal(signal.SIGINT)  # Ctrl-C once: a clean stop that keeps the queue in JOBDIR
        with gate.lock:
            gate.allow = lambda path: True  # the page in flight is answered; the stopping crawl asks for no more
        slow.communicate(timeout=120)
        first = sqlite_utils.Database(db_file)["listings"].count
        assert 15 <= first < len(truth), "the crawl was not interrupted midway"
        subprocess.run(args, capture_output=True, text=True, check=True, timeout=600)  # the resumed crawl
        requested = list(server.requests)
    db = sqlite_utils.Database(db_file)
    rows = list(db.query("select url, times_seen from listings"))
    assert {Path(r["url"]).stem for r in rows} == set(truth)  # nothing lost
    assert all(r["times_seen"] == 1 for r in rows)  # nothing stored twice
    listing_paths = [p for p in requested if "/product/" in p or "/offer/" in p or "/post/" in p]
    assert len(listing_paths) == len(set(listing_paths))  # nothing fetched twice
