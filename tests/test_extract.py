"""Spider parsing on fixture pages (HtmlResponse objects with the real URL), one layout or data source each."""

import json

import pytest
from scrapy.http import HtmlResponse

from crawler.demo.site import b2b_page, board_page, catalog_page
from crawler.extract import parse_listing
from crawler.items import PageIssue
from crawler.spiders.b2b import B2BSpider
from crawler.spiders.board import BoardSpider
from crawler.spiders.catalog import CatalogSpider

LISTING = {
    "id": "T1", "platform": "catalog", "title": "Supply Fentanyl citrate 99%",
    "text": "Supply Fentanyl citrate 99%\nHigh purity, factory supply.\nCAS No.: 990-73-8\nPurity: 99%\n"
            "Price: USD 300/kg\nMOQ: 1kg\nSupplier: Wuhan Fyrenza Trading Co., Ltd.\nContact: Wickr: example_lab_1",
}


def response(url: str, html: str, status: int = 200) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8", status=status)


def test_catalog_page():
    r = response("http://127.0.0.1:8000/catalog/product/T1.html", catalog_page(LISTING))
    item = CatalogSpider(start_url="http://127.0.0.1:8000/").parse_listing(r)
    assert item.title == "Supply Fentanyl citrate 99%"
    assert item.seller == "Wuhan Fyrenza Trading Co., Ltd."
    assert item.platform == "catalog" and item.source == "selectors"
    assert item.price == "USD 300/kg"
    assert item.text.splitlines() == [
        "High purity, factory supply.", "CAS No.: 990-73-8", "Purity: 99%", "Price: USD 300/kg", "MOQ: 1kg",
        "Contact: Wickr: example_lab_1", "Supplier: Wuhan Fyrenza Trading Co., Ltd."]


def test_b2b_page_reads_json_ld():
    r = response("http://127.0.0.1:8000/b2b/offer/T1.html", b2b_page(dict(LISTING, platform="b2b")))
    item = B2BSpider(start_url="http://127.0.0.1:8000/").parse_listing(r)
    assert item.title == "Supply Fentanyl citrate 99%"
    assert item.seller == "Wuhan Fyrenza Trading Co., Ltd."
    assert item.price == "USD 300/kg" and item.source == "json-ld"
    assert "CAS No.: 990-73-8" in item.text.splitlines() and "MOQ: 1kg" in item.text.splitlines()


def test_board_post():
    r = response("http://127.0.0.1:8000/board/post/T1.html", board_page(dict(LISTING, platform="board")))
    item = BoardSpider(start_url="http://127.0.0.1:8000/").parse_listing(r)
    assert item.title == "Supply Fentanyl citrate 99%"
    assert item.seller.startswith("example_user_")
    assert "Contact: Wickr: example_lab_1" in item.text


def test_unknown_layout_falls_back_to_microdata_and_visible_text():
    html = ("<html><body><div itemscope itemtype='https://schema.org/Product'><span itemprop='name'>4-ANPP 99%"
            "</span><meta itemprop='price' content='120'></div><div>Pure white powder, ships fast.</div></body></html>")
    item = parse_listing(response("https://shop.example/x/1", html))
    assert (item.title, item.price, item.source, item.platform) == ("4-ANPP 99%", "120", "microdata", "shop.example")
    assert "Pure white powder, ships fast." in item.text


def test_opengraph_page():
    html = ("<html><head><meta property='og:title' content='Carfentanil powder'><meta property='og:type' "
            "content='product'></head><body><p>In stock.</p></body></html>")
    item = parse_listing(response("https://shop.example/p/9", html))
    assert (item.title, item.source) == ("Carfentanil powder", "opengraph")


def test_json_ld_in_a_graph():
    ld = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {
        "@type": "Product", "name": "NPP 98%", "offers": {"@type": "Offer", "price": "55", "seller": {"name": "Acme"}}}]}
    html = f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head><body></body></html>"
    item = parse_listing(response("https://shop.example/p/3", html))
    assert (item.title, item.price, item.seller, item.source) == ("NPP 98%", "55", "Acme", "json-ld")


@pytest.mark.parametrize("url, html", [
    ("https://shop.example/about.html", "<html><body><h1>About us</h1><p>" + "We are a chemical company. " * 20 +
     "</p></body></html>"),
    ("https://shop.example/list?page=2", "<html><body><ul>" + "".join(
        f"<li><a href='/p/{i}'>Product {i} CAS 50-00-0</a></li>" for i in range(30)) + "</ul></body></html>"),
], ids=["noise page", "index page"])
def test_pages_that_are_not_listings(url, html):
    issue = parse_listing(response(url, html))  # not stored as a listing: recorded with the classifier's reason
    assert isinstance(issue, PageIssue) and issue.reason == "not-a-listing"
    assert issue.detail.split(":")[0] == ("other" if "about" in url else "list")


def test_gone_page_is_an_item_marked_gone():
    item = parse_listing(response("https://shop.example/p/1", "<h1>Not found</h1>", status=404))
    assert item.gone and item.http_status == 404


def test_spider_needs_a_start_url_and_refuses_other_schemes():
    with pytest.raises(ValueError):
        CatalogSpider()
    with pytest.raises(ValueError):
        CatalogSpider(start_url="ftp://127.0.0.1/")
