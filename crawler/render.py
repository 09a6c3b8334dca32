"""Rendering pages built by JavaScript: with ``FENTWATCH_RENDER`` (``fentwatch crawl --render``, or a scheduler
target's ``render = true``) pages are fetched by Chromium through scrapy-playwright, so that an offer block a
script writes is in the HTML the spider reads. Off (the default), this module changes nothing.

The same limits hold as for a plain fetch: robots.txt is read by Scrapy before the page is requested (robots.txt
and sitemaps themselves are fetched plainly); the address guard checks the page's URL as before, and every request
the browser makes for the page (scripts, XHR) is checked by ``abort_request`` against the same rules, so a page
cannot make the browser reach an internal address; by default the browser fetches nothing from other hosts
than the start URLs' (``FENTWATCH_RENDER_OFFSITE = True`` lets it fetch scripts from public hosts, such as a
shop's CDN; internal addresses stay refused); images, media, fonts and style sheets are not fetched; a
rendered page larger than ``DOWNLOAD_MAXSIZE`` is dropped and recorded (too-large); navigation times out after
``DOWNLOAD_TIMEOUT``. Chromium is Debian's (``FENTWATCH_CHROMIUM``, default /usr/bin/chromium).
"""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from scrapy import signals
from scrapy.exceptions import NotConfigured

from .middlewares import internal, resolve

logger = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-sync", "--disable-background-networking", "--disable-extensions"]
SKIPPED_RESOURCES = frozenset({"image", "media", "font", "stylesheet", "websocket", "eventsource", "manifest"})
PLAIN_SUFFIXES = ("/robots.txt", ".xml", ".xml.gz", ".gz")

_start_hosts: set[str] = set()  # the crawl's start hosts: the one exemption from the address rule, as in the guard
_start_addresses: set = set()
_extra: list = []  # FENTWATCH_BLOCKED_NETWORKS
_offsite: list = [False]  # FENTWATCH_RENDER_OFFSITE: let the browser fetch scripts from other public hosts
_refused = {"offsite": 0, "internal": 0}


def abort_request(request) -> bool:
    """scrapy-playwright's ``PLAYWRIGHT_ABORT_REQUEST``: True for a browser request that must not be made."""
    if request.resource_type in SKIPPED_RESOURCES:
        return True
    parts = urlparse(request.url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    if parts.scheme not in ("http", "https"):
        return True
    host = (parts.hostname or "").lower()
    if not host:
        return True
    if host in _start_hosts:
        return False
    if not _offsite[0]:
        _refused["offsite"] += 1
        return True
    addresses = resolve(host)
    if any(internal(a, tuple(_extra)) for a in addresses) and not set(addresses) <= _start_addresses:
        logger.warning("render: blocked %s (an internal address, not a start URL's host)", request.url)
        _refused["internal"] += 1
        return True
    return False


class RenderTooLarge(Exception):
    pass


class RenderMiddleware:
    """Marks the spider's page requests for the browser and checks the rendered page's size."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("FENTWATCH_RENDER"):
            raise NotConfigured
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider):
        import ipaddress

        _extra[:] = [ipaddress.ip_network(n, strict=False)
                     for n in self.crawler.settings.getlist("FENTWATCH_BLOCKED_NETWORKS")]
        _offsite[0] = self.crawler.settings.getbool("FENTWATCH_RENDER_OFFSITE")
        self.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        for url in list(getattr(spider, "start_urls", None) or []):
            host = (urlparse(url).hostname or "").lower()
            if host:
                _start_hosts.add(host)
                _start_addresses.update(resolve(host))

    def spider_closed(self, spider):
        for why, n in _refused.items():
            if n:
                self.crawler.stats.set_value(f"fentwatch/render_refused/{why}", n)

    def process_request(self, request, spider=None):
        if not urlparse(request.url).path.lower().endswith(PLAIN_SUFFIXES):
            request.meta.setdefault("playwright", True)
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get("playwright"):
            self.crawler.stats.inc_value("fentwatch/rendered")
            if self.maxsize and len(response.body) > self.maxsize:
                raise RenderTooLarge(f"the rendered page has {len(response.body)} bytes, over the max size "
                                     f"(DOWNLOAD_MAXSIZE {self.maxsize})")
        return response


class RenderAddon:
    """Sets scrapy-playwright up when FENTWATCH_RENDER is on; otherwise it changes nothing."""

    def update_settings(self, settings) -> None:
        if not settings.getbool("FENTWATCH_RENDER"):
            return
        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", {**settings.getdict("DOWNLOAD_HANDLERS"), "http": handler,
                                           "https": handler}, priority="addon")
        settings.set("TWISTED_REACTOR", "twisted.internet.asyncioreactor.AsyncioSelectorReactor", priority="addon")
        settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="addon")
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {
            "executable_path": settings.get("FENTWATCH_CHROMIUM") or CHROMIUM, "headless": True,
            "args": CHROMIUM_ARGS}, priority="addon")
        settings.set("PLAYWRIGHT_ABORT_REQUEST", "crawler.render.abort_request", priority="addon")
        settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", settings.getfloat("DOWNLOAD_TIMEOUT", 30) * 1000,
                     priority="addon")
        settings.set("PLAYWRIGHT_MAX_CONTEXTS", 1, priority="addon")
        settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", settings.getint("FENTWATCH_RENDER_PAGES", 4),
                     priority="addon")
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares["crawler.render.RenderMiddleware"] = 50  # after the address guard (40)
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=settings.getpriority("DOWNLOADER_MIDDLEWARES"))


def check_chromium(path: str = CHROMIUM) -> str | None:
    """Why rendering cannot run here, or None."""
    from pathlib import Path

    if not Path(path).exists():
        return f"Chromium is not installed at {path} (Debian: apt-get install chromium)"
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        return "scrapy-playwright is not installed (pip install scrapy-playwright)"
    return None


__all__ = ["RenderAddon", "RenderMiddleware", "abort_request", "check_chromium", "NotConfigured"]
