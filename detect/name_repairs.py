"""Repaired readings of systematic names OPSIN cannot read as written (``data/name_repairs.yaml``).

Sources and sellers write systematic names with slips and older habits: a space after a hyphen, a lost bracket,
"N-acetanilido" for "N-phenylacetamido", CAS stereo descriptors glued to locants. A name is repaired only after
OPSIN failed on it as written, and a repair is accepted only when every reading that parses gives one and the same
structure: two readings that parse to two structures are a guess, and the name stays unread, unless the two come
from a lost bracket and exactly one of them puts it nearest its partner (the shortest part closed off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem, RDLogger

from .config import read_data_yaml

OPENERS = {")": "(", "]": "[", "}": "{"}
CLOSERS = {v: k for k, v in OPENERS.items()}


@dataclass(frozen=True)
class _Rewrite:
    id: str
    pattern: re.Pattern
    replace: str


@lru_cache(maxsize=1)
def repair_data() -> dict:
    return read_data_yaml("name_repairs.yaml")


@lru_cache(maxsize=1)
def _rewrites() -> tuple[_Rewrite, ...]:
    return tuple(_Rewrite(r["id"], re.compile(r["pattern"]), r["replace"]) for r in repair_data()["rewrites"])


def rewrite(name: str) -> str:
    """The name with every uniform rewrite rule applied (the name itself when none applies)."""
    for r in _rewrites():
        name = r.pattern.sub(r.replace, name)
    return name


def _depth_ok(name: str) -> bool:
    """Every bracket has a partner, counting "(", "[" and "{" alike (OPSIN reads "N-[1-(...)piperidin-4-yl)")."""
    depth = 0
    for ch in name:
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _bracket_edits(name: str) -> list[tuple[str, int | None]]:
    """One-bracket readings of a name whose brackets do not pair up, each with the length of the span its new
    bracket encloses (None for a reading that takes a bracket out)."""
    opens = sum(name.count(c) for c in CLOSERS)
    shut = sum(name.count(c) for c in OPENERS)
    if opens == shut and _depth_ok(name):
        return []
    out: list[tuple[str, int | None]] = []
    if shut >= opens:  # a lost opening bracket, or one closing bracket too many
        out += [(name[:i] + "(" + name[i:], i) for i in range(len(name)) if i == 0 or name[i - 1] == "-"]
    if opens >= shut:  # a lost closing bracket, or one opening bracket too many
        out += [(name[:i] + ")" + name[i:], i) for i in range(1, len(name) + 1) if i == len(name) or name[i] == "-"]
    out = [(r, _enclosed(r, i)) for r, i in out]
    out += [(name[:i] + name[i + 1:], None) for i, ch in enumerate(name) if ch in OPENERS or ch in CLOSERS]
    return [(r, span) for r, span in out if _depth_ok(r)]


_LOCANT_HYPHEN = re.compile(r"(?:\d|(?<![A-Za-z])[NOS]|[α-ω])'*-$")
_OWN_LOCANT = re.compile(r"(?<![A-Za-z])(?:\d|N)'*-|[(\[{]")


def _enclosed(reading: str, at: int) -> int | None:
    """How many characters lie between the bracket put in at ``at`` and its partner (brackets of any kind pair), when
    the bracket sits where IUPAC puts one: an opening bracket at the start or after a locant and its hyphen
    ("1-[", "N-("), around a compound part (one with its own locant or bracket: "(2-thienyl)ethyl", not "piperidinyl").
    None where it does not."""
    if reading[at] in CLOSERS and at and not _LOCANT_HYPHEN.search(reading[:at]):
        return None
    depth, step = 0, 1 if reading[at] in CLOSERS else -1
    i = at
    while 0 <= i < len(reading):
        ch = reading[i]
        depth += (ch in CLOSERS) - (ch in OPENERS) if step == 1 else (ch in OPENERS) - (ch in CLOSERS)
        if depth == 0:
            inside = reading[min(i, at) + 1:max(i, at)]
            return len(inside) if _OWN_LOCANT.search(inside) else None
        i += step
    return None


def bracket_readings(name: str, limit: int) -> list[str]:
    """Readings with one bracket put in where a name part starts or ends, or one bracket taken out, that make the
    brackets pair up; none when they already do."""
    return [r for r, _ in _bracket_edits(name)][:limit]


def readings(name: str) -> list[str]:
    """Repaired readings of a name that failed as written, in a fixed order, without the name itself."""
    return list(_spans(name))


@lru_cache(maxsize=4096)
def _spans(name: str) -> dict[str, int | None]:
    """``readings`` with, for each, the span its new bracket encloses (None: no bracket put in)."""
    limit = repair_data()["brackets"]["max_readings"]
    base = rewrite(name)
    out: dict[str, int | None] = {base: None} if base != name else {}
    for n in dict.fromkeys((base, name)):
        for r, span in _bracket_edits(n)[:limit]:
            out.setdefault(r, span)
    out.pop(name, None)
    return dict(list(out.items())[: limit + 1])


def _nearest(name: str, parsed: dict[str, list[str]]) -> str | None:
    """Where the readings of a lost bracket give more than one structure: the structure whose reading puts the
    bracket nearest its partner (the shortest substituent closed off, "1-[(2-thienyl)ethyl]" before
    "3-[methyl-1-(2-thienyl)ethyl]"), when exactly one reading does; None otherwise."""
    spans = _spans(name)
    best = {key: min((spans[r] for r in rs if spans.get(r) is not None), default=None) for key, rs in parsed.items()}
    ranked = sorted((s, key) for key, s in best.items() if s is not None)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _canonical(smiles: str) -> str | None:
    RDLogger.DisableLog("rdApp.*")
    mol = Chem.MolFromSmiles(smiles)
    return Chem.MolToSmiles(mol) if mol is not None else None


def repair_failed(convert, smiles_by_name: dict[str, str | None]) -> dict[str, str]:
    """Fill in ``smiles_by_name`` for names that failed, where exactly one structure comes out of their repaired
    readings; ``convert`` is the OPSIN call (names -> SMILES or None), made once for all readings. Returns each
    repaired name's accepted reading."""
    todo = {n: rs for n in smiles_by_name if not smiles_by_name[n] and (rs := readings(n))}
    if not todo:
        return {}
    flat = sorted({r for rs in todo.values() for r in rs})
    got = dict(zip(flat, convert(flat)))
    read_as: dict[str, str] = {}
    for name, rs in todo.items():
        parsed: dict[str, list[str]] = {}
        for r in rs:
            if got.get(r) and (key := _canonical(got[r])) is not None:
                parsed.setdefault(key, []).append(r)
        if len(parsed) == 1:
            reading = next(iter(parsed.values()))[0]
        elif parsed and (key := _nearest(name, parsed)) is not None:
            spans = _spans(name)
            reading = min((r for r in parsed[key] if spans[r] is not None), key=lambda r: spans[r])
        else:
            continue
        smiles_by_name[name] = got[reading]
        read_as[name] = reading
    return read_as
