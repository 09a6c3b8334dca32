"""Classifieds and forum posts: a post title, free text, the poster's handle."""

from .base import ListingSpider


class BoardSpider(ListingSpider):
    name = "board"
    platform = "board"
    follow = (r"/board/",)  # on a real platform: the path of its listing and index pages
    listing_path = "/post/"
    title_css = "h2.post-title::text"
    seller_css = ".poster::text"
