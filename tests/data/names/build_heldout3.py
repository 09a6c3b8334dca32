"""Builds the third held-out part (``part: "heldout3"``) of names.jsonl from sources no other part uses.

Run once by hand (not by the tests); the sources are not part of fentwatch. They are three public lists, each with
names and a structure per substance, as stored in one public repository that collected them
(``mviehauser/ProgrammierProjekt``, commit 08a2097, ``src/JSON-files/extern_JSON-files/``):

- ``CAYMANCHEM_Elias_Michael_2024-06-22.json``: Cayman Chemical's product pages (forensic reference standards):
  product name, synonyms, formal (CAS-style) name, SMILES and InChIKey, with each product's caymanchem.com URL;
- ``Danzl_Zaja_swgdrg.json``: SWGDRUG monographs: names, IUPAC name, SMILES and InChIKey, with each monograph's URL;
- ``Tim_Jonas_Policija.json``: the Slovenian police forensic laboratory's NPS list (policija.si, NFL): one name,
  SMILES and InChIKey per row.

A record is taken when one of its names carries a fentanyl stem (fentanyl, fentanil) and it has a SMILES. Its
structure is the source's SMILES with salt fragments left out (the largest organic fragment; the sources draw
hydrochlorides and citrates with the counter-ion), and the row's InChIKey is computed by RDKit from that SMILES.
Nothing here comes from a parser of ours. The rows were collected and frozen before fentwatch was run on them; they
are never used to tune it.

    python tests/data/names/build_heldout3.py MIRROR_GIT_DIR >> tests/data/names/names.jsonl

Left out, by rule (decided before any measurement):
- isotope-labelled standards (a D in the formula, [2H] or [13C] in the SMILES, "-d5" or "-13C6" in a name) and
  mixtures (no SMILES);
- code-like abbreviations and names of 5 characters or fewer, as in build_heldout2.py;
- names already in names.jsonl (same name, case-insensitive, after the cleaning below), and duplicates;
- SWGDRUG records whose collector split the monograph's synonyms at line breaks as well as commas: the pieces are
  left out (``sources.fragments``: a head that ends on a prefix, "p-methoxy", "2-methoxy Furanyl", "Despropionyl", and
  a tail that is the end of a longer name of the record, "furanyl fentanyl"); synonyms glued by a comma without a
  space ("Despropionyl ortho-Cl,N-(2-chlorophenyl)-...") are split there (``sources.split_glued``; locant lists such as
  "N,N-" and "2,2-" stay whole). Added in session 5 with the label audit (``audit_labels.py``);
- Cayman's product-form words at the end of a name are removed ("(exempt preparation)", "(CRM)", "(Alt. Batch
  CRM)", "(solution)") and zero-width spaces; salt words ("(hydrochloride)", "citrate") are kept: sellers write them too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from rdkit import Chem, RDLogger

from sources import fragments, split_glued

RDLogger.DisableLog("rdApp.*")

COMMIT = "08a209754783feaf0094e2d2a6111236f92e62d3"
DIR = "src/JSON-files/extern_JSON-files/"
SOURCES = [
    ("CAYMANCHEM_Elias_Michael_2024-06-22.json", "Cayman Chemical product page"),
    ("Danzl_Zaja_swgdrg.json", "SWGDRUG monograph"),
    ("Tim_Jonas_Policija.json", "Slovenian police forensic laboratory NPS list"),
]
REPO_URL = f"https://github.com/mviehauser/ProgrammierProjekt/blob/{COMMIT}/{DIR}"
HERE = Path(__file__).parent
STEM = re.compile(r"fentan[iy]l", re.I)
CODE_LIKE = re.compile(r"^(?:(?:ortho|meta|para|[opm]|\d)-)?[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,4})?$|^[A-Za-z]{1,3}[- ]?\d+[A-Za-z]?(-\d+)?$")
DEUTERATED = re.compile(r"-d\d\b|\[2H\]|\[13C\]|-13C\d*\b")
PRODUCT_FORM = re.compile(r"\s*\((?:exempt preparation|CRM|Alt\. Batch CRM|solution|Alt\. Batch)\)\s*$", re.I)


def parent_structure(smiles: str):
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return None
    frags = sorted(Chem.GetMolFrags(mol, asMols=True), key=lambda m: m.GetNumHeavyAtoms(), reverse=True)
    big = frags[0]
    if big.GetNumHeavyAtoms() < 15:
        return None
    return Chem.MolToSmiles(big), Chem.MolToInchiKey(big)


def clean(name: str) -> str:
    name = name.replace("\u200b", "").strip().rstrip(",").strip()
    while PRODUCT_FORM.search(name):
        name = PRODUCT_FORM.sub("", name)
    return name.strip()


def main(git_dir: str) -> None:
    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["name"].casefold() for line in f if line.strip()}
    out = []
    for fn, what in SOURCES:
        data = json.loads(subprocess.check_output(["git", "--git-dir", git_dir, "show", f"{COMMIT}:{DIR}{fn}"]))
        for rec in data:
            names = [p for n in rec.get("names", []) for p in split_glued(n)]
            if fn.startswith("Danzl"):  # SWGDRUG: the collector split synonyms at line breaks too
                pieces = fragments(names)
                names = [n for n in names if n not in pieces]
            names = [*names, *[n for n in rec.get("iupac_names", []) if n]]
            if not rec.get("smiles") or not any(STEM.search(n) for n in names):
                continue
            if DEUTERATED.search(rec["smiles"]) or "D" in re.sub(r"[A-Z][a-z]", "", rec.get("formula", "")):
                continue
            if any(DEUTERATED.search(n) for n in names):
                continue
            parent = parent_structure(rec["smiles"])
            if parent is None:
                continue
            smiles, ik = parent
            page = (rec.get("source") or {}).get("url", "")
            for name in names:
                name = clean(name)
                low = name.casefold()
                if not name or low in seen or len(name) <= 5 or CODE_LIKE.match(name):
                    continue
                seen.add(low)
                out.append({"name": name, "inchikey": ik, "smiles": smiles, "label": "positive", "lang": "en",
                            "source": {"url": REPO_URL + fn,
                                       "title": f"{what} as collected in mviehauser/ProgrammierProjekt ({fn}): names, SMILES, InChIKey"},
                            "origin": f"{what}" + (f" ({page})" if page else ""),
                            "part": "heldout3",
                            "note": "InChIKey computed by RDKit from the source's SMILES, salt fragments left out"})
    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(out)} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
