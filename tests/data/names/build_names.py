"""Builds names.jsonl, the labelled set of real names, from local copies of its public sources.

Run once by hand (not by the tests); the sources are not part of fentwatch. Each row carries over only facts the
source states (the name as written, its InChIKey and/or SMILES) and names that source; nothing here comes from a
parser of ours. See README.md in this folder for the sources, the exclusions and the split.

    python tests/data/names/build_names.py HRNPS_CSV KIM_CSV tests/data/names/china_catalogue.tsv \\
        tests/data/names/us_control_lists.tsv > tests/data/names/names.jsonl
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys

from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")

HRNPS = {
    "url": "https://github.com/FangLabNTU/Fentanyl-Hunter/blob/e57ad86452899a2ccfaa0dc9b450cd7f7c7d1e10/"
           "Other%20Scripts%20Used/4.%20Suspect%20screening%20for%20fentanyl/Fentnayl_lib.csv",
    "title": "Fentanyl-Hunter suspect-screening library (Fentnayl_lib.csv): fentanyl analog spectra with name, "
             "InChIKey and SMILES, each row marked with its origin library",
}
KIM = {
    "url": "https://github.com/hanbinoh-lab/fentanyl-analog-rt-predictor/blob/f8cec1cb19ab3715d49b14099843a08e006a26e2/"
           "data/raw/base.csv",
    "title": "Kim J et al., Anal Chim Acta 2025;1336:343479 (93 fentanyl analogs), compound names with curated SMILES "
             "(fentanyl-analog-rt-predictor, data/raw/base.csv)",
}
CATALOGUE = {
    "url": "https://github.com/Benzyl-titanium/Structural-formula/tree/e18447340aa9cc4b4d1e14aba023ae447bb388ba",
    "title": "Secondary transcription of China's controlled-drug catalogues (麻醉药品目录; 非药用类麻醉药品和精神药品管制品种"
             "增补目录): Chinese name, English name, CAS per row",
}


# The Chinese systematic name of fentanyl as written in the 2019 class-listing announcement and in pages quoting it
# (full-width brackets, the letter l for the digit 1, 呱啶 for 哌啶 in traditional-script copies): each as found.
ZH_SYSTEMATIC = [
    ("N-[1-（2-苯乙基）-4-哌啶基]-N-苯基丙酰胺", CATALOGUE["url"], CATALOGUE["title"] + " (class-listing text)"),
    ("N-[1-(2-苯乙基)-4-呱啶基]-N-苯基丙酰胺", "https://www.finet.hk/newscenter/news_content/5ca16e0bbde0b335d36aee19",
     "財華網 (Xinhua wire, 2019): 芬太尼類物質列入增補目錄, the announcement's definition"),
    ("N-(l-(2-苯乙基)-4-哌啶基)-N-苯基丙酰胺", "https://m.fx361.com/news/2020/0728/17661316.html",
     "周志刚, 郑篮君: 芬太尼类物质合成及列管思考, 云南警官学院学报 2020(4)"),
    ("N-〔l-(2-苯乙基)-4-哌啶基〕-N-苯基丙酰胺", "http://www.scicat.cn/nn/20220423/2401298.html",
     "止痛药芬太尼 何以成为新一代毒品之王 (scicat.cn, 2022)"),
]
LOOKALIKES = "lexicon/lookalikes.yaml"


def key_of(smiles: str) -> str | None:
    mol = Chem.MolFromSmiles(smiles)
    return Chem.MolToInchiKey(mol) if mol is not None else None


# Words of a name that promise a part of the structure, and that part as SMARTS: a row whose structure lacks a part
# its name promises is a slip in the source (a name pasted onto another row's structure) and is left out.
PROMISES = [
    (r"fluoro", "[F]"), (r"chloro", "[Cl]"), (r"bromo", "[Br]"), (r"iodo", "[I]"), (r"nitro", "[N+](=O)[O-]"),
    (r"(?<!thio)furan", "[#8;R]"), (r"thio(?!l)|thien|thioph", "[#16]"), (r"cyclopropyl", "[CX4]1[CX4][CX4]1"),
    (r"cyclobutyl", "[CX4]1[CX4][CX4][CX4]1"), (r"cyclopentyl|cylcopentyl", "[CX4]1[CX4][CX4][CX4][CX4]1"),
    (r"methoxy", "[CH3][OX2]"), (r"isobutyr", "[CH3][CH]([CH3])C(=O)N"), (r"(?<!iso)butyr", "[CH3][CH2][CX4]C(=O)"),
    (r"(?<!iso)valeryl", "[CH3][CH2][CH2][CH2]C(=O)N"), (r"acryl", "C=CC(=O)N"),
]


# And the other way round, for descriptive names (those built on "fentanyl"): a part of the structure that a
# descriptive name would have to mention. INN-style names (mirfentanil, thiafentanil ...) say nothing of their parts.
MENTIONS = [
    ("[F]", r"fluor|tfm|-f-"), ("[Cl]", r"chlor"), ("[Br]", r"brom|2c-b|3c-b"), ("[I]", r"iod"),
    ("[CX4]1[CX4][CX4]1", r"cyclopropyl|cyclopropane"), ("[o]", r"furan|apb|oxazol"),
    ("[#16]", r"thio|thien|thioph|sulf"), ("[N+](=O)[O-]", r"nitro"),
]
# A descriptive "... fentanyl" name without an acyl word stands for the propionyl anilide; a structure with another
# acyl group under such a name is a slip ("meta-fluorofentanyl" drawn as the valeryl amide).
ANILIDE = "[#6,#7,#8]C(=O)N([a])[CX4;R]"
PROPIONYL = "[CH3][CH2]C(=O)N([a])[CX4;R]"
ACYL_WORDS = (r"acet|acr[iy]l|butyr|isobutyl|valer|pentano|hexano|heptano|furan|thioph|thien|cyclo|cylco|benzo|phenyl|omega|"
              r"toluoyl|croton|tigl|senecio|pivalo|carbam|amido|cinnamo|propanyl|dioxol|carbox|carfent|remifent|"
              r"sufent|alfent|acid|ester|methoxymethyl|ethoxy|phenoxy|oxide|isothiocyan")
# ortho-/meta-/para- (or o-/m-/p-) without primes place a substituent on the ring of the anilide (or aniline) nitrogen.
RING_POSITIONS = {
    "ortho": "[!#1;!c]-c1ccccc1[NX3][CX4;R]",
    "meta": "[!#1;!c]-c1cccc(c1)[NX3][CX4;R]",
    "para": "[!#1;!c]-c1ccc(cc1)[NX3][CX4;R]",
}


def ring_position(low: str) -> str | None:
    """The one ring position a name without primes states, if it states exactly one."""
    if re.search(r"['′\"]|toluoyl|phenyl\)", low):
        return None
    found = {w for w in RING_POSITIONS if re.search(rf"\b{w}-", low)}
    found |= {w for w in RING_POSITIONS if re.search(rf"(^|[\s(]){w[0]}-", low)}
    return found.pop() if len(found) == 1 else None


# A carbon carrying both fluorine and nitrogen (an alpha-fluoroamine) is not a structure a seller's name stands for.
IMPLAUSIBLE = "[CX4]([F])[#7]"


def keeps_promises(name: str, smiles: str) -> bool:
    mol = Chem.MolFromSmiles(smiles) if smiles else None
    if mol is None:
        return True  # nothing to check against
    low = name.lower()
    if mol.HasSubstructMatch(Chem.MolFromSmarts(IMPLAUSIBLE)):
        return False
    if not all(mol.HasSubstructMatch(Chem.MolFromSmarts(smarts)) for word, smarts in PROMISES if re.search(word, low)):
        return False
    position = ring_position(low)
    if position and not mol.HasSubstructMatch(Chem.MolFromSmarts(RING_POSITIONS[position])):
        return False
    descriptive = "fentanyl" in low and not re.fullmatch(r"[a-z]+fentanyl", low)  # one-word names: INN-like
    if (descriptive and mol.HasSubstructMatch(Chem.MolFromSmarts(ANILIDE))
            and not mol.HasSubstructMatch(Chem.MolFromSmarts(PROPIONYL)) and not re.search(ACYL_WORDS, low)):
        return False
    if descriptive:
        return all(re.search(words, low) for smarts, words in MENTIONS if mol.HasSubstructMatch(Chem.MolFromSmarts(smarts)))
    return True


def part_of(inchikey: str) -> str:
    """Held out: a third of the structures, chosen by a hash of the InChIKey (all names of one structure together)."""
    return "heldout" if hashlib.sha1(inchikey.encode()).digest()[0] % 3 == 0 else "tuning"


def damaged(name: str) -> bool:
    return "?" in name or "\ufffd" in name or not name.strip() or name != name.strip()


def main(hrnps_csv: str, kim_csv: str, catalogue_tsv: str, control_tsv: str = "") -> None:
    rows, seen, by_english, dropped, structures = [], set(), {}, [], {}

    def add(name, inchikey, smiles, source, origin, lang="en", kind="positive", note=""):
        k = (name.casefold(), inchikey)
        if k in seen:
            return
        if kind == "positive" and not keeps_promises(name, smiles or structures.get(inchikey, "")):
            dropped.append((name, inchikey, smiles or structures.get(inchikey, "")))
            return
        seen.add(k)
        row = {"name": name, "inchikey": inchikey, "smiles": smiles, "label": kind, "lang": lang,
               "source": source, "origin": origin}
        if note:
            row["note"] = note
        rows.append(row)

    with open(hrnps_csv, encoding="utf-8", errors="replace") as f:
        for r in csv.DictReader(f):
            name, ik, smi = r["Name"], r["InChlKey"].strip(), r["SMILES"].strip()
            if damaged(name):
                continue  # encoding damage in the source file (α/β lost, stray '?'): the name is not as written
            if smi and key_of(smi) != ik:
                smi = ""  # SMILES disagrees with the stated InChIKey (stereo lost): keep the source's InChIKey only
            if smi:
                structures[ik] = smi
            origin = r["Source"] or "unspecified"
            add(name, ik, smi, HRNPS, f"Fentanyl-Hunter library, origin {origin}")
            by_english.setdefault(name.casefold(), (ik, smi))

    with open(kim_csv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ik = key_of(r["smiles"])
            for name in r["compound"].split("/"):  # "2-Fluorofentanyl/ortho-Fluorofentanyl": two names, one row
                add(name.strip(), ik, r["smiles"], KIM, "Kim et al. 2025")

    with open(catalogue_tsv, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            zh, english, cas, structure_from = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
            ik, smi = by_english[structure_from.casefold()]
            note = f"structure: the InChIKey the Fentanyl-Hunter library gives for '{structure_from}'; CAS {cas} in the catalogue"
            add(zh, ik, smi, CATALOGUE, "China catalogue", lang="zh", note=note)
            add(english, ik, smi, CATALOGUE, "China catalogue", note=note)

    if control_tsv:
        with open(control_tsv, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                name, structure_from, url, title = line.rstrip("\n").split("\t")
                ik, smi = by_english[structure_from.casefold()]
                add(name, ik, smi, {"url": url, "title": title}, "US control list",
                    note=f"structure: the InChIKey the Fentanyl-Hunter library gives for '{structure_from}'")

    fentanyl_ik, fentanyl_smi = by_english["fentanyl"]
    for name, url, title in ZH_SYSTEMATIC:
        add(name, fentanyl_ik, fentanyl_smi, {"url": url, "title": title}, "Chinese systematic name", lang="zh",
            note="structure: the InChIKey the Fentanyl-Hunter library gives for 'Fentanyl'")

    # Negatives: the look-alike drugs and pesticides of the lexicon, with their names and synonyms as their sources
    # give them; short abbreviations (4-AP, NPP, PEA ...) are left out: alone they also name controlled chemicals.
    import yaml

    with open(LOOKALIKES, encoding="utf-8") as f:
        for la in yaml.safe_load(f)["lookalikes"]:
            for name in [la["name"], *la.get("synonyms", [])]:
                if len(name) <= 5 or re.fullmatch(r"[A-Za-z]{1,3}[- ]?\d+(-\d+)?", name):
                    continue
                add(name, la.get("inchikey") or "", la.get("smiles") or "", la["source"], "lexicon look-alikes",
                    kind="negative", note=la["why"])

    for row in rows:
        row["part"] = part_of(row["inchikey"] or row["name"].casefold())
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    for name, ik, smi in dropped:
        print(f"left out (name and structure disagree in the source): {name} {ik} {smi}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:5])
