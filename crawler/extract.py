"""Shared parsing for every spider: a response in, a ListingItem (or None for a page that is not a listing) out.

Fields are read in this order of trust: schema.org Product/Offer JSON-LD, microdata, OpenGraph, HTML property
tables and definition lists ("CAS No.", "MF", "Purity", "CAS号" rows), and finally the page's visible text, so
that no page is skipped because its layout is unknown. Index pages (many listing links, little text) and noise
pages (about, login, contact, ...) are not listings.

Pages are written by people who want the crawler to fail. Before parsing, ``read_page`` turns away empty,
non-text and binary bodies with a recorded reason (a ``PageIssue``), decodes a body that is not in the encoding it
declares with the encoding it is really in (GBK labelled UTF-8), and reads a page nested too deeply for the HTML
parser (lexbor's cost grows with the square of the depth) as plain text, with a warning on the listing.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from selectolax.lexbor import LexborHTMLParser

from detect.html import flatten, lines_of, nesting_depth, plain_lines

from .items import ListingItem, PageIssue

SNIFF_BYTES = 8192
HREF_RE = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)

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


@dataclass
class Page:
    """A response read defensively: its HTML as text, or the issue that stopped it being read."""
    html: str = ""
    warnings: list[str] = field(default_factory=list)
    issue: PageIssue | None = None
    deep: bool = False    # nested deeper than the parser is given: read as plain text


def _mostly_cjk(text: str) -> bool:
    """True when the non-ASCII characters are nearly all Chinese, Japanese or Korean (so a GB18030 reading is
    right, not Latin-1 bytes that happen to pair up into Chinese characters)."""
    other = [c for c in text if ord(c) > 127]
    cjk = sum(1 for c in other if "\u3000" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uff00" <= c <= "\uffef")
    return bool(other) and cjk >= 0.9 * len(other)


def _decode(response) -> tuple[str, list[str]]:
    """The body as text. A body that is not valid in its declared encoding is read in the one it is really in
    (UTF-8, or GB18030 for Chinese pages), with a warning; failing both, bad bytes are replaced, also warned."""
    declared = (response.encoding or "utf-8").lower()
    body = response.body
    try:
        body.decode(declared)
        return response.text, []
    except (UnicodeDecodeError, LookupError):
        pass
    for alt in ("utf-8", "gb18030"):
        if alt == declared.replace("_", "-"):
            continue
        try:
            text = body.decode(alt)
        except UnicodeDecodeError:
            continue
        if alt == "gb18030" and not _mostly_cjk(text):
            continue
        return text, [f"encoding: the page declares {declared} but is not valid {declared}; read as {alt}"]
    text = response.text
    return text, [f"encoding: the page declares {declared} but {text.count(chr(0xFFFD))} byte sequences are "
                  f"not valid {declared}; replaced"]


def read_page(response, max_depth: int = 1000, many_tags: int = 20000) -> Page:
    """Turn away what cannot be a listing (empty, not text, binary), decode, and check the nesting depth of pages
    with many tags (``many_tags``; counting "<" is C speed, parsing the depth is not)."""
    status = response.status
    body = response.body or b""
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1")  # "": none sent, the body decides
    if not body.strip():
        return Page(issue=PageIssue(response.url, "empty", "the page has no content", status))
    media = ctype.split(";")[0].strip().lower()
    if not hasattr(response, "text") or (media and not (media.startswith("text/") or "html" in media
                                                         or "xml" in media)):
        return Page(issue=PageIssue(response.url, "not-text", f"content type {ctype or 'none'}, {len(body)} bytes",
                                    status))
    head = body[:SNIFF_BYTES]
    control = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
    if b"\x00" in head or control > len(head) // 20:
        return Page(issue=PageIssue(response.url, "binary", f"{control} control bytes in the first {len(head)} "
                                    f"bytes of a page declared {ctype or '(no content type)'}", status))
    html, warnings = _decode(response)
    page = Page(html, warnings)
    if body.count(b"<") > many_tags:
        depth = nesting_depth(html)
        if depth > max_depth:
            page.deep = True
            page.warnings.append(f"html nested {depth} levels deep (limit {max_depth}): read as plain text")
    return page


def page_links(page: Page, response, cap: int) -> list[str]:
    """Absolute URLs of a deep page's links, read without a parser (the first ``cap``)."""
    return [response.urljoin(html_lib.unescape(m.group(1))) for _, m in zip(range(cap), HREF_RE.finditer(page.html))]


def parse_listing(response, platform: str | None = None, title: str | None = None,
                  seller: str | None = None, page: Page | None = None) -> ListingItem | PageIssue | None:
    """Build the item for one response. Spiders with selectors pass the fields they read themselves; a page that
    cannot be read gives a ``PageIssue`` instead."""
    fetched = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    platform = platform or urlparse(response.url).hostname or ""
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    if response.status in (404, 410):
        return ListingItem(url=response.url, platform=platform, http_status=response.status, headers=headers,
                           body=response.body, fetched_at=fetched, gone=True)
    page = page or read_page(response)
    if page.issue is not None:
        return page.issue
    if page.deep:
        lines = plain_lines(page.html)
        products, micro, og, anchors, link_chars, h1 = [], {}, {}, [], 0, None
    else:
        tree = LexborHTMLParser(page.html)
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
                       fetched_at=fetched, warnings=list(page.warnings))
