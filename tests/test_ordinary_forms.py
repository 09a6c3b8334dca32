"""Session 9's faster forms on an ordinary listing's path answer as the forms they replace (kept below as they were
at main 7257da9): the words view (detect/normalize.py: the leet pass built from slices, the leet and spacing
searches behind one Hyperscan gate) on hand-written cases, generated strings and every stored text. Advertisement
text only (names, purity, packaging, prices, example.com contacts)."""

import random

from detect import normalize as N
from detect.transliterate import has_script, transliterate
from detect.zh_names import fold_stem_variants
from stored_rows import stored_rows


# --- the forms of main 7257da9, kept as the reference -----------------------------------------------------------
def _unleet_old(text, positions):
    if not positions:
        return text
    chars = list(text)
    for i in positions:
        chars[i] = chars[i].translate(N._LEET)
    return "".join(chars)


def _words_view_old(norm, original="", lowered=None):
    text = lowered if lowered is not None and norm.text is original else norm.text.lower()
    index = norm.index
    if len(text) != len(norm.text):
        chars, new_index = [], []
        for i, ch in enumerate(norm.text):
            low = ch.lower()
            chars.append(low)
            new_index += [i] * len(low)
        text, index = "".join(chars), N._compose(index, new_index)
    if not text.isascii():
        extra = N.non_ascii(text)
        if has_script(extra):
            text, index = transliterate(text, original or norm.text, index)
            extra = N.non_ascii(text)
        if "坦" in extra:
            text = fold_stem_variants(text)
            extra = N.non_ascii(text)
        if N._LATIN_BASE_RE.search(extra):
            text = text.translate(N._LATIN_BASE)
    shape_src = text.encode("ascii", "replace")
    text = _unleet_old(text, N._leet_positions(shape_src))
    if "@" in text or "$" in text:
        text = _unleet_old(text, N._edge_leet_positions(text))
    regions = N._spacing_regions(shape_src)
    if regions:
        keep = [True] * len(text)
        changed = False
        covered = -1
        for start in regions:
            if start < covered:
                continue
            m = N._SPACED_RE.search(text, start, min(len(text), start + 400))
            if m is None:
                continue
            covered = m.end()
            for j in range(m.start(), m.end()):
                if N._SEPARATORS_RE.match(text[j]):
                    keep[j] = False
                    changed = True
        if changed:
            inner = [j for j, k in enumerate(keep) if k]
            text = "".join(text[j] for j in inner)
            index = N._compose(index, inner) if index is not None else inner
    return N.View(text, index, norm.original_length)


# (text, comment)
CASES = [
    ("Fentanyl citrate 99% 1kg", "plain ASCII, nothing to undo"),
    ("MF: C11H23NO2, 25 kg drum", "a formula: its digits read as leet between letters"),
    ("f3ntanyl, fent@nyl, fentany1, a0a0", "leet inside and ending words"),
    ("p-fluoro-@cetylfentanyl, 3-methyl-$ufentanil, fent@-x", "symbols after and before a hyphen"),
    ("f.e.n.t.a.n.y.l 4 A N P P f-e-n-t", "spelled-out words"),
    ("f.e.n.t", "spelled out from the text's start"),
    ("a..b..c..d and x | y | z | w", "two separators between letters"),
    ("Purity ≥99% c11h2 f3nt", "non-ASCII text with leet"),
    ("фентанил f.e.n.t.a", "Cyrillic and spacing"),
    ("Contact: sales@example.com, +00 000 0000, USD $100", "contacts and a price"),
    ("", "empty"),
    ("\ud800 f3nt \udfff", "lone surrogates"),
]

PIECES = ["f", "e", "n", "t", "a", "y", "l", "c", "h", "11", "0", "1", "3", "4", "5", "7", "9", "@", "$", "!", "|",
          " ", ".", "-", "_", "*", "/", "\\", "~", "+", "·", "•", "≥", "é", "É", "ф", "坦", "İ", "\t", "\n", "A", "Z",
          "fentanyl", "c11h23", "@cetyl", "$u", "x"]


def texts():
    yield from (t for t, _ in CASES)
    rng = random.Random(9)
    for _ in range(20000):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
    for _ in range(3000):
        yield "".join(chr(rng.randrange(0x20, 0x7f)) if rng.random() < 0.8 else chr(rng.randrange(0x80, 0x30000))
                      for _ in range(rng.randint(1, 30)))
    for row in stored_rows():
        for key in ("title", "text"):
            if isinstance(row.get(key), str):
                yield row[key]


def test_words_view_answers_as_main():
    changed = 0
    for text in texts():
        norm = N._norm_view(text)
        lowered = text.lower() if text.isascii() else None
        new, old = N._words_view(norm, text, lowered), _words_view_old(norm, text, lowered)
        assert (new.text, new.index) == (old.text, old.index), repr(text)
        changed += new.text != norm.text.lower()
    assert changed > 1000  # the leet and spacing passes did change many of them


def test_unleet_answers_as_main():
    rng = random.Random(10)
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10)))
        positions = sorted(rng.sample(range(len(text)), rng.randint(0, min(4, len(text)))))
        assert N._unleet(text, positions) == _unleet_old(text, positions)
    assert N._unleet("c11h23", [1, 2]) == "ciih23"


def test_shape_gates_say_look_where_the_searches_find():
    """The gate is the shapes' own searches: "a1" in the leet shape, ".a.a.a.", ".a..a..a.." or the start's form in
    the spacing shape; so it is False only where _leet_positions and _spacing_regions find nothing."""
    seen = set()
    for text in texts():
        data = text.lower().encode("ascii", "replace")
        leet, spaced = N._shape_gates(data)
        lshape, sshape = data.translate(N._LEET_SHAPE), data.translate(N._SPACED_SHAPE)
        assert leet == (b"a1" in lshape), repr(text)
        assert spaced == (b".a.a.a." in sshape or b".a..a..a.." in sshape or (
            sshape[:1] == b"a" and (sshape[1:6] == b".a.a." or sshape[1:8] == b"..a..a."))), repr(text)
        assert leet or not N._leet_positions(data)
        assert spaced or not N._spacing_regions(data)
        seen.add((leet, spaced))
    assert seen == {(False, False), (False, True), (True, False), (True, True)}
