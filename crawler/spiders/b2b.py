"""B2B offer pages (Alibaba / Made-in-China style): offer title, price tiers, MOQ, supplier, JSON-LD."""

from ..extract import parse_listing
from .base import ListingSpider


class B2BSpider(ListingSpider):
    name = "b2b"
    platform = "b2b"
    follow = (r"/b2b/",)  # on a real platform: the path of its listing and index pages

    def parse_listing(self, response):
        if "/offer/" not in response.url:
            return parse_listing(response, self.platform) if response.status in (404, 410) else None
        return parse_listing(response, self.platform, title=response.css("h1.offer-title::text").get(),
                             seller=response.css(".supplier b::text").get())
