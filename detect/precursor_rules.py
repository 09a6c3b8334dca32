"""Precursor classes as the law words them: "4-AP, its amides, its carbamates, and its salts", "4-piperidone, its
acetals, its amides, its carbamates ...". The SMARTS, the wording and the instruments live in
``data/precursor_rules.yaml``; this module only matches them.

A molecule is a member of a class when the class's core (the named chemical, hydrogens spelled out) matches and
every site the wording lets change is either as in the named chemical or carries exactly one allowed form. Each
form found names a clause (``US-ListI-4AP(carbamate)``); the atoms of the core and of each form are returned too,
so that the structure depiction can draw them like the fentanyl clauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdkit import Chem

from .config import read_data_yaml


@lru_cache(maxsize=1)
def precursor_data() -> dict:
    return read_data_yaml("precursor_rules.yaml")


@dataclass(frozen=True)
class _Class:
    id: str
    core: Chem.Mol
    sites: dict[int, tuple[bool, tuple[str, ...]]]  # map number -> (may be bare, allowed forms)
    unnamed: frozenset[str]                          # forms that are the named chemical itself (4-piperidone's C=O)


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[_Class], dict[str, Chem.Mol]]:
    data = precursor_data()
    forms = {name: Chem.MolFromSmarts(f["smarts"]) for name, f in data["forms"].items()}
    classes = []
    for cid, c in data["classes"].items():
        sites = {int(k): (bool(v.get("bare", True)), tuple(v["forms"])) for k, v in c["sites"].items()}
        classes.append(_Class(cid, Chem.MolFromSmarts(c["core"]), sites, frozenset(c.get("unnamed_forms", ()))))
    return classes, forms


@dataclass(frozen=True)
class PrecursorMatch:
    class_id: str                                    # US-ListI-4AP
    forms: tuple[str, ...]                           # ("carbamate",), () for the named chemical itself
    atoms: dict[str, frozenset[int]] = field(default_factory=dict)  # clause -> atoms (core under the class id)

    def rules(self, salt: bool = False) -> list[str]:
        forms = list(self.forms) + (["salt"] if salt else [])
        return [f"{self.class_id}({f})" for f in forms] or [self.class_id]


def _form_at(mol: Chem.Mol, site: int, outside: set[int], allowed: tuple[str, ...], forms: dict[str, Chem.Mol]) \
        -> tuple[str, frozenset[int]] | None:
    """The one allowed form whose neighbours of the site are exactly the site's neighbours outside the core."""
    for name in allowed:
        for m in mol.GetSubstructMatches(forms[name], uniquify=False, maxMatches=50):
            if m[0] != site:
                continue
            near = {i for i in m[1:] if mol.GetBondBetweenAtoms(site, i) is not None}
            if near == outside:
                return name, frozenset(m)
    return None


def match_precursor(mol: Chem.Mol | None) -> PrecursorMatch | None:
    """The precursor class the (parent) molecule belongs to, or None."""
    if mol is None:
        return None
    classes, forms = _compiled()
    for cls in classes:
        for m in mol.GetSubstructMatches(cls.core, uniquify=False, maxMatches=20):
            core_atoms = set(m)
            by_map = {a.GetAtomMapNum(): m[a.GetIdx()] for a in cls.core.GetAtoms() if a.GetAtomMapNum()}
            found: list[str] = []
            atoms: dict[str, frozenset[int]] = {cls.id: frozenset(m)}
            ok = True
            for num, (may_be_bare, allowed) in cls.sites.items():
                site = by_map[num]
                outside = {nb.GetIdx() for nb in mol.GetAtomWithIdx(site).GetNeighbors()
                           if nb.GetIdx() not in core_atoms}
                if not outside:
                    ok = may_be_bare
                else:
                    hit = _form_at(mol, site, outside, allowed, forms)
                    if hit is None:
                        ok = False
                    else:
                        name, form_atoms = hit
                        if name not in cls.unnamed:
                            found.append(name)
                            atoms[f"{cls.id}({name})"] = form_atoms
                if not ok:
                    break
            if ok:
                return PrecursorMatch(cls.id, tuple(sorted(set(found))), atoms)
    return None


def instrument(class_id: str) -> dict:
    """The instrument entry of a class (jurisdiction, instrument, wording, source)."""
    return precursor_data()["instruments"][class_id]


def clause_note(rule: str) -> str:
    """A short explanation of a rule id such as ``US-ListI-4AP(carbamate)``."""
    cid, _, form = rule.partition("(")
    form = form.rstrip(")")
    wording = instrument(cid)["wording"]
    if form == "salt":
        return f"a salt of a member of: {wording}"
    if form:
        return f"{precursor_data()['forms'][form]['note']}; class: {wording}"
    return wording
