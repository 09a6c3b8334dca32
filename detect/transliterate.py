"""Cyrillic and Armenian words read as Latin letters (``data/transliteration.yaml``), for the words view.

Only words that still hold a Cyrillic or Armenian letter after the norm view's homoglyph folding are read: a Latin
name with Cyrillic look-alikes ("fеntаnyl") is already Latin there and is left alone. Inside such a word every
character that came from a Cyrillic or Armenian letter is read from the original letter ("Рапітен": the folded
"p" is read back as р -> r), so "Алфента" is "alfenta" and "Ֆենտանիլ" is "fentanil". Latin letters typed into the
word stay as they are. A text without these scripts costs one ``isascii`` or one regex search.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .config import read_data_yaml

SCRIPT_RE = re.compile("[\u0400-\u04ff\u0530-\u058f]")  # Cyrillic, Armenian
_WORD_RE = re.compile(r"[^\W\d_]*[\u0400-\u04ff\u0530-\u058f][^\W\d_]*")


@lru_cache(maxsize=1)
def tables() -> dict:
    return read_data_yaml("transliteration.yaml")


@lru_cache(maxsize=1)
def letter_table() -> dict[str, str]:
    """Every single letter of both scripts (lowercase) -> Latin."""
    t = tables()
    return {k: v for k, v in {**t["cyrillic"], **t["armenian"]}.items() if len(k) == 1}


@lru_cache(maxsize=1)
def _digraphs() -> dict[str, str]:
    t = tables()
    return {k: v for k, v in {**t["cyrillic"], **t["armenian"]}.items() if len(k) > 1}


def has_script(text: str) -> bool:
    return not text.isascii() and SCRIPT_RE.search(text) is not None


def transliterate(text: str, original: str, index: list[int] | None) -> tuple[str, list[int] | None]:
    """``text`` (lowercased, character i from ``original[index[i]]``, or ``original[i]`` when ``index`` is None)
    with its Cyrillic and Armenian words read as Latin, and the new index into ``original``."""
    letters, digraphs = letter_table(), _digraphs()
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
            if len(pair) == 2 and pair in digraphs:
                read, step = digraphs[pair], 2
            else:
                orig = original[src].lower() if src < len(original) else text[j]
                read, step = letters.get(orig, letters.get(text[j], text[j])), 1
            out.append(read)
            new_index += [src] * len(read)
            j += step
        pos = m.end()
    for j in range(pos, len(text)):
        out.append(text[j])
        new_index.append(index[j] if index is not None else j)
    return "".join(out), new_index
