"""Fentanyl-family structures that no coded instrument covers (``data/family_rules.yaml``).

A structure that is not a lexicon substance and meets no class rule and no precursor class rule may still be a
fentanyl-family structure: a ring analog of 4-ANPP, a norfentanyl analog, fentanyl N-oxide. This module only says
so, with the family's title; it claims no clause. The hit that carries it has no legal basis and a lower score
(``[legal] no_basis_factor``): flagged for review, never given a clause it does not meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem

from .classrules import _ring_of, is_monocycle
from .config import read_data_yaml


@lru_cache(maxsize=1)
def family_data() -> dict:
    return read_data_yaml("family_rules.yaml")


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    pattern: Chem.Mol
    aryl: str


@lru_cache(maxsize=1)
def _families() -> tuple[Family, ...]:
    return tuple(Family(fid, f["title"], Chem.MolFromSmarts(f["smarts"]), f.get("aryl", ""))
                 for fid, f in family_data()["families"].items())


def _aryl_ok(mol: Chem.Mol, match: tuple[int, ...], pattern: Chem.Mol, kind: str) -> bool:
    if kind != "aromatic-monocycle":
        return True
    aryl = next(match[a.GetIdx()] for a in pattern.GetAtoms() if a.GetAtomMapNum() == 1)
    ring = _ring_of(mol, aryl, (5, 6))
    return ring is not None and is_monocycle(mol, ring) and all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring)


def match_family(mol: Chem.Mol | None) -> Family | None:
    """The first family whose scaffold the (parent) molecule has, or None."""
    if mol is None:
        return None
    for fam in _families():
        for m in mol.GetSubstructMatches(fam.pattern, maxMatches=20):
            if _aryl_ok(mol, m, fam.pattern, fam.aryl):
                return fam
    return None
