"""Catalogue product pages (ChemicalBook / Guidechem style): h1, property table, supplier box."""

from .base import ListingSpider


class CatalogSpider(ListingSpider):
    name = "catalog"
    platform = "catalog"
    follow = (r"/catalog/",)  # on a real platform: the path of its listing and index pages
    listing_path = "/product/"
    title_css = "h1.product-name::text"
    seller_css = ".supplier-box .company::text"
