"""B2B offer pages (Alibaba / Made-in-China style): offer title, price tiers, MOQ, supplier, JSON-LD."""

from .base import ListingSpider


class B2BSpider(ListingSpider):
    name = "b2b"
    platform = "b2b"
    follow = (r"/b2b/",)  # on a real platform: the path of its listing and index pages
    listing_path = "/offer/"
    title_css = "h1.offer-title::text"
    seller_css = ".supplier b::text"
