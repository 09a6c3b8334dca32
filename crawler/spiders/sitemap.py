"""Any site, from its sitemap.xml (``-a start_url=https://site/sitemap.xml``): every page the sitemap lists."""

from urllib.parse import urlparse

from scrapy.spiders import SitemapSpider

from ..extract import parse_listing


class ListingSitemapSpider(SitemapSpider):
    name = "sitemap"

    def __init__(self, start_url: str = "", *args, **kwargs):
        self.sitemap_urls = [u.strip() for u in start_url.split(",") if u.strip()]
        if not self.sitemap_urls:
            raise ValueError("spider sitemap needs -a start_url=URL of a sitemap.xml (several comma-separated)")
        self.allowed_domains = sorted({urlparse(u).hostname for u in self.sitemap_urls})
        super().__init__(*args, **kwargs)

    def parse(self, response):
        item = parse_listing(response)  # a listing, a PageIssue (empty, binary ...) or None
        if item is not None:
            yield item
