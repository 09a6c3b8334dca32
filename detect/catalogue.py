"""False alarms on real ordinary catalogue entries (tests/data/catalogue): each entry as a plain catalogue listing,
scanned; every flag is either a true member of a controlled or regulated class or a false alarm.

Whether an entry is a true member is decided without the scan, from what the source states: its InChIKey or its
CAS number is a lexicon substance's, or its structure (the source's SMILES, else a sourced structure with the same
InChIKey: the lexicon's, or the real-names set's) meets a class rule (``detect/data/class_rules.yaml``) or a
precursor class rule (``detect/data/precursor_rules.yaml``). An entry whose source gives neither is decided by hand.

A third kind is neither: a fentanyl-family substance by a sourced identity (a positive of the real-names set, whose
sources are forensic libraries and studies of fentanyl analogs) that meets no class clause and no list names, such
as trefentanil (a WHO -fentanil INN with a 4-phenyl piperidine). Flagging it is not a false alarm on an ordinary
chemical, and it has no legal basis: the report counts it apart from both.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdkit import Chem

from .classrules import classify
from .engine import Detector
from .legal import legal_basis, most_serious
from .precursor_rules import match_precursor
from .structure import from_smiles

PIPERIDINE = Chem.MolFromSmarts("N1CCCCC1")
# A plain catalogue line: the name is the product, nothing else points anywhere.
CATALOGUE_LISTING = ("Product Name: {name}, CAS: {cas}, purity 98%, 25 kg drum, price on request, "
                     "contact sales@example.com")


def read_catalogue(path: Path) -> list[dict]:
    """Rows of catalogue.jsonl(.gz): id, name, cas, smiles, inchikey (where the source has them), source, part."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def catalogue_listing(row: dict, with_smiles: bool = False) -> dict:
    text = CATALOGUE_LISTING.format(name=row["name"], cas=row.get("cas", ""))
    if not row.get("cas"):
        text = text.replace(", CAS: ", "", 1)
    if with_smiles and row.get("smiles"):
        text += f", SMILES: {row['smiles']}"
    return {"id": row["id"], "title": row["name"], "text": text}


@dataclass(frozen=True)
class Membership:
    severity: str | None   # controlled | regulated; None: fentanyl-family by a sourced identity, outside every law
    reason: str            # the lexicon substance or the clauses met, and where the structure came from


class Members:
    """True members of the classes fentwatch flags, decided from the sources' own identities and structures, and
    for an entry whose source gives only a name, by hand (``by_hand``: id -> Membership, read from the name)."""

    def __init__(self, detector: Detector, structures: dict[str, str] | None = None,
                 family: dict[str, str] | None = None, by_hand: dict[str, Membership] | None = None):
        self.by_key = {s.inchikey[:14]: s for s in detector.lex.substances if s.inchikey}
        self.by_cas = {cas: s for s in detector.lex.substances for cas in s.cas_numbers}
        self.by_hand = by_hand or {}
        self.family = {k[:14]: origin for k, origin in (family or {}).items()}
        self.structures = {s.inchikey[:14]: s.smiles for s in detector.lex.substances if s.inchikey and s.smiles}
        for key, smiles in (structures or {}).items():
            self.structures.setdefault(key[:14], smiles)

    def of(self, row: dict) -> Membership | None:
        if row["id"] in self.by_hand:
            return self.by_hand[row["id"]]
        key = row.get("inchikey", "")[:14]
        substance = self.by_key.get(key) if key else self.by_cas.get(row.get("cas", ""))
        smiles, origin = row.get("smiles"), "the source's SMILES"
        if not smiles and key in self.structures:
            smiles, origin = self.structures[key], "a sourced structure with the source's InChIKey"
        raw = Chem.MolFromSmiles(smiles) if smiles else None
        # every class member has a piperidine ring: only those are standardized (RDKit's slow step) and classified
        st = from_smiles(smiles) if raw is not None and raw.HasSubstructMatch(PIPERIDINE) else None
        rules: list[str] = []
        if st is not None:
            rules = classify(st.mol).rules()
            pre = match_precursor(st.mol)
            if pre is not None:
                rules += pre.rules()
            if substance is None:
                substance = self.by_key.get(st.inchikey[:14])
        if substance is None and not rules:
            if key in self.family:
                return Membership(None, f"fentanyl-family by {self.family[key]}, meets no class clause")
            return None
        severity = most_serious(legal_basis(substance, rules)) or "regulated"
        said = [f"lexicon: {substance.name}"] if substance else []
        said += [f"{', '.join(rules)} ({origin})"] if rules else []
        return Membership(severity, "; ".join(said))


@dataclass
class Flag:
    row: dict
    severity: str | None            # the most serious severity among the listing's hits
    top: str                        # the strongest hit: substance via method: 'matched' [rules]
    member: Membership | None


@dataclass
class PartCounts:
    entries: int = 0
    flagged: int = 0
    members: int = 0
    members_flagged: int = 0
    family_flagged: int = 0      # fentanyl-family, outside every class and list
    false_alarms: int = 0


@dataclass
class CatalogueEvaluation:
    with_smiles: bool
    parts: dict[str, PartCounts] = field(default_factory=lambda: defaultdict(PartCounts))
    sources: dict[str, PartCounts] = field(default_factory=lambda: defaultdict(PartCounts))
    flags: list[Flag] = field(default_factory=list)
    missed: list[tuple[dict, Membership]] = field(default_factory=list)  # true members not flagged
    seconds: float = 0.0

    @property
    def false_alarms(self) -> list[Flag]:
        return [f for f in self.flags if f.member is None]

    @property
    def family_only(self) -> list[Flag]:
        return [f for f in self.flags if f.member is not None and f.member.severity is None]

    @property
    def rate(self) -> float:
        n = sum(c.entries for c in self.parts.values())
        return n / self.seconds if self.seconds else 0.0


