"""Structured data on a page (schema.org JSON-LD, microdata, OpenGraph), read as hostile input.

Any shape, depth or number is either read or recorded: each reader returns what it could read plus a list of
problems (short sentences), never an exception. A ``{"@graph": null}``, JSON nested 100,000 deep (RecursionError in
``json.loads``), a 5000-digit number (ValueError: Python's int digit limit), a ``@type`` that is a dict or a list of
lists, or a ``<meta property>`` without a value cost only the part they are in, not the listing.
"""

from __future__ import annotations

import json
import math

from selectolax.lexbor import LexborHTMLParser

MAX_LD_CHARS = 1_000_000   # one JSON-LD block larger than this is not parsed (recorded)
MAX_LD_DEPTH = 64          # objects nested deeper than this are not walked (recorded)
MAX_LD_NODES = 20_000      # objects walked per page
PRODUCT_TYPES = frozenset({"Product", "IndividualProduct", "ProductModel", "ProductGroup"})
OFFER_TYPES = frozenset({"Offer", "AggregateOffer"})
LIST_TYPES = frozenset({"ItemList", "SearchResultsPage", "CollectionPage", "OfferCatalog"})


def _types(obj: dict) -> set[str]:
    raw = obj.get("@type")
    raw = raw if isinstance(raw, list) else [raw]
    return {t.rsplit("/", 1)[-1] for t in raw if isinstance(t, str)}


def _depth_ok(text: str, limit: int) -> bool:
    """Bracket depth of a JSON text (strings skipped) is at most ``limit``: checked before ``json.loads``, whose
    recursion would otherwise fail (or, with a raised recursion limit, crash) on deep input."""
    depth = 0
    in_str = escaped = False
    for ch in text:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _finite(value):
    """Infinity and NaN (``1e999``) are not numbers a page can mean: dropped."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def json_ld(tree: LexborHTMLParser) -> tuple[list[dict], set[str], list[str]]:
    """(product objects, every schema.org type seen, problems). Objects are found anywhere: top level, lists,
    ``@graph`` of any shape, nested values; an offer counts as a product when it is not inside one."""
    found: list[dict] = []
    types: set[str] = set()
    problems: list[str] = []
    walked = 0
    for n, node in enumerate(tree.css('script[type="application/ld+json"]'), 1):
        text = node.text() or ""
        if len(text) > MAX_LD_CHARS:
            problems.append(f"json-ld block {n}: {len(text)} characters (limit {MAX_LD_CHARS}), not read")
            continue
        if text.count("[") + text.count("{") > MAX_LD_DEPTH * 4 and not _depth_ok(text, MAX_LD_DEPTH * 4):
            problems.append(f"json-ld block {n}: nested more than {MAX_LD_DEPTH * 4} levels, not read")
            continue
        try:
            data = json.loads(text, parse_constant=lambda _: None)
        except (ValueError, RecursionError, TypeError) as exc:  # JSONDecodeError is a ValueError; so are huge ints
            problems.append(f"json-ld block {n}: {type(exc).__name__}: {str(exc)[:120]}, not read")
            continue
        stack = [(data, 0, False)]
        while stack:
            obj, depth, inside = stack.pop()
            walked += 1
            if walked > MAX_LD_NODES:
                problems.append(f"json-ld: more than {MAX_LD_NODES} objects, the rest not read")
                return found, types, problems
            if depth > MAX_LD_DEPTH:
                problems.append(f"json-ld block {n}: objects nested deeper than {MAX_LD_DEPTH}, not read")
                continue
            if isinstance(obj, list):
                stack.extend((v, depth + 1, inside) for v in reversed(obj) if isinstance(v, (dict, list)))
                continue
            if not isinstance(obj, dict):
                continue
            kinds = _types(obj)
            types |= kinds
            if kinds & PRODUCT_TYPES or (kinds & OFFER_TYPES and not inside):
                found.append(obj)
            inside = inside or bool(kinds & (PRODUCT_TYPES | OFFER_TYPES))
            stack.extend((v, depth + 1, inside) for v in reversed(list(obj.values())) if isinstance(v, (dict, list)))
    return found, types, problems


def field(obj, *path: str):
    """A scalar at ``path`` in a JSON-LD object (the first element of any list on the way), else None."""
    value = obj
    for key in path:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, bool):
        return None
    return _finite(value) if isinstance(value, (str, int, float)) else None


def microdata(tree: LexborHTMLParser) -> tuple[dict, int]:
    """The first schema.org Product scope's name, description, price, currency and sku, and how many Product
    scopes the page has (a list page has many)."""
    scopes = tree.css('[itemtype*="schema.org/Product"]')
    if not scopes:
        return {}, 0
    out = {}
    for prop in ("name", "description", "price", "priceCurrency", "sku", "lowPrice", "highPrice"):
        node = scopes[0].css_first(f'[itemprop="{prop}"]')
        if node is not None:
            value = node.attributes.get("content") or " ".join((node.text(separator="") or "").split())
            if value:
                out[prop] = value
    return out, len(scopes)


def opengraph(tree: LexborHTMLParser) -> dict:
    out = {}
    for node in tree.css('meta[property^="og:"]'):
        prop = node.attributes.get("property") or ""
        out.setdefault(prop[3:], node.attributes.get("content") or "")
    return out
