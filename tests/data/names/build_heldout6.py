"""Builds the sixth held-out part (``part: "heldout6"``) of names.jsonl from sources no other part uses.

Run once by hand (not by the tests); the sources are not part of fentwatch. Written and frozen before fentwatch was
run on any of its rows (session 7); never used to tune it before its once-scored figure was taken. Two sources:

1. ``josikinzz/dosewiki`` (commit 34b2463, January 2026; fetched with the search tool's ``fetch``:
   ``/work/.mirror/josikinzz+dosewiki/repo``, a bare git directory): a drug-information site's collection of
   articles per substance, each file a copy of one public page about it (``drug-info-articles/<substance>/<SOURCE> -
   <substance>.{md,json}``). Used: TripSit's factsheet records (``PROTESTKIT - *.json``: the substance's name and
   aliases as TripSit writes them: "fentanil", "haldid", "furanyl-fentanyl"), Isomer Design's pages (``ISOMERDESIGN -
   *.md``: an IUPAC name, SMILES and InChI) and the collection's own name for the substance (its folder name:
   "Cyclopentyl-Fentanyl", "Tetrahydrofuran-Fentanyl"). Positives: the substances whose names carry a fentanyl stem;
   the structure is Isomer Design's SMILES where the collection has that page, else the structure that every record of
   the other sources (``sources.py``: the Fentanyl-Hunter library, Kim et al., NIST's spectra, Cayman, SWGDRUG, the
   Slovenian list) giving the same name (case, spaces and hyphens aside) states, when they agree (named in the note);
   a substance no record names, or whose records disagree, is left out. Look-alike negatives: the substances of other
   classes whose names share a fragment with fentanyl names (``-phenid-``, ``piperid``, ``fen``/``phen`` at the start:
   methylphenidate, diphenidine, 4-benzylpiperidine, fenethylline, phenazepam ...), with their TripSit aliases and
   Isomer Design's IUPAC name and structure where there is one; opioids of other classes (nitazenes) are left out.
2. ``heldout6_pages.tsv``: names as stored web pages in other languages and scripts print them (the search tool's
   pages corpus): Persian, Korean (MFDS designation news), Japanese, Thai, Hindi, Bulgarian, German, Italian,
   Portuguese, Croatian and Turkish pages, French and English trade-name lists. The structure: the DrugBank record the
   page points to (its DrugBank ID, or the INN it gives) as stored in ``draskot/Vini`` (as for heldout5), the
   English name the page gives joined to the other sources' records as above, or the page's own systematic name read
   by OPSIN (named in each row's note).

Left out, by rule: names already in names.jsonl (any part, case aside), Latin-script names of 5 characters or fewer
and code-like abbreviations (as in the other build scripts: "fent", "fu-f", "4-FiBF"), duplicates.

    python tests/data/names/build_heldout6.py MIRRORS_DIR >> tests/data/names/names.jsonl
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from rdkit import RDLogger

import sources
from build_heldout5 import CODE_LIKE, drugbank_records

RDLogger.DisableLog("rdApp.*")

HERE = Path(__file__).parent
DOSEWIKI = ("josikinzz/dosewiki", "34b24637f534b2bdad201ffbba25377b2de4c9e8")
STEM = re.compile(r"fentan[iy]l", re.I)
LOOK_ALIKE = re.compile(r"phenid|piperid|^fen|^phen", re.I)
OTHER_OPIOIDS = re.compile(r"nitazen", re.I)
LATIN = re.compile(r"^[\x00-\u024f\s]+$")


def key(name: str) -> str:
    return re.sub(r"[\s\-‐–]+", "", name).casefold()


def record_index(m: Path) -> dict[str, list]:
    """Every record of the other sources by name (case, spaces and hyphens aside)."""
    recs = (sources.hrnps_records(str(m / "FangLabNTU+Fentanyl-Hunter/repo"))
            + sources.kim_records(str(m / "hanbinoh-lab+fentanyl-analog-rt-predictor/repo"))
            + sources.nist_records(str(m / "asm3-nist+FentanylClassifier/repo"))
            + sources.viehauser_records(str(m / "mviehauser+ProgrammierProjekt/repo")))
    idx: dict[str, list] = {}
    for r in recs:
        for n in r.names:
            idx.setdefault(key(n), []).append(r)
    return idx


def joined(idx, english: str):
    """(SMILES, InChIKey, note) of the structure every record named ``english`` states, or None if none or they disagree."""
    recs = [r for r in idx.get(key(english), []) if r.inchikey]
    blocks = {r.inchikey[:14] for r in recs}
    if len(blocks) != 1:
        return None
    best = next((r for r in recs if r.smiles), recs[0])
    fams = sorted({r.family for r in recs})
    return best.smiles, best.inchikey, f"records named '{english}' in {', '.join(fams)}"


def dosewiki_substances(git_dir: str):
    repo, commit = DOSEWIKI
    files = subprocess.check_output(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", commit,
                                     "drug-info-articles/"]).decode().split("\n")
    by_dir: dict[str, list[str]] = {}
    for f in files:
        parts = f.split("/")
        if len(parts) == 3 and (parts[2].endswith(".json") or parts[2].endswith(".md")):
            by_dir.setdefault(parts[1], []).append(f)
    for sub, paths in sorted(by_dir.items()):
        names, smiles, iupac, urls = [sub], "", "", []
        for p in paths:
            text = sources.git_show(git_dir, commit, p).decode("utf-8", "replace")
            if p.endswith(".json") and "PROTESTKIT" in p:
                try:
                    d = json.loads(text)
                except ValueError:
                    continue
                names += [d.get("name") or "", *(d.get("aliases") or [])]
                urls.append(d.get("url") or "")
            elif "ISOMERDESIGN" in p:
                s = re.search(r"\*\*SMILES:\*\* `([^`]+)`", text)
                i = re.search(r"\*\*IUPAC Name:\*\* (.+)", text)
                smiles, iupac = (s.group(1) if s else ""), (i.group(1).strip() if i else "")
                u = re.search(r"\*Source: (\S+)\*", text)
                urls.append(u.group(1) if u else "")
        if iupac:
            names.append(iupac)
        yield sub, [n.strip() for n in names if n and n.strip()], smiles, [u for u in urls if u]


def page_rows():
    with open(HERE / "heldout6_pages.tsv", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def main(mirrors: str) -> None:
    m = Path(mirrors)
    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["name"].casefold() for line in f if line.strip()}
    out = []

    def add(name, ik, smiles, label, source, origin, note, lang="en"):
        name = re.sub(r"\s+", " ", name).strip().strip(",;")
        low = name.casefold()
        if not name or low in seen:
            return
        if LATIN.match(name) and (len(name) <= 5 or CODE_LIKE.match(name)):
            return
        seen.add(low)
        out.append({"name": name, "inchikey": ik, "smiles": smiles, "label": label, "lang": lang, "source": source,
                    "origin": origin, "part": "heldout6", "note": note})

    idx = record_index(m)
    repo, commit = DOSEWIKI
    for sub, names, smi, urls in dosewiki_substances(str(m / "josikinzz+dosewiki/repo")):
        src = {"url": f"https://github.com/{repo}/tree/{commit}/drug-info-articles/{sub}",
               "title": f"dosewiki article collection, {sub}: TripSit factsheet record (name, aliases) and Isomer Design "
                        f"page (IUPAC name, SMILES) where there is one ({'; '.join(urls) or 'no page address'})"}
        if any(STEM.search(n) for n in names):
            p = sources.parent(smi) if smi else None
            if p:
                s, ik, note = p[0], p[1], "structure: Isomer Design's SMILES for the substance (its page in the collection)"
            else:
                j = next((joined(idx, n) for n in names if joined(idx, n)), None)
                if j is None:
                    print(f"dosewiki {sub}: no agreeing record of another source; left out", file=sys.stderr)
                    continue
                s, ik, note = j[0], j[1], f"structure joined by name: {j[2]}"
            for n in names:
                add(n, ik, s, "positive", src, "dosewiki (TripSit / Isomer Design)", note)
        elif LOOK_ALIKE.search(sub) and not any(OTHER_OPIOIDS.search(n) for n in names):
            p = sources.parent(smi) if smi else None
            for n in names:
                add(n, p[1] if p else "", p[0] if p else "", "negative", src, "dosewiki (look-alike)",
                    "look-alike: a substance of another class whose name shares a fragment with fentanyl names")

    by_id, by_name = {}, {}
    for dbid, names, ik, _, _ in drugbank_records(str(m / "draskot+Vini/repo")):
        by_id[dbid] = ik
        by_name.setdefault(names[0].casefold(), (dbid, ik))
    pages = list(page_rows())
    from audit_labels import opsin_read

    opsin = opsin_read([k for _, kind, k, *_ in pages if kind == "name"])
    for name, kind, k, url, title, lang in pages:
        if kind == "name":
            p = sources.parent(opsin.get(k) or "")
            if p is None:
                print(f"OPSIN does not read {k!r}; left out", file=sys.stderr)
                continue
            ik, smi, note = p[1], p[0], f"structure: the page's systematic name '{k}' read by OPSIN"
        elif kind == "drugbank-id":
            ik, smi, note = by_id[k], "", f"structure: DrugBank {k}'s InChIKey (the DrugBank ID the page prints)"
        elif kind == "drugbank-by-name":
            dbid, ik = by_name[k.casefold()]
            smi, note = "", f"structure: DrugBank {dbid}'s InChIKey (the INN '{k}' the page gives)"
        else:
            j = joined(idx, k)
            if j is None:
                print(f"page {url}: no agreeing record named {k!r}; {name!r} left out", file=sys.stderr)
                continue
            smi, ik, note = j[0], j[1], f"structure joined by the English name the page gives: {j[2]}"
        add(name, ik, smi, "positive", {"url": url, "title": title}, "stored web page (other languages)", note, lang)

    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(out)} rows: {sum(r['label'] == 'positive' for r in out)} positive", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