def evaluate_catalogue(rows: list[dict], detector: Detector | None = None, with_smiles: bool = False,
                       structures: dict[str, str] | None = None, family: dict[str, str] | None = None,
                       by_hand: dict[str, Membership] | None = None) -> CatalogueEvaluation:
    det = detector or Detector()
    members = Members(det, structures, family, by_hand)
    ev = CatalogueEvaluation(with_smiles)
    start = time.perf_counter()
    results = list(det.scan_many(catalogue_listing(r, with_smiles) for r in rows))
    ev.seconds = time.perf_counter() - start
    for row, result in zip(rows, results):
        member = members.of(row)
        lawful = member is not None and member.severity is not None
        for c in (ev.parts[row.get("part", "all")], ev.sources[row.get("source", "?")]):
            c.entries += 1
            c.flagged += result.flagged
            c.members += lawful
            c.members_flagged += lawful and result.flagged
            c.family_flagged += result.flagged and member is not None and not lawful
            c.false_alarms += member is None and result.flagged
        if result.flagged:
            top = max(result.hits, key=lambda h: h.score)
            rules = f" [{', '.join(top.rules)}]" if top.rules else ""
            severity = next((s for s in ("controlled", "regulated") if any(h.severity == s for h in result.hits)), None)
            ev.flags.append(Flag(row, severity, f"{top.substance} via {top.method}: '{top.matched}'{rules}", member))
        elif member is not None:
            ev.missed.append((row, member))
    return ev


def format_catalogue_report(ev: CatalogueEvaluation) -> str:
    shown = "name, CAS and SMILES" if ev.with_smiles else "name and CAS"
    lines = [f"real catalogue entries, each as a plain catalogue listing ({shown}, purity, drum, price on request)", "",
             f"  {'':10s} {'entries':>7s} {'flagged':>8s} {'members flagged':>16s} {'no-law family':>14s} "
             f"{'false alarms':>13s}"]
    for title, counts in (("part", ev.parts), ("source", ev.sources)):
        for name in sorted(counts):
            c = counts[name]
            lines.append(f"  {name:10s} {c.entries:7d} {c.flagged:8d} {f'{c.members_flagged}/{c.members}':>16s} "
                         f"{c.family_flagged:14d} {c.false_alarms:13d}")
        lines.append("")
    total = sum(c.entries for c in ev.parts.values())
    lines.append(f"scanned {total} listings in {ev.seconds:.1f} s ({ev.rate:.0f} listings/s)")
    by_severity = Counter(f.severity or "none" for f in ev.flags)
    lines.append("flagged by severity: " + (", ".join(f"{s} {n}" for s, n in sorted(by_severity.items())) or "-"))
    by_method = Counter(f.top.split(" via ", 1)[1].split(":", 1)[0] for f in ev.flags)
    lines.append("flagged by method of the strongest hit: " +
                 (", ".join(f"{m} {n}" for m, n in sorted(by_method.items())) or "-"))

    def entry(row: dict) -> str:
        cas = f" (CAS {row['cas']})" if row.get("cas") else ""
        return f"[{row.get('part', 'all')}] {row['id']} {row['name']}{cas}"

    members = [f for f in ev.flags if f.member and f.member.severity]
    lines += ["", f"true members flagged ({len(members)}):"]
    lines += [f"  {entry(f.row)} -> {f.severity}: {f.top}; member: {f.member.reason}" for f in members]
    lines += ["", f"fentanyl-family substances outside every class and list, flagged ({len(ev.family_only)}):"]
    lines += [f"  {entry(f.row)} -> {f.severity}: {f.top}; {f.member.reason}" for f in ev.family_only]
    lines += ["", f"false alarms ({len(ev.false_alarms)}):"]
    lines += [f"  {entry(f.row)} -> {f.severity}: {f.top}" for f in ev.false_alarms]
    lines += ["", f"true members not flagged ({len(ev.missed)}):"]
    lines += [f"  {entry(row)}: {m.severity}, {m.reason}" for row, m in ev.missed]
    return "\n".join(lines)


def names_set(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """From the real-names set: InChIKey -> SMILES (structures its sources state), and InChIKey -> origin of its
    positives (fentanyl-family substances by those sources)."""
    structures, family = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                if r.get("smiles") and r.get("inchikey"):
                    structures.setdefault(r["inchikey"], r["smiles"])
                if r.get("label") == "positive" and r.get("inchikey") and not r.get("label_conflict"):  # sources disagree
                    family.setdefault(r["inchikey"], f"{r.get('origin', 'the real-names set')} (real-names set)")
    return structures, family


def catalogue_report(path: Path, with_smiles: bool = False, part: str | None = None) -> str:
    """The report of ``fentwatch report --catalogue``: the set at ``path`` (or one part of it), with the structures
    of the real-names set beside it for entries whose source gives an InChIKey but no SMILES."""
    rows = [r for r in read_catalogue(path) if part is None or r.get("part") == part]
    names = path.resolve().parent.parent / "names" / "names.jsonl"
    structures, family = names_set(names) if names.is_file() else ({}, {})
    hand = path.resolve().parent / "by_hand.tsv"
    by_hand = read_by_hand(hand) if hand.is_file() else None
    return format_catalogue_report(evaluate_catalogue(rows, with_smiles=with_smiles, structures=structures,
                                                      family=family, by_hand=by_hand))


def read_by_hand(path: Path) -> dict[str, Membership]:
    """by_hand.tsv: id, severity (controlled | regulated | none), reason; '#' starts a comment line."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                row_id, severity, reason = line.rstrip("\n").split("\t")
                out[row_id] = Membership(None if severity == "none" else severity, f"{reason} (by hand)")
    return out
