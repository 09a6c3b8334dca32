"""Offer versus mention on real pages, third pass (issue 15): one general rule for each error left on the real-page
set (tests/data/pages), each tested here on made-up advertisement text (names, purity, packaging, prices, fake
contacts), with a contrasting page the rule must not change."""

import pytest

from detect.engine import default_detector
from detect.page import abbreviates, derive, item_url, path_words, reference_lines, savings_page

CARF_PROSE = ("Carfentanil is an opioid used in veterinary medicine to sedate large animals such as elephants. "
              "It is many times more potent than morphine and is a controlled substance in most countries.")


@pytest.fixture(scope="module")
def detector():
    return default_detector()  # the worker's shared detector: built once, not per file


# (url, item) - the URL addresses one item of a shop's catalogue
@pytest.mark.parametrize("url, item", [
    ("https://shop.example.com/?post_type=product&p=147&preview=true", True),   # a WooCommerce product post
    ("https://shop.example.com/?add-to-cart=4496", True),
    ("https://www.example.com/products/s802393", True),                         # a catalogue number
    ("http://example.com/product/242/", True),
    ("https://shop.example.com/product/fentanyl-powder/", False),               # a name: url_product reads it
    ("https://shop.example.com/products/", False),                              # the product list
    ("https://blog.example.com/?p=8916", False),                                # a blog post, not a product post
    ("https://forum.example.com/item/17137532", False),                         # a forum item, not a shop's
    ("https://en.example.org/wiki/Carfentanil", False),
    (None, False),
])
def test_item_url(url, item):
    assert item_url(url) is item


def test_path_words():
    assert {"articles", "evidence", "news"} <= path_words("https://example.org/f/articles-evidence-news/entry/x.html")
    assert "example" not in path_words("https://example.org/Article/2017/x")      # the host is not the path
    assert "article" in path_words("https://example.org/Article/2017/x")


# (word, name, abbreviates) - a product name shortened in a URL or a title
@pytest.mark.parametrize("word, name, short", [
    ("fent", "fentanyl", True),
    ("carfent", "carfentanil", True),
    ("methyl", "methylfentanyl", False),     # a chemical prefix, not a short form
    ("acetyl", "acetylfentanyl", False),
    ("fen", "fentanyl", False),              # too short
    ("powder", "fentanyl", False),
])
def test_abbreviates(word, name, short):
    assert abbreviates(word, name) is short


def test_a_product_post_without_title_offers_the_substance_its_description_names_most(detector):
    # no title, no product name in the URL, a description that opens with a warning: the product post is the offer
    text = ("Important information\nKeep out of reach of children.\nCarfentanil powder, purity 99%. Carfentanil "
            "(carfentanyl) is shipped in 1 g and 5 g bags. Compared with fentanyl, carfentanil is stronger.")
    page = detector.scan({"id": "o1", "url": "https://shop.example.com/?post_type=product&p=147", "text": text})
    assert page.flagged and any("the product offered" in w for w in page.why)
    # the same text on an encyclopedia address is not a product page
    wiki = detector.scan({"id": "o2", "url": "https://en.example.org/wiki/Carfentanil", "text":
                          "Important information\n" + CARF_PROSE + " Carfentanil is also called carfentanyl."})
    assert not wiki.flagged


def test_two_substances_named_equally_decide_no_product(detector):
    text = ("Important information\nKeep out of reach of children.\nCompare carfentanil and fentanyl: carfentanil "
            "is stronger than fentanyl.")
    page = detector.scan({"id": "o3", "url": "https://shop.example.com/?post_type=product&p=148", "text": text})
    assert not any("the product offered" in w for w in page.why)


def test_a_catalogue_number_url_and_a_description_opening_with_the_product(detector):
    text = ("Carfentanil citrate, purity 98%, is supplied as a white powder in 100 mg vials for reference use. "
            "Packaging: 100 mg, 1 g. Contact sales@example.com.")
    page = detector.scan({"id": "o4", "url": "https://www.example.com/products/s000001", "text": text})
    assert page.flagged and any("catalogue item" in w for w in page.why)


def test_a_shortened_product_name_in_the_url_names_the_product(detector):
    text = ("So, why is fentanyl powder so strong? Fentanyl powder, purity 99%, is packed in 5 g and 10 g bags. "
            "Fentanyl is many times more potent than morphine.")
    page = detector.scan({"id": "o5", "url": "https://shop.example.com/product/fent-powder/", "text": text})
    assert page.flagged and any("the product offered" in w for w in page.why)
    # a product that is not a fentanyl keeps its mentions as mentions
    other = detector.scan({"id": "o6", "url": "https://shop.example.com/product/methyl-benzoate/", "title":
                           "Methyl benzoate", "text": "Methyl benzoate, purity 99%, 25 kg drum. " + CARF_PROSE})
    assert not other.flagged


