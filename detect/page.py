"""Page evidence for offers: what kind of page a listing sits on and which product it offers.

The scan input may carry ``page_kind`` (one of ``data/page.yaml`` kinds) and ``product_name`` (what a product page
offers); the crawler sets them when it knows. When they are absent the scan derives them here from ``html``,
``url`` and the title: schema.org Product/Offer (JSON-LD, microdata, Open Graph), price markup, buy / order /
inquiry / quantity controls, a "Buy X" or "X for sale" title, product-style URL paths. Pure functions: no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache


from .config import read_data_yaml
from .context import sentence_bounds
from .fastscan import price_check
from .normalize import non_ascii

LD_JSON_RE = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
ITEMTYPE_RE = re.compile(r"itemtype\s*=\s*[\"']https?://schema\.org/(\w+)", re.IGNORECASE)
OG_TYPE_RE = re.compile(r"<meta[^>]+property\s*=\s*[\"']og:type[\"'][^>]*content\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
# A price in the text: "$120", "433 USD", "Price: ...". What it means; price_in_text() answers the same, faster.
PRICE_TEXT_RE = re.compile(r"(?:[$€£¥₹]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:usd|eur|gbp|cny|rmb|us\$)\b|\bprice\s*[:：]\s*\S)",
                           re.IGNORECASE)
# its three alternatives, each tried only where a literal says it can match (see price_in_text)
PRICE_SYMBOLS = "$€£¥₹"
PRICE_NON_ASCII = "€£¥₹："  # the pattern's non-ASCII literals
PRICE_SYMBOL_RE = re.compile(r"[$€£¥₹]\s?\d")  # the amount's [\d,.]* tail does not change whether it matches
PRICE_WORD_RE = re.compile(r"\bprice\s*[:：]\s*\S", re.IGNORECASE)
CURRENCY_WORDS = ("usd", "eur", "gbp", "cny", "rmb", "us$")
AMOUNT_CURRENCY_RE = re.compile(r"\b\d[\d,.]*\s?(?:usd|eur|gbp|cny|rmb|us\$)\b", re.IGNORECASE)
# letters that IGNORECASE matches but str.lower() does not turn into the ASCII letter: long s (ſ) for s, dotless
# and dotted I (ı, İ) for i; İ also lowers to two characters, which the length check catches
UNLOWERED_FOLDS = "ſıİ"
MAX_LD_CHARS = 200_000  # JSON-LD beyond this is not read
MAX_TITLE = 300         # a title is read up to here for "Buy X" (the patterns backtrack on long hostile titles)


@lru_cache(maxsize=1)
def page_cues() -> dict:
    data = read_data_yaml("page.yaml")
    data["title_offer_res"] = [re.compile(p, re.IGNORECASE) for p in data["title_offer_patterns"]]
    for key in ("schema_product", "schema_article", "schema_forum", "article_path_words", "news_path_words"):
        data[key + "_set"] = frozenset(data[key])  # read per listing: built once
    data["product_dirs"] = [p for p in data["product_paths"] if p.startswith("/") and p.endswith("/")]
    data["vendor_domain_re"] = re.compile("|".join(map(re.escape, data["vendor_domain_words"])))
    # derive's URL rules: whether any piece of a list is in the URL, in one search each
    for key in ("product_paths", "article_paths", "forum_paths"):
        data[key + "_re"] = re.compile("|".join(map(re.escape, data[key])) or "(?!)")  # an empty list: no match
    # the slug and item rules look for pieces that each hold a product path: a URL without one skips them
    data["product_pieces_cover"] = all(any(q in p for q in data["product_paths"])
                                       for p in data["product_dirs"] + data["item_url_queries"] + data["item_paths"])
    return data


def kinds() -> list[str]:
    return list(page_cues()["kinds"])


@dataclass
class Page:
    kind: str | None                 # None: nothing says what kind of page it is
    product_name: str | None
    signals: list[str] = field(default_factory=list)  # what decided it ("schema.org Product", "price", ...)
    given: bool = False              # the kind came with the listing (the crawler or the caller said so)

    @property
    def is_product(self) -> bool:
        return self.kind == "product"

    @property
    def is_mention_page(self) -> bool:
        return self.kind in page_cues()["mention_kinds"]


def _ld_types(html: str) -> tuple[set[str], str | None]:
    """schema.org @type values in JSON-LD blocks, and the name of the first Product found."""
    types: set[str] = set()
    name = None
    for block in LD_JSON_RE.findall(html[:MAX_LD_CHARS * 5])[:20]:
        try:
            data = json.loads(block[:MAX_LD_CHARS])
        except (ValueError, RecursionError):  # broken, or nested deeper than the parser goes: hostile pages do both
            continue
        stack, seen = [data], 0
        while stack and seen < 500:  # bounded walk: hostile pages nest deeply
            node = stack.pop()
            seen += 1
            if isinstance(node, list):
                stack.extend(node[:100])
            elif isinstance(node, dict):
                t = node.get("@type")
                for v in (t if isinstance(t, list) else [t]):
                    if isinstance(v, str):
                        types.add(v.rsplit("/", 1)[-1])
                        if v.rsplit("/", 1)[-1] in page_cues()["schema_product"][:1] and name is None and \
                                isinstance(node.get("name"), str):
                            name = node["name"].strip()[:200] or None
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return types, name


@lru_cache(maxsize=8192)
def title_product(title: str) -> str | None:
    """The product a title offers: "Buy Fentanyl Powder Online | Shop" -> "Fentanyl Powder". Remembered per title
    (a pure function of the string; a shop's titles repeat across its pages: "Our stock list (updated weekly)")."""
    for rx in page_cues()["title_offer_res"]:
        m = rx.match((title or "")[:MAX_TITLE])
        if m and m.group("name").strip():
            return m.group("name").strip(" -|:")[:200]
    return None


def vendor_domain(url: str | None) -> str | None:
    """The shop word of a host name that says the site is a shop ("huangdichems.com" -> "chem"), or None."""
    return _vendor_word((url or "").lower())


def _vendor_word(url_low: str) -> str | None:
    part = url_low.split("//", 1)[-1].split("/", 1)[0]
    # remembered per host: a site's pages share it (hostile hosts of any length are read, not remembered)
    return _host_vendor(part) if len(part) <= 200 else _host_vendor.__wrapped__(part)


@lru_cache(maxsize=4096)
def _host_vendor(part: str) -> str | None:
    """_vendor_word on what follows the URL's first "//" up to the next "/"."""
    host = part.split("?", 1)[0].split(":", 1)[0]
    host = host[4:] if host.startswith("www.") else host
    name = host.rsplit(".", 1)[0] if "." in host else host
    cues = page_cues()
    if cues["vendor_domain_re"].search(name) is None:  # one search instead of a test per word; most hosts have none
        return None
    return next((w for w in cues["vendor_domain_words"] if w in name), None)


# compiled once: derive reads every listing's URL with them (the per-listing costs are in docs/performance.md)
WORD_SPLIT_RE = re.compile(r"[^\w]+")
SEGMENT_SPLIT_RE = re.compile(r"[-_.+\s]+|%20")
PAGE_SUFFIX_RE = re.compile(r"\.(html?|php|aspx?)$")
PATH_SPLIT_RE = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> list[str]:
    return [w for w in WORD_SPLIT_RE.split(text.lower()) if w]


def _url_path(url: str) -> str:
    """The URL without its query and fragment."""
    return url.split("?", 1)[0].split("#", 1)[0]


def _segment_words(path: str, piece: str) -> tuple[str, list[str]]:
    """The path segment right after ``piece`` ("/product/") and its words (hyphens, underscores, dots, plus signs,
    spaces and %20 between them)."""
    segment = path.split(piece, 1)[1].strip("/").split("/")[0]
    return segment, [w for w in SEGMENT_SPLIT_RE.split(segment) if w]


def title_names_page(url: str | None, title: str | None) -> bool:
    """The page is named after what its title names: the last segment of the URL's path says the same words as a
    short title ("https://shop.example.com/carfentanyl/" titled "Carfentanyl"). Encyclopedias do this too, so it
    is one signal, never enough alone."""
    return bool(url) and _title_names(_url_path(url.lower()), title)


def _title_names(path_low: str, title: str | None) -> bool:
    """title_names_page on the lowercased URL without its query and fragment."""
    if not path_low:
        return False
    return _title_names_rest(path_low.split("//", 1)[-1], title)


def _title_names_rest(rest: str, title: str | None) -> bool:
    """_title_names on what follows the first "//" of the lowercased URL without its query and fragment."""
    if not title or title.rstrip().endswith(("?", "？")):
        return False
    # the URL's slug first (short), and the title's words only when the slug's first word is in the title: the
    # words are equal only then (the same answer as comparing at once, tests/test_page_urls.py). The slug is the
    # last segment that is not empty after the host's "/": after the last "/" once the trailing ones are cut.
    tail = rest.rstrip("/")
    j = tail.rfind("/")
    if j == -1:
        return False
    sw = _words(PAGE_SUFFIX_RE.sub("", tail[j + 1:]).replace("%20", " "))
    if not sw or len(sw) > 6:
        return False
    head = title[:MAX_TITLE]
    if sw[0] not in head.lower():
        return False
    return _words(head) == sw


SLUG_STOP = {"buy", "order", "purchase", "shop", "online", "for", "sale", "cheap", "now", "best", "price", "index",
             "html", "htm", "php", "aspx"}


def url_product(url: str | None) -> str | None:
    """The product a product-style URL names: ".../product/buy-fentanyl-online/" -> "fentanyl". The segment after
    the product path piece, hyphens and underscores as spaces, without shop words ("buy", "online", "for sale")."""
    return _slug_product(_url_path(url).lower()) if url else None


def _slug_product(path_low: str) -> str | None:
    """url_product on the lowercased URL without its query and fragment."""
    for piece in page_cues()["product_dirs"]:  # the product paths written as "/x/"
        if piece in path_low:
            return _slug_after(path_low, piece)
    return None


def _slug_after(path_low: str, piece: str) -> str | None:
    """The product named by the segment after ``piece``, the first product path of the URL."""
    words = [w for w in _segment_words(path_low, piece)[1] if w not in SLUG_STOP and not w.isdigit()]
    if not any(len(w) >= 4 and w.isalpha() for w in words):
        return None  # an id ("k0135", "t1"), not a name
    return " ".join(words)[:200]


def item_url(url: str | None) -> bool:
    """The URL addresses one item of a shop's catalogue: a product post named in the query ("?post_type=product&p=147")
    or a product path ending in a catalogue number ("/product/242/", "/products/s802393")."""
    return bool(url) and _item_url(url.lower())


def _item_url(low: str) -> bool:
    """item_url on the lowercased URL."""
    if any(map(low.__contains__, page_cues()["item_url_queries"])):
        return True
    path = _url_path(low)
    for piece in page_cues()["item_paths"]:
        if piece in path:
            return _item_after(path, piece)
    return False


def _item_after(path_low: str, piece: str) -> bool:
    """The segment after ``piece``, the first item path of the URL, is a catalogue number."""
    segment, words = _segment_words(path_low, piece)
    return bool(words) and any(c.isdigit() for c in segment) and not any(len(w) >= 4 and w.isalpha() for w in words)


def path_words(url: str | None) -> set[str]:
    """The words of a URL's path segments ("/articles-evidence-news/entry/x.html" -> articles, evidence, news ...)."""
    return _path_words(_url_path(url).lower()) if url else set()


def _path_words(path_low: str) -> set[str]:
    """path_words on the lowercased URL without its query and fragment."""
    path = path_low.split("//", 1)[-1]
    path = path.split("/", 1)[1] if "/" in path else ""
    return {w for w in PATH_SPLIT_RE.split(path) if w}


def _url_facts(url: str | None, title: str | None) -> tuple:
    """Every URL rule of ``derive`` from one reading of the URL: (product URL, the product its slug names, the shop
    word of its host, the URL names the title, the URL addresses a catalogue item, the path after the host, an
    article address, a forum address), each what the functions above answer (tests/test_page_derive.py compares
    with the forms they replaced). The URL is lowered and cut once; each list of path pieces is one search of a
    compiled alternation (whether any piece is in the URL: what any(piece in url) answers, 3-4 times faster); the
    slug and item rules run only where a product piece is (page_cues checks that each of their pieces holds one)."""
    cues = page_cues()
    path = url.lower() if url else ""
    product_url = cues["product_paths_re"].search(path) is not None
    article_piece = cues["article_paths_re"].search(path) is not None
    forum = cues["forum_paths_re"].search(path) is not None
    if not url:
        return product_url, None, _vendor_word(path), False, False, "", article_piece, forum
    upath = path.split("?", 1)[0].split("#", 1)[0]  # _url_path
    slug, item = None, False
    if product_url or not cues["product_pieces_cover"]:
        slug = _slug_product(upath)
        item = _item_url(path)
    # what follows the URL's first "//" (the host, then the path) as _title_names and _path_words cut it
    i = upath.find("//")
    rest = upath[i + 2:] if i != -1 else upath
    after = rest.split("/", 1)[1] if "/" in rest else ""  # the path after the host: _path_words splits this
    named = bool(upath) and _title_names_rest(rest, title)
    article = article_piece or has_path_word(after, cues["article_path_words"], cues["article_path_words_set"])
    return product_url, slug, _vendor_word(path), named, item, after, article, forum


def has_path_word(after: str, words: list[str], word_set: frozenset[str]) -> bool:
    """Whether a word of the path after the host (the words _path_words splits) is one of ``words``: a substring
    test first (a word of the path is a substring of it), the split only when one of them is there."""
    if not any(map(after.__contains__, words)):
        return False
    return not word_set.isdisjoint(w for w in PATH_SPLIT_RE.split(after) if w)


def savings_page(text_lower: str) -> bool:
    """The page is a prescription savings or coupon programme's ("a FREE prescription savings program")."""
    return any(c in text_lower[:50_000] for c in page_cues()["savings_cues"])


def abbreviates(word: str, name: str) -> bool:
    """``word`` is a shortened ``name``: it begins the name and has at least abbreviation_min_share of its letters
    ("fent" of "fentanyl"; not "methyl" of "methylfentanyl")."""
    return len(word) >= 4 and word.isalpha() and name.startswith(word) and \
        len(word) / max(len(name), 1) >= page_cues()["abbreviation_min_share"]


def _price_relevant(c: str) -> bool:
    """The price pattern can read the non-ASCII character ``c`` otherwise than "?": whitespace (\\s), a word
    character (\\w, \\d, and the letters IGNORECASE folds to ASCII ones: ſ, ı, İ), a currency symbol or the
    full-width colon."""
    return c.isspace() or c.isalnum() or c in PRICE_NON_ASCII


def price_in_text(text: str, text_lower: str | None = None) -> bool:
    """Whether PRICE_TEXT_RE finds a price in ``text``, at a fraction of its cost on ordinary text (the single
    pattern tries three alternatives at every character). Each alternative runs only where it can start: after
    a currency symbol, at each "price" and before each currency word of the lowercased text; the original
    sub-patterns decide. tests/test_page_price.py checks that both answer the same. ``text_lower``: ``text.lower()``,
    if the caller already made it."""
    if not text:
        return False
    if price_check is not None:
        if text.isascii():
            return price_check(text)  # the whole pattern in one Hyperscan pass (detect/fastscan.py)
        if not any(map(_price_relevant, set(non_ascii(text)))):
            # every non-ASCII character is one the pattern reads as it reads "?" (\S, \W, no literal): the answer
            # on the text with each as "?" is the same (tests/test_page_price.py)
            return price_check.in_bytes(text.encode("ascii", "replace"))
    if any(c in text for c in PRICE_SYMBOLS) and PRICE_SYMBOL_RE.search(text):
        return True
    low = text.lower() if text_lower is None else text_lower
    if len(low) != len(text) or any(c in text for c in UNLOWERED_FOLDS):
        return PRICE_TEXT_RE.search(text) is not None  # positions of low and text differ, or a fold lower() misses
    i = low.find("price")
    while i != -1:
        if PRICE_WORD_RE.match(text, i):
            return True
        i = low.find("price", i + 1)
    for word in CURRENCY_WORDS:
        i = low.find(word)
        while i != -1:
            # "<amount>[one space]<word>": the amount's digits, commas and dots end right before the word or the space
            # (str.isspace and str.isdecimal are the pattern's \s and \d: the same Unicode tables)
            end = i - 1 if i and text[i - 1].isspace() else i
            start = end
            while start and (text[start - 1].isdecimal() or text[start - 1] in ",."):
                start -= 1
            if start < end and AMOUNT_CURRENCY_RE.search(text, start, min(len(text), i + len(word) + 1)):
                return True
            i = low.find(word, i + 1)
    return False


def derive(html: str | None, url: str | None, title: str | None, text: str | None = None,
           text_lower: str | None = None) -> Page:
    """The page kind and product name the page's own markup, address and title show (``text_lower``: ``text.lower()``
    if the caller has it)."""
    cues = page_cues()
    low = (html or "").lower()
    signals: list[str] = []
    types, ld_name = _ld_types(html) if html and "ld+json" in low else (set(), None)
    if html:  # markup patterns find nothing in no markup (most scan input is text without its HTML)
        types |= {m for m in ITEMTYPE_RE.findall(html)}
        og = OG_TYPE_RE.search(html)
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
    product_url, slug, vendor, named, item, path_after, article_url, forum_url = _url_facts(url, title)
    if product_url:
        signals.append("product URL")
    offered = title_product(title or "")
    if offered:
        signals.append(f"title offers '{offered}'")
    if slug:
        signals.append(f"URL names '{slug}'")
    if vendor:
        signals.append(f"shop domain ('{vendor}')")
    if named:
        signals.append("the URL names the title")
    if item:
        signals.append("the URL addresses one catalogue item")
    path = (url or "").lower()
    article = (types & cues["schema_article_set"]) or article_url
    forum = (types & cues["schema_forum_set"]) or forum_url
    strong = bool(schema_product) or item or ("buy/order/inquiry control" in signals) + ("price" in signals) \
        + ("product URL" in signals) + bool(offered) + bool(slug) + bool(vendor) + bool(named) >= 2
    hard = bool(schema_product) or item or "buy/order/inquiry control" in signals or "product URL" in signals
    if strong and not hard and (article or forum):
        # "/Article/2017/..." on a host named "...pharma" with a price in the text: a trade-press article
        strong = False
        signals.append("an article or forum address outweighs price and shop-name signals")
    if strong:
        kind = "product"
    elif forum:
        kind, signals = "forum", signals + [f"schema.org {sorted(forum)[0]}" if isinstance(forum, set) else "forum URL"]
    elif article:
        kind = "news" if "/news/" in path or "NewsArticle" in types or \
            has_path_word(path_after, cues["news_path_words"], cues["news_path_words_set"]) else "article"
        signals = signals + [f"schema.org {sorted(article)[0]}" if isinstance(article, set) else "article URL"]
    else:
        kind = None
    name = ld_name or offered or (title.strip()[:200] if named and kind == "product" else None) or slug \
        or (title.strip()[:200] if kind == "product" and title else None)
    return Page(kind, name, signals)


def check_page_fields(listing: dict) -> None:
    """Raises ValueError when the listing's ``page_kind`` or ``product_name`` is not one the scan reads. Every
    listing is checked (a bad field is an error result whatever the text holds); the page itself is read only for
    listings with a hit (``page_evidence``)."""
    kind = listing.get("page_kind")
    name = listing.get("product_name")
    if kind is not None and kind not in kinds():
        raise ValueError(f"field 'page_kind' must be one of {', '.join(kinds())}")
    if name is not None and not isinstance(name, str):
        raise ValueError("field 'product_name' must be a string")


def page_evidence(listing: dict, title: str | None, text: str | None, max_html_chars: int,
                  text_lower: str | None = None) -> Page:
    """The listing's page kind and product name: as given, else derived. Raises ValueError on a bad field.
    ``text_lower``: ``text.lower()``, if the caller already made it."""
    check_page_fields(listing)
    kind = listing.get("page_kind")
    name = listing.get("product_name")
    url = listing.get("url")
    html = listing.get("html")
    html = html[:max_html_chars] if isinstance(html, str) else None
    derived = derive(html, url if isinstance(url, str) else None, title, text, text_lower)
    if kind is not None:
        return Page(kind, name or (derived.product_name if kind == "product" else None), [f"page kind '{kind}' given"],
                    given=True)
    if name:
        derived.product_name = name
        derived.signals.append("product name given")
    return derived


def reference_lines(text: str, bare: bool = False) -> int:
    """Lines of a drug-information or reference page ("Generic Name: fentanyl", "Brand Names: Fentora"): they look
    like a product's "Key: value" lines but describe a drug. With ``bare``, also the rows of an encyclopedia infobox
    flattened to text without a colon ("Trade names Wildnil", "Other names R-33799")."""
    keys = page_cues()["reference_keys"]
    n = 0
    for line in text[:50_000].split("\n"):
        key, colon, _ = line.partition(":")
        if colon and key.strip().lower() in keys:
            n += 1
        elif bare and not colon:
            low = line.strip().lower()
            n += any(low.startswith(k + " ") and low[len(k):].strip() for k in keys)
    return n


def reported_sale(text_lower: str, sale_cue: re.Pattern, refusal_cue: re.Pattern) -> bool:
    """Every sale cue of the text sits in a sentence that reports or forbids someone's sale ("vendors selling X
    online", "can be bought wholesale", "selling or giving away X is against the law"): the text sells nothing."""
    reports = page_cues()["reported_sale"]
    found = False
    for m in sale_cue.finditer(text_lower[:50_000]):
        found = True
        s, e = sentence_bounds(text_lower, m.start())
        sentence = text_lower[s:e]
        if not (any(r in sentence for r in reports) or refusal_cue.search(sentence)):
            return False
    return found


def lead_end(text: str, start: int = 0) -> int:
    """Where the first sentence of ``text`` after ``start`` ends (a product description opens with its product)."""
    lead = len(text) - len(text[start:].lstrip())
    m = re.compile(r"[.!?。！？\n]").search(text, lead + 3)
    return min(m.start() if m else len(text), lead + 300)
