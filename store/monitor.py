"""Crawl monitoring: checks on a finished crawl's Scrapy stats, in the spirit of Spidermon's monitors, written
directly on the stats because they need the store (the previous run of the same target) and must work the same for
a crawl recorded by the store pipeline and one recorded by `fentwatch store-worker`.

The thresholds are ``DEFAULTS`` below, which the ``FENTWATCH_MONITOR`` setting (crawler/settings.py) starts from; a
failed check marks the crawl-run record ``failed`` with its reasons, and `fentwatch crawls` shows them.
"""

from __future__ import annotations

import sqlite_utils

# the one place the thresholds live; crawler/settings.py's FENTWATCH_MONITOR starts from these
DEFAULTS = {
    "min_listings": 1,          # fewer listings than this: failed (a crawl that found nothing is broken)
    "max_error_rate": 0.2,      # download errors and 5xx answers per request
    "max_listing_drop": 0.5,    # listings fell by more than this share against the last healthy run of the target
    "drop_min_previous": 20,    # ... checked only when that run had at least this many listings
}


def error_count(stats: dict) -> int:
    """Download errors (timeouts, refused connections, oversized pages; not robots.txt refusals), 5xx answers and
    exceptions in the spider."""
    ignored = sum(v for k, v in stats.items()
                  if k.startswith("downloader/exception_type_count/") and k.endswith("IgnoreRequest"))
    fivexx = sum(v for k, v in stats.items() if k.startswith("downloader/response_status_count/5"))
    spider = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/") and k.count("/") == 1)
    return max(0, stats.get("downloader/exception_count", 0) - ignored) + fivexx + spider


def verdict(stats: dict) -> tuple[str, list[str]]:
    """What the crawl process itself says about a run, from its stats: ``interrupted`` (Ctrl-C, SIGTERM),
    ``failed`` with reasons (closed early by an error count or a store error, listings dropped, no page fetched
    because every start URL failed), or ``finished``."""
    reason = stats.get("finish_reason") or "finished"
    if reason == "shutdown":
        return "interrupted", ["interrupted (Ctrl-C or SIGTERM) before the crawl finished"]
    reasons = [] if reason == "finished" else [f"closed early: {reason}"]
    dropped = stats.get("item_dropped_count", 0)
    if dropped:
        reasons.append(f"{dropped} listing(s) dropped, not stored")
    if stats.get("fentwatch/store_errors") and not dropped:
        reasons.append(f"{stats['fentwatch/store_errors']} page(s) not stored")
    if not stats.get("response_received_count") and stats.get("downloader/request_count"):
        kinds = sorted({k.rsplit("/", 1)[-1].rsplit(".", 1)[-1] for k in stats
                        if k.startswith("downloader/exception_type_count/")})
        reasons.append("no page fetched: the start URLs failed" + (f" ({', '.join(kinds)})" if kinds else ""))
    return ("failed" if reasons else "finished"), reasons


def assess(db: sqlite_utils.Database, spider: str, target: str, stats: dict, thresholds: dict | None) -> list[str]:
    """The reasons this crawl failed, or [] when it is healthy."""
    t = {**DEFAULTS, **(thresholds or {})}
    listings = stats.get("fentwatch/listings", 0)
    requests = stats.get("downloader/request_count", 0)
    errors = error_count(stats)
    reasons = []
    if listings < t["min_listings"]:
        reasons.append(f"{listings} listings (minimum {t['min_listings']})")
    if requests and errors / requests > t["max_error_rate"]:
        reasons.append(f"error rate {errors / requests:.0%} ({errors} of {requests} requests; maximum "
                       f"{t['max_error_rate']:.0%})")
    previous = list(db.query("select listings from crawl_runs where spider = ? and target = ? and status = "
                             "'finished' order by id desc limit 1", [spider, target])) if "crawl_runs" in db.table_names() else []
    if previous and previous[0]["listings"] >= t["drop_min_previous"]:
        before = previous[0]["listings"]
        if listings < before * (1 - t["max_listing_drop"]):
            reasons.append(f"listings dropped {1 - listings / before:.0%} against the last healthy run "
                           f"({listings} against {before}; maximum drop {t['max_listing_drop']:.0%})")
    return reasons
