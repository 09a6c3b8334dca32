"""detect/fastscan.py's Hyperscan checks answer exactly as the Python forms they stand for, on ASCII text: the price
pattern (detect/page.py PRICE_TEXT_RE) and the morpheme test before systematic names (detect/iupac.py has_morpheme).
Hand-written cases (Python's \\s includes \\x1c-\\x1f, \\b around "$", case), generated strings and every stored ASCII
text. Advertisement text only (names, purity, packaging, prices)."""

import random

import pytest

from detect.fastscan import morpheme_check, price_check
from detect.iupac import MORPHEMES, has_morpheme
from detect.page import PRICE_TEXT_RE, price_in_text
from detect.smiles import _marks, _marks_python
from stored_rows import stored_rows

# (text, comment)
CASES = [
    ("Price: USD 120/kg", "the word price and a colon"),
    ("PRICE :\t5", "capitals, a tab"),
    ("price:\x1c\x1dx", "\\x1c-\\x1f are whitespace to Python's \\s"),
    ("price:\x1c", "nothing but whitespace after the colon"),
    ("price:\x00", "a NUL is not whitespace"),
    ("sale_price: 5", "price must start a word"),
    ("$\x1f5", "a separator as the one space after $"),
    ("$  5", "two spaces"),
    ("10 us$5", "us$ then a word character"),
    ("10 us$ only", "us$ then a space: no word boundary"),
    ("a10 usd", "the amount must start a word"),
    ("_10 USD", "underscore is a word character"),
    ("1,200.50\x0beur", "a vertical tab"),
    ("10 usdt", "a longer word"),
    ("Contact for price.", "no colon"),
    ("N-(1-PHENETHYLPIPERIDIN-4-YL)propionamide", "a morpheme in capitals"),
    ("1-(2-phenylethyl)amino", "a morpheme with brackets"),
    ("azepane, azabicyclo", "two morphemes"),
    ("piperazine", "near miss"),
    ("", "empty"),
]

ALPHABET = ["price", "Price", "PRICE", "usd", "USD", "us$", "eur", "rmb", "$", ":", " ", "\t", "\x0b", "\x1c", "\x1f",
            "\x00", "\n", "1", "20", ",", ".", "_", "a", "x", "-", "piperid", "PIPERID", "azepan", "phenethyl)amino",
            "phenylethyl)amino", "azabicyclo", "(", ")"]


def _texts():
    rng = random.Random(14)
    texts = [t for t, _ in CASES]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    texts += [v for row in stored_rows() for k, v in row.items()
              if k in ("text", "title", "html") and isinstance(v, str) and v.isascii()]
    return texts


def test_hyperscan_forms_in_use():
    # Hyperscan is a dependency on x86-64 Linux (pyproject.toml), where this suite runs: the checks must exist
    assert price_check is not None and morpheme_check is not None


@pytest.mark.parametrize("text,comment", CASES)
def test_cases(text, comment):
    assert price_check(text) == (PRICE_TEXT_RE.search(text) is not None), comment
    assert price_in_text(text) == (PRICE_TEXT_RE.search(text) is not None), comment
    assert morpheme_check(text) == has_morpheme(text), comment


def test_generated_and_stored_texts():
    texts = _texts()
    assert len(texts) > 20000
    both = {True: 0, False: 0}
    for text in texts:
        expected = PRICE_TEXT_RE.search(text) is not None
        assert price_check(text) == expected, repr(text[:200])
        assert morpheme_check(text) == has_morpheme(text), repr(text[:200])
        both[expected] += 1
    assert min(both.values()) > 1000  # both answers are well represented
    assert any(m in t.lower() for t in texts for m in MORPHEMES)


SMILES_ALPHABET = ["C", "c", "N", "n", "O", "1", "2", "(", ")", "=", "==", "#", "[", "]", " ", "\t", "\x1c", "\x00",
                   "\n", "C1", "c1", "O1", "N1", "n1", "c2", "C2", "Cl", "a"]


@pytest.mark.parametrize("text,comment", [
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "a SMILES"),
    ("(a) b (c)\x1c(d", "a bracket first, after a space, after a separator"),
    ("==##[[c1C1", "overlapping and repeated marks"),
    ("Nicotinamide (Niacinamide) 99%", "a bracket after a space is not a mark"),
    ("", "empty"),
])
def test_smiles_marks_cases(text, comment):
    assert _marks(text) == _marks_python(text), comment


def test_smiles_marks_generated_and_stored():
    rng = random.Random(14)
    texts = ["".join(rng.choice(SMILES_ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(20000)]
    texts += [v for row in stored_rows() for k, v in row.items() if k in ("text", "title") and isinstance(v, str)]
    marked = 0
    for text in texts:
        assert _marks(text) == _marks_python(text), repr(text[:200])
        marked += bool(_marks_python(text))
    assert marked > 10000


def test_smiles_marks_non_ascii():
    """Non-ASCII text takes the Hyperscan marks with each non-ASCII character as "?" when none is whitespace (a "("
    after a non-ASCII space is no mark, after "≥" it is): 20,000 strings of SMILES pieces with non-ASCII characters
    of both kinds and random code points, the same positions as the str.find form."""
    rng = random.Random(30)
    extra = ["≥", "é", "中", "（", "\u3000", "\u00a0", "\u2028", "\u0085", "\ud800", "İ", "①", "°"]
    marked = fast = 0
    for i in range(20000):
        pieces = SMILES_ALPHABET + extra if i % 3 else SMILES_ALPHABET + ["≥", "é", "中", "°"]
        text = "".join(rng.choice(pieces) if rng.random() < 0.9 else chr(rng.randrange(0x80, 0x30000))
                       for _ in range(rng.randint(1, 30)))
        assert _marks(text) == _marks_python(text), repr(text)
        marked += bool(_marks_python(text))
        fast += not text.isascii() and not any(c.isspace() for c in text if ord(c) > 127)
    assert marked > 10000 and fast > 5000
