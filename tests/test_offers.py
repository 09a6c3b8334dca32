"""Page evidence for offers, `why` on every result, jurisdictions and severity (issue 15).
Listings are advertisement text only; contacts are fake."""

import dataclasses

import pytest

from detect.config import load_settings
from detect.engine import Detector, default_detector
from detect.page import derive, title_product
from detect.result import schema_problems

COPIED_PROSE = ("Fentanyl is a synthetic opioid about 100 times more potent than morphine. It is used medically for "
                "pain. Illicitly made fentanyl is not licensed for medical use. It is detected by immunoassay "
                "screening in urine.")

PRODUCT_HTML = f"""<html><head><title>Buy Fentanyl Powder Online | Example Shop</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product", "name": "Fentanyl Powder",
"offers": {{"@type": "Offer", "price": "120", "priceCurrency": "USD"}}}}</script></head>
<body><h1>Buy Fentanyl Powder</h1><p class="price">$120.00</p>
<form class="cart"><input name="quantity" value="1"><button class="single_add_to_cart_button">Add to cart</button></form>
<div class="description"><p>{COPIED_PROSE}</p></div></body></html>"""


@pytest.fixture(scope="module")
def detector():
    return default_detector()  # the worker's shared detector: built once, not per file


# (title, product name expected) - a table of titles that offer, and titles that do not
@pytest.mark.parametrize("title, name", [
    ("Buy Fentanyl Powder Online | Example Shop", "Fentanyl Powder"),
    ("Order Carfentanil online", "Carfentanil"),
    ("Acetylfentanyl for sale", "Acetylfentanyl"),
    ("Fentanyl - Wikipedia", None),                 # an encyclopedia title offers nothing
    ("What is fentanyl?", None),
])
def test_title_product(title, name):
    assert title_product(title) == name


def test_product_page_derived_from_markup():
    page = derive(PRODUCT_HTML, "https://shop.example.com/product/fentanyl-powder/", "Buy Fentanyl Powder")
    assert page.kind == "product" and page.product_name == "Fentanyl Powder"
    assert {"schema.org Product", "price", "buy/order/inquiry control", "product URL"} <= set(page.signals)


def test_article_page_derived_from_url():
    page = derive("<html><body><h1>Fentanyl</h1><p>text</p></body></html>", "https://en.example.org/wiki/Fentanyl",
                  "Fentanyl")
    assert page.kind == "article" and page.product_name is None


def test_copied_prose_does_not_hide_the_product(detector):
    # the two misses: a shop product page whose description is copied encyclopedia prose
    # ("immunoassay" is a harm-reduction cue, "not" negates): the product named by the page decides
    r = detector.scan({"id": "o1", "url": "https://shop.example.com/product/fentanyl-powder/", "html": PRODUCT_HTML})
    assert r.flagged
    assert any("the product offered" in w for w in r.why)
    assert not any("harm-reduction" in w for w in r.why)


def test_same_prose_without_page_evidence_is_a_mention(detector):
    r = detector.scan({"id": "o2", "title": "Fentanyl", "text": COPIED_PROSE})
    assert not r.flagged


def test_given_page_kind_and_product_name(detector):
    r = detector.scan({"id": "o3", "title": "Fentanyl Powder", "text": COPIED_PROSE, "page_kind": "product",
                       "product_name": "Fentanyl Powder"})
    assert r.flagged and "+ product page (page kind 'product' given)" in r.why


def test_test_strip_product_stays_harm_reduction(detector):
    # the listing-wide cue applies when it describes the product itself
    r = detector.scan({"id": "o4", "title": "Fentanyl Test Strips, 100 pack", "text": "Price: $99. Add to cart.",
                       "page_kind": "product", "product_name": "Fentanyl Test Strips"})
    assert not r.flagged and any("harm-reduction product" in w for w in r.why)


def test_given_article_kind_lowers_an_unsold_mention(detector):
    plain = detector.scan({"id": "o5", "title": "Carfentanil", "text": "Carfentanil is an analog of fentanyl."})
    article = detector.scan({"id": "o5", "title": "Carfentanil", "text": "Carfentanil is an analog of fentanyl.",
                             "page_kind": "article"})
    assert article.score < plain.score and "- article page, nothing for sale" in article.why


def test_page_is_read_only_where_it_weighs_on_a_hit(detector):
    # the same shop product page with and without a controlled name: page evidence weighs on hits, so a listing
    # without one has no page line (its page is not read) and says only that nothing was found
    html = PRODUCT_HTML.replace("Fentanyl", "Sodium Citrate").replace("fentanyl", "sodium-citrate")
    url = "https://shop.example.com/product/sodium-citrate-powder/"
    plain = detector.scan({"id": "o7", "url": url, "html": html})
    assert not plain.hits and plain.why == ["no controlled name, CAS number or structure found",
                                            "score 0.00 < threshold 0.5"]
    offer = detector.scan({"id": "o8", "url": url.replace("sodium-citrate", "fentanyl"), "html": PRODUCT_HTML})
    assert offer.why[0].startswith("+ product page (schema.org Product, buy/order/inquiry control, price")
    given = detector.scan({"id": "o9", "title": "Sodium Citrate", "text": "Price: $5", "page_kind": "product"})
    assert given.why == plain.why


