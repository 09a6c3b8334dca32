"""Running fentwatch's Scrapy spiders from the command line, and the offline demo built on them."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

import click


def project_settings(db: str | None, overrides: dict | None = None, progress: bool = True, verbose: bool = True):
    """Scrapy's settings for a crawl. Not ``verbose``: Scrapy logs warnings and errors only (its INFO log with -v,
    or in full into a LOG_FILE)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if not verbose and not (overrides or {}).get("LOG_FILE"):
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    if db:
        settings.set("FENTWATCH_DB", db, priority="cmdline")
    if progress:
        settings.set("FENTWATCH_PROGRESS_INTERVAL", 2.0, priority="cmdline")
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), "crawler.extensions.ProgressLine": 500})
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


class CrawlSetupError(ValueError):
    """A crawl that cannot start: a bad start URL, a bad setting value, Redis out of reach."""


def check_urls(urls: list[str]) -> None:
    from urllib.parse import urlsplit

    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CrawlSetupError(f"not a web address: {url!r} (start URLs begin with http:// or https://)")


def check_settings(overrides: dict) -> None:
    """Each --set value converts to the type of the setting's default, as Scrapy will read it."""
    import json

    settings = project_settings(None, progress=False)
    for key, value in overrides.items():
        default = settings.get(key)
        try:
            if isinstance(default, bool):
                settings.set("_check", value)
                settings.getbool("_check")
            elif isinstance(default, (int, float)):  # DOWNLOAD_DELAY's default is 0, read as a float
                float(value)
            elif isinstance(default, dict) and isinstance(value, str):
                if not isinstance(json.loads(value), dict):
                    raise ValueError
        except (ValueError, TypeError):
            kind = {bool: "True or False", int: "a number", float: "a number", dict: "a JSON object"}
            want = next(v for t, v in kind.items() if isinstance(default, t))
            raise CrawlSetupError(f"--set {key}={value}: expected {want}") from None


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise CrawlSetupError(f"cannot reach Redis at {url}: {exc}") from None


class OneLine(logging.Filter):
    """Quiet output: a logged error is one line (its exception's type and message), not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text = " ".join(str(exc).split())
            message = record.getMessage()
            record.msg = message if text and text in message else f"{message}: {type(exc).__name__}: {text}"
            record.args = None
            record.exc_info, record.exc_text = None, None
        return True


def run_crawl(urls: list[str], spider: str, db: str | None, overrides: dict | None = None,
              verbose: bool = True) -> dict:
    """Crawl ``urls`` with ``spider`` in this process; returns Scrapy's stats."""
    return run_crawls([(spider, urls)], db, overrides, verbose)


def run_crawls(jobs: list[tuple[str, list[str]]], db: str | None, overrides: dict | None = None,
               verbose: bool = True) -> dict:
    """Run several (spider, start URLs) crawls side by side in this process; returns their stats added up."""
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(project_settings(db, overrides, verbose=verbose))
    crawlers = []
    for spider, urls in jobs:
        crawler = process.create_crawler(spider)
        process.crawl(crawler, start_url=",".join(urls))
        crawlers.append(crawler)
    if not verbose:  # after the crawlers are made: each installs Scrapy's root log handler anew
        for handler in logging.getLogger().handlers:
            handler.addFilter(OneLine())
    process.start()
    total: dict = {"fentwatch/run_ids": [], "finish_reason": "finished"}
    for c in crawlers:
        for k, v in c.stats.get_stats().items():
            if k == "elapsed_time_seconds":  # side by side: the longest, not the sum
                total[k] = max(total.get(k, 0), v)
            elif k == "fentwatch/run_id":
                total["fentwatch/run_ids"].append(v)
            elif k == "finish_reason":  # side by side: the first that did not finish
                total[k] = v if total[k] == "finished" else total[k]
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                total[k] = total.get(k, 0) + v
    return total


def outcome(db_file: str | None, stats: dict) -> tuple[str, list[str]]:
    """The worst status of the runs these stats recorded in the store (``finished``, ``interrupted``, ``failed``)
    with the reasons; from the stats alone when nothing was recorded (distributed mode: the store worker records)."""
    from store.db import open_store
    from store.monitor import verdict

    ids = stats.get("fentwatch/run_ids") or []
    if not ids or not db_file:
        return verdict(stats)
    db = open_store(db_file)
    rows = list(db.query(f"select spider, status, reason from crawl_runs where id in ({','.join('?' * len(ids))})",
                         ids))
    db.close()
    if len(rows) < len(ids):
        return verdict(stats)
    worst = min(rows, key=lambda r: ("interrupted", "failed", "finished").index(r["status"])
                if r["status"] in ("interrupted", "failed", "finished") else 1)
    reasons = [f"{r['spider']}: {r['reason']}" if len(rows) > 1 else r["reason"] for r in rows
               if r["status"] != "finished" and r["reason"]]
    return worst["status"], reasons


