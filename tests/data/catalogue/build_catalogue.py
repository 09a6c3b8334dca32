"""Builds catalogue.jsonl.gz, the set of real ordinary catalogue entries, from local copies of its public sources.

Run once by hand (not by the tests); the sources are not part of fentwatch. Each row carries over only facts the
source states (the name as written, its CAS number, SMILES and InChIKey where the source gives them) and names the
source. See README.md in this folder for the sources and the split.

    python tests/data/catalogue/build_catalogue.py DRUGBANK_VOCABULARY_CSV AQSOLDB_CURATED_CSV \\
        CHEMICALS_PUBCHEM_SMALL_TSV EXELUS_PRODUCTS_JSX tests/data/catalogue/catalogue.jsonl.gz
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import sys

SOURCES = {
    "drugbank": "draskot/Vini drugbank_vocabulary.csv @ d92fa6954281af5193a0f6a5c45ba9f2727a2b57 "
                "(DrugBank open vocabulary, CC0)",
    "aqsoldb": "mcsorkun/AqSolDB results/data_curated.csv @ 8e02b548fd9a78778ff89a5aa9a460d1a289cc3a",
    "chemicals": "CalebBell/chemicals chemicals/Identifiers/chemical identifiers pubchem small.tsv "
                 "@ 82faef900dcf2b48537c31bcf1ab56c35bb79a1e",
    "exelus": "rakeshmiriyala/parasites src/components/CustomSynthesis/ProducstData.jsx "
              "@ c9cce4ee6adc8ceb14284319a839cd61df087153 (Exelus Labs custom-synthesis product list)",
}
CAS_SHAPE = re.compile(r"\d{2,7}-\d{2}-\d")


def part(row_id: str) -> str:
    """A fixed random third is held out: the first byte of the id's SHA-1, not anything about the entry."""
    return "heldout" if hashlib.sha1(row_id.encode()).digest()[0] % 3 == 0 else "tune"


def drugbank(path: str):
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            yield {"id": r["DrugBank ID"], "name": r["Common name"].strip(), "cas": r["CAS"].strip(), "smiles": "",
                   "inchikey": r["Standard InChI Key"].strip(), "source": "drugbank"}


def aqsoldb(path: str):
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            yield {"id": f"AqSolDB-{r['ID']}", "name": r["Name"].strip(), "cas": "", "smiles": r["SMILES"].strip(),
                   "inchikey": r["InChIKey"].strip(), "source": "aqsoldb"}


def chemicals(path: str):
    # columns: PubChem CID, CAS, formula, MW, SMILES, InChI, InChIKey, IUPAC name, common name, synonyms...
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 9:
                continue
            yield {"id": f"CID-{c[0]}", "name": c[8].strip(), "cas": c[1].strip(), "smiles": c[4].strip(),
                   "inchikey": c[6].strip(), "source": "chemicals"}


def exelus(path: str):
    # a JavaScript array of {sno, productCode, productName, casNo}; a casNo that is not CAS-shaped ("NA",
    # "250956", "46258-62-") is left out, never repaired
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for code, name, cas in re.findall(r'productCode:\s*"([^"]+)",\s*productName:\s*"([^"]*)"'
                                      r'(?:,\s*casNo:\s*"?([^",\n}]*)"?)?', text):
        cas = cas.strip()
        yield {"id": code, "name": " ".join(name.split()).lstrip("* "), "cas": cas if CAS_SHAPE.fullmatch(cas) else "",
               "smiles": "", "inchikey": "", "source": "exelus"}


def main(drugbank_csv: str, aqsoldb_csv: str, chemicals_tsv: str, exelus_jsx: str, out: str) -> None:
    seen, rows = set(), []
    for reader, path in ((drugbank, drugbank_csv), (aqsoldb, aqsoldb_csv), (chemicals, chemicals_tsv),
                         (exelus, exelus_jsx)):
        for row in reader(path):
            key = (row["source"], row["name"].lower())
            if not row["name"] or key in seen:
                continue
            seen.add(key)
            row["part"] = part(row["id"])
            rows.append({k: v for k, v in row.items() if v})
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(rows)} entries -> {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(*sys.argv[1:])
