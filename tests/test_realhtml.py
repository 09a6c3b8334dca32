"""The generic extraction on 51 real pages of 13 chemical web shops (``../shared/realhtml``, read at test time):
one test per field per shop, city-scrapers style, against the labels in ``pages.jsonl`` and ``tests/realhtml.py``;
then a real crawl of the whole folder served on 127.0.0.1, checked in the store."""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache

import pytest
import sqlite_utils
from scrapy.http import HtmlResponse

from crawler.demo.server import DemoServer
from crawler.extract import parse_listing
from crawler.items import ListingItem, PageIssue

from realhtml import PRICES, family, pages, require
from warmrun import WARM_FENTWATCH

PAGES = pages()
FAMILIES = sorted({family(r) for r in PAGES})
PRODUCT_FAMILIES = sorted({family(r) for r in PAGES if r["is_listing"]})


def url_of(row: dict) -> str:
    return row["url"] or f"https://{row['site']}/{row['path']}"  # two pages were saved without their address


@lru_cache(maxsize=None)
def parsed(path: str):
    row = next(r for r in PAGES if r["path"] == path)
    body = (require() / "site" / path).read_bytes()
    return parse_listing(HtmlResponse(url=url_of(row), body=body, headers={"Content-Type": "text/html; charset=utf-8"}))


def rows(fam: str, listing: bool | None = None) -> list[dict]:
    return [r for r in PAGES if family(r) == fam and (listing is None or r["is_listing"] == listing)]


def amounts(text: str | None) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text or "")]


@pytest.mark.parametrize("fam", FAMILIES)
def test_kind(fam):
    """Product pages become listings of kind "product"; search, category, home and bot-check pages do not, and
    each says why."""
    for row in rows(fam):
        item = parsed(row["path"])
        if row["is_listing"]:
            assert isinstance(item, ListingItem) and item.page_kind == "product", (row["path"], item)
        else:
            assert isinstance(item, PageIssue) and item.reason == "not-a-listing", (row["path"], item)
            kind, reason = item.detail.split(": ", 1)
            assert kind in ("search", "list", "category", "home", "other") and reason, item.detail


@pytest.mark.parametrize("fam", PRODUCT_FAMILIES)
def test_product_name(fam):
    """The stored title and product name are the product, not the category or the shop."""
    for row in rows(fam, listing=True):
        item = parsed(row["path"])
        assert row["product"].lower() in item.product_name.lower(), (row["path"], item.product_name)
        assert row["product"].lower() in item.title.lower(), (row["path"], item.title)


@pytest.mark.parametrize("fam", PRODUCT_FAMILIES)
def test_price(fam):
    for row in rows(fam, listing=True):
        item = parsed(row["path"])
        assert amounts(item.price) == [float(x) for x in PRICES[row["path"]]], (row["path"], item.price)


@pytest.mark.parametrize("fam", PRODUCT_FAMILIES)
def test_cas(fam):
    """The CAS number printed on the page is in the stored text (those that print none: nothing to find)."""
    for row in rows(fam, listing=True):
        item = parsed(row["path"])
        if row["cas"]:
            assert row["cas"] in item.text, row["path"]


def test_inline_markup_does_not_split_a_formula():
    item = parsed("onyxmet/product-1526-adipic-acid.html")  # CAS Nr: 124-04-9 C<sub>6</sub>H<sub>10</sub>O<sub>4</sub>
    assert "C6H10O4" in item.text and "C 6 H" not in item.text


def test_site_chrome_is_dropped():
    item = parsed("loudwolf/storefront/product-754-citric-acid.html")
    assert "item(s) - $0.00" not in item.text  # the cart widget of the header
    assert "Brand: Loudwolf Industrial & Scientific" in item.text.splitlines()
    item = parsed("onyxmet/product-1526-adipic-acid.html")
    assert "Categories" not in item.text.splitlines() and "Image: Onyxmet" not in item.text  # sidebar, logo


def test_category_title_loses_to_the_product_heading():
    item = parsed("limac/sodium-borohydride.html")  # <title>Hydrides - Hydrides - Catalog - LiMac Science</title>
    assert item.title == "Sodium borohydride, min 95%"


def test_crawl_of_the_whole_folder(tmp_path):
    """A real crawl of the folder on 127.0.0.1: every product page stored as a listing with its product name,
    price and CAS; every other page recorded in page_issues with why; nothing flagged (no page offers a
    controlled substance)."""
    db_file = tmp_path / "realhtml.db"
    with DemoServer(require() / "site") as server:
        proc = subprocess.run([*WARM_FENTWATCH, "crawl", f"{server.url}/index.html", "--db",
                               str(db_file), "--set", "AUTOTHROTTLE_ENABLED=False", "--set",
                               "CONCURRENT_REQUESTS_PER_DOMAIN=16"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"not listings: .*\d+ search", proc.stdout), proc.stdout  # the summary says what was skipped
    db = sqlite_utils.Database(db_file)
    stored = {r["url"].split("/", 3)[-1]: r for r in db.query("select * from listings")}
    products = {r["path"]: r for r in PAGES if r["is_listing"]}
    assert set(stored) == set(products)
    for path, row in products.items():
        got = stored[path]
        assert got["page_kind"] == "product" and row["product"].lower() in got["product_name"].lower(), path
        assert amounts(got["price"]) == [float(x) for x in PRICES[path]], (path, got["price"])
        assert not row["cas"] or row["cas"] in got["text"], path
        assert got["flagged"] == 0, path
    skipped = {r["url"].split("/", 3)[-1]: r["detail"] for r in db.query(
        "select url, detail from page_issues where reason = 'not-a-listing'")}
    others = {r["path"] for r in PAGES if not r["is_listing"]}
    assert others <= set(skipped), others - set(skipped)
    assert skipped["labchem/just-a-moment.html"].startswith("other: a bot check")
    assert skipped["tci/search-acid.html"].startswith("search:")
