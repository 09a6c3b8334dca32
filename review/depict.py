"""Structure depictions for the listing view: RDKit SVG, with the atoms behind each legal clause highlighted.

The structure of a hit is recovered from what the store keeps: the lexicon's structure when the InChIKey is a
lexicon entry's, else the matched text read as SMILES, else as a systematic name through OPSIN. It is used only if
its InChIKey is the one detection recorded, so a depiction always shows the structure that was confirmed.
"""

from __future__ import annotations

from functools import lru_cache

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from detect import structure
from detect.classrules import cut, rules_data
from detect.precursor_rules import match_precursor
from detect.opsin import shared_opsin
from lexicon import Lexicon

# highlight colours (RGB 0-1): the 4-anilidopiperidine core, and the part each met clause is about
CORE = (0.80, 0.88, 1.00)
CLAUSE = (1.00, 0.75, 0.55)


def hit_structure(lex: Lexicon, inchikey: str | None, matched: str) -> structure.Structure | None:
    if not inchikey:
        return None
    sub = lex.by_inchikey.get(inchikey)
    candidates = [sub.smiles] if sub else []
    candidates.append(matched.strip())
    for smi in candidates:
        st = structure.from_smiles(smi)
        if st is not None and st.inchikey == inchikey:
            return st
    try:
        smi = shared_opsin().convert([" ".join(matched.split())])[0]
    except Exception:  # no Java, or OPSIN failed: the listing view goes on without the picture
        return None
    st = structure.from_smiles(smi) if smi else None
    return st if st is not None and st.inchikey == inchikey else None


def _clause_atoms(mol: Chem.Mol, rules: list[str]) -> tuple[set[int], set[int]]:
    """(core atoms, atoms of the parts whose modification meets a clause)."""
    parts = cut(mol)
    if parts is None:  # a precursor class member: its named chemical is the core, each form the clause's part
        pre = match_precursor(mol)
        if pre is None:
            return set(), set()
        marked = set().union(*(atoms for rule, atoms in pre.atoms.items() if rule in rules and rule != pre.class_id))
        return set(pre.atoms[pre.class_id]) - marked, marked
    core = set(parts.piperidine) | {parts.amide_n} | set(parts.aryl_ring)
    by_part = {
        "acyl": set(parts.acyl),
        "aryl": set(parts.aryl_ring).union(*parts.aryl_subs) if parts.aryl_subs else set(parts.aryl_ring),
        "piperidine": set().union(*(atoms for _, atoms in parts.ring_subs)) if parts.ring_subs else set(),
        "n-substituent": set(parts.n_sub),
    }
    definitions = rules_data()["definitions"]
    marked: set[int] = set()
    for rule in rules:
        if "(" not in rule:
            continue
        definition, clause = rule[:-1].split("(", 1)
        part = definitions.get(definition, {}).get("clauses", {}).get(clause, {}).get("part")
        marked |= by_part.get(part, set())
    return core - marked, marked


@lru_cache(maxsize=512)
def svg(smiles: str, rules: tuple[str, ...], size: int = 360) -> str:
    mol = Chem.MolFromSmiles(smiles)
    core, marked = _clause_atoms(mol, list(rules))
    colours = {i: CORE for i in core} | {i: CLAUSE for i in marked}
    bonds = {}
    for b in mol.GetBonds():
        a, z = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        if a in colours and z in colours:
            bonds[b.GetIdx()] = CLAUSE if (a in marked and z in marked) else CORE
    drawer = rdMolDraw2D.MolDraw2DSVG(size, size)
    drawer.drawOptions().clearBackground = True
    rdMolDraw2D.PrepareAndDrawMolecule(drawer, mol, highlightAtoms=list(colours), highlightAtomColors=colours,
                                       highlightBonds=list(bonds), highlightBondColors=bonds)
    drawer.FinishDrawing()
    return drawer.GetDrawingText()
