"""The cheap first look at every listing: literal names and controlled CAS numbers, in one pass per view.

With Hyperscan (Intel's multi-pattern matcher; about 6 us for a 1.6 KB listing) the whole lexicon is one compiled
database per view. Where Hyperscan is not installed (it ships wheels for x86-64 Linux) the same results come from
pyahocorasick and a regular expression, about ten times slower. Only listings with a match here, or with a CAS cue,
a SMILES-shaped token or a "piperid" morpheme, are looked at closely.
"""

from __future__ import annotations

import re

try:  # pragma: no cover - which branch runs depends on the machine
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

import ahocorasick


def _hs_literal(text: str) -> bytes:
    """A Hyperscan pattern matching ``text`` literally (non-ASCII as escaped UTF-8 bytes)."""
    out = []
    for b in text.encode("utf-8"):
        ch = chr(b)
        out.append(ch if ch.isalnum() and b < 128 else f"\\x{b:02x}")
    return "".join(out).encode("ascii")


def byte_to_char(data: bytes, points) -> dict[int, int]:
    """Character offset of each byte offset in ``points`` (at character boundaries) of UTF-8 ``data``, decoding
    each stretch between consecutive points once: decoding the whole prefix for every match was quadratic
    (55 s for a 200,000-character Chinese listing with 40,000 name matches)."""
    out, byte_pos, char_pos = {}, 0, 0
    for p in sorted(set(points)):
        char_pos += len(data[byte_pos:p].decode("utf-8", "ignore"))
        byte_pos = p
        out[p] = char_pos
    return out


def _char_offsets(text: str, data: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if len(data) == len(text):  # ASCII: byte and character offsets agree
        return spans
    chars = byte_to_char(data, [p for span in spans for p in span])
    return [(chars[s], chars[e]) for s, e in spans]


class Prefilter:
    def __init__(self, name_keys: list[str], short_keys: list[str], cas_numbers: list[str]):
        self.name_keys = sorted(set(name_keys))
        self.short_keys = sorted(set(short_keys))
        self.cas_numbers = sorted(set(cas_numbers))
        self.engine = "hyperscan" if hyperscan is not None else "pyahocorasick"
        if hyperscan is not None:
            self._names_db = self._hs_db(
                [_hs_literal(k) for k in self.name_keys] + [b"\\b" + _hs_literal(k) + b"\\b" for k in self.short_keys])
            self._cas_db = self._hs_db([self._cas_pattern(c).encode("ascii") for c in self.cas_numbers])
        else:
            self._automaton = ahocorasick.Automaton()
            for k in self.name_keys:
                self._automaton.add_word(k, len(k))
            self._automaton.make_automaton()
            self._cas_re = re.compile("|".join(f"(?:{self._cas_pattern(c)})" for c in self.cas_numbers))

    @staticmethod
    def _cas_pattern(cas: str) -> str:
        a, b, c = cas.split("-")
        return f"{a} ?- ?{b} ?- ?{c}"

    @staticmethod
    def _hs_db(patterns: list[bytes]):
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                   flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(patterns))
        return db

    @staticmethod
    def _hs_scan(db, data: bytes) -> list[tuple[int, int, int]]:
        found = []

        def on_match(pattern_id, start, end, flags, context):
            found.append((pattern_id, start, end))

        db.scan(data, match_event_handler=on_match)
        return found

    def name_spans(self, words: str) -> list[tuple[int, int]]:
        """Character spans of lexicon names (and fentanyl morphemes) in the ``words`` view."""
        if hyperscan is not None:
            data = words.encode("utf-8")
            spans = [(s, e) for _, s, e in self._hs_scan(self._names_db, data)]
            return _char_offsets(words, data, spans)
        spans = [(end - length + 1, end + 1) for end, length in self._automaton.iter(words)]
        n = len(words)
        for key in self.short_keys:
            i = words.find(key)
            while i != -1:
                j = i + len(key)
                if not (i and words[i - 1].isalnum()) and not (j < n and words[j].isalnum()):
                    spans.append((i, j))
                i = words.find(key, j)
        return spans

    def cas_spans(self, norm: str) -> list[tuple[int, int, str]]:
        """Controlled CAS numbers written in full (hyphens, optionally spaced) in the ``norm`` view."""
        if hyperscan is not None:
            data = norm.encode("utf-8")
            raw = self._hs_scan(self._cas_db, data)
            spans = _char_offsets(norm, data, [(s, e) for _, s, e in raw])
            found = [(s, e, self.cas_numbers[pid]) for (pid, _, _), (s, e) in zip(raw, spans)]
        else:
            found = []
            for m in self._cas_re.finditer(norm):
                digits = re.sub(r"[ ]", "", m.group())
                found.append((m.start(), m.end(), digits))
        n = len(norm)
        return [(s, e, cas) for s, e, cas in found  # not part of a longer number
                if not (s and (norm[s - 1].isdigit() or norm[s - 1] == "-")) and not (e < n and norm[e].isdigit())]
