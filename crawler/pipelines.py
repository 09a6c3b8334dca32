"""Item pipelines: thin adapters that move a ListingItem through detection and into the store.

Settings are read only in ``from_crawler``. Counts go to Scrapy's stats (``fentwatch/listings``,
``fentwatch/flagged``, ``fentwatch/new``, ``fentwatch/changed``, ``fentwatch/unchanged``, ``fentwatch/removed``)
and end up in the crawl-run record.
"""

from __future__ import annotations

import logging
import os
import sqlite3

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from store.additions import detector_for
from store.db import now, open_store, record_page_issue, record_run, save_page

from .items import PageIssue

logger = logging.getLogger(__name__)


_worker_detector = None


def _init_worker(db: str | None) -> None:
    global _worker_detector
    _worker_detector = detector_for(db)


def _scan_in_worker(listing: dict) -> dict:
    return _worker_detector.scan(listing).to_json()


class DetectPipeline:
    """Scans each listing. With ``FENTWATCH_SCAN_WORKERS`` > 0 (the default is 0) the scan runs in worker
    processes, so the crawler's event loop keeps fetching while pages are scanned on another core (PERF-NOTES:
    scanning in the crawler's own process costs 2.5-7 ms of its loop per page); with 0 it runs in-process."""

    def __init__(self, crawler, workers: int, db: str | None = None):
        self.crawler = crawler
        self.workers = workers
        self.db = db
        self.pool = None
        self.pending: list = []
        # the shipped lexicon plus the store's own additions; the store records this detector's versions
        self.detector = detector_for(db)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("FENTWATCH_SCAN_WORKERS", 0),
                   crawler.settings.get("FENTWATCH_DB") or os.environ.get("FENTWATCH_DB"))

    def open_spider(self):
        if self.workers > 0:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork"),
                                            initializer=_init_worker, initargs=(self.db,))

    def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)

    async def process_item(self, item):
        if isinstance(item, PageIssue):
            return item
        a = ItemAdapter(item)
        if a["gone"]:
            return item
        listing = {"id": a["url"], "url": a["url"], "title": a["title"], "text": a["text"]}
        for key in ("page_kind", "product_name"):  # the shared scan input's optional fields (detect/ reads them)
            if a.get(key):
                listing[key] = a[key]
        if self.pool is not None:
            import asyncio

            a["scan"] = await asyncio.wrap_future(self.pool.submit(_scan_in_worker, listing))
        else:
            a["scan"] = await self._scan_batched(listing)
        stats = self.crawler.stats
        stats.inc_value("fentwatch/listings")
        if a["scan"]["flagged"]:
            stats.inc_value("fentwatch/flagged")
        return item

    async def _scan_batched(self, listing: dict) -> dict:
        """Listings that arrive together (one per response in flight) are scanned together: systematic names of a
        batch go to OPSIN in one round trip. A batch is scanned on the next turn of the event loop."""
        import asyncio

        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((listing, future))
        if len(self.pending) == 1:
            loop.call_soon(self._scan_pending)
        return await future

    def _scan_pending(self) -> None:
        batch, self.pending = self.pending, []
        try:
            results = list(self.detector.scan_many([listing for listing, _ in batch]))
        except Exception as exc:  # noqa: BLE001 - every waiting item gets the error, none hangs
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results):
            future.set_result(result.to_json())


class StorePipeline:
    """Saves each page in one transaction. When the store cannot be written (a full disk, a read-only file), the
    crawl stops at once with reason ``store-error`` and one clear log line; the pages not stored are counted
    (``fentwatch/store_errors``), and with --jobdir the next run fetches them again (see JobdirGuard)."""

    def __init__(self, crawler, path: str | None, max_mb: float = 0):
        self.crawler = crawler
        self.path = path
        self.monitor = crawler.settings.getdict("FENTWATCH_MONITOR")
        self.max_mb = max_mb
        self.db = None
        self.started = now()
        self.failed: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        pipeline = cls(crawler, crawler.settings.get("FENTWATCH_DB") or os.environ.get("FENTWATCH_DB"),
                       crawler.settings.getfloat("FENTWATCH_DB_MAX_MB", 0))
        # the run is recorded when the spider has closed: only then is its finish reason (Ctrl-C: "shutdown") known
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self):
        self.db = open_store(self.path, max_bytes=int(self.max_mb * 1024 * 1024) or None)
        self.detector = detector_for(self.path)  # the one DetectPipeline scans with (cached): its versions

    def process_item(self, item):
        if self.failed:
            self._not_stored(item)
        try:
            return self._save(item)
        except sqlite3.Error as exc:
            self.failed = str(exc)
            logger.error("the store %s cannot be written (%s): stopping the crawl", self.path, exc)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store-error"))
            self._not_stored(item)

    def _not_stored(self, item):
        self.crawler.stats.inc_value("fentwatch/store_errors")
        raise DropItem(f"not stored ({self.failed}): {ItemAdapter(item).get('url')}")

    def _save(self, item):
        if isinstance(item, PageIssue):
            record_page_issue(self.db, item.url, item.reason, item.detail, item.http_status)
            self.crawler.stats.inc_value(f"fentwatch/page_issues/{item.reason}")
            return item
        a = ItemAdapter(item)
        page = {k: a[k] for k in ("url", "platform", "seller", "title", "text", "price", "body", "http_status",
                                  "headers", "fetched_at", "warnings", "page_kind", "product_name")}
        saved = save_page(self.db, page, None if a["gone"] else a["scan"], self.detector.version,
                          self.detector.lex.version)
        self.crawler.stats.inc_value(f"fentwatch/{saved.outcome}")
        return item

    def spider_closed(self, spider, reason):
        if self.db is None:
            return
        stats = self.crawler.stats
        try:
            run_id = record_run(self.db, spider.name, ",".join(getattr(spider, "start_urls", [])), self.started,
                                stats.get_stats(), status=str(reason or "finished"), monitor=self.monitor)
            stats.set_value("fentwatch/run_id", run_id)
        except sqlite3.Error as exc:
            logger.error("the crawl run could not be recorded in %s (%s)", self.path, exc)
        self.db.close()
        self.db = None
