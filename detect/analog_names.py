"""Name hits from the fentanyl nomenclature parser, merged with the lexicon's and the fuzzy matcher's.

For one passage around a prefilter match, ``AnalogNames.revise`` takes the name hits the spaCy components found and
the names ``fentanyl_names.read_names`` read, and decides:

- a lexicon name that covers the whole name read wins ("acetylfentanyl" stays the lexicon's acetylfentanyl);
- a name the parser reads replaces the shorter name and fuzzy hits inside it ("β-hydroxy fentanyl" is not fentanyl,
  "2-methylfentanyl" is not 3-methylfentanyl): method ``analog-name``, with the structure's InChIKey, formula and
  clauses; a lexicon substance with the same structure is named as that substance;
- a word with the WHO INN stem -fentanil that nothing resolves: method ``inn-stem``, no structure claimed;
- any other fentanyl-stem name that nothing resolves: "unresolved fentanyl-family name", method ``unresolved-name``,
  no InChIKey; a fuzzy hit on it survives only when it is a misspelling of the fuzzy target (the text before the
  stem matches the target's), never for "3-allylfentanyl" -> alfentanil.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from lexicon import Lexicon

from .classrules import classify
from .fentanyl_names import Nomenclature, Reading, nomenclature
from .normalize import _LEET as LEET, Normalized, in_other_script, lowered_aligned, normalize_name
from .result import Hit
from .transliterate import unread_letters_after

METHODS = ("analog-name", "inn-stem", "unresolved-name")
UNRESOLVED = "unresolved fentanyl-family name"
# prefilter keys the lexicon may lack: every stem as the words view writes it ("фентанил" with its Latin look-alikes
# folded is "фeнтaнил")
PREFILTER_KEYS = tuple(sorted({normalize_name(w) for w in nomenclature().stems + nomenclature().family_words}
                              | {a for a in nomenclature().abbreviations if len(a) >= 4}))
# vendor abbreviations under four characters ("ff", "ibf", "maf"): matched as whole words only
PREFILTER_SHORT_KEYS = tuple(sorted(a for a in nomenclature().abbreviations if len(a) < 4))
MISSPELLING_CUTOFF = 88  # rapidfuzz ratio between the text before the stem and the fuzzy target's


class AnalogNames:
    def __init__(self, lex: Lexicon, method_score: dict, nom: Nomenclature | None = None, memo_size: int = 4096):
        self.lex = lex
        self.nom = nom or nomenclature()
        self.score = method_score
        # the names read in a passage, remembered per passage text (a read depends on the text alone; marketplaces
        # repeat product lines): bounded, and compared with the uncached read by tests/test_positive_forms.py
        self._lowered: tuple[str | None, str] = (None, "")  # the last listing's text and its lowercase
        self._readings = lru_cache(maxsize=memo_size)(lambda text: tuple(self.nom.read_names(text)))
        self._prefixes: dict[str, list[str]] = {}  # per substance on first use: set-up stays flat as the lexicon grows

    def _name_prefixes(self, substance_id: str) -> list[str]:
        """The text before the stem in each name of a substance, for the misspelling guard."""
        if substance_id not in self._prefixes:
            out = []
            sub = self.lex.by_id.get(substance_id)
            for n in sub.all_names() if sub else ():
                key = re.sub(r"[\s\-]", "", normalize_name(n.text))
                m = self.nom.stem_re.search(key)
                if m:
                    out.append(key[:m.start()])
            self._prefixes[substance_id] = out
        return self._prefixes[substance_id]

    def _is_misspelling(self, stem_word: str, h: Hit) -> bool:
        key = re.sub(r"[\s\-]", "", stem_word)
        m = self.nom.stem_re.search(key)
        prefix = (key[:m.start()] if m else key).translate(LEET)  # "4cetyl" is "acetyl" written in leetspeak
        # a grammar word the target lacks is no slip of the pen: "tetramethylcyclopropylfentanyl" is not
        # "paramethylcyclopropylfentanyl"
        words = [w for w in self.nom.modifier_words if len(w) >= 4 and w in prefix]
        return any(prefix == p or (prefix and p and fuzz.ratio(prefix, p) >= MISSPELLING_CUTOFF
                                   and not any(w not in p for w in words))
                   for p in self._name_prefixes(h.substance_id or ""))

    def _parsed_hit(self, r: Reading, full: str, s: int, e: int) -> Hit:
        st = r.parsed.structure
        sub = self.lex.by_inchikey.get(st.inchikey)
        if sub is None:  # stereo left out of a name: the first block of the InChIKey still names the substance
            block = st.inchikey.split("-")[0]
            sub = next((x for x in self.lex.substances if x.inchikey.startswith(block)), None)
        rules = classify(st.mol).rules()
        read = ", ".join(r.parsed.pieces) or "no modification"
        note = f"read as {r.parsed.parent} with {read}: {st.smiles}"
        if sub is not None:
            return Hit(sub.name, sub.category, sub.inchikey, "analog-name", full[s:e], s, e, rules,
                       self.score["analog-name"], sub.id, note=f"{note}; structure identical to {sub.name}")
        what = "fentanyl analog" if r.parsed.category == "fentanyl-like" else "4-ANPP analog"
        return Hit(f"unlisted {what} ({st.formula})", r.parsed.category, st.inchikey, "analog-name", full[s:e],
                   s, e, rules, self.score["analog-name"], None, note=note)

    def guard(self, hits: list[Hit], full: str) -> list[Hit]:
        """Never the wrong substance: a fentanyl-family lexicon or fuzzy hit with a word next to it that changes
        the compound and that nothing read ("4-methoxy Fu-F", "Fu-F ... analog") claims no structure: it becomes
        an unresolved fentanyl-family name over the whole group."""
        low = None
        out = []
        for h in hits:
            if h.method not in ("name", "fuzzy-name") or h.category != "fentanyl-like":
                out.append(h)
                continue
            low = low if low is not None else self._lower(full)
            s = self.nom.modifier_before(low, h.start)
            e = self.nom.analog_tail(low, h.end)
            if s is None and e == h.end:
                out.append(h)
                continue
            s = h.start if s is None else s
            out.append(Hit(UNRESOLVED, "fentanyl-like", None, "unresolved-name", full[s:e], s, e, [],
                           self.score["unresolved-name"], None,
                           note=f"'{h.matched}' ({h.substance}) with words next to it that change the compound, "
                                "not read"))
        return out

    def _lower(self, full: str) -> str:
        """full lowered, one character for one (the hits' offsets are full's), once per listing: every passage of a
        listing is guarded against the same text."""
        if self._lowered[0] is not full:
            self._lowered = (full, lowered_aligned(full))
        return self._lowered[1]

    def revise(self, hits: list[Hit], passage: str, offset: int, norm: Normalized, full: str) -> list[Hit]:
        """``hits``: the name hits of one passage (offsets in ``full``); ``passage`` = words view [offset:...]."""
        return self.guard(self._revise(hits, passage, offset, norm, full), full)

    def _revise(self, hits: list[Hit], passage: str, offset: int, norm: Normalized, full: str) -> list[Hit]:
        readings = self._readings(passage)  # self.nom.read_names(passage), remembered
        if not readings:
            return hits
        out = list(hits)
        for r in readings:
            s, e = norm.words.span(r.start + offset, r.end + offset)
            name_end = norm.words.span(r.start + offset, r.name_end + offset)[1]
            covering = [h for h in out if h.method == "name" and h.start <= s and h.end >= name_end]
            if covering and r.kind == "parsed" and in_other_script(full[s:e]) and all(
                    h.inchikey and h.inchikey[:14] == r.parsed.structure.inchikey[:14] for h in covering):
                covering = []  # a name in Cyrillic or Armenian letters: the parser's reading (same structure) says how
            if covering:
                continue  # the lexicon knows the whole name
            inside = [h for h in out if h.start < e and s < h.end and h.method in ("name", "fuzzy-name")]
            unread = unread_letters_after(full, s, e)  # "فنتانیلٹ": only part of the word read (transliterate.py)
            if r.kind == "parsed" and not unread:
                out = [h for h in out if h not in inside]
                out.append(self._parsed_hit(r, full, s, e))
                continue
            # chemical words before the stem word that nothing read ("despropionyl reminfentanil"): no misspelling
            misspelt = [h for h in inside if h.method == "fuzzy-name" and r.start >= r.stem_start
                        and self._is_misspelling(r.stem, h)]
            if misspelt and not unread:
                continue  # "carfentanyle": a seller's misspelling of a lexicon name
            out = [h for h in out if h not in inside]
            if r.kind == "inn-stem" and not in_other_script(full[s:e]):  # an INN is a Latin word, not a transliterated one
                out.append(Hit(f"unlisted -fentanil INN ({r.stem})", "fentanyl-like", None, "inn-stem", full[s:e], s, e,
                               [], self.score["inn-stem"], None,
                               note="WHO INN stem -fentanil: opioid receptor agonists, fentanyl derivatives"))
            else:
                out.append(Hit(UNRESOLVED, "fentanyl-like", None, "unresolved-name", full[s:e], s, e, [],
                               self.score["unresolved-name"], None,
                               note=f"carries the fentanyl stem '{r.stem}'; the name was not read"))
        return out
