"""The one item fentwatch spiders yield: a fetched listing page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ListingItem:
    url: str
    platform: str
    title: str = ""
    text: str = ""
    seller: str | None = None
    price: str | None = None
    source: str = "text"          # where the fields came from: json-ld, microdata, opengraph, selectors, text
    http_status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b""             # the raw response body: the evidence snapshot
    fetched_at: str = ""
    gone: bool = False            # the page answered 404 or 410
    scan: dict | None = None      # filled by DetectPipeline: the scan result (JSON form)
    warnings: list = field(default_factory=list)  # what reading the page cut or guessed (stored with the scan's)
    page_kind: str | None = None  # the page classifier's kind (crawler/pagekind.py): "product" for a listing
    product_name: str | None = None  # the name of the product the page offers (structured name or heading)


@dataclass
class PageIssue:
    """A page that did not become a listing, or was only partly read, and why: stored in ``page_issues``."""
    url: str
    reason: str                   # a short slug: empty, not-text, binary, too-large, links-capped, blocked-address ...
    detail: str = ""              # for a person: what was found and what was done
    http_status: int | None = None
