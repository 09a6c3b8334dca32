"""Hyperscan forms of whole-text checks on the scan's hot path, for ASCII text (three listings in four).

Each check answers exactly what the Python form it stands for answers, in one Hyperscan pass (about 1 us for a
1.5 KB listing) instead of a regular expression tried at every position or several ``str.find`` passes. On ASCII
text Python's ``\\s`` is ``[\\t\\n\\v\\f\\r \\x1c-\\x1f]``, ``\\d`` is ``[0-9]``, ``\\w`` is ``[A-Za-z0-9_]`` and
IGNORECASE is ASCII case folding, which Hyperscan's classes and CASELESS flag give when spelled out as below. Callers
keep the Python form for other text and where Hyperscan is not installed (``price_check`` and ``morpheme_check``
are then None). tests/test_fastscan.py compares both forms on stored, hand-written and generated text.
"""

from __future__ import annotations

from .iupac import _LATIN_BASE, _LATIN_BASE_RE, MORPHEMES
from .normalize import non_ascii
from .prefilter import _hs_literal, hyperscan

WS = r"[\t\n\x0b\x0c\r \x1c-\x1f]"    # Python's \s on ASCII characters
NOT_WS = r"[^\t\n\x0b\x0c\r \x1c-\x1f]"  # \S

# detect/page.py PRICE_TEXT_RE, alternative by alternative: "$" is its only ASCII currency symbol; the full-width
# colon after "price" is not ASCII
PRICE_PATTERNS = (
    (r"\$" + WS + r"?[0-9]", 0),
    (r"\b[0-9][0-9,.]*" + WS + r"?(?:usd|eur|gbp|cny|rmb|us\$)\b", "caseless"),
    (r"\bprice" + WS + r"*:" + WS + r"*" + NOT_WS, "caseless"),
)


def _database(expressions: list[bytes], flags: list[int]):
    """A block-mode Hyperscan database of ``expressions``, pattern ids their positions in the list."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags)
    return db


class _AnyMatch:
    """Whether any of the patterns matches somewhere in an ASCII text (compiled on first use)."""

    def __init__(self, patterns: list[tuple[bytes, bool]]):
        self.patterns = patterns
        self.db = None

    def __call__(self, text: str) -> bool:
        return self.in_bytes(text.encode("ascii"))

    def in_bytes(self, data: bytes) -> bool:
        """The same on ASCII bytes."""
        if self.db is None:
            self.db = _database([p for p, _ in self.patterns],
                                [hyperscan.HS_FLAG_SINGLEMATCH | (hyperscan.HS_FLAG_CASELESS if caseless else 0)
                                 for _, caseless in self.patterns])
        found = []
        self.db.scan(data, match_event_handler=lambda *_: found.append(1))
        return bool(found)


class Positions:
    """Where each match of the patterns starts in an ASCII text, every match (overlapping ones too), sorted: a
    pattern is given with how far back from its match's end the position is (a literal's length)."""

    def __init__(self, patterns: list[tuple[bytes, int]]):
        self.patterns = patterns
        self.db = None

    def __call__(self, text: str) -> list[int]:
        return self.in_bytes(text.encode("ascii"))

    def in_bytes(self, data: bytes) -> list[int]:
        """The same on ASCII bytes."""
        if self.db is None:
            self.db = _database([p for p, _ in self.patterns], [0] * len(self.patterns))
        back = [b for _, b in self.patterns]
        found: list[int] = []
        self.db.scan(data,
                     match_event_handler=lambda pid, start, end, flags, ctx: found.append(end - back[pid]))
        return sorted(found)


def literal_positions(literals, after_non_space: str = "") -> Positions | None:
    """A Positions for ``literals`` and for ``after_non_space`` (a character) where a character that is not
    whitespace comes before it; None without Hyperscan."""
    if hyperscan is None:  # pragma: no cover
        return None
    patterns = [(_hs_literal(x), len(x)) for x in literals]
    if after_non_space:
        patterns.append(((NOT_WS + "\\x%02x" % ord(after_non_space)).encode("ascii"), 1))
    return Positions(patterns)


def _morpheme_relevant(c: str) -> bool:
    """The lowered non-ASCII character ``c`` holds an ASCII character or a letter has_morpheme reads as one."""
    return any(x < "\x80" or ord(x) in _LATIN_BASE for x in c.lower())


def morpheme_non_ascii(text: str) -> bool:
    """detect/iupac.py has_morpheme for any text, its search for letters with diacritics run on the lowercased text's
    non-ASCII characters only (every such letter is non-ASCII: the same answer, without a character class tried at
    each of 1,500 positions; a quarter of the benchmark's listings are not ASCII)."""
    if morpheme_check is not None and not any(map(_morpheme_relevant, set(non_ascii(text)))):
        # no non-ASCII character lowers to an ASCII letter or to one with a diacritic (é, İ, the Kelvin sign do):
        # the morphemes (ASCII) are in the text with each such character as "?" exactly when they are in the
        # lowered, translated text (the mix's "≥"; tests/test_speed_forms.py)
        return morpheme_check.in_bytes(text.encode("ascii", "replace"))
    low = text.lower()
    if _LATIN_BASE_RE.search(non_ascii(low)):
        low = low.translate(_LATIN_BASE)
    return any(m in low for m in MORPHEMES)


if hyperscan is not None:
    price_check = _AnyMatch([(p.encode("ascii"), bool(c)) for p, c in PRICE_PATTERNS])
    # detect/iupac.py has_morpheme: a morpheme inside the lowercased text
    morpheme_check = _AnyMatch([(_hs_literal(m), True) for m in MORPHEMES])
else:  # pragma: no cover - depends on the machine
    price_check = morpheme_check = None
