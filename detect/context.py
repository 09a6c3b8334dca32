"""Context cues (sale intent, harm reduction, news, refusal, corroboration) read from ``data/context.yaml``."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .config import DATA_DIR


@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, re.Pattern]:
    with open(DATA_DIR / "context.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    out = {}
    for kind, cues in data.items():
        words = sorted({str(c).lower() for c in cues}, key=len, reverse=True)
        out[kind] = re.compile("|".join(re.escape(w) for w in words))
    return out


def has_cue(kind: str, text_lower: str) -> bool:
    return cue_patterns()[kind].search(text_lower) is not None


SENTENCE_END_RE = re.compile(r"[.!?。！？\n]")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and not SENTENCE_END_RE.match(text[start - 1]):
        start -= 1
    m = SENTENCE_END_RE.search(text, pos)
    return start, m.start() if m else len(text)


NO_BEFORE_RE = re.compile(r"(?:^|[\s(:;,])(?<!cas )(?:no|not|nor|ni|without|sin|sans)\s+$")


def in_refusal(text_lower: str, pos: int, negation: bool = True) -> bool:
    """True when the sentence around ``pos`` refuses or prohibits rather than offers ("we never ship fentanyl",
    "fentanyl ... is prohibited"), or (with ``negation``) the name follows a bare "no" ("No fentanyl-related
    substances"; not "CAS No")."""
    s, e = sentence_bounds(text_lower, pos)
    if cue_patterns()["refusal"].search(text_lower, s, e) is not None:
        return True
    return negation and NO_BEFORE_RE.search(text_lower, max(0, pos - 12), pos) is not None
