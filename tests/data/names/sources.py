"""The public source records behind names.jsonl, read from local git copies of the repositories that publish them.

Shared by the build scripts and by ``audit_labels.py``. Run by hand (not by the tests); the sources are not part of
fentwatch. Each record keeps what the source states and nothing else: its names (as written), its structure (SMILES
and/or InChIKey), its formula, molecular mass, CAS number and which database it is from.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import re
import subprocess
from dataclasses import dataclass, field

from rdkit import Chem, RDLogger
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

RDLogger.DisableLog("rdApp.*")

HRNPS = ("FangLabNTU/Fentanyl-Hunter", "e57ad86452899a2ccfaa0dc9b450cd7f7c7d1e10",
         "Other Scripts Used/4. Suspect screening for fentanyl/Fentnayl_lib.csv")
KIM = ("hanbinoh-lab/fentanyl-analog-rt-predictor", "f8cec1cb19ab3715d49b14099843a08e006a26e2", "data/raw/base.csv")
NIST_MSP = ("asm3-nist/FentanylClassifier", "cf612c911d735fad30b72989bdb36adf4fafa901", "")
VIEHAUSER = ("mviehauser/ProgrammierProjekt", "08a209754783feaf0094e2d2a6111236f92e62d3",
             "src/JSON-files/extern_JSON-files/")
VIEHAUSER_FILES = [
    ("CAYMANCHEM_Elias_Michael_2024-06-22.json", "Cayman", "Cayman Chemical product page"),
    ("Danzl_Zaja_swgdrg.json", "SWGDRUG", "SWGDRUG monograph"),
    ("Tim_Jonas_Policija.json", "Policija", "Slovenian police forensic laboratory NPS list"),
]
STEM = re.compile(r"fentan[iy]l", re.I)
ISOTOPES = re.compile(r"-d\d\b|\[2H\]|\[13C\]|-13C\d*\b|not certified", re.I)


@dataclass
class Record:
    family: str                 # the database the record is from (HighResNPS, NIST, Cayman, SWGDRUG ...)
    where: str                  # the record's own address (product page, monograph, file and line)
    names: list[str]
    smiles: str = ""            # the parent structure (largest fragment) of the source's SMILES
    inchikey: str = ""          # the InChIKey the source states (or RDKit's for its SMILES when it states none)
    formula: str = ""           # the base formula the source states
    mass: float | None = None
    cas: list[str] = field(default_factory=list)
    systematic: list[str] = field(default_factory=list)   # the source's IUPAC / CAS-style names


def git_show(git_dir: str, commit: str, path: str) -> bytes:
    return subprocess.check_output(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"])


def parent(smiles: str) -> tuple[str, str] | None:
    """(SMILES, InChIKey) of the largest fragment (salts and solvent left out), or None."""
    mol = Chem.MolFromSmiles(smiles) if smiles else None
    if mol is None:
        return None
    big = max(Chem.GetMolFrags(mol, asMols=True), key=lambda m: m.GetNumHeavyAtoms())
    return Chem.MolToSmiles(big), Chem.MolToInchiKey(big)


def formula_of(smiles: str) -> str:
    mol = Chem.MolFromSmiles(smiles)
    return CalcMolFormula(mol) if mol is not None else ""


def base_formula(text: str) -> str:
    """The base's formula of a stated formula ("C19H23ClN2 • HCl" -> "C19H23ClN2"; "C21H28N2.2HCl" too)."""
    text = (text or "").replace(" ", "")
    return re.split(r"[•·.\[]|HCl$|(?<=\d)HCl", text)[0] if text else ""


# A comma between locants ("N,N-", "2,2-", "3,4'-") is part of a name; any other comma not followed by a space is
# where a collector glued two synonyms together ("Despropionyl ortho-Cl,N-(2-chlorophenyl)-...").
GLUE_COMMA = re.compile(r",(?=\S)")


def split_glued(name: str) -> list[str]:
    out, start = [], 0
    for m in GLUE_COMMA.finditer(name):
        before, after = name[:m.start()], name[m.end():]
        if re.search(r"(?:^|[^A-Za-z])(?:\d+|[NOSH])['′]*$", before) and re.match(r"(?:\d+|[NOSH])['′]*[,\-)\]]", after):
            continue  # a locant list
        out.append(name[start:m.start()])
        start = m.end()
    out.append(name[start:])
    return [p.replace("\u200b", "").strip().rstrip(",").strip() for p in out if p.strip(" ,\u200b\r\n")]


