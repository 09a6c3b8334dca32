"""Context cues (sale intent, harm reduction, news, refusal, corroboration) read from ``data/context.yaml``."""

from __future__ import annotations

import re
from functools import lru_cache


from .config import read_data_yaml


@lru_cache(maxsize=1)
def cue_lists() -> dict[str, list[str]]:
    return {kind: [str(c).lower() for c in cues] for kind, cues in read_data_yaml("context.yaml").items()}


@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, re.Pattern]:
    out = {}
    for kind, cues in cue_lists().items():
        words = sorted(set(cues), key=len, reverse=True)
        out[kind] = re.compile("|".join(re.escape(w) for w in words))
    return out


def has_cue(kind: str, text_lower: str) -> bool:
    return cue_patterns()[kind].search(text_lower) is not None


SENTENCE_ENDS = ".!?。！？\n"
SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")
SENTENCE_MAX = 600  # a sentence reaches at least this far either side of a position, and at most twice as far


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``. Bounded, so that a listing of thousands of names in one unpunctuated run costs
    no more than an ordinary one: the limits are aligned to blocks of SENTENCE_MAX characters, so every name in a
    block shares one (start, end) and the cue searches below are cached per sentence."""
    block = pos // SENTENCE_MAX * SENTENCE_MAX
    lo, hi = max(0, block - SENTENCE_MAX), min(len(text), block + 2 * SENTENCE_MAX)
    start = max(max(text.rfind(c, lo, pos) for c in SENTENCE_ENDS) + 1, lo)
    m = SENTENCE_END_RE.search(text, pos, hi)
    return start, m.start() if m else hi


@lru_cache(maxsize=4096)
def _cue_in(kind: str, text_lower: str, start: int, end: int, padded: bool = False) -> bool:
    """A cue of ``kind`` in text_lower[start:end] (str hashes are cached, so the key costs nothing per call)."""
    if padded:
        return cue_patterns()[kind].search(f" {text_lower[start:end]} ") is not None
    return cue_patterns()[kind].search(text_lower, start, end) is not None


NO_BEFORE_RE = re.compile(r"(?:^|[\s(:;,])(?<!cas )(?:no|not|nor|ni|without|sin|sans)\s+$")


def in_refusal(text_lower: str, pos: int, negation: bool = True) -> bool:
    """True when the sentence around ``pos`` refuses or prohibits rather than offers ("we never ship fentanyl",
    "fentanyl ... is prohibited"), or (with ``negation``) the name follows a bare "no" ("No fentanyl-related
    substances"; not "CAS No")."""
    s, e = sentence_bounds(text_lower, pos)
    if _cue_in("refusal", text_lower, s, e):
        return True
    return negation and NO_BEFORE_RE.search(text_lower, max(0, pos - 12), pos) is not None


def is_topic_mention(text_lower: str, start: int, end: int) -> bool:
    """The name is used as a modifier or object of a class noun: "fentanyl test strips", "fentanyl-related
    substances", "4-ANPP precursor", "precursores del fentanilo". A topic, not the substance on offer."""
    after = text_lower[end:end + 16].lstrip(" -")
    if after.startswith(_cue_tuple("mention_after")):  # any(after.startswith(w) for w in the list)
        return True
    before = text_lower[max(0, start - 24):start].rstrip(" (")
    return before.endswith(_cue_tuple("mention_before"))


@lru_cache(maxsize=None)
def _cue_tuple(kind: str) -> tuple[str, ...]:
    return tuple(cue_lists()[kind])


def in_question(text_lower: str, pos: int) -> bool:
    _, e = sentence_bounds(text_lower, pos)
    return text_lower[e:e + 1] in ("?", "？")


def has_negation(text_lower: str, pos: int) -> bool:
    s, e = sentence_bounds(text_lower, pos)
    return _cue_in("negation", text_lower, s, e, padded=True)


PROPERTY_RE = re.compile(r"^\s*([^:：\n|]{1,40}?)\s*[:：]\s*(.*)$")


def offer_lines(text: str) -> tuple[list[tuple[int, int]], int]:
    """Character ranges of the lines that say what is offered (the title, table rows and property lines), and the
    number of property lines. A property line is "Key: short value" in any language; a key with a sentence after
    it ("Notice: we do not sell ...") is prose, not a property."""
    ranges, properties = [], 0
    pos = 0
    for i, line in enumerate(text.split("\n")):
        end = pos + len(line)
        # a line without a colon is no property line (PROPERTY_RE needs one): not matched at all
        m = PROPERTY_RE.match(line) if ":" in line or "：" in line else None
        is_property = False
        if m:
            value = m.group(2)
            n_words = len(value.split())
            is_property = len(m.group(1).split()) <= 3 and len(value) <= 60 and n_words <= 8 \
                and ". " not in value and (value.isascii() or not any(p in value for p in "。，；！")) \
                and not (n_words >= 4 and value.rstrip()[-1:] in ".!")  # "Nota: este sitio no vende X."
        if i == 0 or is_property or line.count("|") >= 2:
            ranges.append((pos, end))
        properties += is_property
        pos = end + 1
    return ranges, properties


def news_cues(text_lower: str) -> int:
    """How many different news cues the text has ("seized", "police", "arrested" ...)."""
    return len(set(cue_patterns()["news"].findall(text_lower)))


PROSE_SENTENCE_RE = re.compile(r"[^.!?。！？\n]+")
PROSE_WORDS = (12, 80)     # a prose sentence has this many words (a run of 150,000 "x" is not a sentence)
PROSE_MEAN_WORD = 3.0      # and words of this mean length at least (not "x x x", not a list of codes)


def prose_sentences(text: str, limit: int = 50_000) -> int:
    """Sentences of prose: an article or a description, not a listing's property lines or filler."""
    n = 0
    for m in PROSE_SENTENCE_RE.finditer(text[:limit]):
        words = m.group().split()
        if PROSE_WORDS[0] <= len(words) <= PROSE_WORDS[1] and sum(map(len, words)) / len(words) >= PROSE_MEAN_WORD:
            n += 1
    return n
