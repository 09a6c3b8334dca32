"""SMILES, InChI and InChIKey strings in listing text.

SMILES candidates are whitespace-delimited tokens made only of SMILES characters that also look like SMILES
(brackets, bonds or ring closures next to atoms); molecular formulas, URLs and plain words are skipped before RDKit
is asked, since rejecting a string in RDKit still costs about 10 microseconds.
"""

from __future__ import annotations

import re

from .fastscan import literal_positions
from .normalize import non_ascii

SMILES_CHARS_RE = re.compile(r"[A-Za-z0-9@+\-\[\]()=#$/\\%.*]+")
# Characters that plain words rarely have but SMILES nearly always do: a bond, a bracket atom, a branch right after
# an atom, or a ring closure after an aromatic or ring atom. str.find skips to them at memchr speed; a regex with a
# character class up front would test every position in Python's re (about 35 us a listing instead of 3).
RARE_MARKS = ("=", "#", "[", "c1", "C1", "N1", "n1", "c2", "C2", "O1")


# the same positions in one Hyperscan pass on ASCII text (detect/fastscan.py; tests/test_fastscan.py compares)
_FAST_MARKS = literal_positions(RARE_MARKS, after_non_space="(")


def _marks(text: str) -> list[int]:
    if _FAST_MARKS is not None:
        if text.isascii():
            return _FAST_MARKS(text)
        if not any(c.isspace() for c in set(non_ascii(text))):
            # the marks are ASCII and "(" counts after anything but whitespace: with no non-ASCII whitespace, the
            # text with each non-ASCII character as "?" (one byte each: positions kept) has the same marks
            return _FAST_MARKS.in_bytes(text.encode("ascii", "replace"))
    return _marks_python(text)


def _marks_python(text: str) -> list[int]:
    """The marks' positions by ``str.find`` (non-ASCII text, or no Hyperscan); the Hyperscan form must agree."""
    found = []
    for mark in RARE_MARKS:
        i = text.find(mark)
        while i != -1:
            found.append(i)
            i = text.find(mark, i + 1)
    i = text.find("(")
    while i != -1:
        if i and not text[i - 1].isspace():  # "CC(" yes; "Nicotinamide (Niacinamide)" no
            found.append(i)
        i = text.find("(", i + 1)
    return sorted(found)


LOOKS_RE = re.compile(r"[()=\[\]#]|[cnos][1-9]|[CNO][1-9]|[1-9][cnosCNO]")
# "C22H28N2O.HCl", "2H2O": digits only after an element, plus one leading count per dot-part. (Written as
# "(?:\d*[A-Z][a-z]?\d*)+" the digits between two elements could be split either way, and a long formula-like
# token that fails at its end backtracked exponentially: tests/test_hardening.py.)
FORMULA_RE = re.compile(r"^(?:[A-Z][a-z]?\d*)+(?:[.·]\d*(?:[A-Z][a-z]?\d*)+)*$")
ATOM_RE = re.compile(r"Cl|Br|[BCNOPSFI]|[cnops]|\[[^\]\[]+\]")  # no "[" inside: "[[[..." is linear, not n^2
INCHI_RE = re.compile(r"InChI=1S?/[A-Za-z0-9.+\-/(),;?*]+")
INCHIKEY_RE = re.compile(r"[A-Z]{14}-[A-Z]{8}[SN]A-[A-Z]")


ELEMENT_RE = re.compile(r"[A-Z][a-z]?")
_PARTS_RE = re.compile(r"[.·]")  # compiled once: re.split(pattern) looked it up in re's cache at every formula


def is_formula(tok: str) -> bool:
    """A molecular formula ("C22H28N2O.HCl"): element counts, each element once per part. "C1CNCCC12OCCO2" reads
    like one but repeats its elements: it is a SMILES (4-piperidone's ethylene ketal)."""
    if not FORMULA_RE.match(tok):
        return False
    return all(len(els) == len(set(els)) for els in (ELEMENT_RE.findall(p) for p in _PARTS_RE.split(tok)))


def smiles_candidates(text: str, limit: int = 50) -> list[tuple[str, int, int]]:
    out = []
    last_end = -1
    for pos in _marks(text):
        if pos < last_end:
            continue
        # "SMILES:CCC(=O)..." (a full-width colon folds to ":"): a colon ends the label, not part of the SMILES
        start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos), text.rfind(":", 0, pos)) + 1
        end = len(text)
        for sep in (" ", "\n"):
            j = text.find(sep, pos)
            if j != -1 and j < end:
                end = j
        last_end = end
        tok = text[start:end]
        while tok and tok[-1] in ".,;:":  # sentence punctuation after the SMILES
            tok, end = tok[:-1], end - 1
        if len(tok) < 6 or not SMILES_CHARS_RE.fullmatch(tok) or not LOOKS_RE.search(tok) or is_formula(tok):
            continue
        if "//" in tok or tok.lower().startswith(("http", "www")) or tok.count("-") > len(tok) // 3:
            continue
        if len(ATOM_RE.findall(tok)) < 5:
            continue
        out.append((tok, start, end))
        if len(out) >= limit:
            break
    return out


def inchi_candidates(text: str) -> list[tuple[str, int, int]]:
    if "InChI=" not in text:
        return []
    return [(m.group().rstrip(".,;"), m.start(), m.start() + len(m.group().rstrip(".,;"))) for m in INCHI_RE.finditer(text)]


def inchikey_candidates(text: str) -> list[tuple[str, int, int]]:
    if "A-" not in text:  # every standard InChIKey has "SA-" or "NA-" in it
        return []
    return [(m.group(), m.start(), m.end()) for m in INCHIKEY_RE.finditer(text)
            if not (m.start() and text[m.start() - 1].isalpha()) and not text[m.end():m.end() + 1].isalpha()]
