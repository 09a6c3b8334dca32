"""What kind of page a response is: a product (offer) page, which becomes a listing, or a list, search, category,
home or other page, which does not, with the reason.

The page's own evidence decides, strongest first: a bot check; a search URL or a heading that says "search
results"; the products its structured data describes (one: a product page; several: a list); repeated add-to-cart
controls (one per product block of a list); the URL's scheme; the share of the page's text that is link text
(chrome removed, measured on the same text); and last property rows, a CAS number or enough words of its own (a
short classified post is still an offer). URL patterns and cue words are data: ``data/page_kinds.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlparse

KINDS = ("product", "list", "search", "category", "article", "forum", "news", "reference", "home", "other")
DATA = files(__package__) / "data" / "page_kinds.toml"  # importlib.resources: also from a zipped egg
PROPERTY_KEYS_RE = re.compile(r"^(cas|cas no\.?|cas nr\.?|cas number|numer cas|cas-nr\.?|cas号|mf|mw|molecular formula|"
                              r"molecular weight|formula|purity|assay|moq|price|package|packaging|appearance|纯度|价格|"
                              r"包装|分子式|外观|smiles|einecs|product name|产品名称)\s*$", re.IGNORECASE)
CAS_SHAPE_RE = re.compile(r"\b\d{2,7}-\d{2}-\d\b")
HOME_RE = re.compile(r"^/?(?:(?:index|default|home)\.(?:html?|php|aspx?))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    url: dict[str, re.Pattern]
    search_heading: re.Pattern
    bot_check: re.Pattern
    cart: re.Pattern
    chrome: str
    keep: str


def _any(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return Rules(url={k: _any(v) for k, v in data["url"].items()}, search_heading=_any(data["cues"]["search_heading"]),
                 bot_check=_any(data["cues"]["bot_check"]), cart=_any(data["cues"]["cart"]),
                 chrome=", ".join(data["chrome"]["selectors"]), keep=", ".join(data["chrome"]["keep"]))


@dataclass
class Evidence:
    """What the extraction step saw on the page (crawler/extract.py fills it)."""
    url: str
    title: str = ""               # the <title>
    headings: tuple[str, ...] = ()  # the <h1> texts
    products: int = 0             # distinct products in JSON-LD
    list_data: bool = False       # JSON-LD ItemList / SearchResultsPage / CollectionPage
    micro_products: int = 0       # schema.org Product microdata scopes
    og_product: bool = False      # og:type = product
    carts: int = 0                # add-to-cart controls
    links: int = 0                # links on the page, chrome included
    link_share: float = 0.0       # link text / all text, both after the chrome is removed
    lines: tuple[str, ...] = ()   # the visible text, chrome removed


@dataclass(frozen=True)
class Verdict:
    kind: str
    reason: str

    @property
    def listing(self) -> bool:
        return self.kind == "product"


def url_kind(url: str) -> str | None:
    """The kind a URL's scheme says (product before search before category; noise pages are "other")."""
    parts = urlparse(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    r = rules().url
    if r["noise"].search(parts.path):
        return "other"
    for kind in ("search", "product", "category"):
        if r[kind].search(target):
            return kind
    return "home" if HOME_RE.match(parts.path) and not parts.query else None


def classify(ev: Evidence) -> Verdict:
    r = rules()
    by_url = url_kind(ev.url)
    if by_url == "other":
        return Verdict("other", "a site page (about, login, contact, cart ...) by its URL")
    head = ev.title + "\n" + "\n".join(ev.lines[:3])
    if r.bot_check.search(head):
        return Verdict("other", f"a bot check, not the page: {ev.title[:60]!r}")
    if by_url == "search":
        return Verdict("search", "a search URL")
    for text in ev.headings[:1] + (ev.title,):
        if r.search_heading.search(text):
            return Verdict("search", f"the heading says search results: {text[:60]!r}")
    if ev.products >= 2 or ev.micro_products >= 3:
        return Verdict("list", f"{max(ev.products, ev.micro_products)} products in the page's structured data")
    if ev.products == 1 or ev.micro_products or ev.og_product:
        return Verdict("product", "structured data describes one product")
    if ev.carts >= 3:
        return Verdict("list", f"{ev.carts} add-to-cart controls (a block per product)")
    if ev.links >= 5 and ev.link_share > 0.6:
        return Verdict("list", f"an index: link text is {ev.link_share:.0%} of the text")
    keys = sum(bool(PROPERTY_KEYS_RE.match(line.split(":", 1)[0].strip())) for line in ev.lines if ":" in line[:40])
    cas = any(CAS_SHAPE_RE.search(line) for line in ev.lines)
    if by_url == "product" and (ev.carts or cas or keys):
        return Verdict("product", "a product URL with an add-to-cart control, a CAS number or property rows")
    if by_url in ("category", "home"):
        return Verdict(by_url, f"a {by_url} URL without product data")
    if keys >= 2 or cas:
        return Verdict("product", "property rows or a CAS number")
    words = sum(len(line.split()) for line in ev.lines)
    if ev.links < 15 and words >= 8:  # a short classified post is still a listing
        return Verdict("product", "a short page of its own text")
    return Verdict("other", f"no product evidence ({words} words, {ev.links} links)")
