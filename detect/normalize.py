"""Normalize listing text for matching, keeping a map from every normalized character back to the original.

Two views are built, each with its own offset map:

``norm``  NFKC (full-width letters and digits), zero-width and soft-hyphen removal, homoglyph folding (Cyrillic and
          Greek look-alikes), one dash and one space. Case is kept: CAS, SMILES, InChI and contacts read this view.
``words`` ``norm`` lowercased, Cyrillic and Armenian words read as Latin (``detect/transliterate.py``), leetspeak undone inside words (``f3ntanyl``, ``fent@nyl``, ``p-fluoro-@cetyl``) and separators inside
          spelled-out words removed (``f.e.n.t.a.n.y.l``, ``4 A N P P``). Name matching reads this view.

Most listings are plain ASCII or already NFKC; they take a fast path with no per-character Python loop.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

from .config import read_data_yaml
from .prefilter import hyperscan
from .transliterate import has_script, transliterate
from .zh_names import fold_stem_variants

# Characters removed outright: zero-width space/joiners, word joiner, BOM, soft hyphen, bidi marks.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2061\u2062\u2063\u2064"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

# One-to-one folds applied after NFKC: homoglyphs and dash/space variants.
_HOMOGLYPHS = {
    # Cyrillic capitals and small letters that look Latin
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "d", "а": "a", "е": "e", "о": "o", "р": "p",
    "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "һ": "h", "ԛ": "q",
    "ԝ": "w", "ɑ": "a",
    # Greek capitals and small letters that look Latin
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    # dashes and minus signs, spaces
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\ufe63": "-", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
}
# Small capitals, as fancy-text generators write them ("ꜰᴇɴᴛᴀɴʏʟ"), which NFKC leaves: each read as the letter its
# Unicode name gives (LATIN LETTER SMALL CAPITAL F). They sit in three blocks: IPA Extensions, Phonetic Extensions
# and Latin Extended-D (searched here, not all of Unicode: about 1 ms at import).
_SMALL_CAPITAL_RE = re.compile(r"LATIN LETTER SMALL CAPITAL [A-Z]")
_HOMOGLYPHS.update({chr(cp): unicodedata.name(chr(cp))[-1].lower()
                    for block in (range(0x250, 0x2B0), range(0x1D00, 0x1D80), range(0xA720, 0xA800))
                    for cp in block if _SMALL_CAPITAL_RE.fullmatch(unicodedata.name(chr(cp), ""))})
_FOLD = str.maketrans(_HOMOGLYPHS)
# Decimal digits of other scripts that NFKC leaves as they are (Arabic-Indic ٤٣٧, Persian ۴۳۷, Devanagari, Thai,
# Bengali ...): a CAS number or a locant written in them reads as it does in ASCII digits (Unicode's own values;
# \d is Unicode's Nd).
_OTHER_DIGIT_RE = re.compile(r"(?![0-9])\d")
_FOLD_RE = re.compile("[" + "".join(re.escape(c) for c in _HOMOGLYPHS) + "]")


def _fold_digits(text: str) -> str:
    return _OTHER_DIGIT_RE.sub(lambda m: str(unicodedata.decimal(m.group())), text)


# Latin letters with diacritics, read as their base letter in the words view (one character for one, so offsets
# stay): French, Spanish, Hungarian and German names write "méthylfentanyl", "propánamid", "fentanýl".
def _latin_bases() -> dict[int, str]:
    table = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        d = unicodedata.normalize("NFD", chr(cp))
        if len(d) > 1 and d[0].isascii() and d[0].isalpha() and all(unicodedata.combining(c) for c in d[1:]):
            table[cp] = d[0].lower()
    return table


_LATIN_BASE = _latin_bases()
_LATIN_BASE_RE = re.compile("[" + "".join(map(chr, _LATIN_BASE)) + "]")  # a search first: most text has none

# Leetspeak inside a word: a digit or symbol between letters, or at the end of a word of 3+ letters.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
                       "|": "l"})
_LEET_RE = re.compile(r"(?<=[a-z])[0134579@$!|]+(?=[a-z])|(?<=[a-z]{3})[0134579@$!|](?![a-z0-9])")
# Four or more single letters or digits split by separators: "f.e.n.t.a.n.y.l", "4 a n p p", "f-e-n-t".
_SEPARATORS = r" .\-_*·•|/\\~+"  # a regular-expression class's inside
_SPACED_RE = re.compile(rf"(?<![^\W_])(?:[^\W_][{_SEPARATORS}]{{1,2}}){{3,}}[^\W_](?![^\W_])")
_SEPARATORS_RE = re.compile(f"[{_SEPARATORS}]")

# Chinese written with separators between its characters ("芬 太 尼", "卡.芬.太.尼", "芬太 尼"): Chinese puts no space
# between words, so one to three separators between two Han characters are dropped in the words view (not across a
# line break; the enumeration comma 、 and the full-width comma are not separators). The systematic-name reader
# (detect/zh_names.py) reads the norm view, with its own rule for spaces.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_HAN_GAP_RE = re.compile(f"(?<=[{_HAN}])[{_SEPARATORS}・]{{1,3}}(?=[{_HAN}])")

# Combining marks that NFKC cannot compose with the letter before them (strike-through U+0336, underline U+0332, an
# enclosing circle ...: "f̶e̶n̶t̶a̶n̶y̶l̶", as fancy-text generators write): dropped after a Latin letter in the words
# view.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARKS_RE = re.compile(f"[{_MARKS}]")
_MARKS_AFTER_LETTER_RE = re.compile(f"(?<=[a-z])[{_MARKS}]+")


@lru_cache(maxsize=1)
def _split_stems() -> tuple[str, ...]:
    """The Latin stems of detect/data/fentanyl_nomenclature.yaml (``stems``) that start with no other one: fentanil
    and fentanyl. A longer form's last letter would be taken from the next word ("fentanyl en stock" is no
    "fentanyle"). Read once, on first use."""
    latin = [s for s in read_data_yaml("fentanyl_nomenclature.yaml")["stems"] if s.isascii()]
    return tuple(sorted(s for s in latin if not any(o != s and s.startswith(o) for o in latin)))


@lru_cache(maxsize=1)
def _split_stem_re() -> re.Pattern:
    """A fentanyl stem written in pieces ("fen tanyl", "fent-anyl", "fenta.nyl", "fent🔥anyl", "carfent anil"): a stem
    with up to three characters that are no letter, digit or line break between any two of its letters."""
    gap = r"(?:[^\w\n]|_){0,3}"
    return re.compile("|".join(gap.join(map(re.escape, s)) for s in _split_stems()))


# Both patterns above start with a character class, which Python's re tries at every position (about 45 us for a
# 500-character listing). A byte "shape" of the text (bytes.translate, about 1 us) lets bytes.find, which runs at
# memchr speed, tell first whether the text has anything for them to do.
_LEET_CHARS = b"0134579@$!|"
_SEP_CHARS = b" .-_*|/\\~+"


def _shape_table(letters: bytes, marks: bytes, mark: bytes) -> bytes:
    table = bytearray(b" " * 256)
    for c in letters:
        table[c] = ord("a")
    for c in marks:
        table[c] = mark[0]
    return bytes(table)


_LETTERS = b"abcdefghijklmnopqrstuvwxyz"
_LEET_SHAPE = _shape_table(_LETTERS, _LEET_CHARS, b"1")
_SPACED_SHAPE = _shape_table(_LETTERS + b"0123456789", _SEP_CHARS, b".")


_LEET_OF = {chr(k): v for k, v in _LEET.items()}


def _unleet(text: str, positions) -> str:
    """``text`` with the symbol-for-letter swaps at ``positions`` undone (one character for one: positions stay).
    Built from the slices between the positions: a list of every character joined again cost 8-25 us a listing, and
    two listings in three have a formula ("c11h23") whose digits read as leet here (tests/test_normalize_fast.py)."""
    if not positions:
        return text
    pieces, prev = [], 0
    for i in sorted(set(positions)):
        pieces.append(text[prev:i])
        pieces.append(_LEET_OF.get(text[i], text[i]))
        prev = i + 1
    pieces.append(text[prev:])
    return "".join(pieces)


def _leet_positions(ascii_lower: bytes) -> list[int]:
    """Positions of leet characters inside a word: between letters (f3ntanyl, fent@nyl) or ending a word of three
    or more letters (fentany1). Found with bytes.find on the shape, so formulas like c5h6 cost next to nothing."""
    shape = ascii_lower.translate(_LEET_SHAPE)
    out = []
    i = shape.find(b"a1")
    n = len(shape)
    while i != -1:
        j = i + 1
        while j < n and shape[j] == 49:  # b"1"
            j += 1
        after = shape[j] if j < n else 32
        if after == 97:  # a letter follows: letters on both sides
            out.extend(range(i + 1, j))
        elif j == i + 2 and i >= 2 and (shape[i - 2] == 97 or i - 2 in out) and \
                not chr(ascii_lower[j] if j < n else 32).isalnum():
            # a leet character already read as a letter counts as one ("a0a0" -> "aoao" in one pass, so that
            # normalizing twice changes nothing: tests/test_properties.py)
            out.append(i + 1)
        i = shape.find(b"a1", j)
    return out


# "@" for a and "$" for s where a name piece starts after a hyphen or a space ("p-fluoro-@cetylfentanyl",
# "3-methyl-$ufentanil", "@cetyl-fentanyl") or ends before a hyphen ("fent@-"): the rule above needs letters on both
# sides. Only these two symbols: a digit after a hyphen is a locant ("4-anpp", "3-methyl").
# Found with str.find: prices ("$100") put "$" in many listings, and a regex scan of the whole text cost more.
def _edge_leet_positions(text: str) -> list[int]:
    out, n = [], len(text)
    for sym in "@$":
        i = text.find(sym)
        while i != -1:
            before = text[i - 1] if i else " "
            after = text[i + 1:i + 4]
            if ((before == "-" or before.isspace()) and len(after) == 3 and after.isascii() and after.isalpha()
                    and after.islower()) or ("a" <= before <= "z" and i + 1 < n and text[i + 1] == "-"):
                out.append(i)
            i = text.find(sym, i + 1)
    return sorted(out)


def _spacing_regions(ascii_lower: bytes) -> list[int]:
    """Start positions of four single letters or digits in a row split by separators ("f.e.n.t", "4 a n p")."""
    shape = ascii_lower.translate(_SPACED_SHAPE)
    starts = []
    for pattern in (b".a.a.a.", b".a..a..a.."):
        i = shape.find(pattern)
        while i != -1:
            starts.append(i)
            i = shape.find(pattern, i + len(pattern))
    if shape[:1] == b"a" and (shape[1:6] == b".a.a." or shape[1:8] == b"..a..a."):
        starts.append(0)
    return sorted(starts)


# Where _leet_positions starts reading and whether _spacing_regions can find anything, in one Hyperscan pass over
# the same bytes (about 1 us for 1.5 KB) instead of two translations and three bytes.find passes (about 12 us: the
# shapes repeat "a" and "." so often that find skips little). Each pattern spells out a shape's search on the bytes
# the shape is made from: "a" is a lowercase ASCII letter (leet shape) or letter or digit (spacing shape), "1" a leet
# character, "." a separator (tests/test_ordinary_forms.py).
_HS_LETTER, _HS_ALNUM = "[a-z]", "[a-z0-9]"
_HS_LEET = "[" + "".join(f"\\x{c:02x}" for c in _LEET_CHARS) + "]"
_HS_SEP = "[" + "".join(f"\\x{c:02x}" for c in _SEP_CHARS) + "]"
_A, _S = _HS_ALNUM, _HS_SEP
_SHAPE_PATTERNS = (
    _HS_LETTER + _HS_LEET,                                        # shape "a1": every one
    _S + _A + _S + _A + _S + _A + _S,                             # ".a.a.a.": whether any
    _S + _A + _S + _S + _A + _S + _S + _A + _S + _S,              # ".a..a..a..": whether any
    "^" + _A + "(?:" + _S + _A + _S + _A + _S + "|" + _S + _S + _A + _S + _S + _A + _S + ")",  # the text's start
    # _edge_leet_positions: an "@" or "$" first, after a hyphen, after whitespace (ASCII, or any non-ASCII
    # character, "?" here) or before a hyphen; the leet pass before it makes letters only, never one of these
    r"^[\x40\x24]|[\x2d\t\n\x0b\x0c\r\x1c-\x1f\x20\x3f][\x40\x24]|[\x40\x24]\x2d",
)
_shape_db = None


def _shape_scan(data: bytes) -> tuple[list[int] | None, bool, bool]:
    """(the start of every "a1" in _leet_positions' shape of ``data``, in order; whether _spacing_regions(data)
    may find a region; whether _edge_leet_positions may find a symbol in the text once leet is undone: False only
    where they find none). Without Hyperscan: (None, True, True)."""
    global _shape_db
    if hyperscan is None:  # pragma: no cover - depends on the machine
        return None, True, True
    if _shape_db is None:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[p.encode("ascii") for p in _SHAPE_PATTERNS], ids=list(range(len(_SHAPE_PATTERNS))),
                   elements=len(_SHAPE_PATTERNS), flags=[0] + [hyperscan.HS_FLAG_SINGLEMATCH] * 4)
        _shape_db = db
    found: list[int] = []
    _shape_db.scan(data, match_event_handler=lambda pid, start, end, flags, ctx:
                   found.append(end if pid == 0 else -2 if pid == 4 else -1))
    if not found:
        return [], False, False
    return sorted(e - 2 for e in found if e >= 0), -1 in found, -2 in found


# Whether _split_stem_re may find anything, from the bytes the leet pass reads (one bytes.translate, 2-4 us for
# 1.5 KB, where the pattern itself costs 5-15 us): with the leet characters read as their letters and every other
# byte that can stand between two letters of a stem deleted (a non-ASCII character is "?" here), the stems' common
# start ("fentan") is there. A leet symbol whose letter is in the start ("@" for a) is read as the letter, the
# others ("$", "!", "|": s, i, l) are deleted; the leet pass turns an "@" next to letters into "a", so an "@" left
# between two letters of a stem is no case (tests/test_ordinary_forms.py).
@lru_cache(maxsize=1)
def _split_gate() -> tuple[bytes, bytes, bytes]:
    start = os.path.commonprefix(_split_stems()).encode("ascii")  # "fentan"
    table = bytes.maketrans(_LEET_CHARS, bytes(ord(chr(c).translate(_LEET)) for c in _LEET_CHARS))
    kept = {b for b in range(128) if chr(b).isalnum() or b == 0x0A or (b in _LEET_CHARS and table[b] in start)}
    delete = bytes(b for b in range(128) if b not in kept)
    return start, table, delete


def _may_split(shape_src: bytes) -> bool:
    start, table, delete = _split_gate()
    return start in shape_src.translate(table, delete)


def _leet_from(ascii_lower: bytes, starts: list[int]) -> list[int]:
    """_leet_positions(ascii_lower), given where its shape has "a1" (``starts``, in order, from _shape_scan): the
    same reading, each shape byte looked up in the table instead of the whole text translated first."""
    shape, out, n, j = _LEET_SHAPE, [], len(ascii_lower), 0
    for i in starts:
        if i < j:  # inside the run of leet characters read from the last start
            continue
        j = i + 1
        while j < n and shape[ascii_lower[j]] == 49:  # b"1"
            j += 1
        after = shape[ascii_lower[j]] if j < n else 32
        if after == 97:
            out.extend(range(i + 1, j))
        elif j == i + 2 and i >= 2 and (shape[ascii_lower[i - 2]] == 97 or i - 2 in out) and \
                not chr(ascii_lower[j] if j < n else 32).isalnum():
            out.append(i + 1)
    return out


# The character-class searches below (_FOLD_RE, _INVISIBLE_RE, SCRIPT_RE, _LATIN_BASE_RE) look for non-ASCII
# characters only, but Python's re tries a class at every position: 10-20 us each on a 1.5 KB listing with one "≥".
# They run on the text's non-ASCII characters instead: removing the ASCII bytes of its UTF-8 form is C-speed work
# (about 2 us), and a one-character class matches in a text exactly when it matches one of these characters
# (tests/test_normalize_fast.py compares both forms).
_ASCII_BYTES = bytes(range(128))


_last_non_ascii: tuple[str, str] = ("", "")


def non_ascii(text: str) -> str:
    """The non-ASCII characters of ``text``, in order (lone surrogates from JSON input kept). The last answer is kept
    for the very same string object: a listing's normalization, contacts, SMILES, morpheme and Cyrillic checks each
    ask it of the same text (about 3 us each on 1.5 KB); a string is immutable, and the one kept stays alive, so an
    object that is the kept one has the same characters."""
    global _last_non_ascii
    last = _last_non_ascii
    if text is last[0]:
        return last[1]
    out = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    _last_non_ascii = (text, out)
    return out


_last_lowered: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """``text.lower()``, kept for the very same string object as non_ascii keeps its answer: the scan lowers a
    listing for its words view and the CAS cues read the same lowered text (2-6 us for 1.5 KB). Text whose
    non-ASCII characters each lower to themselves (the mix's "≥"; not a capital sigma, which lowers by its
    neighbours, nor "İ", which lowers to two) is lowered as UTF-8 bytes, whose lower() changes only A-Z: 2.4
    instead of 5.9 us (tests/test_ordinary_forms.py)."""
    global _last_lowered
    last = _last_lowered
    if text is last[0]:
        return last[1]
    if text.isascii() or not all(c.lower() == c for c in set(non_ascii(text))):
        out = text.lower()
    else:
        out = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    _last_lowered = (text, out)
    return out


def lowered_aligned(text: str) -> str:
    """``lowered(text)`` with one character for each character of text, so that a position found in it is the same
    position in text (the contacts' labels, the CAS cues, the context rules around a hit). "İ" (U+0130), the one
    character whose lowercase is two ("i" and a combining dot above; tests/test_hostile_lowercase.py checks every
    code point), lowers to "i": one "İ" anywhere in a listing used to shift every later position, or turn the
    position-based rules off."""
    low = lowered(text)
    return low if len(low) == len(text) else text.replace("\u0130", "I").lower()


_lower = lowered  # _words_view's parameter ``lowered`` hides the function's name inside it


@dataclass(frozen=True)
class View:
    """A normalized string and, per character, the index of the original character it came from."""

    text: str
    index: list[int] | None  # None: character i of text came from character i of the original
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of this view back to the original text."""
        if self.index is None:
            return start, end
        if start >= end:
            pos = self.index[start] if start < len(self.index) else self.original_length
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


@dataclass(frozen=True)
class Normalized:
    original: str
    norm: View
    words: View


def _compose(outer: list[int] | None, inner: list[int] | None) -> list[int] | None:
    if inner is None:
        return outer
    if outer is None:
        return inner
    return [outer[i] for i in inner]


def _norm_view(text: str) -> View:
    if text.isascii():
        if "\t" in text:
            text = text.replace("\t", " ")
        return View(text, None, len(text))
    extra = non_ascii(text)
    folded = _FOLD_RE.sub(lambda m: _HOMOGLYPHS[m.group()], text) if "\t" in text or _FOLD_RE.search(extra) \
        else text
    digits = _OTHER_DIGIT_RE.search(extra) is not None
    # folding neither makes nor removes invisible characters: the text's own non-ASCII characters tell
    if unicodedata.is_normalized("NFKC", folded) and not _INVISIBLE_RE.search(extra):
        return View(_fold_digits(folded) if digits else folded, None, len(text))
    out, index = [], []
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            continue
        for c in unicodedata.normalize("NFKC", ch).translate(_FOLD):
            out.append(c)
            index.append(i)
    out = "".join(out)
    return View(_fold_digits(out) if digits else out, index, len(text))


def _words_view(norm: View, original: str = "", lowered: str | None = None) -> View:
    # ``lowered``: ``original.lower()`` when the caller has it (the scan lowers an ASCII listing once for every stage)
    text = lowered if lowered is not None and norm.text is original else _lower(norm.text)
    index = norm.index
    if len(text) != len(norm.text):  # a few characters lowercase to two: fall back to a per-character map
        chars, new_index = [], []
        for i, ch in enumerate(norm.text):
            low = ch.lower()
            chars.append(low)
            new_index += [i] * len(low)
        text, index = "".join(chars), _compose(index, new_index)
    if not text.isascii():
        extra = non_ascii(text)
        # Cyrillic and Armenian words read as Latin ("алфента" -> "alfenta"): detect/transliterate.py
        if has_script(extra):
            text, index = transliterate(text, original or norm.text, index)
            extra = non_ascii(text)
        if _HAN_RE.search(extra):  # "芬 太 尼" -> "芬太尼", before the stem fold reads it
            text, index = _close_han_gaps(text, index)
        # Taiwan's 吩坦尼 for 芬太尼 (detect/data/zh_morphemes.yaml, stem_variants): same length
        if "坦" in extra:
            text = fold_stem_variants(text)
            extra = non_ascii(text)
        if _LATIN_BASE_RE.search(extra):
            text = text.translate(_LATIN_BASE)
        if _MARKS_RE.search(extra):
            text, index = _drop(text, index, [m.span() for m in _MARKS_AFTER_LETTER_RE.finditer(text)])
    shape_src = text.encode("ascii", "replace")  # one byte per character: positions stay the same
    starts, may_space, may_edge = _shape_scan(shape_src)
    text = _unleet(text, _leet_positions(shape_src) if starts is None else _leet_from(shape_src, starts))
    if may_edge and ("@" in text or "$" in text):  # after the pass above, which may have made the letters these need
        text = _unleet(text, _edge_leet_positions(text))
    regions = _spacing_regions(shape_src) if may_space else []
    if regions:
        drop = []
        covered = -1
        for start in regions:
            if start < covered:  # inside the last run found: searching again from here was quadratic
                continue
            m = _SPACED_RE.search(text, start, min(len(text), start + 400))
            if m is None:
                continue
            covered = m.end()
            drop += [(j, j + 1) for j in range(m.start(), m.end()) if _SEPARATORS_RE.match(text[j])]
        text, index = _drop(text, index, drop)
    split = [m for m in _split_stem_re().finditer(text) if not m.group().isalpha()] if _may_split(shape_src) else []
    if split:  # "fen tanyl" -> "fentanyl": the characters between the stem's letters dropped
        text, index = _drop(text, index, [(j, j + 1) for m in split for j in range(*m.span()) if not text[j].isalpha()])
    return View(text, index, norm.original_length)


def _drop(text: str, index: list[int] | None, spans: list[tuple[int, int]]) -> tuple[str, list[int] | None]:
    """text without the characters of ``spans`` (in order, not overlapping), and its index map."""
    if not spans:
        return text, index
    inner, pos = [], 0
    for s, e in spans:
        inner.extend(range(pos, s))
        pos = e
    inner.extend(range(pos, len(text)))
    return "".join(text[j] for j in inner), _compose(index, inner) if index is not None else inner


def _close_han_gaps(text: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    return _drop(text, index, [m.span() for m in _HAN_GAP_RE.finditer(text)])


def normalize(text: str, lowered: str | None = None) -> Normalized:
    """``lowered``: ``text.lower()``, if the caller already made it."""
    norm = _norm_view(text)
    return Normalized(text, norm, _words_view(norm, text, lowered))


def in_other_script(text: str) -> bool:
    """``text`` has a Cyrillic or Armenian letter that is no Latin look-alike: the words view transliterated it."""
    return has_script(text) and has_script(text.translate(_FOLD))


@lru_cache(maxsize=8192)
def normalize_name(name: str) -> str:
    """The ``words`` form of a lexicon name, so names and text are compared in the same form. Remembered per name
    (a pure function of the string; the scorer asks it for the same product names and hits over and over)."""
    return normalize(name).words.text
