"""Catalogue product pages (ChemicalBook / Guidechem style): h1, property table, supplier box."""

from ..extract import parse_listing
from .base import ListingSpider


class CatalogSpider(ListingSpider):
    name = "catalog"
    platform = "catalog"
    follow = (r"/catalog/",)  # on a real platform: the path of its listing and index pages

    def parse_listing(self, response):
        if "/product/" not in response.url:
            return parse_listing(response, self.platform) if response.status in (404, 410) else None
        return parse_listing(response, self.platform, title=response.css("h1.product-name::text").get(),
                             seller=response.css(".supplier-box .company::text").get())
