"""Offer versus mention on real pages, second pass (issue 15): the rules written from the tuning parts of
tests/data/pages, each with made-up advertisement text (names, purity, packaging, prices, fake contacts), and floors
for the figures of every part of the real-page set."""

from pathlib import Path

import pytest

from detect.context import cue_patterns
from detect.engine import default_detector
from detect.page import derive, reference_lines, reported_sale, title_names_page, vendor_domain
from detect.page_report import evaluate_pages

PROSE = ("Carfentanyl is an extremely potent opioid analgesic and an analogue of fentanyl. It is used as a general "
         "anaesthetic for large animals such as elephants in veterinary medicine. It is a Schedule II controlled "
         "substance in the USA.")


@pytest.fixture(scope="module")
def detector():
    return default_detector()  # the worker's shared detector: built once, not per file


# (url, shop word expected) - a host name that says the site is a shop
@pytest.mark.parametrize("url, word", [
    ("https://examplechems.com/carfentanyl/", "chem"),          # a chemical supplier
    ("https://www.examplepharma.com/product/x/", "pharma"),      # an online pharmacy
    ("https://en.example.org/wiki/Carfentanil", None),           # an encyclopedia
    ("https://www.example.com/fentora.html", None),              # a drug-information site
    (None, None),
])
def test_vendor_domain(url, word):
    assert vendor_domain(url) == word


# (url, title, expected) - the page is named after what its short title names
@pytest.mark.parametrize("url, title, named", [
    ("https://examplechems.com/carfentanyl/", "Carfentanyl", True),
    ("https://examplechems.com/carfentanyl.html", "Carfentanyl", True),
    ("https://en.example.org/wiki/Carfentanil", "Carfentanil", True),          # one signal: not enough alone
    ("https://examplechems.com/what-is-carfentanil/", "What is carfentanil?", False),  # a question
    ("https://examplechems.com/carfentanyl/", "Fentanyl", False),             # another name
    ("https://examplechems.com/", "Carfentanyl", False),                      # no path
])
def test_title_names_page(url, title, named):
    assert title_names_page(url, title) is named


def test_shop_page_named_after_its_product_is_a_product_page():
    shop = derive(None, "https://examplechems.com/carfentanyl/", "Carfentanyl")
    assert shop.kind == "product" and shop.product_name == "Carfentanyl"
    assert {"shop domain ('chem')", "the URL names the title"} <= set(shop.signals)
    wiki = derive(None, "https://en.example.org/wiki/Carfentanyl", "Carfentanyl")
    assert wiki.kind != "product"   # the same title and slug on an encyclopedia: one signal only


def test_copied_prose_on_a_shop_page_named_after_the_substance_is_an_offer(detector):
    # the held_out2 miss (S01): a chemical shop's page titled with the drug's name, its text copied prose
    shop = detector.scan({"id": "p1", "url": "https://examplechems.com/carfentanyl/", "title": "Carfentanyl",
                          "text": PROSE})
    assert shop.flagged and any("the product offered ('Carfentanyl')" in w for w in shop.why)
    wiki = detector.scan({"id": "p2", "url": "https://en.example.org/wiki/Carfentanyl", "title": "Carfentanyl",
                          "text": PROSE})
    assert not wiki.flagged


def test_product_page_without_a_name_offers_what_its_description_opens_with(detector):
    text = ("Fentora (fentanyl buccal tablet) is a prescription medication for breakthrough pain in adults.\n"
            "Pack: 28 tablets of 100 mcg. Shipping worldwide.")
    r = detector.scan({"id": "p3", "url": "https://examplepharmacy.com/product/242/", "text": text})
    assert r.flagged and any("the product offered ('Fentora')" in w for w in r.why)


def test_a_refusal_opening_a_nameless_product_page_is_not_its_product(detector):
    text = ("We do not sell fentanyl or any controlled substance.\nThis page offers lab glassware: beakers, "
            "flasks and funnels, 10 pieces a box, USD 25.")
    r = detector.scan({"id": "p4", "url": "https://examplepharmacy.com/product/243/", "text": text})
    assert not r.flagged


