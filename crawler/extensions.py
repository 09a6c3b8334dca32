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
        return (f"  {self.crawler.spider.name}: {pages} pages, {s.get_value('fentwatch/listings', 0)} listings, "
                f"{s.get_value('fentwatch/flagged', 0)} flagged, {pages / dt:.0f} pages/s")

    def opened(self, spider):
        self.t0 = time.monotonic()
        self.loop = task.LoopingCall(lambda: print(self.line(), file=sys.stderr, flush=True))
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()


class JobdirGuard:
    """Resuming a crawl killed mid-way (SIGKILL, power loss, a full disk) from its JOBDIR.

    Scrapy writes the queue's index (``requests.queue/active.json``) only when a crawl stops cleanly, and marks
    requests seen (``requests.seen``) before their pages are stored. After a kill, resuming from that folder would
    skip every page that was queued or in flight: they count as seen but are not in the store. So a crawl writes
    a marker into JOBDIR when it starts and removes it when it stops cleanly (finished, or Ctrl-C); a run that
    finds the marker knows the last one was killed, drops the queue and the seen-set, and crawls again from the
    start URLs. The store makes that cheap and exact: an unchanged page is not stored twice, it only counts as
    seen again. A crawl that stops because the store failed keeps the marker for the same reason.

    A crawl that ran to its end leaves another marker: its seen-set holds every URL, so a later run with the same
    folder would fetch nothing and report nothing found. That run says so and starts afresh from the start URLs.
    """

    MARKER = "fentwatch-running"
    FINISHED = "fentwatch-finished"

    def __init__(self, crawler, jobdir: str):
        from pathlib import Path

        self.crawler = crawler
        self.jobdir = Path(jobdir)
        self.marker = self.jobdir / self.MARKER
        if self.marker.exists():
            self._start_over(crawler, "fentwatch/resumed_after_kill",
                             "the last crawl in %s did not stop cleanly (killed?): its queue cannot be trusted, "
                             "crawling again from the start URLs (pages already stored are not stored twice)")
        elif (self.jobdir / self.FINISHED).exists():
            # the crawl kept here ran to its end: every URL counts as seen, so resuming would fetch nothing
            self._start_over(crawler, "fentwatch/fresh_after_finished",
                             "the crawl kept in %s had finished: starting a fresh crawl from the start URLs (pages "
                             "already stored are not stored twice)")
            (self.jobdir / self.FINISHED).unlink()
        self.jobdir.mkdir(parents=True, exist_ok=True)
        self.marker.write_text("a fentwatch crawl is running in this folder, or was killed\n", encoding="utf-8")

    def _start_over(self, crawler, stat: str, message: str) -> None:
        """Forget the kept queue and seen-set (pages already stored are not stored twice), saying why."""
        import logging
        import shutil

        logging.getLogger(__name__).warning(message, str(self.jobdir))
        crawler.stats.set_value(stat, 1)
        shutil.rmtree(self.jobdir / "requests.queue", ignore_errors=True)
        (self.jobdir / "requests.seen").unlink(missing_ok=True)

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        ext = cls(crawler, jobdir)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def closed(self, spider, reason):
        if reason in ("finished", "shutdown") and not self.crawler.stats.get_value("fentwatch/store_errors"):
            self.marker.unlink(missing_ok=True)
            if reason == "finished":
                (self.jobdir / self.FINISHED).write_text("the crawl kept in this folder ran to its end\n",
                                                         encoding="utf-8")
