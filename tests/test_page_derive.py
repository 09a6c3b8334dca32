"""detect/page.py ``derive`` reads each URL once (``_url_facts``: one lowering, one cut, each list of path pieces one
search of a compiled alternation) and answers what its form at de5d732 answered, kept here as the reference
(its URL rules being the public functions, which tests/test_page_urls.py holds to session 5's forms). Compared on
every stored listing's URL, title and text, on generated URLs (overlapping pieces, queries, fragments, upper case,
non-ASCII) and on a few pages' markup. Advertisement text only (names, purity, packaging, prices)."""

import random
import re

from detect.page import (ITEMTYPE_RE, OG_TYPE_RE, Page, _ld_types, _url_facts, derive, item_url, page_cues,
                         path_words, price_in_text, title_names_page, title_product, url_product, vendor_domain)
from stored_rows import stored_rows
from test_page_urls import _pairs


def old_derive(html, url, title, text=None, text_lower=None) -> Page:
    """derive at de5d732, its private URL helpers written as the public functions they stand for."""
    cues = page_cues()
    low = (html or "").lower()
    signals: list[str] = []
    types, ld_name = _ld_types(html) if html and "ld+json" in low else (set(), None)
    types |= {m for m in ITEMTYPE_RE.findall(html or "")}
    og = OG_TYPE_RE.search(html or "")
    if og:
        types.add("Product" if "product" in og.group(1).lower() else og.group(1).split(".")[0].capitalize())
    schema_product = types & cues["schema_product_set"]
    if schema_product:
        signals.append("schema.org " + ("Product" if "Product" in schema_product else sorted(schema_product)[0]))
    if html and any(c in low for c in cues["buy_controls"]):
        signals.append("buy/order/inquiry control")
    if (html and any(c in low for c in cues["price_markup"])) or \
            price_in_text(text or "", text_lower if text else None):
        signals.append("price")
    path = (url or "").lower()
    if any(map(path.__contains__, cues["product_paths"])):
        signals.append("product URL")
    offered = title_product(title or "")
    if offered:
        signals.append(f"title offers '{offered}'")
    slug = url_product(url)
    if slug:
        signals.append(f"URL names '{slug}'")
    vendor = vendor_domain(url)
    if vendor:
        signals.append(f"shop domain ('{vendor}')")
    named = title_names_page(url, title)
    if named:
        signals.append("the URL names the title")
    item = item_url(url)
    if item:
        signals.append("the URL addresses one catalogue item")
    words = path_words(url)
    article = (types & cues["schema_article_set"]) or any(map(path.__contains__, cues["article_paths"])) \
        or bool(words & cues["article_path_words_set"])
    forum = (types & cues["schema_forum_set"]) or any(map(path.__contains__, cues["forum_paths"]))
    strong = bool(schema_product) or item or sum(s in signals for s in ("buy/order/inquiry control", "price",
                                                                          "product URL")) \
        + bool(offered) + bool(slug) + bool(vendor) + bool(named) >= 2
    hard = bool(schema_product) or item or "buy/order/inquiry control" in signals or "product URL" in signals
    if strong and not hard and (article or forum):
        strong = False
        signals.append("an article or forum address outweighs price and shop-name signals")
    if strong:
        kind = "product"
    elif forum:
        kind, signals = "forum", signals + [f"schema.org {sorted(forum)[0]}" if isinstance(forum, set) else "forum URL"]
    elif article:
        kind = "news" if "/news/" in path or "NewsArticle" in types or words & cues["news_path_words_set"] \
            else "article"
        signals = signals + [f"schema.org {sorted(article)[0]}" if isinstance(article, set) else "article URL"]
    else:
        kind = None
    name = ld_name or offered or (title.strip()[:200] if named and kind == "product" else None) or slug \
        or (title.strip()[:200] if kind == "product" and title else None)
    return Page(kind, name, signals)


# (html, comment): markup signals beside the URL ones
PAGES = [
    (None, "no markup"),
    ("", "empty markup"),
    ('<script type="application/ld+json">{"@type": "Product", "name": "Sample powder"}</script>', "JSON-LD Product"),
    ('<div itemtype="https://schema.org/NewsArticle">', "microdata news article"),
    ('<meta property="og:type" content="product.item">', "Open Graph product"),
    ('<div itemtype="http://schema.org/QAPage"><button>Add to cart</button>', "a forum page with a buy control"),
    ('<span class="price">USD 10</span>', "price markup"),
]

