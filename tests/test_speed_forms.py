"""Session 8's faster forms answer as the forms they replace: the morpheme test on non-ASCII text
(detect/fastscan.py morpheme_non_ascii against detect/iupac.py has_morpheme) and the remembered title rule
(detect/page.py title_product against its uncached function), on hand-written cases, generated strings and every
stored text. Advertisement text only (names, purity, packaging, prices)."""

import random

from detect.fastscan import morpheme_non_ascii
from detect.iupac import has_morpheme
from detect.page import title_product
from stored_rows import stored_rows

# (text, comment)
CASES = [
    ("N-(1-phénéthylpipéridin-4-yl)propionamide ≥ 99%", "diacritics inside the morpheme"),
    ("PIPÉRIDINE, 25 kg", "a capital with a diacritic"),
    ("\u212aelvin piperid", "the Kelvin sign lowers to an ASCII k"),
    ("İpiperid", "a dotted capital I lowers to two characters"),
    ("azépan", "azepane with an accent"),
    ("1-(2-phenylethyl)amino ≥98%", "an ASCII morpheme in non-ASCII text"),
    ("piperazine ≥ 99%", "near miss"),
    ("Ρiperid", "a Greek capital rho is not folded here"),
    ("", "empty"),
]

PIECES = ["piperid", "PIPÉRID", "pipérid", "pipe", "rid", "azepan", "azépan", "azabicyclo", "phenylethyl)amino",
          "phényléthyl)amino", "phenethylamino", "≥", "é", "É", "ß", "İ", "\u212a", " ", "-", "(", ")", "x"]


def texts():
    yield from (t for t, _ in CASES)
    rng = random.Random(8)
    for _ in range(20000):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
    for row in stored_rows():
        for key in ("title", "text"):
            if isinstance(row.get(key), str):
                yield row[key]


def test_morpheme_non_ascii_answers_as_has_morpheme():
    wrong = [t for t in texts() if morpheme_non_ascii(t) != has_morpheme(t)]
    assert wrong == []
    assert morpheme_non_ascii(CASES[0][0]) and not morpheme_non_ascii("piperazine ≥ 99%")


def test_title_product_remembered_answers_as_computed():
    titles = ["Buy Fentanyl Powder Online | Shop", "Acetone for sale", "Our stock list (updated weekly)", "", "buy"]
    titles += [row["title"] for row in stored_rows() if isinstance(row.get("title"), str)]
    for title in titles * 2:  # the second time from the cache
        assert title_product(title) == title_product.__wrapped__(title)
    assert title_product("Buy Fentanyl Powder Online | Shop") == "Fentanyl Powder"


def test_cyrillic_gate_answers_as_cyrillic_candidates():
    from detect.engine import cyrillic_names
    from detect.normalize import normalize
    from detect.script_names import cyrillic_candidates

    extra = ["N-фенил-N-[1-(2-фенилэтил)пиперидин-4-ил]бутанамид 99%", "Ацетон ≥ 99%, 200 L", "NРР ≥ 98%",
             "фентанил", "ƒentanyl ≥ 99%"]
    found = 0
    for text in list(texts())[:30000] + extra:
        norm = normalize(text)
        got = cyrillic_names(norm, 21, 400)
        assert got == cyrillic_candidates(norm, 21, 400), text
        found += bool(got)
    assert found >= 1  # the Cyrillic systematic name above


def test_morpheme_non_ascii_random_code_points():
    """The Hyperscan path (each non-ASCII character as "?") is taken only when no non-ASCII character lowers to an
    ASCII character or a letter with a diacritic: morpheme pieces with random code points of every plane (Kelvin
    sign, dotted I, accented letters, Greek sigma among them), the same answer as has_morpheme."""
    rng = random.Random(31)
    extra = ["≥", "°", "中", "Σ", "ς", "\ud800", "（", "）", "\u0345"]
    for _ in range(20000):
        text = "".join(rng.choice(PIECES + extra) if rng.random() < 0.8 else chr(rng.randrange(0x80, 0x30000))
                       for _ in range(rng.randint(1, 10)))
        assert morpheme_non_ascii(text) == has_morpheme(text), repr(text)
