"""CAS Registry Numbers in listing text: full numbers (check digit validated) and cut-short or unhyphenated ones.

Full numbers are found anywhere (hyphenated; spaces around the hyphens allowed) by the prefilter. Digit runs without hyphens and
space-separated numbers count only right after a CAS cue ("CAS", "CAS No.", "CAS#", "CAS号"), because bare digit
runs are usually phone numbers or prices. A number that fails the check digit is never a CAS hit, and never a
partial one either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lexicon import Lexicon
from lexicon.cas import cas_from_digits, cas_is_valid

from .normalize import lowered_aligned

# matched on the lowercased text at each "cas" found with str.find
CUE_RE = re.compile(
    r"cas(?:[ .]*(?:no|number|rn|reg(?:istry)?\.? ?no)\b)?[ .:#：号\-]*"
    r"(?:(\d{2,7})[ ._/](\d{2})[ ._/](\d)(?![\d\-])|(\d{4,10})(?![\d\-])|(\d{2,7}-\d{2})(?![\d\-]))"
)


@dataclass(frozen=True)
class CasMatch:
    cas: str          # the controlled CAS number it points to
    method: str       # cas | partial-cas | partial-cas-prefix
    start: int        # offsets in the text searched (the ``norm`` view)
    end: int


class CasFinder:
    def __init__(self, lex: Lexicon):
        self.controlled = set(lex.by_cas)
        self.digits = {c.replace("-", ""): c for c in self.controlled}

    def _prefix(self, run: str) -> str | None:
        """The one controlled CAS whose digits start with ``run`` (at least its whole registry part), else None."""
        found = {cas for digits, cas in self.digits.items() if digits.startswith(run) and len(run) < len(digits)}
        if len(found) != 1:
            return None
        cas = found.pop()
        return cas if len(run) >= len(cas.split("-")[0]) else None

    def _shared_registry_part(self, run: str) -> list[str]:
        """Every controlled CAS whose registry part is exactly ``run`` when there are several ("42045" is both
        3-methylfentanyl's 42045-86-3 and phenaridine's 42045-97-6): each is a candidate, none is chosen."""
        found = sorted(cas for cas in self.controlled if cas.split("-")[0] == run)
        return found if len(found) > 1 else []

    def find(self, text: str, full_spans: list[tuple[int, int, str]]) -> list[CasMatch]:
        """CAS hits in ``text``. ``full_spans`` are the controlled numbers written in full, which the prefilter
        (``Prefilter.cas_spans``) finds in the same pass as the names; this adds the ones that follow a CAS cue."""
        out = [CasMatch(cas, "cas", s, e) for s, e, cas in full_spans]
        low = lowered_aligned(text)  # the scan has lowered this very text already (remembered: detect/normalize.py)
        i = low.find("cas")
        while i != -1:
            m = None if (i and low[i - 1].isalpha()) else CUE_RE.match(low, i)
            i = low.find("cas", i + 3)
            if m is None:
                continue
            if m.group(1):
                cas = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
                if cas in self.controlled and cas_is_valid(cas):
                    out.append(CasMatch(cas, "cas", m.start(1), m.end(3)))
                continue
            if m.group(5):  # "CAS 21409-26": hyphenated, check digit left off
                cas = self._prefix(m.group(5).replace("-", ""))
                if cas is not None and cas.startswith(m.group(5)):
                    out.append(CasMatch(cas, "partial-cas-prefix", m.start(5), m.end(5)))
                continue
            run = m.group(4)
            full = cas_from_digits(run)
            if full is not None and full in self.controlled:
                out.append(CasMatch(full, "partial-cas", m.start(4), m.end(4)))
                continue
            # a cut-short number: the run must cover a controlled CAS's whole registry part. One run in ten
            # also passes the check digit by chance ("21409" reads as 21-40-9), so that does not rule it out.
            cas = self._prefix(run)
            if cas is not None:
                out.append(CasMatch(cas, "partial-cas-prefix", m.start(4), m.end(4)))
            for cas in self._shared_registry_part(run):
                out.append(CasMatch(cas, "partial-cas-prefix", m.start(4), m.end(4)))
        return out
