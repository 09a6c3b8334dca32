"""Repaired readings of systematic names OPSIN cannot read as written (``data/name_repairs.yaml``).

Sources and sellers write systematic names with slips and older habits: a space after a hyphen, a lost bracket,
"N-acetanilido" for "N-phenylacetamido", CAS stereo descriptors glued to locants. A name is repaired only after
OPSIN failed on it as written, and a repair is accepted only when every reading that parses gives one and the same
structure: two readings that parse to two structures are a guess, and the name stays unread.
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


def bracket_readings(name: str, limit: int) -> list[str]:
    """Readings with one bracket put in where a name part starts or ends, or one bracket taken out, that make the
    brackets pair up; none when they already do."""
    opens = sum(name.count(c) for c in CLOSERS)
    shut = sum(name.count(c) for c in OPENERS)
    if opens == shut and _depth_ok(name):
        return []
    out: list[str] = []
    if shut >= opens:  # a lost opening bracket, or one closing bracket too many
        out += [name[:i] + "(" + name[i:] for i in range(len(name)) if i == 0 or name[i - 1] == "-"]
    if opens >= shut:  # a lost closing bracket, or one opening bracket too many
        out += [name[:i] + ")" + name[i:] for i in range(1, len(name) + 1) if i == len(name) or name[i] == "-"]
    out += [name[:i] + name[i + 1:] for i, ch in enumerate(name) if ch in OPENERS or ch in CLOSERS]
    return [r for r in out if _depth_ok(r)][:limit]


def readings(name: str) -> list[str]:
    """Repaired readings of a name that failed as written, in a fixed order, without the name itself."""
    limit = repair_data()["brackets"]["max_readings"]
    base = rewrite(name)
    out = [base] if base != name else []
    for n in dict.fromkeys((base, name)):
        out += bracket_readings(n, limit)
    return [r for r in dict.fromkeys(out) if r != name][: limit + 1]


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
        parsed: dict[str, str] = {}
        for r in rs:
            if got.get(r) and (key := _canonical(got[r])) is not None:
                parsed.setdefault(key, r)
        if len(parsed) == 1:
            reading = next(iter(parsed.values()))
            smiles_by_name[name] = got[reading]
            read_as[name] = reading
    return read_as
