"""Normalization: each transform, and offsets that always map back to the original text."""

import sys
import unicodedata

import pytest

from detect.normalize import normalize

CASES = [
    # (original, expected words view, what it shows)
    ("Fentanyl", "fentanyl", "lowercase"),
    ("ｆｅｎｔａｎｙｌ", "fentanyl", "full-width letters (NFKC)"),
    ("４３７－３８－７", "437-38-7", "full-width digits and dash"),
    ("fen\u200btanyl", "fentanyl", "zero-width space removed"),
    ("fen\u00adtanyl", "fentanyl", "soft hyphen removed"),
    ("4-ΑΝΡΡ", "4-anpp", "Greek capitals folded to Latin"),
    ("fеntаnyl", "fentanyl", "Cyrillic e and a folded"),
    ("f.e.n.t.a.n.y.l", "fentanyl", "dotted letters joined"),
    ("4 A N P P", "4anpp", "spaced letters joined"),
    ("f-e-n-t-a-n-y-l", "fentanyl", "hyphenated letters joined"),
    ("f3ntanyl", "fentanyl", "leetspeak 3"),
    ("fent@nyl", "fentanyl", "leetspeak @"),
    ("c4rfentanil", "carfentanil", "leetspeak 4"),
    ("437-38-7", "437-38-7", "CAS numbers untouched"),
    ("4-ANPP", "4-anpp", "a real hyphenated name is not collapsed"),
    ("供应芬太尼", "供应芬太尼", "Chinese untouched"),
]


@pytest.mark.parametrize("original, expected, what", CASES, ids=[c[2] for c in CASES])
def test_words_view(original, expected, what):
    n = normalize(original)
    assert n.words.text == expected
    start, end = n.words.span(0, len(n.words.text))
    assert 0 <= start <= end <= len(original)


def test_offsets_map_back_to_the_original():
    original = "Buy ｆｅｎ\u200bｔａｎｙｌ now, or f.e.n.t.a.n.y.l, or 4-ΑΝΡΡ!"
    n = normalize(original)
    for word, expected in (("fentanyl", "ｆｅｎ\u200bｔａｎｙｌ"), ("4-anpp", "4-ΑΝΡΡ")):
        i = n.words.text.index(word)
        s, e = n.words.span(i, i + len(word))
        assert original[s:e] == expected
    i = n.words.text.index("fentanyl", n.words.text.index("or"))
    s, e = n.words.span(i, i + 8)
    assert original[s:e] == "f.e.n.t.a.n.y.l"


def test_norm_view_keeps_case_and_digits_for_smiles():
    n = normalize("SMILES: CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert n.norm.text.endswith("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert n.norm.index is None  # ASCII: the fast path, identity offsets


def test_every_decimal_digit_reads_as_its_ascii_digit():
    """Digits of other scripts (Arabic-Indic, Persian, Devanagari, Thai ...), which NFKC leaves, fold one for one to
    the ASCII digit of their Unicode value, so that a CAS number or a locant written in them is read."""
    digits = [chr(cp) for cp in range(0x80, sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Nd"]
    assert len(digits) > 600
    for d in digits:
        n = normalize(f"CAS {d}").norm
        assert n.text == f"CAS {unicodedata.decimal(d)}" and n.span(4, 5) == (4, 5), hex(ord(d))
