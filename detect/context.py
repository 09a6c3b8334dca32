"""Context cues (sale intent, harm reduction, news, refusal, corroboration) read from ``data/context.yaml``."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .config import DATA_DIR


@lru_cache(maxsize=1)
def cue_lists() -> dict[str, list[str]]:
    with open(DATA_DIR / "context.yaml", encoding="utf-8") as f:
        return {kind: [str(c).lower() for c in cues] for kind, cues in yaml.safe_load(f).items()}


@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, re.Pattern]:
    out = {}
    for kind, cues in cue_lists().items():
        words = sorted(set(cues), key=len, reverse=True)
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


def is_topic_mention(text_lower: str, start: int, end: int) -> bool:
    """The name is used as a modifier or object of a class noun: "fentanyl test strips", "fentanyl-related
    substances", "4-ANPP precursor", "precursores del fentanilo". A topic, not the substance on offer."""
    after = text_lower[end:end + 16].lstrip(" -")
    if any(after.startswith(w) for w in cue_lists()["mention_after"]):
        return True
    before = text_lower[max(0, start - 24):start].rstrip(" (")
    return any(before.endswith(w) for w in cue_lists()["mention_before"])


def in_question(text_lower: str, pos: int) -> bool:
    _, e = sentence_bounds(text_lower, pos)
    return text_lower[e:e + 1] in ("?", "？")


def has_negation(text_lower: str, pos: int) -> bool:
    s, e = sentence_bounds(text_lower, pos)
    sentence = f" {text_lower[s:e]} "
    return cue_patterns()["negation"].search(sentence) is not None


PROPERTY_RE = re.compile(r"^\s*([^:：\n|]{1,40}?)\s*[:：]\s*(.*)$")


def offer_lines(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Character ranges of the lines that say what is offered (the title, product-name and other property lines,
    table rows), and whether the listing names its product in a product-name line."""
    product_keys = set(cue_lists()["product_keys"])
    identity = cue_lists()["identity_keys"]
    ranges, has_product_line = [], False
    pos = 0
    for i, line in enumerate(text.split("\n")):
        end = pos + len(line)
        m = PROPERTY_RE.match(line)
        key = m.group(1).strip().lower() if m else None
        if i == 0 or "|" in line or key in product_keys or (key and any(w in key for w in identity)):
            ranges.append((pos, end))
        has_product_line = has_product_line or key in product_keys
        pos = end + 1
    return ranges, has_product_line