def summary(db_file: str, stats: dict, seconds: float) -> str:
    from store.db import open_store

    db = open_store(db_file)  # exists even when a crawl ran without the store pipeline
    rows = list(db.query("select platform, flagged from listings"))
    by_substance = Counter(r["substance"] for r in db.query(
        "select distinct h.listing_id, h.substance from hits h join listings l on l.id = h.listing_id "
        "where l.flagged = 1 and h.current = 1 and h.score >= 0.3"))
    by_platform = Counter(r["platform"] for r in rows if r["flagged"])
    pages = stats.get("response_received_count", 0)
    crawling = stats.get("elapsed_time_seconds") or seconds  # spider open to close, without process start
    lines = [f"crawled {pages} pages in {crawling:.1f} s ({pages / max(crawling, 1e-9):.0f} pages/s; "
             f"{seconds:.1f} s with start-up): "
             f"{stats.get('fentwatch/listings', 0)} listings, "
             f"{stats.get('fentwatch/flagged', 0)} flagged; "
             f"the store now holds {len(rows)} listings, {sum(r['flagged'] for r in rows)} flagged",
             "flagged by platform: " + (", ".join(f"{k} {v}" for k, v in by_platform.most_common()) or "none"),
             "flagged by substance (top 10): " + (", ".join(f"{k} {v}" for k, v in by_substance.most_common(10))
                                                  or "none")]
    skipped = {k.split("/")[-1]: v for k, v in stats.items() if k.startswith("fentwatch/skipped/")}
    gone = stats.get("downloader/response_status_count/404", 0) + stats.get("downloader/response_status_count/410", 0)
    lines.append(f"not stored: {stats.get('robotstxt/forbidden', 0)} pages disallowed by robots.txt, {gone} not "
                 f"found (404/410), " + (", ".join(f"{v} skipped ({k})" for k, v in skipped.items()) or "0 skipped"))
    kinds = {k.split("/")[-1]: v for k, v in stats.items() if k.startswith("fentwatch/not_listing/")}
    if kinds:  # pages the classifier did not take for product pages (docs/crawling.md), by kind
        lines.append("not listings: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))
    return "\n".join(lines)


def run_demo(db: str, keep_site: bool = False, verbose: bool = False) -> dict:
    from crawler.demo.server import DemoServer
    from crawler.demo.site import build_site

    site = Path(tempfile.mkdtemp(prefix="fentwatch-demo-"))
    info = build_site(site)
    click.echo(f"demo marketplace: {info['listings']} listings in three layouts, {info['pages']} pages ({site})")
    with DemoServer(site) as server:
        click.echo(f"serving it on {server.url} (loopback only); crawling with detection and storage on ...")
        t0 = time.monotonic()
        # our own server on loopback: no need to wait between requests
        # one spider per layout, side by side; the generic spider reads any site the same way (fentwatch crawl)
        jobs = [(name, [f"{server.url}/{name}/page-1.html"]) for name in ("catalog", "b2b", "board")]
        jobs.append(("generic", [f"{server.url}/index.html"]))
        stats = run_crawls(jobs[:3], db, {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 16},
                           verbose=verbose)
        seconds = time.monotonic() - t0
        fetched_private = [p for p in server.requests if "/private/" in p or "/drafts/" in p]
    click.echo(summary(db, stats, seconds))
    if fetched_private:
        raise click.ClickException(f"robots.txt was not obeyed: fetched {fetched_private}")
    click.echo(f"\nstore: {db}\nexport the flagged listings: fentwatch export --db {db}"
               f"\nreview them in the browser:  fentwatch users add YOU --role lead --db {db}"
               f"\n                             fentwatch review --db {db}   (then open http://127.0.0.1:8642/)")
    if not keep_site:
        import shutil

        shutil.rmtree(site, ignore_errors=True)
    return stats


def crawl_table(db_file: str, limit: int = 20, failed_only: bool = False) -> tuple[str, bool]:
    """Recent crawl runs as a text table, newest first; and whether the newest of them failed."""
    from store.db import open_store

    db = open_store(db_file)
    where = "where status != 'finished'" if failed_only else ""
    rows = list(db.query(f"select * from crawl_runs {where} order by id desc limit ?", [limit]))
    scheduled = _scheduled_table(db, limit, failed_only)
    if not rows:
        return "no crawl runs recorded" + scheduled, False
    header = ("id", "started", "spider", "target", "pages", "listings", "flagged", "errors", "status", "reason")
    table = [header] + [(str(r["id"]), (r["started_at"] or "")[:19].replace("T", " "), r["spider"] or "",
                         (r["target"] or "")[:50], str(r["pages"] or 0), str(r["listings"] or 0),
                         str(r["flagged"] or 0), "-" if r["errors"] is None else str(r["errors"]), r["status"] or "",
                         r["reason"] or "") for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for i, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + scheduled, rows[0]["status"] != "finished"


def _scheduled_table(db, limit: int, failed_only: bool) -> str:
    """The scheduler's recent runs that did not finish well (missed, skipped, failed to start, failed: with the
    last line of their log), or all of them; each with its log file."""
    if "schedule_runs" not in db.table_names():
        return ""
    where = "where outcome not in ('finished', 'running')" if failed_only else ""
    rows = list(db.query(f"select * from schedule_runs {where} order by id desc limit ?", [limit]))
    if not rows:
        return ""
    lines = ["", "scheduled runs:"]
    for r in rows:
        lines.append(f"  {r['id']:>4}  {(r['started_at'] or '')[:19].replace('T', ' ')}  {r['target']:<20} "
                     f"{r['outcome']:<12} {r['reason'] or ''}" + (f"  (log: {r['log_path']})" if r["log_path"] else ""))
    return "\n".join(lines)
