"""Builds the fifth held-out part (``part: "heldout5"``) of names.jsonl from sources no other part uses.

Run once by hand (not by the tests); the sources are not part of fentwatch. Written and frozen before fentwatch was
run on any of its rows (session 6); never used to tune it. Three sources, the first two read from git copies of
public repositories (fetched with the search tool's ``fetch``: ``/work/.mirror/OWNER+NAME/repo``, a bare git directory),
the third transcribed from stored web pages (the search tool's pages corpus):

1. DrugBank's open-data vocabulary (``drugbank_vocabulary.csv``, CC0: DrugBank ID, accession numbers, common name,
   CAS, UNII, synonyms, standard InChIKey), as stored in ``draskot/Vini`` (commit d92fa69, May 2025; the newer of
   the two stored copies: 15,235 records). Positives: the common name and every synonym of each record whose names
   carry a fentanyl stem; the structure is the InChIKey DrugBank states for the record (it states no SMILES, so
   ``smiles`` is empty). Look-alike negatives: the names of the records whose names share a fragment with fentanyl
   names (``fen-`` at the start, ``fent`` or ``tanil`` inside: fentiazac, fenpiprane, fentonium, ensifentrine ...),
   with DrugBank's InChIKey; records of opioid classes (pethidine-, methadone-, morphinan-type INN stems) are left
   out, as in heldout4: they are controlled in many places and are no test of a look-alike.
2. MassBank (``MassBank/MassBank-data``, commit 13484d4, release 2025.05.1): the records whose names or ChemOnt
   class say fentanyl (``CH$NAME`` lines: common names and IUPAC names as the contributing laboratory wrote them);
   the structure is the record's ``CH$SMILES`` (its ``CH$LINK: INCHIKEY`` is checked against it).
3. ``heldout5_pages.tsv``: names as stored web pages in other languages print them (Wikipedia copies in Ukrainian,
   Bulgarian, Armenian, French, Spanish, Hungarian, German and Japanese; copies of the German narcotics act's
   Anlage I; German drug encyclopedias): INN spellings ("Фентаніл", "Méfentanyl", "Carfentanilo"), trade and street
   names ("フェンタネスト", "Алфента", "Chinois blanc"), systematic names in those languages. The structure: the
   DrugBank record the page points to (the DrugBank ID or CAS number it prints, or the INN or English name it gives
   the substance in the same row or title; named in each row's note), or the page's own systematic name read by
   OPSIN (accents dropped and spaces removed for OPSIN's reading only: "N - phényl- N- [1-(1-phénylpropan-2-yl)-
   4-pipéridyl]propanamide").

Left out, by rule: isotope-labelled records (``C-11``, ``11C-``), code-like abbreviations and names of 5 characters
or fewer (as in the other build scripts: "OMF", "3-MF"), a record whose fentanyl-stem name names another substance
("Fentanyl impurity F" is DrugBank's synonym of aniline), thenalidine (a 4-anilinopiperidine antihistamine: neither a
fentanyl nor a plain look-alike), names already in names.jsonl (any part, case aside), duplicates.

    python tests/data/names/build_heldout5.py MIRRORS_DIR >> tests/data/names/names.jsonl
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from rdkit import Chem, RDLogger

import sources

RDLogger.DisableLog("rdApp.*")

HERE = Path(__file__).parent
DRUGBANK = ("draskot/Vini", "d92fa6954281af5193a0f6a5c45ba9f2727a2b57", "drugbank_vocabulary.csv")
MASSBANK = ("MassBank/MassBank-data", "13484d415d98f3e8517c34c1e3faa35917cc4d07")
CODE_LIKE = re.compile(r"^(?:(?:ortho|meta|para|[opm]|\d)-)?[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,4})?$|^[A-Za-z]{1,3}[- ]?\d+[A-Za-z]?(-\d+)?$",
                       re.I)
STEM = re.compile(r"fentan[iy]l", re.I)
LOOK_ALIKE = re.compile(r"^fen|fent|tanil", re.I)
# opioids of other classes, by WHO INN stem or class name: not look-alikes (heldout4's rule)
OTHER_OPIOIDS = re.compile(r"orphan|orphin|morph|adol\b|eridin|prodin|codon|methadon|nitazen|thiambuten|bemidon|"
                           r"azocin|piminodin|moramid|propiram|tilidin|bezitramid|dipipanon|phenadoxon", re.I)
NOT_FENTANYLS = {"DB06728", "DB04826"}  # aniline ("Fentanyl impurity F"), thenalidine
ISOTOPE = re.compile(r"\bC-11\b|\b11C-", re.I)


def drugbank_records(git_dir: str):
    repo, commit, path = DRUGBANK
    text = sources.git_show(git_dir, commit, path).decode("utf-8")
    for r in csv.DictReader(io.StringIO(text)):
        names = [r["Common name"].strip(), *(s.strip() for s in r["Synonyms"].split(" | ") if s.strip())]
        url = f"https://go.drugbank.com/drugs/{r['DrugBank ID']}"
        title = (f"DrugBank open-data vocabulary, {r['DrugBank ID']} {r['Common name']} (CAS {r['CAS'] or 'none'}): "
                 f"common name, synonyms, InChIKey (as stored in {repo}, commit {commit[:7]})")
        yield r["DrugBank ID"], names, r["Standard InChI Key"].strip(), url, title


def massbank_records(git_dir: str):
    repo, commit = MASSBANK
    hits = subprocess.run(["git", "--git-dir", git_dir, "grep", "-il", "fentan", commit],
                          capture_output=True, text=True).stdout.split()
    for hit in hits:
        path = hit.split(":", 1)[1]
        rec = sources.git_show(git_dir, commit, path).decode("utf-8")
        names = re.findall(r"^CH\$NAME: (.+)$", rec, re.M)
        smiles = re.search(r"^CH\$SMILES: (\S+)", rec, re.M)
        ik = re.search(r"^CH\$LINK: INCHIKEY (\S+)", rec, re.M)
        if not smiles or not (STEM.search(" ".join(names)) or "Fentanyls" in rec):
            continue
        acc = re.search(r"^ACCESSION: (\S+)", rec, re.M).group(1)
        url = f"https://massbank.eu/MassBank/RecordDisplay?id={acc}"
        title = f"MassBank record {acc} (CH$NAME, CH$SMILES; as stored in {repo}, commit {commit[:7]}, {path})"
        yield names, smiles.group(1), ik.group(1) if ik else "", url, title


def page_rows():
    with open(HERE / "heldout5_pages.tsv", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def for_opsin(name: str) -> str:
    """Accents dropped and spaces removed: OPSIN reads the French name as the English one it spells."""
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"\s+", "", name)


def main(mirrors: str) -> None:
    m = Path(mirrors)
    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["name"].casefold() for line in f if line.strip()}
    out = []

    def add(name, ik, smiles, label, source, origin, note):
        name = re.sub(r"\s+", " ", name).strip()
        low = name.casefold()
        if not name or low in seen or len(name) <= 5 or CODE_LIKE.match(name) or ISOTOPE.search(name):
            return
        seen.add(low)
        row = {"name": name, "inchikey": ik, "smiles": smiles, "label": label, "lang": "en", "source": source,
               "origin": origin, "part": "heldout5", "note": note}
        out.append(row)

    for names, smi, ik, url, title in massbank_records(str(m / "MassBank+MassBank-data/repo")):
        p = sources.parent(smi)
        if p is None:
            continue
        if ik and ik[:14] != p[1][:14]:
            print(f"MassBank {url}: InChIKey {ik} and SMILES disagree; left out", file=sys.stderr)
            continue
        for n in names:
            add(n, p[1], p[0], "positive", {"url": url, "title": title}, "MassBank record",
                "structure: the record's CH$SMILES")

    for dbid, names, ik, url, title in drugbank_records(str(m / "draskot+Vini/repo")):
        if dbid in NOT_FENTANYLS or not re.match(r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$", ik):
            continue
        if any(ISOTOPE.search(n) for n in names):
            continue
        if any(STEM.search(n) for n in names):
            for n in names:
                add(n, ik, "", "positive", {"url": url, "title": title}, "DrugBank vocabulary",
                    "structure: the InChIKey DrugBank states for the record")
        elif any(LOOK_ALIKE.search(n) for n in names) and not any(OTHER_OPIOIDS.search(n) for n in names):
            for n in names:
                if LOOK_ALIKE.search(n) and len(n) <= 40:
                    add(n, ik, "", "negative", {"url": url, "title": title}, "DrugBank vocabulary (look-alike)",
                        "look-alike: a drug of another class whose name shares a fragment with fentanyl names")

    by_id = {dbid: ik for dbid, _, ik, _, _ in drugbank_records(str(m / "draskot+Vini/repo"))}
    pages = list(page_rows())
    from audit_labels import opsin_read

    opsin = opsin_read([for_opsin(text) for _, kind, text, *_ in pages if kind == "name"])
    how = {"drugbank-id": "the DrugBank ID the page prints",
           "drugbank-by-cas": "the CAS number the page prints (DrugBank's record of that CAS)",
           "drugbank-by-name": "the INN or English name the page gives the substance (DrugBank's record of that name)"}
    for name, kind, text, url, title, lang in pages:
        if kind == "name":
            p = sources.parent(opsin.get(for_opsin(text)) or "")
            if p is None:
                print(f"OPSIN does not read {text!r}; {name!r} left out", file=sys.stderr)
                continue
            ik, smi, note = p[1], p[0], f"structure: the page's systematic name '{text}' read by OPSIN"
        else:
            ik, smi, note = by_id[text], "", f"structure: DrugBank {text}'s InChIKey, joined by {how[kind]}"
        before = len(out)
        add(name, ik, smi, "positive", {"url": url, "title": title}, "stored web page (other languages)", note)
        if len(out) > before:
            out[-1]["lang"] = lang

    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(out)} rows: {sum(r['label'] == 'positive' for r in out)} positive", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
