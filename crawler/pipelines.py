"""Item pipelines: thin adapters that move a ListingItem through detection and into the store.

Settings are read only in ``from_crawler``. Counts go to Scrapy's stats (``fentwatch/listings``,
``fentwatch/flagged``, ``fentwatch/new``, ``fentwatch/changed``, ``fentwatch/unchanged``, ``fentwatch/removed``)
and end up in the crawl-run record.
"""

from __future__ import annotations

import os

from itemadapter import ItemAdapter

from detect.engine import default_detector
from review.store import now, open_store, record_run, save_page


class DetectPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.detector = default_detector()  # one per process, shared by crawlers running side by side

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        a = ItemAdapter(item)
        if a["gone"]:
            return item
        result = self.detector.scan({"id": a["url"], "url": a["url"], "title": a["title"], "text": a["text"]})
        a["scan"] = result.to_json()
        stats = self.crawler.stats
        stats.inc_value("fentwatch/listings")
        if result.flagged:
            stats.inc_value("fentwatch/flagged")
        return item


class StorePipeline:
    def __init__(self, crawler, path: str | None):
        self.crawler = crawler
        self.path = path
        self.db = None
        self.started = now()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("FENTWATCH_DB") or os.environ.get("FENTWATCH_DB"))

    def open_spider(self):
        self.db = open_store(self.path)
        self.detector_version = ""
        self.lexicon_version = ""
        for pipe in self.crawler.engine.scraper.itemproc.middlewares:
            if isinstance(pipe, DetectPipeline):
                self.detector_version = pipe.detector.version
                self.lexicon_version = pipe.detector.lex.version

    def process_item(self, item):
        a = ItemAdapter(item)
        page = {k: a[k] for k in ("url", "platform", "seller", "title", "text", "price", "body", "http_status",
                                  "headers", "fetched_at")}
        saved = save_page(self.db, page, None if a["gone"] else a["scan"], self.detector_version,
                          self.lexicon_version)
        self.crawler.stats.inc_value(f"fentwatch/{saved.outcome}")
        return item

    def close_spider(self):
        spider = self.crawler.spider
        stats = self.crawler.stats.get_stats()
        reason = stats.get("finish_reason", "finished")
        record_run(self.db, spider.name, ",".join(getattr(spider, "start_urls", [])), self.started, stats,
                   status="finished" if reason in ("finished", None) else str(reason))
        self.db.close()
