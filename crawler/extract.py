"""Shared parsing for every spider: a response in, a ListingItem out, or a PageIssue saying why the page is not
one (the page classifier's verdict, ``crawler/pagekind.py``: a list, search, category, home or other page).

Fields are read in this order of trust (``crawler/fields.py``): schema.org Product/Offer JSON-LD, microdata,
OpenGraph, the product heading, HTML property tables and definition lists ("CAS No.", "MF", "Purity", "CAS号"
rows), and finally the page's visible text (navigation, breadcrumbs, cart widgets and cookie banners dropped), so
that no page is skipped because its layout is unknown. Structured data is hostile input (``crawler/structured.py``):
what cannot be read is recorded (``Page.problems``, a page issue and a warning on the listing), never raised.

Pages are written by people who want the crawler to fail. Before parsing, ``read_page`` turns away empty,
non-text and binary bodies with a recorded reason (a ``PageIssue``), decodes a body that is not in the encoding it
declares with the encoding it is really in (GBK labelled UTF-8), and reads a page nested too deeply for the HTML
parser (lexbor's cost grows with the square of the depth) as plain text, with a warning on the listing.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from selectolax.lexbor import LexborHTMLParser

from detect.html import flatten, lines_of, nesting_depth, plain_lines

from . import fields, pagekind, structured
from .items import ListingItem, PageIssue
from .pagekind import Evidence

SNIFF_BYTES = 8192
HREF_RE = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)

SELLER_KEYS = ("supplier", "company", "seller", "manufacturer", "vendor", "供应商", "posted by")


def properties(lines: list[str]) -> dict[str, str]:
    props = {}
    for line in lines:
        if ":" in line[:40]:
            k, v = line.split(":", 1)
            if k.strip() and len(k.split()) <= 4:
                props.setdefault(k.strip().lower(), v.strip())
    return props


@dataclass
class Page:
    """A response read defensively: its HTML as text, or the issue that stopped it being read."""
    html: str = ""
    warnings: list[str] = field(default_factory=list)
    issue: PageIssue | None = None
    deep: bool = False    # nested deeper than the parser is given: read as plain text
    problems: list[str] = field(default_factory=list)  # structured data that could not be read (page issues)
    kind: str = ""        # what the page classifier said (crawler/pagekind.py)


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


def _drop_chrome(tree: LexborHTMLParser, selectors: str, keep: str) -> None:
    """Navigation, footers, breadcrumbs, cart widgets and cookie banners: never the page itself, nor a part
    holding the product heading."""
    for node in tree.css(selectors):
        if node.tag in ("html", "body", "main", "article") or node.css_first(keep) is not None:
            continue
        node.decompose()


def _carts(tree: LexborHTMLParser, cart) -> int:
    count = 0
    for node in tree.css("button, a, input[type=submit], input[type=button], [role=button]"):
        label = fields.text_of(node)[:60] or (node.attributes.get("value") or "")[:60]
        if label and cart.search(label):
            count += 1
    return count


def _read_tree(page: Page, url: str) -> tuple[Evidence, dict]:
    """Parse once: the evidence the page classifier needs and what the field helpers read."""
    tree = LexborHTMLParser(page.html)
    products, types, problems = structured.json_ld(tree)
    page.problems.extend(problems)
    micro, micro_scopes = structured.microdata(tree)
    og = structured.opengraph(tree)
    links = len(tree.css("a[href]"))
    title_node = tree.css_first("title")
    title = fields.text_of(title_node)
    r = pagekind.rules()
    _drop_chrome(tree, r.chrome, r.keep)
    headings = [h for h in (fields.text_of(n) for n in tree.css("h1")) if h]
    named = fields.text_of(tree.css_first(".product-title, .product_title, .product-name, [itemprop=name]"))
    price_nodes = [fields.text_of(n)[:80] for n in tree.css('[class*="price"]')[:20]]
    link_chars = sum(len(fields.text_of(a)) for a in tree.css("a[href]"))
    carts = _carts(tree, r.cart)
    flatten(tree)
    lines = lines_of(tree)
    image_lines = fields.images(tree, url) if tree.body is not None else []
    names = {structured.field(p, "name") for p in products if "Product" in str(p.get("@type"))}
    ev = Evidence(url=url, title=title, headings=tuple(headings), products=max(len(names), min(len(products), 1)),
                  list_data=bool(types & structured.LIST_TYPES), micro_products=micro_scopes,
                  og_product=og.get("type") == "product", carts=carts, links=links,
                  link_share=link_chars / max(1, sum(len(line) for line in lines)), lines=tuple(lines))
    return ev, {"products": products, "micro": micro, "og": og, "headings": headings, "named": named,
                "price_nodes": price_nodes, "images": image_lines}


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
        ev, got = Evidence(url=response.url, lines=tuple(lines)), {}
    else:
        try:
            ev, got = _read_tree(page, response.url)
        except RecursionError:  # a structure no helper expected: read the page as plain text, never lose it
            page.problems.append("the page's markup could not be walked: read as plain text")
            lines = plain_lines(page.html)
            ev, got = Evidence(url=response.url, lines=tuple(lines)), {}
        lines = list(ev.lines)
    verdict = pagekind.classify(ev)
    page.kind = verdict.kind
    if not verdict.listing:
        return PageIssue(response.url, "not-a-listing", f"{verdict.kind}: {verdict.reason}", response.status)
    products, micro, og = got.get("products", []), got.get("micro", {}), got.get("og", {})
    source = "json-ld" if products else "microdata" if micro else "opengraph" if og.get("title") else \
        "selectors" if title else "text"
    name = fields.product_name(products, micro, got.get("headings", []), og, ev.title, got.get("named", ""))
    title = _clean_title(title) or name or (lines[0] if lines else "")
    props = properties(lines)
    product = products[0] if products else {}
    seller = seller or structured.field(product, "offers", "seller", "name") \
        or structured.field(product, "brand", "name") or next((props[k] for k in SELLER_KEYS if k in props), None)
    price = fields.price(products, micro, props, got.get("price_nodes", []), lines, name, pagekind.rules().cart)
    text_lines = [line for line in lines if line != title]
    extra = fields.description_lines(products, micro, text_lines) + [
        line for line in got.get("images", []) if line not in text_lines]
    warnings = list(page.warnings) + [f"structured data: {p}" for p in page.problems]
    return ListingItem(url=response.url, platform=platform, title=title, text="\n".join(text_lines + extra),
                       seller=None if seller is None else str(seller), price=price, source=source,
                       http_status=response.status, headers=headers, body=response.body, fetched_at=fetched,
                       warnings=warnings, page_kind=verdict.kind, product_name=name or title)


def _clean_title(title) -> str:
    return " ".join(str(title).split()) if title else ""