def test_an_article_address_outweighs_price_and_a_shop_word_in_the_host():
    article = derive(None, "https://news-pharma.example.com/Article/2024/01/02/maker-cleared-to-supply-carfentanil",
                     None, "10 mg of the reference material will cost researchers 499 EUR.")
    assert article.kind == "article" and any("outweighs" in s for s in article.signals)
    shop = derive(None, "https://news-pharma.example.com/product/carfentanil-powder/", None, "price: 499 EUR")
    assert shop.kind == "product"
    # filed under a section whose name has "press" or "news" among its words
    press = derive(None, "https://examplepharma.com/press-releases-2024/maker-cleared", None, "price: 499 EUR")
    assert press.kind == "news"


def test_trade_press_about_a_reference_material_is_not_an_offer(detector):
    page = detector.scan({"id": "o7", "url": "https://trade-pharma.example.com/Article/2024/01/02/maker-cleared",
                          "text": CARF_PROSE + "\nA spokesman said 10 mg of the reference material will cost "
                                               "researchers 499 EUR."})
    assert not page.flagged


def test_news_filed_under_news_with_investigators_is_not_an_offer(detector):
    text = ("Carfentanil is far stronger than fentanyl and is used to sedate elephants.\nInvestigators searched "
            "the home of a man accused of trafficking drugs by mail and found 2 grams of carfentanil.\nThe "
            "attraction to selling such drugs as fentanyl is in the profits.")  # two news cues and the address
    news = detector.scan({"id": "o8", "url": "https://example.org/features/evidence-news/entry/carfentanil.html",
                          "text": text})
    assert not news.flagged and any("news" in w for w in news.why)
    offer = detector.scan({"id": "o9", "title": "Carfentanil powder", "text":
                           "We are selling carfentanil powder, purity 99%, 10 g per bag.\nWhatsApp: +00 000 0000"})
    assert offer.flagged


def test_savings_page():
    assert savings_page("examplerx is a free prescription savings program. print the card below.")
    assert not savings_page("fentanyl powder, purity 99%, price on request.")


def test_a_prescription_savings_card_page_is_not_an_offer(detector):
    listing = {"id": "s1", "url": "https://rxcard.example.com/product/fentanyl-nasal-spray/",
               "title": "Fentanyl Nasal Spray", "text": (
                   "ExampleRx is a FREE prescription savings program that can save you up to 75% on your "
                   "prescriptions.\nFentanyl Nasal Spray\nClick the CARD below to print it.")}
    card = detector.scan(listing)
    assert not card.flagged and any("savings" in w for w in card.why)
    # the same product page without the savings programme is an offer
    shop = detector.scan(dict(listing, id="s2", text="Fentanyl Nasal Spray\n100 mcg, 8 sprays per bottle.\n"
                                                      "Order now: orders@example.com"))
    assert shop.flagged


def test_bare_infobox_rows_are_reference_lines():
    assert reference_lines("Trade names Wildnil\nOther names R-33799\nCarfentanil is an opioid.", bare=True) == 2
    assert reference_lines("Trade names Wildnil\nOther names R-33799") == 0       # without bare: colon rows only
    assert reference_lines("Legal status\nIn the USA it is controlled.", bare=True) == 0   # a heading, no value


def test_a_structure_in_an_encyclopedia_infobox_is_a_mention(detector):
    smiles = "CCC(=O)N(c1ccccc1)C2(C(=O)OC)CCN(CC2)CCc3ccccc3"
    wiki = detector.scan({"id": "w1", "url": "https://wiki.example.org/en/Carfentanil", "title": "Carfentanil",
                          "text": f"Clinical data\nTrade names Wildnil\nOther names R-33799\n{smiles}\n{CARF_PROSE}"})
    assert not wiki.flagged and any("infobox" in w for w in wiki.why)
    # the same structure on a catalogue page with a price is an offer
    shop = detector.scan({"id": "w2", "title": "Carfentanil", "text":
                          f"Carfentanil\nSMILES: {smiles}\nPurity: 99%\nPrice: 100 USD/g\nContact: sales@example.com"})
    assert shop.flagged
