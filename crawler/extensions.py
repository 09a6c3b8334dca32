"""A progress line on standard error while a crawl runs: pages, listings, flagged, rate."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressLine:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop = None
        self.t0 = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("FENTWATCH_PROGRESS_INTERVAL", 0)
        if not interval:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        s = self.crawler.stats
        pages = s.get_value("response_received_count", 0)
        dt = max(1e-9, time.monotonic() - self.t0)
        return (f"  {pages} pages, {s.get_value('fentwatch/listings', 0)} listings, "
                f"{s.get_value('fentwatch/flagged', 0)} flagged, {pages / dt:.0f} pages/s")

    def opened(self, spider):
        self.t0 = time.monotonic()
        self.loop = task.LoopingCall(lambda: print(self.line(), file=sys.stderr, flush=True))
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
