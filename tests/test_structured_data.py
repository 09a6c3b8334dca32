"""Structured data is hostile input (issue 16, item 1): any JSON-LD, microdata or OpenGraph shape, depth or number
is read or recorded, the page's listing is stored from what could be read, and no parser error reaches Scrapy
(where 50 of them would close the crawl through CLOSESPIDER_ERRORCOUNT)."""

from __future__ import annotations

import subprocess

import pytest
import sqlite_utils
from scrapy.http import HtmlResponse

from crawler.demo.server import DemoServer
from crawler.extract import Page, parse_listing, read_page
from crawler.items import ListingItem
from warmrun import WARM_FENTWATCH

OFFER = ("<h1>Fentanyl citrate 99% {n}</h1><p>CAS No.: 990-73-8</p><p>Purity: 99%</p><p>Price: USD 300/kg</p>"
         "<p>Contact: +00 000 0000, sales@example.com</p>")
DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = [  # (name, what goes in <head>) : each one raised in crawler/extract.py before
    ("graph-null", '<script type="application/ld+json">{"@graph":null}</script>'),
    ("graph-string", '<script type="application/ld+json">{"@graph":"Product"}</script>'),
    ("graph-number", '<script type="application/ld+json">{"@graph":7}</script>'),
    ("deep-list", f'<script type="application/ld+json">{DEEP}</script>'),
    ("deep-object", '<script type="application/ld+json">' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "</script>"),
    ("huge-int", '<script type="application/ld+json">{"@type":"Product","name":' + "9" * 5000 + "}</script>"),
    ("huge-price", '<script type="application/ld+json">{"@type":"Product","offers":{"price":' + "1" * 5000
     + "}}</script>"),
    ("infinity", '<script type="application/ld+json">{"@type":"Product","offers":{"price":1e999}}</script>'),
    ("nan", '<script type="application/ld+json">{"@type":"Product","offers":{"price":NaN}}</script>'),
    ("type-dict", '<script type="application/ld+json">{"@type":{"Product":1},"name":"x"}</script>'),
    ("type-nested-list", '<script type="application/ld+json">{"@type":[["Product"]],"name":"x"}</script>'),
    ("name-object", '<script type="application/ld+json">{"@type":"Product","name":{"@value":[1,2]}}</script>'),
    ("offers-string", '<script type="application/ld+json">{"@type":"Product","offers":"cheap"}</script>'),
    ("seller-list", '<script type="application/ld+json">{"@type":"Product","offers":[[{"seller":[]}]]}</script>'),
    ("broken", '<script type="application/ld+json">{"@type":"Product",</script>'),
    ("og-no-content", '<meta property="og:title"><meta property="og:type" content="product">'),
    ("microdata-empty", '<div itemscope itemtype="https://schema.org/Product"><meta itemprop="name"></div>'),
]


# the shapes that raised in the spider before (each a spider error: 50 of them closed the crawl)
RAISED_BEFORE = ("graph-null", "graph-number", "deep-list", "deep-object", "huge-int", "huge-price")


def response(html: str, url: str = "http://127.0.0.1/p.html") -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")


@pytest.mark.parametrize("name, head", HOSTILE, ids=[n for n, _ in HOSTILE])
def test_hostile_structured_data_keeps_the_listing(name, head):
    html = f"<html><head>{head}</head><body>{OFFER.format(n=name)}</body></html>"
    r = response(html)
    page = read_page(r)
    item = parse_listing(r, page=page)
    assert isinstance(item, ListingItem) and "CAS No.: 990-73-8" in item.text
    assert item.title.startswith("Fentanyl citrate 99%") or item.title in ("x",), item.title
    if name in ("deep-list", "deep-object", "huge-int", "huge-price", "broken"):  # not readable: recorded
        assert page.problems and any(w.startswith("structured data: json-ld") for w in item.warnings)


def test_readable_parts_are_kept_beside_an_unreadable_block():
    head = ('<script type="application/ld+json">{"@graph":null}</script><script type="application/ld+json">'
            + "[" * 5000 + "]" * 5000 + '</script><script type="application/ld+json">{"@type":"Product","name":'
            '"NPP 98%","offers":{"lowPrice":"10","highPrice":"20","priceCurrency":"USD"}}</script>')
    page = Page()
    r = response(f"<html><head>{head}</head><body><p>In stock.</p></body></html>")
    page = read_page(r)
    item = parse_listing(r, page=page)
    assert (item.title, item.price, item.source) == ("NPP 98%", "10-20 USD", "json-ld")
    assert len(page.problems) == 1 and "block 2" in page.problems[0]


def test_crawl_of_55_hostile_pages_before_real_offers_stores_every_offer(tmp_path):
    """55 hostile pages fetched before 5 ordinary offers: the crawl finishes, all 60 offers are stored, each
    unreadable block is a page issue, and Scrapy saw no spider error. (Before: each hostile page was a spider
    error, the 50th closed the crawl, and the offers behind them were never fetched.)"""
    site = tmp_path / "site"
    site.mkdir()
    links = []
    raised = [(n, h) for n, h in HOSTILE if n in RAISED_BEFORE]
    for i in range(55):
        name, head = raised[i % len(raised)]
        (site / f"h{i:02d}-{name}.html").write_text(
            f"<html><head>{head}</head><body>{OFFER.format(n=i)}</body></html>", encoding="utf-8")
        links.append(f"h{i:02d}-{name}.html")
    for i in range(5):
        (site / f"offer-{i}.html").write_text(f"<html><body>{OFFER.format(n=100 + i)}</body></html>", encoding="utf-8")
        links.append(f"offer-{i}.html")
    (site / "index.html").write_text("<html><body><ul>" + "".join(f"<li><a href='{u}'>{u}</a></li>" for u in links)
                                     + "</ul></body></html>", encoding="utf-8")
    db_file = tmp_path / "hostile.db"
    with DemoServer(site) as server:
        proc = subprocess.run([*WARM_FENTWATCH, "crawl", f"{server.url}/index.html", "--db",
                               str(db_file), "--set", "AUTOTHROTTLE_ENABLED=False", "--set",
                               "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "CONCURRENT_REQUESTS=1",
                               # breadth first, in link order: the hostile pages are fetched before the offers
                               "--set", "DEPTH_PRIORITY=1", "--set",
                               "SCHEDULER_MEMORY_QUEUE=scrapy.squeues.FifoMemoryQueue"],
                              capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "spider_exceptions" not in proc.stderr
    db = sqlite_utils.Database(db_file)
    stored = {r["url"].rsplit("/", 1)[-1] for r in db.query("select url from listings")}
    assert stored == set(links)
    (run,) = db.query("select * from crawl_runs")
    assert run["status"] == "finished"
    issues = {r["url"].rsplit("/", 1)[-1] for r in db.query(
        "select url from page_issues where reason = 'structured-data'")}
    assert {u for u in links if u.split("-", 1)[-1].rsplit(".", 1)[0] in ("deep-list", "deep-object", "huge-int",
                                                                         "huge-price")} <= issues