@pytest.mark.parametrize("text, n", [
    ("Generic Name: fentanyl\nBrand Names: Fentora\nDrug class: Opioids", 3),
    ("Product Name: Fentanyl citrate\nPurity: 99%\nPackage: 1 kg/bag", 0),   # a product's specification
])
def test_reference_lines(text, n):
    assert reference_lines(text) == n


def test_drug_information_keys_do_not_make_a_product_specification(detector):
    info = detector.scan({"id": "p5", "title": "Fentora buccal tablet", "text": (
        "Generic Name: fentanyl\nBrand Names: Fentora\nFentora is an opioid pain medication used for breakthrough "
        "cancer pain in adults who already take other opioid medicines around the clock. Your doctor decides the "
        "dose and how often you may take it during the day.")})
    assert not info.flagged
    spec = detector.scan({"id": "p6", "title": "Fentanyl citrate", "text": (
        "Product Name: Fentanyl citrate\nPurity: 99%\nPackage: 1 kg/bag\nPrice: ask\nContact: sales@example.com")})
    assert spec.flagged


# (text, reported) - every sale word reports or forbids someone else's sale
@pytest.mark.parametrize("text, reported", [
    ("researchers found online vendors selling carfentanil on the dark web.", True),
    ("one kilo of carfentanil can be bought wholesale for a few thousand euros, customs said.", True),
    ("selling or giving away fentora is against the law.", True),
    ("we are selling carfentanil powder, purity 99%, whatsapp +00 000 0000.", False),
    ("carfentanil is a potent opioid.", False),                   # no sale word at all
])
def test_reported_sale(text, reported):
    cues = cue_patterns()
    assert reported_sale(text, cues["sale_intent"], cues["refusal"]) is reported


def test_reported_sales_in_news_are_not_offers(detector):
    news = detector.scan({"id": "p7", "title": "Experts warn of carfentanil on the dark web", "text": (
        "Researchers found more than sixty online vendors selling carfentanil, a veterinary opioid used to sedate "
        "elephants. The drug is believed to be ten thousand times stronger than morphine.")})
    assert not news.flagged and any("reports or forbids a sale" in w for w in news.why)
    offer = detector.scan({"id": "p8", "title": "Carfentanil powder", "text": (
        "We are selling carfentanil powder, purity 99%, 10 g per bag.\nWhatsApp: +00 000 0000")})
    assert offer.flagged


# The real-page set (tests/data/pages). tune and tune2 were used to write the rules; held_out2's one offer (S01) is
# the case the rules were asked to fix, so that part is no longer held out. held_out and held_out3 were put aside
# before any rule of this pass and scored once (held_out3: P 0.833 R 1.000; its false alarm is a savings-card site
# on a /product/ URL); held_out4 was collected after the rules and scored once (P 0.333 R 1.000: one offer, and two
# false alarms on hard mentions, one of them made by the shop-domain rule on a pharma trade-news site).
@pytest.fixture(scope="module")
def pages(detector):
    return evaluate_pages(Path(__file__).parent / "data" / "pages", detector=detector)


# Third pass (tests/test_page_offers3.py): the remaining errors of tune..held_out4 were fixed by general rules, so
# those parts are tuning parts now; held_out5 was built and scored once before that pass (P 0.500 R 1.000: one offer,
# one false alarm on an awareness page that talks of what people "sell and buy, including price, purity").
@pytest.mark.parametrize("part, precision, recall", [
    ("tune", 1.0, 1.0),
    ("held_out", 1.0, 1.0),
    ("held_out2", 1.0, 1.0),
    ("tune2", 1.0, 1.0),
    ("held_out3", 1.0, 1.0),
    ("held_out4", 1.0, 1.0),
    ("held_out5", 0.5, 1.0),    # never tuned on
])
def test_real_page_parts_keep_their_floors(pages, part, precision, recall):
    ev = pages[part]
    assert ev.overall.precision >= precision and ev.overall.recall >= recall
    assert ev.overall.f1 > ev.baseline.f1   # above the keyword blacklist on every part


def test_real_page_set_as_a_whole(pages):
    tp = sum(ev.overall.tp for ev in pages.values())
    fp = sum(ev.overall.fp for ev in pages.values())
    fn = sum(ev.overall.fn for ev in pages.values())
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95
