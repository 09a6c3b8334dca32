"""Check the lexicon's facts: structures, identifiers, sources and name clashes.

``check_lexicon`` returns a list of :class:`Problem`; an empty list means the lexicon is sound. Each problem names
the entry (file and id) so a reviewer can go straight to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdkit import Chem, RDLogger

from .cas import cas_is_valid
from .loader import (
    LEXICON_DIR,
    LexiconError,
    Lookalike,
    Substance,
    read_lookalikes,
    read_substance,
    substance_files,
)

MEDICAL_IDS = frozenset({"fentanyl", "sufentanil", "remifentanil", "alfentanil"})


@dataclass(frozen=True)
class Problem:
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry}: {self.message}"


def _entry(s: Substance) -> str:
    return f"{s.path.name if s.path else s.id} ({s.id})"


def inchikey_of(smiles: str) -> str | None:
    RDLogger.DisableLog("rdApp.*")
    mol = Chem.MolFromSmiles(smiles)
    return Chem.MolToInchiKey(mol) if mol is not None else None


def check_substance(s: Substance) -> list[Problem]:
    out = []
    add = lambda msg: out.append(Problem(_entry(s), msg))  # noqa: E731
    key = inchikey_of(s.smiles)
    if key is None:
        add(f"SMILES does not parse: {s.smiles}")
    elif key != s.inchikey:
        add(f"recorded InChIKey {s.inchikey} differs from the one computed from the SMILES, {key}")
    if "." in s.smiles:
        add("SMILES has several fragments: record the salt-free parent and put salts under 'forms'")
    if s.medical != (s.id in MEDICAL_IDS):
        add("'medical' must be true exactly for fentanyl, sufentanil, remifentanil and alfentanil")
    if not s.sources:
        add("no sources: every fact needs a public source")
    for f in s.forms:
        if not cas_is_valid(f.cas):
            add(f"CAS number {f.cas} ({f.form}) fails the CAS format or check digit")
        if f.source not in s.sources:
            add(f"CAS number {f.cas} names source '{f.source}', which is not under 'sources'")
    for c in s.control:
        if c.source not in s.sources:
            add(f"control row '{c.jurisdiction}: {c.instrument}' names source '{c.source}', not under 'sources'")
    for amb in s.ambiguous:
        if amb.casefold() not in {n.text.casefold() for n in s.all_names()}:
            add(f"ambiguous name '{amb}' is not one of the substance's names")
    return out


def check_clashes(substances: list[Substance], lookalikes: list[Lookalike]) -> list[Problem]:
    out = []
    owners: dict[str, list[Substance]] = defaultdict(list)
    for s in substances:
        for text in {n.text.casefold() for n in s.all_names()}:
            owners[text].append(s)
    for text, subs in sorted(owners.items()):
        if len(subs) > 1 and not all(s.is_ambiguous(text) for s in subs):
            ids = ", ".join(s.id for s in subs)
            out.append(Problem(_entry(subs[0]), f"name '{text}' belongs to several substances ({ids}); "
                                                "mark it under 'ambiguous' in each or remove it"))
    for attr, label in (("inchikey", "InChIKey"),):
        seen: dict[str, Substance] = {}
        for s in substances:
            value = getattr(s, attr)
            if value in seen:
                out.append(Problem(_entry(s), f"{label} {value} is also recorded for {seen[value].id}"))
            seen.setdefault(value, s)
    cas_owner: dict[str, Substance] = {}
    for s in substances:
        for cas in s.cas_numbers:
            if cas in cas_owner and cas_owner[cas] is not s:
                out.append(Problem(_entry(s), f"CAS number {cas} is also recorded for {cas_owner[cas].id}"))
            cas_owner.setdefault(cas, s)
    for la in lookalikes:
        where = f"lookalikes.yaml ({la.name})"
        for cas in la.cas:
            if not cas_is_valid(cas):
                out.append(Problem(where, f"CAS number {cas} fails the CAS format or check digit"))
            if cas in cas_owner:
                out.append(Problem(where, f"CAS number {cas} belongs to controlled substance {cas_owner[cas].id}"))
        for name in (la.name, *la.synonyms):
            for s in owners.get(name.casefold(), []):
                if not s.is_ambiguous(name):
                    out.append(Problem(where, f"look-alike name '{name}' is a name of controlled substance {s.id} "
                                              "that is not marked ambiguous there"))
        if la.smiles:
            key = inchikey_of(la.smiles)
            if key is None:
                out.append(Problem(where, f"SMILES does not parse: {la.smiles}"))
            elif la.inchikey and key != la.inchikey:
                out.append(Problem(where, f"recorded InChIKey {la.inchikey} differs from computed {key}"))
            if key and key in {s.inchikey for s in substances}:
                out.append(Problem(where, "structure is a controlled substance, not a look-alike"))
    return out


def check_systematic_names(substances: list[Substance], opsin: Callable) -> list[Problem]:
    """Cross-check each systematic name against the recorded structure with OPSIN (one warm JVM for all names).

    ``opsin`` makes the converter (``detect.opsin.Opsin``: ``convert(names)``, ``warnings``, ``close()``); the
    lexicon imports nothing of ours, so the caller (the command line, a test) hands it in.
    A name OPSIN cannot read is not a problem (sources write names in many styles); a name that OPSIN reads as a
    different compound is. Stereo is ignored: the first InChIKey block (the skeleton) is compared.
    """
    pairs = [(s, n.text) for s in substances for n in s.names if n.kind == "systematic"]
    if not pairs:
        return []
    opsin = opsin()  # the converter, made from its maker
    try:
        smiles = opsin.convert([name for _, name in pairs])
    finally:
        opsin.close()
    out = [Problem("opsin", w) for w in opsin.warnings]
    for (s, name), smi in zip(pairs, smiles):
        if not smi:
            continue
        key = inchikey_of(smi)
        if key and key.split("-")[0] != s.inchikey.split("-")[0]:
            out.append(Problem(_entry(s), f"systematic name '{name}' is, according to OPSIN, another compound "
                                          f"({smi}, {key})"))
    return out


def check_lexicon(directory: Path | str | None = None,
                  opsin: Callable | None = None) -> tuple[list[Substance], list[Problem]]:
    """Read and check every lexicon file. Returns the substances that could be read and all problems found.

    With ``opsin`` (the converter's maker, ``detect.opsin.Opsin``), systematic names are also converted to structures
    and compared with the recorded ones."""
    directory = Path(directory) if directory else LEXICON_DIR
    substances, problems = [], []
    files = substance_files(directory)
    if not files:
        problems.append(Problem(str(directory), "no substance files under substances/"))
    for path in files:
        try:
            s = read_substance(path)
        except LexiconError as exc:
            problems.append(Problem(path.name, str(exc).split(": ", 1)[-1]))
            continue
        substances.append(s)
        problems += check_substance(s)
    try:
        lookalikes = read_lookalikes(directory / "lookalikes.yaml")
    except LexiconError as exc:
        problems.append(Problem("lookalikes.yaml", str(exc).split(": ", 1)[-1]))
        lookalikes = []
    problems += check_clashes(substances, lookalikes)
    if opsin:
        problems += check_systematic_names(substances, opsin)
    return substances, problems
