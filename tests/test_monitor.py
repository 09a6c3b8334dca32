"""Crawl monitoring on a real store: zero listings, a high error rate and a sudden drop against the previous run of
the same target mark the run failed with the reason; `fentwatch crawls` shows the table. And the seen-request
Bloom filter on a real redis-server."""

import pytest
from click.testing import CliRunner

from fentwatch.cli import main
from store.db import open_store, record_run

TARGET = "http://127.0.0.1:9/index.html"


def stats(listings, requests=100, exceptions=0, fivexx=0):
    s = {"fentwatch/listings": listings, "fentwatch/flagged": listings // 10, "response_received_count": requests,
         "downloader/request_count": requests, "downloader/exception_count": exceptions,
         # robots.txt refusals are not errors
         "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 0}
    if fivexx:
        s["downloader/response_status_count/503"] = fivexx
    return s


@pytest.mark.parametrize("runs, status, reason", [
    ([stats(60)], "finished", None),                                              # healthy
    ([stats(0)], "failed", "0 listings (minimum 1)"),                             # nothing found
    ([stats(60, exceptions=20, fivexx=10)], "failed", "error rate 30% (30 of 100 requests; maximum 20%)"),
    ([stats(60), stats(20)], "failed", "listings dropped 67% against the last healthy run (20 against 60"),
    ([stats(60), stats(40)], "finished", None),                                   # a 33% drop is within bounds
    ([stats(10), stats(2)], "finished", None),                                    # too small a run to judge a drop
    ([stats(60), stats(0), stats(50)], "finished", None),                         # compared with the last healthy
])
def test_monitor_marks_unhealthy_runs_failed_with_the_reason(tmp_path, runs, status, reason):
    db = open_store(tmp_path / "m.db")
    for s in runs:
        run_id = record_run(db, "generic", TARGET, "2026-11-22T02:00:00+00:00", s, monitor=None)
    row = db["crawl_runs"].get(run_id)
    assert row["status"] == status
    assert (row["reason"] or None) == reason if reason is None else reason in row["reason"]


def test_thresholds_are_data(tmp_path):
    db = open_store(tmp_path / "m.db")
    run_id = record_run(db, "generic", TARGET, "2026-11-22T02:00:00+00:00", stats(5), monitor={"min_listings": 10})
    assert db["crawl_runs"].get(run_id)["reason"] == "5 listings (minimum 10)"


def test_crawls_command_prints_the_table_and_exits_1_when_the_latest_run_failed(tmp_path):
    path = tmp_path / "c.db"
    db = open_store(path)
    record_run(db, "generic", TARGET, "2026-11-22T02:00:00+00:00", stats(60))
    runner = CliRunner()
    ok = runner.invoke(main, ["crawls", "--db", str(path)])
    assert ok.exit_code == 0 and ok.output.splitlines()[0].split() == [
        "id", "started", "spider", "target", "pages", "listings", "flagged", "errors", "status", "reason"]
    assert "60" in ok.output.splitlines()[2] and "finished" in ok.output
    record_run(db, "generic", TARGET, "2026-11-22T03:00:00+00:00", stats(0))
    bad = runner.invoke(main, ["crawls", "--db", str(path), "--failed"])
    assert bad.exit_code == 1 and len(bad.output.splitlines()) == 3 and "0 listings (minimum 1)" in bad.output
    assert runner.invoke(main, ["crawls", "--db", str(tmp_path / "none.db")]).exit_code != 0


def test_bloom_seen_filter_is_exact_on_a_crawl_and_fixed_in_size(redis_url):
    import redis
    from scrapy import Request
    from scrapy.utils.request import RequestFingerprinter

    from crawler.distributed import BloomDupeFilter, bloom_size

    server = redis.Redis.from_url(redis_url)
    df = BloomDupeFilter(server, "t:seen", "t:count", 10_000, 1e-6, RequestFingerprinter())
    urls = [Request(f"http://127.0.0.1/item/{i}.html") for i in range(2000)]
    assert not any(df.request_seen(r) for r in urls)       # none seen before
    assert all(df.request_seen(r) for r in urls)           # every one seen after
    assert int(server.get("t:count")) == 2000
    bits, k = bloom_size(10_000, 1e-6)
    assert (bits, k) == (287552, 20) and server.strlen("t:seen") == -(-bits // 8)  # fixed: bits / 8 bytes
