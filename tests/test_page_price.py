"""The fast price check (detect/page.py price_in_text) answers exactly what the price pattern PRICE_TEXT_RE answers:
prices in many currencies and forms, near misses, letters that case-insensitive matching folds, and generated text
mixing all of them. Advertisement text only (names, purity, packaging, prices)."""

import random

import pytest

from detect.page import PRICE_TEXT_RE, price_in_text
from stored_rows import stored_rows


# (text, has a price) - each row also checks that the fast check agrees with the pattern
CASES = [
    ("Price: USD 120/kg", True),                 # the word price and a colon
    ("PRICE：negotiable", True),                  # a full-width colon
    ("price :  $", True),                         # spaces around the colon, any character after
    ("Contact for price.", False),                # no colon
    ("best price", False),
    ("pricelist: on request", False),             # "price" must be followed by the colon
    ("saleprice: 5", False),                      # and start a word
    ("sale_price: 5", False),
    ("price:", False),                            # nothing after the colon
    ("price:   ", False),
    ("$120", True),
    ("$ 120", True),
    ("$  120", False),                            # at most one space after the symbol
    ("US$ 1,200.50", True),
    ("€99,90 per gram", True),
    ("£5", True),
    ("¥ 300", True),
    ("₹1500", True),
    ("$ price", False),
    ("$", False),
    ("433 USD/kg", True),
    ("433USD", True),
    ("433  USD", False),                          # two spaces
    ("USD 433/kg", False),                        # the currency word before the amount is not read
    ("1,200.00 eur", True),
    ("99 GBP", True),
    ("3000 cny", True),
    ("3000 RMB", True),
    ("10 us$5", True),                            # "us$" needs a word character after it (\b after $)
    ("10 us$ only", False),
    ("10 usdt", False),                           # a longer word
    ("10 euro", False),
    ("a10 usd", False),                           # the amount must start a word
    ("x,10 usd", True),                           # a comma is not a word character
    ("_10 usd", False),
    ("10\tusd", True),                            # any one whitespace
    ("10\nusd", True),
    ("10\u3000usd", True),                        # an ideographic space is whitespace
    ("١٢ usd", True),                             # Arabic-Indic digits are digits
    ("１２ usd", True),                           # full-width digits too
    ("10 uſd", True),                             # long s: case-insensitive matching reads it as s
    ("PRİCE: 5", True),                           # dotted capital I reads as i (and lowers to two characters)
    ("prıce: 5", True),                           # dotless i too
    ("İstanbul office, 10 USD", True),            # the length-changing letter elsewhere in the text
    ("10 ＵＳＤ", False),                         # full-width letters are other letters
    ("Fentanyl citrate 99% 1kg bag", False),
    ("", False),
    (".,.,. usd", False),                         # commas and dots without a digit
    ("5.,.,. usd", True),
    ("eurmb 5 rmb", True),                        # overlapping currency words
    ("5 eurmb", False),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_price_cases(text, expected):
    assert bool(PRICE_TEXT_RE.search(text)) is expected  # the table itself is right
    assert price_in_text(text) is expected


PIECES = ["price", "PRICE", "Price", "prıce", "PRİCE", ":", "：", " ", "  ", "\t", "\n", "$", "€", "£", "¥", "₹",
          "usd", "USD", "uſd", "us$", "US$", "eur", "gbp", "cny", "rmb", "rmbx", "eurmb", "0", "12", "3,5", "1.000",
          ".", ",", "a", "x1", "_", "١", "１", "Fentanyl", "kg", "99%", "İ", "ſ", "-", "/", "(", ")"]


def test_price_generated():
    """20,000 strings glued from price pieces and near misses: the fast check and the pattern always agree."""
    rng = random.Random(14)
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert price_in_text(text) == bool(PRICE_TEXT_RE.search(text)), repr(text)


def test_price_corpus_texts():
    """Every listing text of the labelled corpora and the real-page set: the same answer."""
    texts = [v for row in stored_rows() for k, v in row.items() if k in ("text", "title", "html") and isinstance(v, str)]
    assert len(texts) > 1000
    for text in texts:
        assert price_in_text(text) == bool(PRICE_TEXT_RE.search(text)), text[:200]


# non-ASCII characters the pattern reads as it reads "?" (the Hyperscan check runs on such text with each as "?"),
# and ones it reads otherwise (whitespace, word characters, digits, folded letters, currency, the full-width colon)
NEUTRAL = ["≥", "≤", "±", "°", "·", "–", "—", "“", "”", "®", "™", "†", "→", "✓", "\ud800", "\u0345", "Ⓐ",
           "‰", "・", "。", "、"]
RELEVANT = ["é", "µ", "₂", "²", "ſ", "ı", "İ", "K", "\u3000", "\u00a0", "\u2028", "١", "１", "€", "£", "¥", "₹", "：",
            "中", "Ф", "ǅ", "Ⅻ"]


def test_price_non_ascii_generated():
    """Non-ASCII text takes the Hyperscan check (each non-ASCII character as "?") only when every such character is
    one the pattern cannot read otherwise; 20,000 strings of price pieces with either kind, and 5,000 with random
    code points from every plane: the same answer as the pattern."""
    rng = random.Random(30)
    for i in range(20000):
        extra = NEUTRAL if i % 2 else NEUTRAL + RELEVANT
        text = "".join(rng.choice(PIECES + extra * 2) for _ in range(rng.randint(1, 14)))
        assert price_in_text(text) == bool(PRICE_TEXT_RE.search(text)), repr(text)
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) if rng.random() < 0.7 else chr(rng.randrange(0x80, 0x30000))
                       for _ in range(rng.randint(1, 14)))
        assert price_in_text(text) == bool(PRICE_TEXT_RE.search(text)), repr(text)


def test_price_neutral_characters():
    """The neutral list above is neutral and the relevant one is not (the test above covers both paths)."""
    from detect.page import _price_relevant
    assert not any(map(_price_relevant, NEUTRAL))
    assert all(map(_price_relevant, RELEVANT))
