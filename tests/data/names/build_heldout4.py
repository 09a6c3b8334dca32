"""Builds the fourth held-out part (``part: "heldout4"``) of names.jsonl from sources no other part uses.

Run once by hand (not by the tests); the sources are not part of fentwatch. Written and frozen before fentwatch was
run on any of its rows (session 5); never used to tune it. Three sources:

1. ``heldout4_pages.tsv``: names as stored public web pages print them (WHO ECDD repository, EMCDDA reports, DEA
   orders in the Federal Register not used by the US control-list part, copies of Wikipedia articles, a journal
   article), each with the structure the same page states (its SMILES or InChI, or its systematic name read by
   OPSIN). Where a page states the structure a second time and the two disagree (the ECDD repository's "IUPAC name"
   field names a synthetic cannabinoid or pregabalin on some fentanyl pages), the row keeps the substance
   identification's structure and carries the other in ``other_statements``: ``audit_labels.py`` then marks it
   (``label_conflict``, shown, not scored) unless another source settles it.
2. ``Benzyl-titanium/designdrugs`` (``docs/designdrugs.md``, commit 4deb08b): a Chinese catalogue of designer drugs
   not (yet) controlled in China, one table per class, each row with CAS, English (IUPAC-style) name, a remark
   (often the common name) and the structure as a SMILES in its image file name. Rows of its fentanyl-like class
   (类芬太尼) are positives; look-alike negatives are the rows of its non-opioid classes whose names carry a fragment
   of fentanyl names (piperidin, phenylethyl/phenethyl, anilin, propanamide/propionamide, fen-). Opioids of other
   classes (pethidine-like, brorphine ...) are left out: they are controlled in many places, as lookalikes.yaml says.
   Rows the catalogue strikes through (controlled since) are kept: the name is what it is.
3. ``josikinzz/dosewiki`` (commit 34b2463): TripSit factsheet aliases (``PROTESTKIT - X.json``) of the substances
   for which the same folder holds an Isomer Design page (``ISOMERDESIGN - X.md``: names, IUPAC name, SMILES): the
   collector's folder joins the two; the structure is Isomer Design's SMILES (named in each row's note).

Cleaning, by rule: a space after a hyphen inside a word is the page's line break ("para- fluorobutyryl fentanyl"
is written "para-fluorobutyryl fentanyl"); for OPSIN's reading only, spaces next to brackets and hyphens are
dropped and U+2010 hyphens read as "-". Left out: code-like abbreviations and names of 5 characters or fewer
(as in the other build scripts), names already in names.jsonl (any part, case-insensitive), duplicates.

    python tests/data/names/build_heldout4.py MIRRORS_DIR >> tests/data/names/names.jsonl
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

from rdkit import Chem, RDLogger

import sources

RDLogger.DisableLog("rdApp.*")

HERE = Path(__file__).parent
DESIGN = ("Benzyl-titanium/designdrugs", "4deb08b7076833ebf474b0af5dbdba861c87b063", "docs/designdrugs.md")
DOSEWIKI = ("josikinzz/dosewiki", "34b24637f534b2bdad201ffbba25377b2de4c9e8", "drug-info-articles/")
CODE_LIKE = re.compile(r"^(?:(?:ortho|meta|para|[opm]|\d)-)?[A-Z0-9]{1,6}(?:-[A-Z0-9]{1,4})?$|^[A-Za-z]{1,3}[- ]?\d+[A-Za-z]?(-\d+)?$",
                       re.I)
LOOK_ALIKE = re.compile(r"piperidin|phenylethyl|phenethyl|anilin|propanamide|propionamide|^fen", re.I)
OTHER_OPIOIDS = {"Utopioid", "新型阿片", "阿片杂项", "类哌替啶", "类美沙酮", "吗啡喃", "AP", "类曲马多", "~~苯并咪唑~~"}


def line_breaks_joined(name: str) -> str:
    return re.sub(r"(?<=\w)- (?=\w)", "-", name).strip()


def for_opsin(name: str) -> str:
    name = name.replace("\u2010", "-").replace("\u2011", "-")
    return re.sub(r"(?<=[-\[\]\(\)\{\}])\s+|\s+(?=[-\[\]\(\)\{\}])", "", line_breaks_joined(name))


def structure_of(kind: str, text: str, opsin: dict) -> tuple[str, str] | None:
    if kind == "smiles":
        return sources.parent(text)
    if kind == "inchi":
        mol = Chem.MolFromInchi(text)
        return sources.parent(Chem.MolToSmiles(mol)) if mol is not None else None
    return sources.parent(opsin.get(for_opsin(text)) or "")


def page_rows():
    with open(HERE / "heldout4_pages.tsv", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                cols = line.rstrip("\n").split("\t") + [""] * 7
                yield cols[:7]


def designdrugs_rows(git_dir: str):
    repo, commit, path = DESIGN
    text = sources.git_show(git_dir, commit, path).decode()
    url = f"https://github.com/{repo}/blob/{commit}/{path}"
    for section in re.split(r"\n# ", text)[1:]:
        heading = section.split("\n", 1)[0].strip()
        for tr in re.findall(r"<tr>(.*?)</tr>", section, re.S):
            tds = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
            if len(tds) < 5 or "<strong>" in tds[0]:
                continue
            img = re.search(r'src="images/(.*?)_200\.svg"', tds[4])
            if not img:
                continue
            smiles = urllib.parse.unquote(img.group(1))
            plain = [html.unescape(re.sub(r"<[^>]+>", "", td)).strip() for td in tds[:4]]
            names = [plain[2], *[n.strip() for n in re.split(r"[()（）,，]", plain[3]) if n.strip()]]
            yield heading, names, smiles, plain[1], url


def dosewiki_rows(git_dir: str):
    repo, commit, folder = DOSEWIKI
    files = subprocess.check_output(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", commit, folder]).decode()
    for path in files.split("\n"):
        if not path.endswith(".md") or "/ISOMERDESIGN - " not in path:
            continue
        substance = path.split("/")[-2]
        md = sources.git_show(git_dir, commit, path).decode()
        smiles = re.search(r"\*\*SMILES:\*\* `([^`]+)`", md)
        if not smiles or not sources.STEM.search(md.split("\n", 1)[0]):
            continue
        iso_url = re.search(r"\*Source: (\S+?)\*", md).group(1)
        names = [n.strip() for n in (re.search(r"\*\*Names:\*\* (.+)", md) or [None, ""])[1].split(",") if n.strip()]
        iupac = re.search(r"\*\*IUPAC Name:\*\* (.+)", md)
        names += [iupac.group(1).strip()] if iupac else []
        for n in names:
            yield n, smiles.group(1), iso_url, f"Isomer Design PiHKAL explorer: {substance} (names, IUPAC name, SMILES), as stored in {repo}", ""
        kit = f"{folder}{substance}/PROTESTKIT - {substance}.json"
        try:
            aliases = json.loads(sources.git_show(git_dir, commit, kit)).get("aliases") or []
        except subprocess.CalledProcessError:
            aliases = []
        for a in aliases:
            yield (a.strip().rstrip(","), smiles.group(1), f"https://drugs.tripsit.me/{substance.lower()}",
                   f"TripSit factsheet: {substance}, aliases (as stored in {repo})",
                   f"structure: the SMILES of Isomer Design's page in the same folder ({iso_url})")


def main(mirrors: str) -> None:
    m = Path(mirrors)
    with open(HERE / "names.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["name"].casefold() for line in f if line.strip()}
    pages = list(page_rows())
    from audit_labels import opsin_read

    opsin = opsin_read([for_opsin(t) for r in pages for t in (r[2], r[6]) if t] +
                       [for_opsin(r[0]) for r in pages])
    out = []

    def add(name, smiles_ik, label, source, origin, note="", other=None):
        name = line_breaks_joined(name)
        low = name.casefold()
        if not name or low in seen or len(name) <= 5 or CODE_LIKE.match(name) or smiles_ik is None:
            return
        seen.add(low)
        smiles, ik = smiles_ik
        row = {"name": name, "inchikey": ik, "smiles": smiles, "label": label, "lang": "en", "source": source,
               "origin": origin, "part": "heldout4"}
        if note:
            row["note"] = note
        if other:
            row["other_statements"] = other
        out.append(row)

    for name, kind, text, url, title, kind2, text2 in pages:
        first = structure_of(kind, text, opsin)
        other = None
        if kind2 and text2:
            second = structure_of(kind2, text2, opsin)
            if second is not None:
                other = [{"inchikey": second[1], "what": f"the same page's {kind2} '{text2}'" + (" read by OPSIN" if kind2 == "name" else "")}]
        add(name, first, "positive", {"url": url, "title": title}, "stored web page",
            note=f"structure: the page's {kind}" + ("" if kind != "name" else " read by OPSIN"), other=other)

    fentanyl_like = Chem.MolFromSmarts("O=C[NX3](c)[CX4;R]")
    for heading, names, smiles, cas, url in designdrugs_rows(str(m / "Benzyl-titanium+designdrugs/repo")):
        title = f"Benzyl-titanium/designdrugs: designer-drug catalogue, class {heading} (CAS {cas or 'none'}): name, remark, SMILES"
        p = sources.parent(smiles)
        if heading == "类芬太尼":
            for n in names:
                add(n, p, "positive", {"url": url, "title": title}, "designer-drug catalogue (fentanyl-like class)",
                    note="structure: the SMILES the catalogue gives")
        elif heading not in OTHER_OPIOIDS and any(LOOK_ALIKE.search(n) for n in names):
            if p and Chem.MolFromSmiles(p[0]).HasSubstructMatch(fentanyl_like):
                continue  # an anilide on a ring carbon: not a look-alike to be sure of
            for n in names:
                add(n, p, "negative", {"url": url, "title": title}, "designer-drug catalogue (other class)",
                    note=f"look-alike: a designer drug of another class ({heading}) whose name shares a fragment with fentanyl names")

    for name, smiles, url, title, note in dosewiki_rows(str(m / "josikinzz+dosewiki/repo")):
        add(name, sources.parent(smiles), "positive", {"url": url, "title": title}, "TripSit / Isomer Design",
            note=note or "structure: Isomer Design's SMILES")

    for row in out:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(out)} rows: {sum(r['label'] == 'positive' for r in out)} positive", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
