"""Any site: follows links and pagination on the start hosts and reads every product-like page."""

from .base import ListingSpider


class GenericSpider(ListingSpider):
    name = "generic"
