"""Structural class definitions of fentanyl-like substances (China 2019, US fentanyl-related substances).

The molecule is cut into the four parts of fentanyl's 4-anilidopiperidine scaffold; each part is compared with
fentanyl's and each difference is matched to the clause that allows it. One small function per clause kind keeps
each legal clause testable on its own. The clause texts and the scaffold SMARTS live in ``data/class_rules.yaml``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rdkit import Chem

from .config import read_data_yaml

HALOGENS = {"F", "Cl", "Br", "I"}


@lru_cache(maxsize=1)
def rules_data() -> dict:
    return read_data_yaml("class_rules.yaml")


@lru_cache(maxsize=1)
def _core() -> Chem.Mol:
    return Chem.MolFromSmarts(rules_data()["core_smarts"])


# --- cutting the molecule into parts ----------------------------------------------------------------------------

def fragment(mol: Chem.Mol, start: int, blocked: set[int]) -> frozenset[int]:
    """Atoms reachable from ``start`` without entering ``blocked``."""
    seen, stack = {start}, [start]
    while stack:
        for nb in mol.GetAtomWithIdx(stack.pop()).GetNeighbors():
            i = nb.GetIdx()
            if i not in seen and i not in blocked:
                seen.add(i)
                stack.append(i)
    return frozenset(seen)


def _ring_of(mol: Chem.Mol, atom: int, sizes=(5, 6, 7)) -> tuple[int, ...] | None:
    for ring in mol.GetRingInfo().AtomRings():
        if atom in ring and len(ring) in sizes:
            return ring
    return None


def is_monocycle(mol: Chem.Mol, ring: tuple[int, ...]) -> bool:
    info = mol.GetRingInfo()
    return all(info.NumAtomRings(i) == 1 for i in ring)


@dataclass
class Parts:
    piperidine: tuple[int, ...]
    amide_n: int
    acyl: frozenset[int]                      # the group on the carbonyl carbon (empty for formyl)
    aryl_ring: tuple[int, ...]
    aryl_subs: list[frozenset[int]]
    ring_subs: list[tuple[int, frozenset[int]]]  # (ring atom, substituent atoms) on piperidine carbons
    n_sub_root: int | None                     # first atom of the piperidine N-substituent, None for N-H
    n_sub: frozenset[int] = field(default_factory=frozenset)


def cut(mol: Chem.Mol) -> Parts | None:
    """The scaffold parts, or None when the molecule has no 4-anilidopiperidine scaffold with a monocyclic aryl."""
    for m in mol.GetSubstructMatches(_core(), uniquify=False, maxMatches=20):
        pip, n7, a8, c9, o10 = m[:6], m[6], m[7], m[8], m[9]
        ring = _ring_of(mol, a8, (5, 6))
        if ring is None or not is_monocycle(mol, ring) or not all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring):
            continue
        c9_atom = mol.GetAtomWithIdx(c9)
        others = [nb.GetIdx() for nb in c9_atom.GetNeighbors() if nb.GetIdx() not in (n7, o10)]
        acyl = fragment(mol, others[0], {c9}) if others else frozenset()
        pipset = set(pip)
        if acyl & pipset:
            continue
        aryl_subs = [fragment(mol, nb.GetIdx(), set(ring))
                     for i in ring for nb in mol.GetAtomWithIdx(i).GetNeighbors()
                     if nb.GetIdx() not in ring and nb.GetIdx() != n7]
        ring_subs = []
        for i in pip[1:]:
            for nb in mol.GetAtomWithIdx(i).GetNeighbors():
                j = nb.GetIdx()
                if j not in pipset and j != n7:
                    ring_subs.append((i, fragment(mol, j, pipset)))
        n_neighbors = [nb.GetIdx() for nb in mol.GetAtomWithIdx(pip[0]).GetNeighbors() if nb.GetIdx() not in pipset]
        root = n_neighbors[0] if n_neighbors else None
        n_sub = fragment(mol, root, pipset) if root is not None else frozenset()
        return Parts(tuple(pip), n7, acyl, tuple(ring), aryl_subs, ring_subs, root, n_sub)
    return None


def frag_smiles(mol: Chem.Mol, atoms: frozenset[int]) -> str:
    return Chem.MolFragmentToSmiles(mol, atomsToUse=sorted(atoms), canonical=True) if atoms else ""


# --- substituent kinds (the groups the clauses name) ------------------------------------------------------------

def substituent_kinds(mol: Chem.Mol, atoms: frozenset[int], attach: int) -> set[str]:
    """Which of the named group kinds a substituent is: alkyl, alkenyl, alkoxy, ester, ether, hydroxyl, halogen,
    haloalkyl, amino, nitro. The empty set means none of them (for example a ring or a carbonyl)."""
    ats = [mol.GetAtomWithIdx(i) for i in atoms]
    if any(a.IsInRing() for a in ats):
        return set()
    elems = Counter(a.GetSymbol() for a in ats)
    first = mol.GetAtomWithIdx(attach)
    bonds = [mol.GetBondBetweenAtoms(a.GetIdx(), nb.GetIdx()) for a in ats for nb in a.GetNeighbors()
             if nb.GetIdx() in atoms and a.GetIdx() < nb.GetIdx()]
    orders = Counter(b.GetBondType() for b in bonds)
    double = orders[Chem.BondType.DOUBLE]
    triple = orders[Chem.BondType.TRIPLE]
    n_atoms = len(ats)
    kinds = set()
    if n_atoms == 1 and first.GetSymbol() in HALOGENS:
        kinds.add("halogen")
    if n_atoms == 1 and first.GetSymbol() == "O" and first.GetTotalNumHs() == 1:
        kinds.add("hydroxyl")
    if set(elems) == {"C"} and not triple:
        kinds.add("alkenyl" if double else "alkyl")
    if set(elems) <= {"C"} | HALOGENS and elems["C"] and (set(elems) & HALOGENS) and not double and not triple:
        kinds.add("haloalkyl")
    if first.GetSymbol() == "N" and elems["N"] == 1 and set(elems) <= {"C", "N"} and not double and not triple:
        kinds.add("amino")
    if first.GetSymbol() == "N" and elems == Counter({"N": 1, "O": 2}):
        kinds.add("nitro")
    if set(elems) == {"C", "O"} and not triple:
        carbonyl_o = [a for a in ats if a.GetSymbol() == "O" and a.GetDegree() == 1 and
                      any(b.GetBondType() == Chem.BondType.DOUBLE for b in a.GetBonds())]
        ether_o = [a for a in ats if a.GetSymbol() == "O" and a.GetDegree() == 2 and
                   all(nb.GetSymbol() == "C" for nb in a.GetNeighbors())]
        hydroxy_o = [a for a in ats if a.GetSymbol() == "O" and a.GetTotalNumHs() > 0]
        if not carbonyl_o and not hydroxy_o and ether_o and double == 0:
            kinds.add("alkoxy" if first.GetSymbol() == "O" and len(ether_o) == 1 else "ether")
        if len(carbonyl_o) == 1 and len(ether_o) == 1 and double == 1 and not hydroxy_o:
            c = carbonyl_o[0].GetNeighbors()[0]
            if any(nb.GetIdx() == ether_o[0].GetIdx() for nb in c.GetNeighbors()):
                kinds.add("ester")
    return kinds


# --- the clauses -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    acyl: str
    aryl: str
    n_sub: str


@lru_cache(maxsize=1)
def reference() -> Reference:
    mol = Chem.MolFromSmiles(rules_data()["reference_smiles"])
    p = cut(mol)
    aryl = frag_smiles(mol, frozenset(p.aryl_ring).union(*p.aryl_subs))
    return Reference(frag_smiles(mol, p.acyl), aryl, frag_smiles(mol, p.n_sub))


def acyl_replaced(mol: Chem.Mol, p: Parts) -> bool:
    """CN-2019(1) / US-FRS(E): another acyl group in place of propionyl."""
    return frag_smiles(mol, p.acyl) != reference().acyl


def aryl_replaced(mol: Chem.Mol, p: Parts) -> bool:
    """CN-2019(2) / US-FRS(D): an aromatic monocycle other than plain phenyl on the amide nitrogen.
    ``cut`` already guarantees the ring is an aromatic monocycle."""
    return frag_smiles(mol, frozenset(p.aryl_ring).union(*p.aryl_subs)) != reference().aryl


def piperidine_substituted(mol: Chem.Mol, p: Parts, allowed: set[str]) -> bool | None:
    """CN-2019(3) / US-FRS(C): True when substituted only by allowed groups, None when any other group is there."""
    if not p.ring_subs:
        return False
    for ring_atom, atoms in p.ring_subs:
        attach = next(i for i in atoms if mol.GetBondBetweenAtoms(i, ring_atom) is not None)
        if not substituent_kinds(mol, atoms, attach) & allowed:
            return None
    return True


def phenethyl_modifications(mol: Chem.Mol, p: Parts, allowed: set[str]) -> set[str] | None:
    """US-FRS(A)/(B) on the piperidine N-substituent. Returns the clauses shown ({} for plain phenethyl), or None
    when the N-substituent is not a (modified) phenethyl group: two-carbon chain, then a monocycle."""
    if p.n_sub_root is None:
        return None
    a = mol.GetAtomWithIdx(p.n_sub_root)
    if a.GetSymbol() != "C" or a.IsInRing() or a.GetHybridization() != Chem.HybridizationType.SP3:
        return None
    n1 = p.piperidine[0]
    for b in a.GetNeighbors():
        if b.GetIdx() == n1 or b.GetSymbol() != "C" or b.IsInRing() or b.GetHybridization() != Chem.HybridizationType.SP3:
            continue
        rings = [nb for nb in b.GetNeighbors() if nb.IsInRing()]
        if len(rings) != 1:
            continue
        ring = _ring_of(mol, rings[0].GetIdx(), (3, 4, 5, 6, 7, 8))
        if ring is None or not is_monocycle(mol, ring):
            continue
        clauses = set()
        linker = {a.GetIdx(), b.GetIdx()}
        blocked = set(ring) | linker | {n1}
        for atom in (a, b):
            for nb in atom.GetNeighbors():
                if nb.GetIdx() in blocked:
                    continue
                if not substituent_kinds(mol, fragment(mol, nb.GetIdx(), blocked), nb.GetIdx()) & allowed:
                    return None
                clauses.add("B")
        ring_subs = [(nb.GetIdx()) for i in ring for nb in mol.GetAtomWithIdx(i).GetNeighbors()
                     if nb.GetIdx() not in ring and nb.GetIdx() != b.GetIdx()]
        benzene = len(ring) == 6 and all(mol.GetAtomWithIdx(i).GetSymbol() == "C" and
                                         mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring)
        if benzene:
            for j in ring_subs:
                if not substituent_kinds(mol, fragment(mol, j, set(ring)), j) & allowed:
                    return None
                clauses.add("B")
        else:
            clauses.add("A")
        return clauses
    return None


@dataclass(frozen=True)
class ClassResult:
    china: tuple[str, ...] | None   # clauses met ("1".."4"), () for fentanyl itself; None: not in the class
    us: tuple[str, ...] | None      # clauses met ("A".."E"); None: not a fentanyl-related substance

    @property
    def matched(self) -> bool:
        return self.china is not None or self.us is not None

    def rules(self) -> list[str]:
        out = [f"CN-2019({c})" for c in self.china or ()]
        out += [f"US-FRS({c})" for c in self.us or ()]
        return out


def _allowed(definition: str, clause: str) -> set[str]:
    return set(rules_data()["definitions"][definition]["clauses"][clause]["allows"])


def classify(mol: Chem.Mol) -> ClassResult:
    """Which clauses of each class definition the (standardized) molecule meets."""
    p = cut(mol)
    if p is None:
        return ClassResult(None, None)
    acyl, aryl = acyl_replaced(mol, p), aryl_replaced(mol, p)

    china: tuple[str, ...] | None = None
    pip_cn = piperidine_substituted(mol, p, _allowed("CN-2019", "3"))
    if p.n_sub_root is not None and pip_cn is not None:
        n_changed = frag_smiles(mol, p.n_sub) != reference().n_sub
        china = tuple(c for c, on in (("1", acyl), ("2", aryl), ("3", pip_cn), ("4", n_changed)) if on)

    us: tuple[str, ...] | None = None
    pip_us = piperidine_substituted(mol, p, _allowed("US-FRS", "C"))
    phen = phenethyl_modifications(mol, p, _allowed("US-FRS", "B"))
    if pip_us is not None and phen is not None:
        shown = set(phen) | {c for c, on in (("C", pip_us), ("D", aryl), ("E", acyl)) if on}
        us = tuple(sorted(shown))
    return ClassResult(china, us)


def clause_note(rule: str) -> str:
    """The legal text summary of a rule id such as ``CN-2019(3)``."""
    definition, clause = rule[:-1].split("(")
    return rules_data()["definitions"][definition]["clauses"][clause]["note"]
