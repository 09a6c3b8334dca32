"""What every fentwatch spider shares: start URLs from ``-a start_url=URL[,URL...]``, staying on those hosts, and
following every http(s) link. Platform spiders only override ``parse_listing`` with their selectors."""

from __future__ import annotations

from urllib.parse import urlparse

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.linkextractors import LinkExtractor

from ..extract import Page, page_links, parse_listing, read_page
from ..items import PageIssue
from ..middlewares import BlockedAddress


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

    async def start(self):
        """The start URLs, with the errback that records why a page was not fetched (a start URL that redirects
        into the internal network is refused like any other request)."""
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.skipped, dont_filter=True)

    def parse(self, response):
        page = read_page(response, self.settings.getint("FENTWATCH_MAX_HTML_DEPTH", 1000))
        item = self.parse_listing(response, page)
        if item is not None:
            if isinstance(item, PageIssue) and item.reason == "not-a-listing":  # counted by the classifier's kind
                self.crawler.stats.inc_value(f"fentwatch/not_listing/{page.kind or 'other'}")
            yield item
        for problem in page.problems:  # structured data that could not be read: recorded, the listing kept
            self.crawler.stats.inc_value("fentwatch/issues/structured-data")
            yield PageIssue(response.url, "structured-data", problem, response.status)
        if response.status in (404, 410) or page.issue is not None:
            return
        urls, issue = self.follow_links(response, page)
        if issue is not None:
            yield issue
        for url in urls:
            if url.startswith(self.prefixes):
                yield response.follow(url, callback=self.parse, errback=self.skipped)

    def follow_links(self, response, page: Page) -> tuple[list[str], PageIssue | None]:
        """The page's links, at most FENTWATCH_MAX_LINKS_PER_PAGE (a page of 100,000 links is a crawler trap, and
        Scrapy's link extractor takes seconds on it); more is recorded as a page issue."""
        cap = self.settings.getint("FENTWATCH_MAX_LINKS_PER_PAGE", 2000)
        body = response.body
        found = body.count(b"href=") + body.count(b"HREF=")
        issue = None
        if found > cap:
            self.crawler.stats.inc_value("fentwatch/issues/links-capped")
            issue = PageIssue(response.url, "links-capped", f"followed the first {cap} of about {found} links",
                              response.status)
        if page.deep:
            return page_links(page, response, cap), issue
        if found > cap:  # cut the body before the link past the cap: the extractor's cost stays bounded
            pos = -1
            for _ in range(cap + 1):
                pos = min((i for i in (body.find(b"href=", pos + 1), body.find(b"HREF=", pos + 1)) if i != -1),
                          default=len(body))
            response = response.replace(body=body[:pos])
        return [link.url for link in self.links.extract_links(response)], issue

    def skipped(self, failure):
        """A page that could not be fetched (too large, timed out, refused, a blocked address) is counted and
        recorded with its reason, and the crawl goes on; the reason is logged as one line, not a traceback."""
        url = failure.request.url
        if isinstance(failure.value, BlockedAddress):
            self.crawler.stats.inc_value("fentwatch/issues/blocked-address")
            yield PageIssue(url, "blocked-address", str(failure.value))
            return
        if getattr(failure.value, "page_issue", None):  # a refusal worth a record (robots.txt unreachable ...)
            self.crawler.stats.inc_value(f"fentwatch/issues/{failure.value.page_issue}")
            yield PageIssue(url, failure.value.page_issue, str(failure.value))
            return
        if isinstance(failure.value, IgnoreRequest):
            return  # refused by robots.txt or the offsite filter: Scrapy counts those already
        reason = type(failure.value).__name__
        message = str(failure.value).split(" in request")[0]
        self.crawler.stats.inc_value(f"fentwatch/skipped/{reason}")
        self.logger.warning("skipped %s: %s", url, message)
        if "max size" in message or reason == "DownloadCancelledError":  # Scrapy cancels a body past the limit
            maxsize = self.settings.getint("DOWNLOAD_MAXSIZE")
            yield PageIssue(url, "too-large", f"{reason}: {message or f'more than DOWNLOAD_MAXSIZE ({maxsize}) bytes'}")
        else:
            yield PageIssue(url, "fetch-failed", f"{reason}: {message}")

    def parse_listing(self, response, page: Page | None = None):
        if self.listing_path is None or response.status in (404, 410):
            return parse_listing(response, platform=self.platform, page=page)
        if self.listing_path not in response.url:
            return page.issue if page is not None else None  # an index page of the platform: followed, not stored
        if page is not None and (page.issue is not None or page.deep):
            return parse_listing(response, self.platform, page=page)
        return parse_listing(response, self.platform, title=response.css(self.title_css).get(),
                             seller=response.css(self.seller_css).get(), page=page)
