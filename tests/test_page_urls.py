"""The URL rules of detect/page.py read each URL once (derive lowercases it and cuts its query once); they answer
what session 5's forms answered, kept here as the reference, on the stored listings' URLs and titles and on
generated URLs (paths, queries, fragments, ports, upper case, non-ASCII letters that lowercase to two characters)."""

import random
import re

from detect.page import MAX_TITLE, derive, item_url, page_cues, path_words, title_names_page, url_product, \
    vendor_domain
from stored_rows import stored_rows


# --- the forms before session 6 (detect/page.py at 38ca8a6), unchanged but for their names ---------------------
def old_vendor_domain(url: str | None) -> str | None:
    """The shop word of a host name that says the site is a shop ("huangdichems.com" -> "chem"), or None."""
    host = (url or "").split("//", 1)[-1].split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].lower()
    host = host[4:] if host.startswith("www.") else host
    name = host.rsplit(".", 1)[0] if "." in host else host
    return next((w for w in page_cues()["vendor_domain_words"] if w in name), None)


def old__words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text.lower()) if w]


def old__url_path(url: str) -> str:
    """The URL without its query and fragment."""
    return url.split("?", 1)[0].split("#", 1)[0]


def old__segment_words(path: str, piece: str) -> tuple[str, list[str]]:
    """The path segment right after ``piece`` ("/product/") and its words (hyphens, underscores, dots, plus signs,
    spaces and %20 between them)."""
    segment = path.split(piece, 1)[1].strip("/").split("/")[0]
    return segment, [w for w in re.split(r"[-_.+\s]+|%20", segment) if w]


def old_title_names_page(url: str | None, title: str | None) -> bool:
    """The page is named after what its title names: the last segment of the URL's path says the same words as a
    short title ("https://shop.example.com/carfentanyl/" titled "Carfentanyl"). Encyclopedias do this too, so it
    is one signal, never enough alone."""
    if not url or not title or title.rstrip().endswith(("?", "？")):
        return False
    tw = old__words(title[:MAX_TITLE])
    if not tw or len(tw) > 6:
        return False
    path = old__url_path(url)
    segments = [s for s in path.split("//", 1)[-1].split("/")[1:] if s]
    if not segments:
        return False
    slug = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1].lower()).replace("%20", " ")
    return old__words(slug) == tw


OLD_SLUG_STOP = {"buy", "order", "purchase", "shop", "online", "for", "sale", "cheap", "now", "best", "price", "index",
             "html", "htm", "php", "aspx"}


def old_url_product(url: str | None) -> str | None:
    """The product a product-style URL names: ".../product/buy-fentanyl-online/" -> "fentanyl". The segment after
    the product path piece, hyphens and underscores as spaces, without shop words ("buy", "online", "for sale")."""
    if not url:
        return None
    path = old__url_path(url).lower()
    for piece in page_cues()["product_paths"]:
        if piece.startswith("/") and piece.endswith("/") and piece in path:
            words = [w for w in old__segment_words(path, piece)[1] if w not in OLD_SLUG_STOP and not w.isdigit()]
            if not any(len(w) >= 4 and w.isalpha() for w in words):
                return None  # an id ("k0135", "t1"), not a name
            return " ".join(words)[:200]
    return None


def old_item_url(url: str | None) -> bool:
    """The URL addresses one item of a shop's catalogue: a product post named in the query ("?post_type=product&p=147")
    or a product path ending in a catalogue number ("/product/242/", "/products/s802393")."""
    if not url:
        return False
    low = url.lower()
    if any(q in low for q in page_cues()["item_url_queries"]):
        return True
    path = old__url_path(low)
    for piece in page_cues()["item_paths"]:
        if piece in path:
            segment, words = old__segment_words(path, piece)
            return bool(words) and any(c.isdigit() for c in segment) and \
                not any(len(w) >= 4 and w.isalpha() for w in words)
    return False


def old_path_words(url: str | None) -> set[str]:
    """The words of a URL's path segments ("/articles-evidence-news/entry/x.html" -> articles, evidence, news ...)."""
    if not url:
        return set()
    path = old__url_path(url).split("//", 1)[-1]
    path = path.split("/", 1)[1] if "/" in path else ""
    return {w for w in re.split(r"[^a-z0-9]+", path.lower()) if w}

# --------------------------------------------------------------------------------------------------------------
def _pairs():
    """(url, title) of every stored listing that has a URL, then generated ones."""
    out = [(row["url"], row.get("title") if isinstance(row.get("title"), str) else None)
           for row in stored_rows() if isinstance(row.get("url"), str)]
    rng = random.Random(6)
    hosts = ["http://127.0.0.1:8000", "https://www.ExampleChems.com", "https://shop.example.com:8443",
             "https://en.example.org", "HTTPS://WWW.EXAMPLEPHARMA.COM", "https://İstanbul-reagent.example",
             "//example.com", "", "?", "#"]
    pieces = ["/product/", "/Products/", "/p/", "/item/", "/goods/", "/dp/", "/offer/", "/shop/", "/wiki/", "/news/",
              "/forum/", "/t/", "/buy-", "fentanyl", "Carfentanyl", "buy-fentanyl-online", "k0135", "242", "s802393",
              "x.html", "page.PHP", "index.aspx", "%20", "-", "_", "+", ".", "//", "/", "İ", "ß", "?post_type=product&p=147",
              "?add-to-cart=12", "#top", "?q=/product/x", "product_id=9", "articles-evidence-news", "/viewtopic"]
    titles = [None, "", "Carfentanyl", "Buy Fentanyl Powder Online | Shop", "fentanyl", "Is fentanyl legal?",
              "Our stock list (updated weekly)", "İstanbul", "one two three four five six seven"]
    for _ in range(5000):
        url = rng.choice(hosts) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        out.append((url, rng.choice(titles)))
    return out


def test_url_rules_as_before():
    pairs = _pairs()
    assert len(pairs) > 5500
    for url, title in pairs:
        assert vendor_domain(url) == old_vendor_domain(url), url
        assert url_product(url) == old_url_product(url), url
        assert item_url(url) == old_item_url(url), url
        assert path_words(url) == old_path_words(url), url
        assert title_names_page(url, title) == old_title_names_page(url, title), (url, title)


def test_derive_signals_use_the_same_rules():
    """derive's URL signals are the public functions' answers."""
    for url, title in _pairs()[::7]:
        signals = derive(None, url, title).signals
        slug, vendor = old_url_product(url), old_vendor_domain(url)
        assert (f"URL names '{slug}'" in signals) == bool(slug), url
        assert (f"shop domain ('{vendor}')" in signals) == bool(vendor), url
        assert ("the URL names the title" in signals) == old_title_names_page(url, title), (url, title)
        assert ("the URL addresses one catalogue item" in signals) == old_item_url(url), url
