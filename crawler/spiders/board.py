"""Classifieds and forum posts: a post title, free text, the poster's handle."""

from ..extract import parse_listing
from .base import ListingSpider


class BoardSpider(ListingSpider):
    name = "board"
    platform = "board"
    follow = (r"/board/",)  # on a real platform: the path of its listing and index pages

    def parse_listing(self, response):
        if "/post/" not in response.url:
            return parse_listing(response, self.platform) if response.status in (404, 410) else None
        return parse_listing(response, self.platform, title=response.css("h2.post-title::text").get(),
                             seller=response.css(".poster::text").get())