# generated URLs: pieces that overlap ("/shop/p/"), repeat, sit in the query or fragment, or hold a "//"
PIECES = ["/product/", "/products/", "/p/", "/shop/", "/item/", "/items/", "/goods/", "/dp/", "/offer/", "/buy-",
          "/wiki/", "/news/", "/blog/", "/article/", "/forum/", "/t/", "/r/", "/threads/", "/viewtopic", "/drugs/",
          "post_type=product", "add-to-cart=", "product_id=", "?", "#", "//", "/", "-", "x", "242", "k0135",
          "fentanyl", "buy-fentanyl-online", "index.html", "İ", "é", "PRODUCT", "%20", ".php", "news-2020",
          "newsroom", "press", "/press/", "blogs", "wikis", "encyclopedia", "Article"]
HOSTS = ["http://127.0.0.1:8000", "https://www.examplechems.com", "https://shop.example.com:8443", "//example.com",
         "", "https://example-pharma.example", "HTTPS://EXAMPLE.ORG"]
TITLES = [None, "", "Fentanyl", "Buy Fentanyl Powder Online | Shop", "Product 242", "Is it legal?", "News 2020"]
TEXTS = [None, "", "Price: USD 120/kg", "Contact us for a quote.", "99% purity ≥ 98%, $50"]


def _cases():
    cases = [(None, row["url"] if isinstance(row.get("url"), str) else None,
              row.get("title") if isinstance(row.get("title"), str) else None,
              row.get("text") if isinstance(row.get("text"), str) else None) for row in stored_rows()]
    cases += [(None, url, title, None) for url, title in _pairs()]
    rng = random.Random(20261130)
    for _ in range(6000):
        url = rng.choice(HOSTS) + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 7)))
        cases.append((rng.choice(PAGES)[0], url if rng.random() > 0.03 else None, rng.choice(TITLES),
                      rng.choice(TEXTS)))
    return cases


def test_derive_as_before():
    cases = _cases()
    assert len(cases) > 15000
    kinds: dict = {}
    for html, url, title, text in cases:
        new, old = derive(html, url, title, text), old_derive(html, url, title, text)
        assert (new.kind, new.product_name, new.signals) == (old.kind, old.product_name, old.signals), \
            (html, url, title, text)
        kinds[new.kind] = kinds.get(new.kind, 0) + 1
    assert min(kinds.get(k, 0) for k in ("product", "article", "news", "forum", None)) > 200, kinds


def test_url_facts_each_rule():
    """Each part of _url_facts is the public function's answer, on ASCII URLs and others (upper-case letters that
    lower to two characters, accented ones)."""
    cues = page_cues()
    seen_ascii = seen_other = 0
    for _, url, title, _ in _cases()[::3]:
        facts = _url_facts(url, title)
        path = (url or "").lower()
        seen_ascii += path.isascii()
        seen_other += not path.isascii()
        words = {w for w in re.split(r"[^a-z0-9]+", facts[5]) if w}  # the path after the host, as path_words splits
        assert words == path_words(url), url
        assert facts[:5] + facts[6:] == (any(p in path for p in cues["product_paths"]), url_product(url),
                         vendor_domain(url), title_names_page(url, title), item_url(url),
                         any(p in path for p in cues["article_paths"]) or bool(path_words(url)
                                                                               & cues["article_path_words_set"]),
                         any(p in path for p in cues["forum_paths"])), (url, title)
    assert seen_ascii > 1000 and seen_other > 100


def test_overlapping_pieces():
    """"/shop/p/" holds two product pieces sharing a slash; the query's "/product/" is not the path's."""
    assert _url_facts("https://x.example/shop/p/242/", None)[0]
    page = derive(None, "https://x.example/shop/p/fentanyl-powder/", None)
    assert "product URL" in page.signals and page.product_name is None  # the slug read is the one after "/shop/"
    assert derive(None, "https://x.example/p/fentanyl-powder/", None).product_name == "fentanyl powder"
    assert _url_facts("https://x.example/search?q=/product/242/", None)[4] is False
    assert _url_facts("https://x.example/?post_type=product&p=147", None)[4] is True
