"""Shared parsing for every spider: a response in, a ListingItem (or None for a page that is not a listing) out.

Fields are read in this order of trust: schema.org Product/Offer JSON-LD, microdata, OpenGraph, HTML property
tables and definition lists ("CAS No.", "MF", "Purity", "CAS号" rows), and finally the page's visible text, so
that no page is skipped because its layout is unknown. Index pages (many listing links, little text) and noise
pages (about, login, contact, ...) are not listings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlparse

from selectolax.lexbor import LexborHTMLParser

from detect.html import flatten, lines_of

from .items import ListingItem

NOISE_PATH_RE = re.compile(r"/(about|login|logout|register|signup|sign-in|contact|cart|checkout|help|faq|terms|"
                           r"privacy|account)(?:[./_-]|$)", re.IGNORECASE)
PROPERTY_KEYS_RE = re.compile(r"^(cas|cas no\.?|cas number|cas号|mf|mw|molecular formula|molecular weight|purity|"
                              r"assay|moq|price|package|packaging|appearance|纯度|价格|包装|分子式|外观|"
                              r"smiles|einecs|product name|产品名称)\s*$", re.IGNORECASE)
CAS_SHAPE_RE = re.compile(r"\b\d{2,7}-\d{2}-\d\b")
SELLER_KEYS = ("supplier", "company", "seller", "manufacturer", "vendor", "供应商", "posted by")


def _json_ld_products(tree: LexborHTMLParser) -> list[dict]:
    found = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text())
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop()
            if not isinstance(obj, dict):
                continue
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if "Product" in types or "Offer" in types:
                found.append(obj)
            stack.extend(v for v in obj.get("@graph", []) if isinstance(v, dict))
    return found


def _microdata(tree: LexborHTMLParser) -> dict:
    scope = tree.css_first('[itemtype*="schema.org/Product"]')
    if scope is None:
        return {}
    out = {}
    for prop in ("name", "description", "price", "sku"):
        node = scope.css_first(f'[itemprop="{prop}"]')
        if node is not None:
            out[prop] = node.attributes.get("content") or node.text(strip=True)
    return out


def _opengraph(tree: LexborHTMLParser) -> dict:
    out = {}
    for node in tree.css('meta[property^="og:"]'):
        out[node.attributes.get("property", "")[3:]] = node.attributes.get("content") or ""
    return out


def _offer_field(product: dict, *path: str):
    value = product
    for key in path:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value if isinstance(value, (str, int, float)) else None


def properties(lines: list[str]) -> dict[str, str]:
    props = {}
    for line in lines:
        if ":" in line[:40]:
            k, v = line.split(":", 1)
            if k.strip() and len(k.split()) <= 4:
                props.setdefault(k.strip().lower(), v.strip())
    return props


def is_listing(url: str, lines: list[str], links: int, structured: bool, link_share: float = 0.0) -> bool:
    """A product-like page: structured product data, property rows, a CAS number, or enough text of its own.
    Noise pages (about, login, contact ...) and index pages (mostly link text) are not listings."""
    if NOISE_PATH_RE.search(urlparse(url).path):
        return False
    if structured:
        return True
    if links >= 5 and link_share > 0.6:  # an index: its text is the titles of the listings it links to
        return False
    keys = sum(bool(PROPERTY_KEYS_RE.match(line.split(":", 1)[0].strip())) for line in lines if ":" in line[:40])
    if keys >= 2 or any(CAS_SHAPE_RE.search(line) for line in lines):
        return True
    words = sum(len(line.split()) for line in lines)
    return links < 15 and words >= 8  # a short classified post is still a listing


def parse_listing(response, platform: str | None = None, title: str | None = None,
                  seller: str | None = None) -> ListingItem | None:
    """Build the item for one response. Spiders with selectors pass the fields they read themselves."""
    fetched = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    platform = platform or urlparse(response.url).hostname or ""
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    if response.status in (404, 410):
        return ListingItem(url=response.url, platform=platform, http_status=response.status, headers=headers,
                           body=response.body, fetched_at=fetched, gone=True)
    tree = LexborHTMLParser(response.text)
    products = _json_ld_products(tree)
    micro = _microdata(tree)
    og = _opengraph(tree)
    anchors = tree.css("a[href]")
    link_chars = sum(len(a.text(strip=True)) for a in anchors)
    h1 = tree.css_first("h1")
    for node in tree.css("nav, footer, [role=navigation]"):  # site chrome, the same on every page
        node.decompose()
    flatten(tree)
    lines = lines_of(tree)
    share = link_chars / max(1, sum(len(line) for line in lines))
    structured = bool(products or micro or og.get("type") == "product")
    if not is_listing(response.url, lines, len(anchors), structured, share):
        return None
    product = products[0] if products else {}
    source = "json-ld" if products else "microdata" if micro else "opengraph" if og.get("title") else \
        "selectors" if title else "text"
    title = (title or _offer_field(product, "name") or micro.get("name") or og.get("title")
             or (h1.text(strip=True) if h1 is not None else "") or (lines[0] if lines else ""))
    props = properties(lines)
    seller = seller or _offer_field(product, "offers", "seller", "name") or _offer_field(product, "brand", "name") \
        or next((props[k] for k in SELLER_KEYS if k in props), None)
    price = _offer_field(product, "offers", "price") or micro.get("price") or props.get("price") or props.get("价格")
    text_lines = [line for line in lines if line != title]
    return ListingItem(url=response.url, platform=platform, title=" ".join(str(title).split()),
                       text="\n".join(text_lines), seller=seller, price=str(price) if price is not None else None,
                       source=source, http_status=response.status, headers=headers, body=response.body,
                       fetched_at=fetched)