def hrnps_records(git_dir: str) -> list[Record]:
    repo, commit, path = HRNPS
    text = git_show(git_dir, commit, path).decode("utf-8", "replace")
    out = []
    for i, r in enumerate(csv.DictReader(io.StringIO(text))):
        ik, smi = r["InChlKey"].strip(), r["SMILES"].strip()
        p = parent(smi)
        if p and p[1] != ik:
            p = None  # the SMILES does not reproduce the stated InChIKey: the InChIKey stands
        out.append(Record(family=(r["Source"] or "unspecified").replace("std", "Fentanyl-Hunter standards"),
                          where=f"{repo}/{path} row {i + 2}", names=[r["Name"]], smiles=p[0] if p else "",
                          inchikey=ik, formula=r["Formula"].strip()))
    return out


def kim_records(git_dir: str) -> list[Record]:
    repo, commit, path = KIM
    out = []
    for i, r in enumerate(csv.DictReader(io.StringIO(git_show(git_dir, commit, path).decode()))):
        p = parent(r["smiles"])
        out.append(Record(family="Kim", where=f"{repo}/{path} row {i + 2}",
                          names=[n.strip() for n in r["compound"].split("/")], smiles=p[0], inchikey=p[1]))
    return out


def nist_records(git_dir: str) -> list[Record]:
    repo, commit, _ = NIST_MSP
    files = subprocess.check_output(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", commit]).decode()
    out = []
    for path in sorted(files.split("\n")):
        if not path.lower().endswith(".msp") or "/._" in path:
            continue
        for block in git_show(git_dir, commit, path).decode("utf-8", "replace").split("\n\n"):
            f = collections.defaultdict(list)
            for line in block.split("\n"):
                if ":" in line and not line[0].isdigit():
                    k, v = line.split(":", 1)
                    f[k.strip()].append(v.strip())
            if not f.get("Name") or not f.get("InChIKey"):
                continue
            cas = re.findall(r"\d{2,7}-\d\d-\d", (f.get("CAS#") or [""])[0])
            mass = (f.get("MW") or [""])[0]
            out.append(Record(family="NIST", where=f"{repo}/{path}", names=[f["Name"][0], *f.get("Synon", [])],
                              inchikey=f["InChIKey"][0], formula=(f.get("Formula") or [""])[0],
                              mass=float(mass) if re.fullmatch(r"[\d.]+", mass) else None, cas=cas))
    return out


def viehauser_records(git_dir: str) -> list[Record]:
    repo, commit, folder = VIEHAUSER
    out = []
    for fn, family, _ in VIEHAUSER_FILES:
        for rec in json.loads(git_show(git_dir, commit, folder + fn)):
            names = [p for n in rec.get("names", []) for p in split_glued(n)]
            if family == "SWGDRUG":  # its collector split synonyms at line breaks too: leave the pieces out
                names = [n for n in names if n not in fragments(names)]
            if not rec.get("smiles") or ISOTOPES.search(rec["smiles"]) or any(ISOTOPES.search(n) for n in names):
                continue
            if "D" in re.sub(r"[A-Z][a-z]", "", rec.get("formula") or ""):
                continue
            p = parent(rec["smiles"])
            if p is None:
                continue
            cas = re.findall(r"\d{2,7}-\d\d-\d", rec.get("cas_num") or "")
            mass = rec.get("molecular_mass")
            out.append(Record(family=family, where=(rec.get("source") or {}).get("url", ""), names=names,
                              smiles=p[0], inchikey=p[1], formula=base_formula(rec.get("formula") or ""),
                              mass=float(mass) if isinstance(mass, (int, float)) else None, cas=cas,
                              systematic=[n for n in rec.get("iupac_names", []) if n]))
    return out


# A collector that split a record's synonyms at line breaks as well as commas leaves pieces of one name as two
# "names": a head that ends on a prefix ("p-methoxy", "2-methoxy Furanyl", "Despropionyl") and a tail that is the end
# of another, longer name of the record ("furanyl fentanyl" beside "4-methoxy furanyl fentanyl"). Neither is a name
# the source gives the substance.
HEAD = re.compile(r"(?i)(?:oxy|yl|oyl)$")


def fragments(names: list[str]) -> set[str]:
    """The names of one record that are pieces of its other names (see above)."""
    low = [n.casefold() for n in names]
    heads = {n for n in names if HEAD.search(n.split()[-1]) and not re.search(r"(?i)tan[iy]l", n.split()[-1])}
    tails = {n for n in names if any(o != n.casefold() and o.endswith(" " + n.casefold()) for o in low)}
    return heads | tails
