"""A crawl's outcome told truthfully, on real crawl processes: exit status and the run record say finished,
interrupted (SIGINT) or failed with why (unreachable start URL, a start URL that is not found), and
`fentwatch crawls --failed` finds it."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.demo.site import build_site, corpus_listings
from clirun import fentwatch
from gates import FirstPages, Gate, gated_server
from ports import refused_port
from warmrun import ENV_OWNER, ENV_SOCKET, WARM_FENTWATCH

FENTWATCH = [sys.executable, "-m", "fentwatch"]
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    listings = corpus_listings(40)
    root = tmp_path_factory.mktemp("site")
    build_site(root, listings)
    return root


def runs(db):
    return list(sqlite_utils.Database(db).query("select * from crawl_runs order by id"))


def test_a_crawl_whose_start_url_is_unreachable_fails_and_says_why(tmp_path):
    db = tmp_path / "s.db"
    with refused_port() as port:
        proc = subprocess.run(WARM_FENTWATCH + ["crawl", f"http://127.0.0.1:{port}/", "--db", str(db),
                                           "--set", "RETRY_TIMES=0"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "crawl failed: no page fetched: the start URLs failed (DownloadConnectionRefusedError" in proc.stderr
    assert "Traceback" not in proc.stderr
    (run,) = runs(db)
    assert run["status"] == "failed" and "start URLs failed" in run["reason"]
    listed = fentwatch("crawls", "--failed", "--db", db)
    assert listed.exit_code == 1 and "start URLs failed" in listed.stdout


def test_a_typo_in_the_start_url_path_fails(site, tmp_path):
    db = tmp_path / "s.db"
    with DemoServer(site) as server:
        proc = subprocess.run(WARM_FENTWATCH + ["crawl", f"{server.url}/catalgo/page-1.html", "--db", str(db)] + FAST,
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "crawl failed: 0 listings (minimum 1)" in proc.stderr
    assert runs(db)[0]["status"] == "failed"


def test_a_crawl_interrupted_with_sigint_exits_130_and_is_recorded_interrupted(site, tmp_path):
    db = tmp_path / "s.db"
    # the site answers 8 pages under a section (at least 4 of them listings: the others are 3 dead links and the
    # oversized page), then holds the rest until the interrupt: the crawl is still going when it is interrupted,
    # however fast the machine (the download timeout outlasts the hold), and at most 8 + 16 (CONCURRENT_REQUESTS)
    # of the 40 listings are fetched
    gate = Gate(FirstPages(8))
    with gated_server(site, gate) as server:
        proc = subprocess.Popen(FENTWATCH + ["crawl", f"{server.url}/index.html", "--db", str(db), "--set",
                                             "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_TIMEOUT=600"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            while True:  # wait until a listing is stored: the crawl is under way
                assert proc.poll() is None, proc.communicate()[1][-2000:]
                try:
                    if sqlite_utils.Database(db)["listings"].count >= 1:
                        break
                except sqlite3.OperationalError:
                    pass
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            with gate.lock:
                gate.allow = lambda path: True  # the pages in flight are answered; the stopping crawl asks for no more
            out, err = proc.communicate(timeout=120)
        finally:
            proc.kill()
    assert proc.returncode == 130, err[-2000:]
    assert "crawl interrupted" in err and "Traceback" not in err
    (run,) = runs(db)
    assert run["status"] == "interrupted" and run["listings"] < 40
    listed = fentwatch("crawls", "--failed", "--db", db)
    assert listed.exit_code == 1 and "interrupted" in listed.stdout


@pytest.fixture(scope="module")
def finished(site, tmp_path_factory):
    """One healthy crawl of the site with a job folder, run to its end, on a server kept for the module (the same
    URLs, so the job folder's seen-set matches them): its process, its store and its job folder, read by the
    healthy-crawl test and copied by the finished-job-folder test."""
    folder = tmp_path_factory.mktemp("finished")
    db, jobdir = folder / "s.db", folder / "job"
    with DemoServer(site) as server:
        args = ["crawl", f"{server.url}/index.html", "--db", str(db), "--jobdir", str(jobdir)] + FAST
        proc = subprocess.run(WARM_FENTWATCH + args, capture_output=True, text=True, timeout=300)
        yield proc, db, jobdir, args


def test_a_healthy_crawl_exits_0_and_is_recorded_finished(finished):
    proc, db, _, _ = finished
    assert proc.returncode == 0, proc.stderr[-2000:]
    (run,) = runs(db)
    assert run["status"] == "finished" and run["listings"] == 40


def test_a_finished_jobdir_starts_a_fresh_crawl_instead_of_fetching_nothing(finished, tmp_path):
    first, first_db, first_jobdir, args = finished
    assert first.returncode == 0, first.stderr[-2000:]
    assert (first_jobdir / "fentwatch-finished").exists()
    # this test's own copy of the finished crawl's store and job folder, crawled again with the same URLs
    db, jobdir = tmp_path / "s.db", tmp_path / "job"
    src, dst = sqlite3.connect(first_db), sqlite3.connect(db)
    src.backup(dst)  # (whatever the store's journal mode)
    src.close()
    dst.close()
    shutil.copytree(first_jobdir, jobdir)
    args = [str(db) if a == str(first_db) else str(jobdir) if a == str(first_jobdir) else a for a in args]
    second = subprocess.run(WARM_FENTWATCH + args, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "had finished: starting a fresh crawl" in second.stderr
    assert [(r["status"], r["listings"]) for r in runs(db)] == [("finished", 40), ("finished", 40)]


def test_quiet_output_without_v_and_scrapy_info_with_it(site, tmp_path):
    with DemoServer(site) as server:
        args = WARM_FENTWATCH + ["crawl", f"{server.url}/catalog/page-1.html", "--spider", "catalog"] + FAST
        quiet = subprocess.run(args + ["--db", str(tmp_path / "q.db")], capture_output=True, text=True, timeout=300)
        loud = subprocess.run(args + ["--db", str(tmp_path / "l.db"), "-v"], capture_output=True, text=True,
                              timeout=300)
    assert quiet.returncode == 0 and loud.returncode == 0
    assert "] INFO: " not in quiet.stderr and "crawled" in quiet.stdout
    progress = [x for x in quiet.stderr.splitlines() if x.endswith("pages/s")]
    assert all(x.startswith("  catalog: ") for x in progress)  # every progress line names its spider
    assert "[scrapy.core.engine] INFO: Spider opened" in loud.stderr


def test_demo_refuses_to_delete_a_store_with_accounts_naming_db_and_fresh(tmp_path):
    (tmp_path / "out").mkdir()
    store = tmp_path / "out" / "demo.db"
    fentwatch("users", "add", "ann", "--db", store, input="a long enough passphrase\n", check=True)
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[1]), "PATH": "/usr/bin:/bin"}
    # forked from the warm zygote (the refusal, not the start-up, is the subject; the demo run itself is plain)
    env.update({k: os.environ[k] for k in (ENV_SOCKET, ENV_OWNER)})
    proc = subprocess.run(WARM_FENTWATCH + ["demo"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode == 1
    assert "out/demo.db holds 1 account(s): the demo would delete them" in proc.stderr
    assert "--db" in proc.stderr and "--fresh" in proc.stderr
    assert sqlite_utils.Database(store)["users"].count == 1  # kept


def test_demo_output_is_quiet_and_names_each_spider(demo_run):
    proc = demo_run  # conftest.py: one real `fentwatch demo` for the session
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "] INFO: " not in proc.stderr and "Traceback" not in proc.stderr
    assert "flagged by platform" in proc.stdout
    progress = [x for x in proc.stderr.splitlines() if x.endswith("pages/s")]
    assert all(x.split(":")[0].strip() in ("catalog", "b2b", "board") for x in progress)


@pytest.mark.parametrize("stats, status, reason", [
    ({"finish_reason": "finished", "response_received_count": 5}, "finished", None),        # a healthy run
    ({"finish_reason": "shutdown", "response_received_count": 5}, "interrupted", "interrupted"),  # Ctrl-C
    ({"finish_reason": "closespider_errorcount", "response_received_count": 60}, "failed",
     "closed early: closespider_errorcount"),                                               # too many errors
    ({"finish_reason": "finished", "response_received_count": 9, "item_dropped_count": 2,
      "fentwatch/store_errors": 2}, "failed", "2 listing(s) dropped, not stored"),          # the scheduler's lost items
    ({"finish_reason": "finished", "downloader/request_count": 2,
      "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2}, "failed",
     "no page fetched: the start URLs failed (TimeoutError)"),                              # start URL timed out
])
def test_the_verdict_of_a_crawl_from_its_stats(stats, status, reason):
    from store.monitor import verdict

    got, reasons = verdict(stats)
    assert got == status
    assert (reason is None and not reasons) or any(reason in r for r in reasons)
