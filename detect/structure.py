"""Structures: parse SMILES/InChI, standardize to the parent, identify by standard InChIKey.

A bad molecule is a result (None), not an exception. RDKit's warnings and errors never reach the user's terminal:
they go to Python's ``rdkit`` logger, whose only handler collects them, and ``parse_smiles``/``parse_inchi`` return
them beside the structure so that the engine can attach them to the listing as scan warnings. Results (and their
warnings) are cached by input string: the same SMILES or name seen again costs a dict lookup.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import rdMolDescriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

MAX_LOG_LINES = 20  # per parse: a pathological string makes RDKit write a line per atom


class _LogCapture(logging.Handler):
    """Collects RDKit's log lines (warnings and errors) instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.lines) < MAX_LOG_LINES:
            msg = record.getMessage().strip()
            if msg.startswith("[") and "] " in msg[:12]:  # RDKit's "[12:34:56] " time stamp
                msg = msg.split("] ", 1)[1]
            if msg and set(msg) - set("~^ "):  # drop the "~~~~^" pointer lines
                self.lines.append(msg)

    def take(self) -> tuple[str, ...]:
        """The first line logged since the last call: RDKit follows a parse error with the position and an echo of
        the input, which say nothing more."""
        lines, self.lines = tuple(line[:200] for line in self.lines[:1]), []
        return lines


_capture = _LogCapture()
RDLogger.DisableLog("rdApp.*")
RDLogger.EnableLog("rdApp.error")
RDLogger.EnableLog("rdApp.warning")
rdBase.LogToPythonLogger()
_rdkit_log = logging.getLogger("rdkit")
_rdkit_log.handlers = [_capture]  # RDKit installs a stderr handler of its own: replaced, not added to
_rdkit_log.propagate = False

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
def parse_smiles(smiles: str, max_atoms: int = 150) -> tuple[Structure | None, tuple[str, ...]]:
    """(structure or None, RDKit's warnings). A string longer than ``max_atoms * 6`` is not parsed at all."""
    if len(smiles) > max_atoms * 6:
        return None, (f"SMILES of {len(smiles)} characters not parsed (limit {max_atoms * 6})",)
    _capture.take()
    try:
        st = _structure(Chem.MolFromSmiles(smiles), max_atoms)
    except Exception as exc:  # noqa: BLE001 - RDKit raises a variety of errors on odd input; a result, not a crash
        st = None
        _capture.lines.append(f"{type(exc).__name__}: {exc}")
    return st, _capture.take()


@lru_cache(maxsize=5000)
def parse_inchi(inchi: str, max_atoms: int = 150) -> tuple[Structure | None, tuple[str, ...]]:
    _capture.take()
    try:
        mol = Chem.MolFromInchi(inchi, sanitize=True, removeHs=True, logLevel=None, treatWarningAsError=False)
        st = _structure(mol, max_atoms)
    except Exception as exc:  # noqa: BLE001
        st = None
        _capture.lines.append(f"{type(exc).__name__}: {exc}")
    return st, _capture.take()


def from_smiles(smiles: str, max_atoms: int = 150) -> Structure | None:
    return parse_smiles(smiles, max_atoms)[0]


def from_inchi(inchi: str, max_atoms: int = 150) -> Structure | None:
    return parse_inchi(inchi, max_atoms)[0]
