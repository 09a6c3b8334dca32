"""Cyrillic, Armenian, Arabic-script and Hangul words read as Latin letters (``data/transliteration.yaml``), for the
words view.

Only words that still hold a Cyrillic or Armenian letter after the norm view's homoglyph folding are read: a Latin
name with Cyrillic look-alikes ("fеntаnyl") is already Latin there and is left alone. Inside such a word every
character that came from a Cyrillic or Armenian letter is read from the original letter ("Рапітен": the folded
"p" is read back as р -> r), so "Алфента" is "alfenta" and "Ֆենտանիլ" is "fentanil". Latin letters typed into the
word stay as they are. A text without these scripts costs one ``isascii`` or one regex search.

Persian, Arabic and Korean (session 7): letters as the UN and Revised Romanization tables write them, the fentanyl stem
as those scripts spell it read as one piece ("فنتانیل", "펜타닐" -> "fentanil": letter by letter it is "fntanil",
"pentanil"), and a word written apart just before the stem word read glued to it, as the prefix it is ("کار فنتانیل",
"시클로 펜틸 펜타닐"): the parser then reads the whole name or says it did not, never the bare stem's substance.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .config import read_data_yaml

SCRIPT_RE = re.compile("[\u0400-\u04ff\u0530-\u058f\u0600-\u06ff\uac00-\ud7a3]")  # Cyrillic, Armenian, Arabic, Hangul
_WORD_RE = re.compile(r"[^\W\d_]*[\u0400-\u04ff\u0530-\u058f\u0600-\u06ff\uac00-\ud7a3][^\W\d_]*")
_HANGUL = (0xAC00, 0xD7A3)


@lru_cache(maxsize=1)
def tables() -> dict:
    return read_data_yaml("transliteration.yaml")


@lru_cache(maxsize=1)
def letter_table() -> dict[str, str]:
    """Every single letter of both scripts (lowercase) -> Latin."""
    t = tables()
    return {k: v for k, v in {**t["cyrillic"], **t["armenian"], **t["arabic"]}.items() if len(k) == 1}


@lru_cache(maxsize=1)
def _digraphs() -> dict[str, str]:
    t = tables()
    return {k: v for k, v in {**t["cyrillic"], **t["armenian"]}.items() if len(k) > 1}


@lru_cache(maxsize=1)
def _pieces() -> tuple[dict[str, str], tuple[int, ...]]:
    """The stem as other scripts spell it, read as one piece (data: ``pieces``), and the piece lengths, longest first."""
    pieces = dict(tables().get("pieces", {}))
    return pieces, tuple(sorted({len(k) for k in pieces}, reverse=True))


def _hangul(ch: str) -> str | None:
    """A Hangul syllable read by its letters (Revised Romanization, without sound changes), or None."""
    cp = ord(ch)
    if not _HANGUL[0] <= cp <= _HANGUL[1]:
        return None
    h = tables()["hangul"]
    s = cp - _HANGUL[0]
    return h["initial"][s // 588] + h["vowel"][(s % 588) // 28] + h["final"][s % 28]


def _script_of(ch: str) -> str:
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF:
        return "arabic"
    if _HANGUL[0] <= cp <= _HANGUL[1]:
        return "hangul"
    return ""


def _glued(text: str, original: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    """In scripts that write a prefix as a word of its own (data: ``glued_scripts``), the space between a word and the
    stem word right after it dropped: "استیل فنتانیل" (acetyl fentanyl) is read as one word."""
    pieces, _ = _pieces()
    glued = set(tables().get("glued_scripts", ()))
    starts = [m.start() for p in pieces if _script_of(p[0]) in glued for m in re.finditer(re.escape(p), text)]
    drop = {st - 1 for st in starts if st > 1 and text[st - 1] == " " and _script_of(text[st - 2]) in glued}
    if not drop:
        return text, index
    keep = [j for j in range(len(text)) if j not in drop]
    return "".join(text[j] for j in keep), [index[j] if index is not None else j for j in keep]


def has_script(text: str) -> bool:
    return not text.isascii() and SCRIPT_RE.search(text) is not None


def transliterate(text: str, original: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    """``text`` (lowercased, character i from ``original[index[i]]``, or ``original[i]`` when ``index`` is None)
    with its Cyrillic and Armenian words read as Latin, and the new index into ``original``."""
    letters, digraphs = letter_table(), _digraphs()
    pieces, piece_lengths = _pieces()
    firsts = {p[0] for p in pieces}
    text, index = _glued(text, original, index)
    out: list[str] = []
    new_index: list[int] = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        for j in range(pos, m.start()):
            out.append(text[j])
            new_index.append(index[j] if index is not None else j)
        j = m.start()
        while j < m.end():
            src = index[j] if index is not None else j
            pair = text[j:j + 2]
            piece = next((text[j:j + n] for n in piece_lengths if text[j:j + n] in pieces), None) \
                if text[j] in firsts else None
            if piece is not None:
                read, step = pieces[piece], len(piece)
            elif len(pair) == 2 and pair in digraphs:
                read, step = digraphs[pair], 2
            elif (syllable := _hangul(text[j])) is not None:
                read, step = syllable, 1
            else:
                orig = original[src].lower() if src < len(original) else text[j]
                read, step = letters.get(orig, letters.get(text[j], text[j])), 1
            out.append(read)
            if piece is not None:  # the piece's last letter from its last character: a span covers the whole piece
                new_index += [src] * (len(read) - 1) + [index[j + step - 1] if index is not None else j + step - 1]
            else:
                new_index += [src] * len(read)
            j += step
        pos = m.end()
    for j in range(pos, len(text)):
        out.append(text[j])
        new_index.append(index[j] if index is not None else j)
    return "".join(out), new_index
