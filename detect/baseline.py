"""The keyword-blacklist baseline a platform typically runs: case-insensitive substring search for every lexicon
name (common, abbreviation, code, Chinese, Spanish, French, misspelling; not systematic names) and every hyphenated
CAS number. fentwatch is measured against it on the same corpus."""

from __future__ import annotations

import ahocorasick

from lexicon import Lexicon


class KeywordBlacklist:
    def __init__(self, lex: Lexicon):
        self.automaton = ahocorasick.Automaton()
        for s in lex.substances:
            for n in s.all_names():
                if n.kind != "systematic":  # keyword lists hold names, not IUPAC names
                    self.automaton.add_word(n.text.lower(), s.id)
            for cas in s.cas_numbers:
                self.automaton.add_word(cas, s.id)
        self.automaton.make_automaton()

    def substances(self, text: str) -> set[str]:
        return {sid for _, sid in self.automaton.iter(text.lower())}

    def flags(self, listing: dict) -> bool:
        text = f"{listing.get('title') or ''}\n{listing.get('text') or ''}"
        return bool(self.substances(text))
