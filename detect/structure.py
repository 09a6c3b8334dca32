"""Structures: parse SMILES/InChI, standardize to the parent, identify by standard InChIKey.

A bad molecule is a result (None), not an exception; RDKit's own log is silenced so that it never reaches the
user's terminal. Results are cached by input string: the same SMILES or name seen again costs a dict lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

RDLogger.DisableLog("rdApp.*")

_uncharger = rdMolStandardize.Uncharger()
_chooser = rdMolStandardize.LargestFragmentChooser(preferOrganic=True)


@dataclass(frozen=True)
class Structure:
    mol: Chem.Mol          # the standardized parent
    smiles: str            # canonical SMILES of the parent
    inchikey: str          # standard InChIKey of the parent
    formula: str
    heavy_atoms: int


def parent(mol: Chem.Mol) -> Chem.Mol | None:
    """Largest organic fragment, neutralized: salts, hydrates and counter-ions map to the parent."""
    try:
        mol = _chooser.choose(mol)
        mol = _uncharger.uncharge(mol)
        Chem.SanitizeMol(mol)
        return mol
    except Exception:  # RDKit raises a variety of errors on odd input; a bad molecule is a result
        return None


def _structure(mol: Chem.Mol | None, max_atoms: int) -> Structure | None:
    if mol is None or mol.GetNumHeavyAtoms() == 0 or mol.GetNumHeavyAtoms() > max_atoms * 3:
        return None
    p = parent(mol)
    if p is None or p.GetNumHeavyAtoms() > max_atoms:
        return None
    key = Chem.MolToInchiKey(p)
    if not key:
        return None
    return Structure(p, Chem.MolToSmiles(p), key, rdMolDescriptors.CalcMolFormula(p), p.GetNumHeavyAtoms())


@lru_cache(maxsize=20000)
def from_smiles(smiles: str, max_atoms: int = 150) -> Structure | None:
    if len(smiles) > max_atoms * 6:
        return None
    return _structure(Chem.MolFromSmiles(smiles), max_atoms)


@lru_cache(maxsize=5000)
def from_inchi(inchi: str, max_atoms: int = 150) -> Structure | None:
    try:
        mol = Chem.MolFromInchi(inchi, sanitize=True, removeHs=True, logLevel=None, treatWarningAsError=False)
    except Exception:
        return None
    return _structure(mol, max_atoms)