@pytest.mark.parametrize("field, value", [("page_kind", "shop"), ("product_name", 3)])
def test_bad_page_fields_are_an_error_naming_the_field(detector, field, value):
    r = detector.scan({"id": "o6", "title": "x", field: value})
    assert r.error and field in r.error


def test_why_on_every_result(detector):
    for listing in ({"id": "a", "title": "Sodium chloride 99%"}, {"id": "b", "title": "Fentanyl citrate 99%"}):
        d = detector.scan(listing).to_json()
        assert d["why"] and schema_problems(d) == []
    assert "no controlled name" in detector.scan({"id": "a", "title": "Sodium chloride"}).why[0]


def test_hits_carry_severity_and_legal_basis_per_jurisdiction(detector):
    h = detector.scan({"id": "l1", "title": "4-ANPP 99% in stock"}).hits[0]
    assert h.severity == "controlled"
    assert {b.jurisdiction for b in h.legal} == {"CN", "UN", "US"}
    d = h.to_json()
    assert d["severity"] == "controlled" and all(set(b) == {"jurisdiction", "severity", "basis"} for b in d["legal"])


def test_regulated_only_listing_scores_below_a_controlled_one(detector):
    listing = "99% purity, 25 kg drum, price on request, sales@example.com"
    regulated = detector.scan({"id": "r1", "title": "Ketal 99%", "text": f"SMILES: CC(C)(C)OC(=O)N1CCC2(CC1)OCCO2\n{listing}"})
    controlled = detector.scan({"id": "r2", "title": "NPP 99%", "text": f"SMILES: O=C1CCN(CCc2ccccc2)CC1\n{listing}"})
    assert regulated.hits[0].severity == "regulated" and controlled.hits[0].severity == "controlled"
    assert regulated.score < controlled.score
    assert any("regulated only" in w for w in regulated.why)


def test_settings_choose_the_jurisdictions_that_flag():
    settings = load_settings()
    cn_only = {**settings, "legal": {**settings["legal"], "jurisdictions": ["CN"]}}
    det = Detector(settings=cn_only)
    # an unlisted 4-piperidone carbamate is a US matter only: shown, not counted, when only CN flags
    r = det.scan({"id": "j1", "title": "Ethyl 4-oxopiperidine-1-carboxylate 99%",
                  "text": "SMILES: CCOC(=O)N1CCC(=O)CC1\nPrice: ask. sales@example.com"})
    assert r.hits and r.hits[0].severity is None and r.hits[0].legal and not r.flagged
    assert any("not among the jurisdictions that flag" in w for w in r.why)
    # fentanyl is controlled in CN too
    assert det.scan({"id": "j2", "title": "Fentanyl citrate 99% in stock"}).flagged


# The labelled real-page set (tests/data/pages): excerpts of stored public copies of shop product pages (with copied
# encyclopedia prose), encyclopedia and drug-information articles, news, forum posts and harm-reduction pages.
# "tune" was used while writing the page rules; "held_out" was scored once afterwards (P 1.000, R 0.667: 3 offers,
# the miss is a shop page whose URL names no product and whose excerpt has no title).
def _pages(split):
    from pathlib import Path

    from detect.evaluate import evaluate, read_jsonl
    folder = Path(__file__).parent / "data" / "pages" / split
    return evaluate(read_jsonl(folder / "listings.jsonl"), read_jsonl(folder / "labels.jsonl"))


def test_real_pages_tune_part_beats_the_blacklist():
    ev = _pages("tune")
    assert ev.overall.precision == 1.0 and ev.overall.recall >= 0.83
    assert ev.overall.f1 > ev.baseline.f1 and ev.overall.precision > ev.baseline.precision


def test_real_pages_held_out_part_keeps_its_figure():
    ev = _pages("held_out")
    assert ev.overall.precision == 1.0 and ev.overall.recall >= 0.66
    assert ev.overall.f1 > ev.baseline.f1


@pytest.mark.parametrize("html", [
    '<script type="application/ld+json">' + "[" * 100_000 + "</script>",   # nested past the JSON parser's depth
    '<script type="application/ld+json">{"@type": "Product", "name": </script>',  # broken JSON
    '<script type="application/ld+json">{"@type": ["Product", 3], "name": 7}</script>',  # odd types
])
def test_hostile_structured_data_is_read_as_nothing(html):
    page = derive(html, None, "x")
    assert page.product_name in (None, "x")


def test_url_names_its_product_only_when_it_has_a_name():
    from detect.page import url_product
    assert url_product("https://shop.example.com/product/buy-fentanyl-online/") == "fentanyl"
    assert url_product("http://127.0.0.1:8000/b2b/offer/K0135.html") is None   # an id names nothing
    assert url_product("https://en.example.org/wiki/Fentanyl") is None


@pytest.mark.parametrize("title", ["News: customs officers seize 12 kg of fentanyl powder at port",
                                   "Awareness: what is carfentanil?"])
def test_a_headline_in_the_product_name_field_is_not_an_offer(detector, title):
    # the demo site's layout (and real shop templates) put every page's title in the product-name field
    r = detector.scan({"id": "h", "title": title, "text": "Officials said the seizure was the largest this year.",
                       "page_kind": "product", "product_name": title})
    assert not r.flagged and any("headline or a question" in w for w in r.why)
