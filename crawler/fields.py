"""Listing fields of a product page, structure first: small helpers, each reading one field.

- ``text_of``: an element's text with inline markup joined, not split (``C<sub>6</sub>H<sub>8</sub>O<sub>7</sub>``
  is "C6H8O7").
- ``product_name``: the structured ``name`` (JSON-LD, microdata), else the one product heading, else the
  ``og:title`` or the ``<title>`` without the shop's name; a ``<title>`` naming a category never beats the heading.
- ``price``: JSON-LD ``price`` or a range (``lowPrice``/``highPrice``, ``minPrice``/``maxPrice``) with its currency,
  microdata, a "Price:" row, an element whose class says price, or the amount printed between the product
  heading and the add-to-cart control.
- ``images``: the page's product images as "Image: alt text (URL)" lines.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from . import structured

MAX_NAME = 300
AMOUNT_RE = re.compile(r"(?:[$€£¥]|\b(?:USD|EUR|GBP|PLN|CNY|RMB)\s?)\s?\d[\d,.\s]*\d|\d[\d,.]*\s?(?:€|zł|PLN|EUR|USD|"
                       r"\$|kr|Kč)", re.IGNORECASE)
NUMERIC_RE = re.compile(r"^\s*\d[\d,.]*\s*$")
PRICE_KEYS = ("price", "价格", "cena", "preis", "prijs", "prix", "our price", "sale price")
TITLE_SPLIT_RE = re.compile(r"\s+(?:\||-|–|—|::)\s+")


def text_of(node) -> str:
    return " ".join((node.text(separator="", strip=False) or "").split()) if node is not None else ""


def _clean(value) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return text[:MAX_NAME]


def product_name(products: list[dict], micro: dict, headings: list[str], og: dict, title: str,
                 named: str = "") -> str:
    """The name of the product a product page offers (see the module docstring). ``named``: an element the
    platform marks as the product title (``.product-title``, ``itemprop=name``) when there is no <h1>."""
    for value in [structured.field(p, "name") for p in products[:1]] + [micro.get("name")]:
        if _clean(value):
            return _clean(value)
    if len(headings) == 1 and headings[0]:
        return _clean(headings[0])
    if named:
        return _clean(named)
    for value in (og.get("title"), title):
        value = _clean(value)
        if value:
            site = _clean(og.get("site_name"))
            parts = TITLE_SPLIT_RE.split(value)
            if len(parts) > 1 and (not site or parts[-1].lower() == site.lower() or site.lower() in parts[-1].lower()):
                value = " - ".join(parts[:-1])
            return value
    return _clean(headings[0]) if headings else ""


def _with_currency(value, currency) -> str:
    text = _clean(value)
    return f"{text} {_clean(currency)}" if currency and NUMERIC_RE.match(text) else text


def _offer_price(obj: dict) -> str | None:
    """``price``, or a range, of an Offer/AggregateOffer (or of a Product through its ``offers``)."""
    offers = obj.get("offers") if isinstance(obj.get("offers"), (dict, list)) else None
    for source in ([obj] + ([offers] if offers is not None else [])):
        currency = structured.field(source, "priceCurrency")
        price = structured.field(source, "price") or structured.field(source, "priceSpecification", "price")
        if price not in (None, ""):
            return _with_currency(price, currency or structured.field(source, "priceSpecification", "priceCurrency"))
        for low_key, high_key in (("lowPrice", "highPrice"), ("minPrice", "maxPrice")):
            low, high = structured.field(source, low_key), structured.field(source, high_key)
            if low not in (None, "") or high not in (None, ""):
                span = f"{_clean(low)}-{_clean(high)}" if low not in (None, "") and high not in (None, "") \
                    else _clean(low if low not in (None, "") else high)
                return f"{span} {_clean(currency)}".strip()
    return None


def price(products: list[dict], micro: dict, props: dict, price_nodes: list[str], lines: list[str],
          name: str, cart) -> str | None:
    for p in products[:1]:
        found = _offer_price(p)
        if found:
            return found
    if micro.get("price"):
        return _with_currency(micro["price"], micro.get("priceCurrency"))
    if micro.get("lowPrice"):
        return f"{micro['lowPrice']}-{micro.get('highPrice', '')} {micro.get('priceCurrency', '')}".strip(" -")
    for key in PRICE_KEYS:
        if props.get(key):
            return _clean(props[key])
    for text in price_nodes:
        m = AMOUNT_RE.search(text)
        if m:
            return _clean(m.group(0))
    return _near_cart(lines, name, cart)


def _near_cart(lines: list[str], name: str, cart) -> str | None:
    """The first amount printed between the product heading and the add-to-cart control."""
    start = next((i for i, line in enumerate(lines) if name and line == name), None)
    if start is None:
        return None
    for line in lines[start + 1:start + 40]:
        if cart.search(line):
            return None
        m = AMOUNT_RE.search(line)
        if m:
            return _clean(m.group(0))
    return None


def description_lines(products: list[dict], micro: dict, lines: list[str]) -> list[str]:
    """The structured description's lines that the visible text lacks (some shops print it only in JSON-LD,
    some URL-encode it there)."""
    desc = next((structured.field(p, "description") for p in products[:1] if structured.field(p, "description")),
                None) or micro.get("description")
    if not isinstance(desc, str) or not desc.strip():
        return []
    if "%20" in desc or "%0A" in desc:
        desc = unquote(desc)
    seen = set(lines)
    out = [" ".join(raw.split()) for raw in desc[:20000].splitlines()]
    out = [line for line in out if line and line not in seen]
    joined = "\n".join(lines)
    return [] if out and all(line in joined for line in out) else out


def images(tree, base_url: str, limit: int = 10) -> list[str]:
    """'Image: alt text (URL)' for the product images with alt text (logos and icons without alt are left out)."""
    out, seen = [], set()
    for node in tree.css("img[alt]"):
        alt = " ".join((node.attributes.get("alt") or "").split())
        src = node.attributes.get("src") or node.attributes.get("data-src") or ""
        if not alt or alt in seen or len(alt) < 3 or "logo" in src.lower() or "logo" in alt.lower():
            continue
        seen.add(alt)
        out.append(f"Image: {alt[:200]} ({src[:300]})" if src else f"Image: {alt[:200]}")
        if len(out) >= limit:
            break
    return out
