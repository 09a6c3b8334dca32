"""Systematic names written in Cyrillic letters, offered to OPSIN in Latin letters.

The systematic-name candidates (``detect/iupac.py``) are taken from the norm view, where a Cyrillic name is still in
Cyrillic ("N- (1-фенетил-4-пиперидил) пропионанилид"). When the norm view has a Cyrillic letter, its Cyrillic words are
read as Latin with the words view's table (``detect/transliterate.py``: "n- (1-fenetil-4-piperidil) propionanilid"), and
the candidates found in that text are offered too, each with its span in the norm view; the systematic-name repairs
then read it as they read a Romance spelling ("fenetil" phenethyl). A text without Cyrillic costs one ``isascii`` or
one regex search.
"""

from __future__ import annotations

import re

from .iupac import has_morpheme, iupac_candidates
from .normalize import Normalized
from .transliterate import transliterate

_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


def cyrillic_candidates(norm: Normalized, limit: int, window: int) -> list[tuple[str, int, int]]:
    """(Latin name, start, end in the norm view) for each systematic-name candidate of the norm view's Cyrillic text."""
    text = norm.norm.text
    if text.isascii() or _CYRILLIC_RE.search(text) is None:
        return []
    index = norm.norm.index
    # the original character of each norm-view character: the folded look-alikes ("р" folded to "p") read back
    original = "".join(norm.original[index[i]] if index is not None else norm.original[i] for i in range(len(text)))
    latin, back = transliterate(text, original, None)  # Latin letters keep their case ("N-"), Cyrillic read lowercase
    if latin == text or not has_morpheme(latin):
        return []
    out = []
    for name, s, e in iupac_candidates(latin, limit, window):
        if _CYRILLIC_RE.search(original, back[s], back[e - 1] + 1):  # a name that had Cyrillic letters
            out.append((name, back[s], back[e - 1] + 1))
    return out
