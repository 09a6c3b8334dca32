"""The scan lowercases an ASCII listing once and hands the copy to the page rules, normalization and contacts
(detect/engine.py ``_cheap_pass``): each stage must answer exactly as when it lowers the text itself, on every stored
listing and on texts made for the edges (a title line, a truncated body, tabs). Non-ASCII listings are not shared
(str.lower() of a Greek capital sigma depends on its neighbours, so a slice of a lowered text could differ).
Advertisement text only (names, purity, packaging, prices, fake contacts)."""

import random
import re

from crawler.demo.ordinary import ordinary

from detect.contacts import NUMBER_RE, _digits, extract_contacts
from detect.normalize import normalize
from detect.page import derive, price_in_text
from stored_rows import stored_rows

# (text, comment)
CASES = [
    ("Fentanyl HCl 99%\nPrice: USD 120/kg\nWhatsApp: +00 000 0000", "title line, a price, a labelled number"),
    ("Supply Nitrate\tgood quality\nContact: sales@example.com", "a tab (the norm view replaces it)"),
    ("BUY 4-ANPP ONLINE\n433 USD per KG, Telegram @example_shop", "capitals, an app name before a handle"),
    ("f3ntanyl powder\nf.e.n.t.a.n.y.l 10 g $50", "leet and spaced letters"),
    ("Shanghai Example Chemical Co., Ltd.\nEmail: INFO@EXAMPLE.COM", "a company and an upper-case email"),
    ("\n", "empty title and body"),
]


def _ascii_texts():
    texts = [t for t, _ in CASES]
    for row in stored_rows():
        full = f"{row.get('title') or ''}\n{row.get('text') or ''}"
        if isinstance(row.get("text"), str) and full.isascii():
            texts.append(full)
    rng = random.Random(14)  # ordinary catalogue listings as the benchmark mix makes them
    for i in range(600):
        item = ordinary(rng, i, set())
        full = f"{item.get('title') or ''}\n{item.get('text') or ''}"
        if full.isascii():
            texts.append(full)
    return texts


def test_stages_answer_the_same_with_the_shared_copy():
    texts = _ascii_texts()
    assert len(texts) > 900
    for full in texts:
        low = full.lower()
        title, _, body = full.partition("\n")
        body_low = low[len(title) + 1:][:20000]  # the slice _cheap_pass hands the page rules
        assert body_low == body[:20000].lower()
        assert price_in_text(body[:20000], body_low) == price_in_text(body[:20000]), full[:80]
        assert derive(None, "http://127.0.0.1/product/x.html", title, body[:20000], body_low) == \
            derive(None, "http://127.0.0.1/product/x.html", title, body[:20000]), full[:80]
        assert normalize(full, low) == normalize(full), full[:80]
        assert normalize(full[:300], low[:300]) == normalize(full[:300])  # the truncated text and its copy
        assert extract_contacts(full, low) == extract_contacts(full), full[:80]


def test_compiled_number_patterns_match_the_inline_ones():
    for raw in ("+00 000 0000", "000-0000 (ext. 1)", "abc123", "+", "12.34", "+00 000 0000x", ""):
        assert bool(NUMBER_RE.fullmatch(raw)) == bool(re.fullmatch(r"\+?[\d \-().]+", raw))
        assert _digits(raw) == re.sub(r"\D", "", raw)
