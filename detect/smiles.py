"""SMILES, InChI and InChIKey strings in listing text.

SMILES candidates are whitespace-delimited tokens made only of SMILES characters that also look like SMILES
(brackets, bonds or ring closures next to atoms); molecular formulas, URLs and plain words are skipped before RDKit
is asked, since rejecting a string in RDKit still costs about 10 microseconds.
"""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"[A-Za-z0-9@+\-\[\]()=#$/\\%.*]{6,}")
LOOKS_RE = re.compile(r"[()=\[\]#]|[cnos][1-9]|[CNO][1-9]|[1-9][cnosCNO]")
FORMULA_RE = re.compile(r"^(?:[A-Z][a-z]?\d*)+(?:[.·](?:\d*[A-Z][a-z]?\d*)+)*$")
ATOM_RE = re.compile(r"Cl|Br|[BCNOPSFI]|[cnops]|\[[^\]]+\]")
INCHI_RE = re.compile(r"InChI=1S?/[A-Za-z0-9.+\-/(),;?*]+")
INCHIKEY_RE = re.compile(r"(?<![A-Z])[A-Z]{14}-[A-Z]{8}[SN]A-[A-Z](?![A-Z])")


def smiles_candidates(text: str, limit: int = 50) -> list[tuple[str, int, int]]:
    out = []
    for m in TOKEN_RE.finditer(text):
        tok = m.group()
        start, end = m.start(), m.end()
        while tok and tok[-1] in ".,;:":  # sentence punctuation after the SMILES
            tok, end = tok[:-1], end - 1
        if len(tok) < 6 or not LOOKS_RE.search(tok) or FORMULA_RE.match(tok):
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
    return [(m.group(), m.start(), m.end()) for m in INCHIKEY_RE.finditer(text)]
