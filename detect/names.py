"""Name matching as spaCy components over the ``words`` view.

``fentwatch_lexicon``  PhraseMatcher over every lexicon name, synonym and variant, and every harmless look-alike;
                       the longest match wins, so "1-benzyl-4-piperidone" (a look-alike) hides "4-piperidone".
``fentwatch_fuzzy``    rapidfuzz over the remaining tokens that carry a fentanyl morpheme: misspellings and foreign
                       spellings (fentanil, fentanilo, phentanyl), guarded against harmless look-alikes.

Both write spans to ``doc.spans["fentwatch"]``: ``label_`` is the category (or "lookalike"), ``id_`` the lexicon
id, and ``span._.fw`` a dict with the method, the matched name and the similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import spacy
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from lexicon import Lexicon

from .normalize import normalize_name
from .tokens import is_cjk

SPANS_KEY = "fentwatch"
LOOKALIKE = "lookalike"
# Word pieces that fentanyl-class names and their misspellings share: a token needs one to be tried fuzzily.
FUZZY_MORPHEMES = ("fent", "fant", "phent", "tanyl", "tanil", "tanill", "fenta", "fenyl", "entanil", "entanyl")

if not Span.has_extension("fw"):
    Span.set_extension("fw", default=None)


@dataclass(frozen=True)
class NameEntry:
    text: str            # the name as the lexicon writes it
    key: str             # words-normalized variant used for matching
    substance_id: str | None  # None for look-alikes
    label: str           # category, or "lookalike"
    ambiguous: bool


def variants(name: str) -> set[str]:
    """Spellings a seller may use for one name: as written, hyphens as spaces, and run together."""
    base = normalize_name(name)
    out = {base}
    compact = re.sub(r"[\s\-]", "", base)
    if len(compact) > 5:  # "4 AP" or "a mf" with a space would match ordinary text ("a MF: C5H6N2")
        out.add(re.sub(r"\s*-\s*", " ", base).strip())
    if len(compact) >= 4:
        out.add(compact)
    return {v for v in out if v}


def name_entries(lex: Lexicon) -> list[NameEntry]:
    """Every matchable spelling of every name; computed once per lexicon object."""
    cached = getattr(lex, "_name_entries", None)
    if cached is not None:
        return cached
    entries = []
    for s in lex.substances:
        for n in s.all_names():
            for v in variants(n.text):
                entries.append(NameEntry(n.text, v, s.id, s.category, s.is_ambiguous(n.text)))
    controlled_keys = {e.key for e in entries}
    for la in lex.lookalikes:
        for name in (la.name, *la.synonyms):
            for v in variants(name):
                if v not in controlled_keys:  # an ambiguous name (4-AP) stays a controlled name, marked ambiguous
                    entries.append(NameEntry(name, v, None, LOOKALIKE, False))
    lex._name_entries = entries
    return entries


def phonetic_key(word: str) -> str:
    """Spelling-insensitive form for fuzzy comparison: ph->f, y->i, doubled letters and a final e/o/a dropped."""
    w = word.replace("ph", "f").replace("y", "i")
    w = re.sub(r"(.)\1+", r"\1", w)
    if len(w) > 6 and w[-1] in "eoa":
        w = w[:-1]
    return w


def _glued_left(doc: Doc, start: int) -> bool:
    """True when the span is the tail of a longer hyphenated name: "1-benzyl-4-piperidone" for "4-piperidone"."""
    if start < 2:
        return False
    offs = doc.user_data["offsets"]
    hyphen, before = doc[start - 1], doc[start - 2]
    return (hyphen.text == "-" and offs[start - 1][1] == offs[start][0] and offs[start - 2][1] == offs[start - 1][0]
            and (before.text.isalnum() or before.text in ")]"))


def _glued_right(doc: Doc, end: int) -> bool:
    """True when a locant follows: "4-anilinopiperidine-1-carboxylate" is not 4-anilinopiperidine."""
    if end + 1 >= len(doc):
        return False
    offs = doc.user_data["offsets"]
    return (doc[end].text == "-" and offs[end - 1][1] == offs[end][0] and offs[end][1] == offs[end + 1][0]
            and doc[end + 1].text[:1].isdigit())


class LexiconMatcher:
    def __init__(self, nlp: Language, name: str = "fentwatch_lexicon"):
        self.name = name
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, NameEntry] = {}

    def set_entries(self, entries: list[NameEntry]) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.entries = {}
        for e in entries:
            # one match key per (key, owner): the entry is looked up again from the match id
            match_key = f"{e.label}|{e.substance_id or ''}|{e.key}"
            if match_key in self.entries:
                continue
            self.entries[match_key] = e
            self.matcher.add(match_key, [self.nlp.make_doc(e.key)])

    def initialize(self, get_examples=None, *, nlp=None, lexicon: Lexicon | None = None):
        from lexicon import load_lexicon

        self.set_entries(name_entries(lexicon or load_lexicon()))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            e = self.entries[self.nlp.vocab.strings[match_id]]
            span = Span(doc, start, end, label=e.label, span_id=e.substance_id or "")
            span._.fw = {"method": "name", "name": e.text, "ambiguous": e.ambiguous, "similarity": 1.0}
            spans.append(span)
        kept = []
        for span in filter_spans(spans):
            if span.label_ == LOOKALIKE or _glued_left(doc, span.start) or _glued_right(doc, span.end):
                continue
            kept.append(span)
        # filter_spans keeps the longest span; a look-alike that won still hides what it covered
        doc.spans[SPANS_KEY] = kept
        doc.user_data["covered"] = {i for s in filter_spans(spans) for i in range(s.start, s.end)}
        return doc


class FuzzyMatcher:
    def __init__(self, nlp: Language, name: str = "fentwatch_fuzzy", *, min_length: int, cutoff: float,
                 min_raw_ratio: float, lookalike_margin: float):
        self.name = name
        self.min_length = min_length
        self.cutoff = cutoff
        self.min_raw_ratio = min_raw_ratio
        self.lookalike_margin = lookalike_margin
        self.controlled: dict[str, NameEntry] = {}
        self.lookalikes: list[str] = []

    def set_entries(self, entries: list[NameEntry]) -> None:
        self.controlled, looks = {}, set()
        for e in entries:
            if " " in e.key or len(e.key) < self.min_length or any(is_cjk(c) for c in e.key) or e.ambiguous:
                continue
            if e.label == LOOKALIKE:
                looks.add(phonetic_key(e.key))
            else:
                self.controlled.setdefault(phonetic_key(e.key), e)
        self.lookalikes = sorted(looks)
        self.controlled_keys = list(self.controlled)

    def initialize(self, get_examples=None, *, nlp=None, lexicon: Lexicon | None = None):
        from lexicon import load_lexicon

        self.set_entries(name_entries(lexicon or load_lexicon()))

    def _best(self, word: str) -> tuple[NameEntry, float] | None:
        key = phonetic_key(word)
        best = process.extractOne(key, self.controlled_keys, scorer=fuzz.ratio, score_cutoff=self.cutoff)
        if best is None:
            return None
        entry = self.controlled[best[0]]
        if fuzz.ratio(word, entry.key) < self.min_raw_ratio:
            return None
        look = process.extractOne(key, self.lookalikes, scorer=fuzz.ratio) if self.lookalikes else None
        if look is not None and look[1] + self.lookalike_margin >= best[1]:
            return None
        return entry, best[1] / 100.0

    def __call__(self, doc: Doc) -> Doc:
        covered = doc.user_data.get("covered", set())
        found = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        words = doc.user_data.get("words") or [t.text for t in doc]
        for i, text in enumerate(words):
            # cheap string tests first: most tokens in a window are ordinary words
            if len(text) < self.min_length or i in covered or not any(m in text for m in FUZZY_MORPHEMES):
                continue
            if not text.isalnum() or sum(c.isalpha() for c in text) < self.min_length:
                continue  # letters with a stray leet digit ("4cetylfentanyl") are tried; numbers are not
            candidates = [(i, i + 1, text)]
            # "acetyl fentanil": try the word joined to its neighbour too, and keep the better match
            if i > 0 and words[i - 1].isalpha() and i - 1 not in covered:
                candidates.append((i - 1, i + 1, words[i - 1] + text))
            best = None
            for start, end, word in candidates:
                r = self._best(word)
                if r and (best is None or r[1] > best[2][1] or (r[1] == best[2][1] and end - start > best[1] - best[0])):
                    best = (start, end, r)
            if best is None:
                continue
            start, end, (entry, sim) = best
            span = Span(doc, start, end, label=entry.label, span_id=entry.substance_id or "")
            span._.fw = {"method": "fuzzy-name", "name": entry.text, "ambiguous": False, "similarity": sim}
            found.append(span)
            covered = covered | set(range(start, end))
        doc.spans[SPANS_KEY] = filter_spans(found)
        return doc


@Language.factory("fentwatch_lexicon")
def make_lexicon_matcher(nlp: Language, name: str) -> LexiconMatcher:
    return LexiconMatcher(nlp, name)


@Language.factory(
    "fentwatch_fuzzy",
    default_config={"min_length": 6, "cutoff": 88.0, "min_raw_ratio": 75.0, "lookalike_margin": 0.0},
)
def make_fuzzy_matcher(nlp: Language, name: str, min_length: int, cutoff: float, min_raw_ratio: float,
                       lookalike_margin: float) -> FuzzyMatcher:
    return FuzzyMatcher(nlp, name, min_length=min_length, cutoff=cutoff, min_raw_ratio=min_raw_ratio,
                        lookalike_margin=lookalike_margin)


def build_pipeline(lex: Lexicon, fuzzy_settings: dict) -> Language:
    """A blank multi-language pipeline with fentwatch's tokenizer and the two name components, initialized."""
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "fentwatch.Tokenizer.v1"}}})
    nlp.add_pipe("fentwatch_lexicon")
    nlp.add_pipe("fentwatch_fuzzy", config={k: fuzzy_settings[k] for k in
                                            ("min_length", "cutoff", "min_raw_ratio", "lookalike_margin")})
    entries = name_entries(lex)
    nlp.get_pipe("fentwatch_lexicon").set_entries(entries)
    nlp.get_pipe("fentwatch_fuzzy").set_entries(entries)
    return nlp
