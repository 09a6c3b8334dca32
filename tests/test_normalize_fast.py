"""Normalization's non-ASCII checks run on the text's non-ASCII characters (detect/normalize.py ``non_ascii``) instead
of searching the whole text with a character class: the views, offsets and maps must be exactly those of the
session-6 form kept below, on hand-written cases (homoglyphs, invisible characters, Cyrillic, Armenian, accents,
Taiwan's stem, full-width letters, lone surrogates), generated strings and every stored listing. Advertisement text
only (names, purity, packaging, prices)."""

import random
import unicodedata

import pytest

from detect import normalize as N
from detect.transliterate import SCRIPT_RE, has_script, transliterate
from detect.zh_names import fold_stem_variants
from stored_rows import stored_rows


# --- the session-6 form (b664b19), kept as the reference -------------------------------------------------------
def _norm_view_old(text):
    if text.isascii():
        if "\t" in text:
            text = text.replace("\t", " ")
        return N.View(text, None, len(text))
    folded = N._FOLD_RE.sub(lambda m: N._HOMOGLYPHS[m.group()], text) if N._FOLD_RE.search(text) else text
    if unicodedata.is_normalized("NFKC", folded) and not N._INVISIBLE_RE.search(folded):
        return N.View(folded, None, len(text))
    out, index = [], []
    for i, ch in enumerate(text):
        if ch in N.INVISIBLE:
            continue
        for c in unicodedata.normalize("NFKC", ch).translate(N._FOLD):
            out.append(c)
            index.append(i)
    return N.View("".join(out), index, len(text))


def _words_prefix_old(norm, original):
    """The session-6 words view up to the leet pass (the part this change rewrote)."""
    text = norm.text.lower()
    index = norm.index
    if len(text) != len(norm.text):
        chars, new_index = [], []
        for i, ch in enumerate(norm.text):
            low = ch.lower()
            chars.append(low)
            new_index += [i] * len(low)
        text, index = "".join(chars), N._compose(index, new_index)
    if has_script(text):
        text, index = transliterate(text, original or norm.text, index)
    if "坦" in text:
        text = fold_stem_variants(text)
    if not text.isascii() and N._LATIN_BASE_RE.search(text):
        text = text.translate(N._LATIN_BASE)
    return text, index


def _words_prefix_new(norm, original):
    """The same part of today's _words_view: the full view with the leet and spacing passes and the passes that drop
    characters (Han gaps, combining marks, a split stem) made no-ops."""
    saved = N._unleet, N._spacing_regions, N._close_han_gaps, N._drop
    N._unleet, N._spacing_regions = (lambda text, positions: text), (lambda shape: [])
    N._close_han_gaps = lambda text, index: (text, index)
    N._drop = lambda text, index, spans: (text, index)
    try:
        view = N._words_view(norm, original)
    finally:
        N._unleet, N._spacing_regions, N._close_han_gaps, N._drop = saved
    return view.text, view.index


# (text, comment)
CASES = [
    ("Fentanyl citrate 99% 1kg", "plain ASCII"),
    ("Purity ≥99%\tprice: USD 20/g", "a non-ASCII sign and a tab"),
    ("Purity\t≥ 99 %", "a tab in non-ASCII text is folded to a space"),
    ("fеntаnyl powder", "Cyrillic look-alikes"),
    ("Ｆｅｎｔａｎｙｌ ＨＣｌ", "full-width letters (NFKC)"),
    ("fen\u200btanyl", "a zero-width space"),
    ("fen\u00adta\u200dnyl ≥98%", "a soft hyphen and a joiner"),
    ("фентанил 1 кг", "Cyrillic words, transliterated"),
    ("Ֆենտանիլ", "Armenian"),
    ("méthylfentanyl, propánamid", "accented Latin"),
    ("檸檬酸吩坦尼 99%", "Taiwan's stem"),
    ("芬太尼 ≥99%", "Chinese"),
    ("PRİCE İstanbul", "a letter that lowercases to two"),
    ("Größe ſ ı", "German and folded letters"),
    ("e\u0301 combining", "a combining accent after an ASCII letter (not NFKC)"),
    ("\ud800 lone surrogate ≥", "a lone surrogate, as JSON input may carry"),
    ("Αlpha Βeta α-methyl", "Greek look-alikes"),
    ("em—dash – en dash −minus", "dashes"),
    ("", "empty"),
]

ALPHABET = ["a", "f", "e", "n", "t", " ", "\t", "\n", "-", "1", "≥", "é", "е", "а", "ф", "Ֆ", "坦", "吩", "芬", "\u200b",
            "\u00ad", "Ｆ", "İ", "ſ", "\u0301", "—", "\u00a0", "Α", "@", "$", "\ud800", "ß"]


def _texts():
    rng = random.Random(14)
    texts = [t for t, _ in CASES]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40))) for _ in range(4000)]
    texts += [v for row in stored_rows() for k, v in row.items() if k in ("text", "title") and isinstance(v, str)]
    return texts


@pytest.mark.parametrize("text,comment", CASES)
def test_cases(text, comment):
    old = _norm_view_old(text)
    assert N._norm_view(text) == old, comment
    assert _words_prefix_new(old, text) == _words_prefix_old(old, text), comment


def test_generated_and_stored_texts():
    texts = _texts()
    assert len(texts) > 5000
    for text in texts:
        old = _norm_view_old(text)
        assert N._norm_view(text) == old, text
        assert _words_prefix_new(old, text) == _words_prefix_old(old, text), text


def test_non_ascii_keeps_every_other_character():
    for text, _ in CASES:
        assert N.non_ascii(text) == "".join(c for c in text if not c.isascii())
    # each one-character class searched on the non-ASCII part answers as on the whole text
    for rx in (N._INVISIBLE_RE, SCRIPT_RE, N._LATIN_BASE_RE):
        for text in _texts()[:3000]:
            assert bool(rx.search(text)) == bool(rx.search(N.non_ascii(text)))
