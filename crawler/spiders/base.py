"""What every fentwatch spider shares: start URLs from ``-a start_url=URL[,URL...]``, staying on those hosts, and
following every http(s) link. Platform spiders only override ``parse_listing`` with their selectors."""

from __future__ import annotations

from urllib.parse import urlparse

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.linkextractors import LinkExtractor

from ..extract import parse_listing


class ListingSpider(scrapy.Spider):
    platform: str | None = None
    follow: tuple[str, ...] = ()  # URL path patterns to follow (regular expressions); empty: every link
    # A platform spider's selectors: which URLs are listings, and where their title and seller are.
    listing_path: str | None = None
    title_css: str | None = None
    seller_css: str | None = None

    def __init__(self, start_url: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = [u.strip() for u in start_url.split(",") if u.strip()]
        if not self.start_urls:
            raise ValueError(f"spider {self.name} needs -a start_url=URL (several comma-separated)")
        for u in self.start_urls:
            if urlparse(u).scheme not in ("http", "https"):
                raise ValueError(f"start_url must be http(s): {u}")
        self.allowed_domains = sorted({urlparse(u).hostname for u in self.start_urls})
        # hosts are checked here rather than with LinkExtractor(allow_domains=...), which compares host:port
        self.links = LinkExtractor(allow=self.follow, unique=True)
        # http(s) on an allowed host, by prefix: a link page has dozens of links, urlparse on each adds up
        self.prefixes = tuple(f"{scheme}://{host}{end}" for scheme in ("http", "https")
                              for host in self.allowed_domains for end in ("/", ":"))

    def parse(self, response):
        item = self.parse_listing(response)
        if item is not None:
            yield item
        if response.status in (404, 410) or not hasattr(response, "text"):
            return
        for link in self.links.extract_links(response):
            if link.url.startswith(self.prefixes):
                yield response.follow(link.url, callback=self.parse, errback=self.skipped)

    def skipped(self, failure):
        """A page that could not be fetched (too large, timed out, refused) is counted with its reason and the
        crawl goes on; the reason is logged as one line, not a traceback."""
        if isinstance(failure.value, IgnoreRequest):
            return  # refused by robots.txt or the offsite filter: Scrapy counts those already
        reason = type(failure.value).__name__
        self.crawler.stats.inc_value(f"fentwatch/skipped/{reason}")
        self.logger.warning("skipped %s: %s", failure.request.url, str(failure.value).split(" in request")[0])

    def parse_listing(self, response):
        if self.listing_path is None or response.status in (404, 410):
            return parse_listing(response, platform=self.platform)
        if self.listing_path not in response.url:
            return None  # an index page of the platform: followed, not stored
        return parse_listing(response, self.platform, title=response.css(self.title_css).get(),
                             seller=response.css(self.seller_css).get())
