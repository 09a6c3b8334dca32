#!/usr/bin/env python3
"""Build fentwatch's labeled evaluation corpus (deterministic; seeded random).

Writes tests/data/corpus/listings.jsonl, labels.jsonl and README.md.

    python tests/data/make_corpus.py                # regenerate
    python tests/data/make_corpus.py --check-opsin  # also check every systematic name with OPSIN (needs py2opsin + Java)

Every fact about a controlled substance (names, synonyms, CAS numbers of base and salt forms, SMILES, InChIKey)
is read at run time from lexicon/substances/*.yaml; harmless look-alikes come from lexicon/lookalikes.yaml.
The corpus is built independently of detect/: it describes listings as they appear, not what a detector catches.
The text is advertisement copy only (names, purity, packaging, prices, fake contacts); nothing about making anything.
"""

import argparse
import collections
import glob
import json
import os
import random
import sys
import tempfile

import yaml
from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors, rdMolDescriptors

RDLogger.DisableLog("rdApp.*")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
LEXICON = os.path.join(ROOT, "lexicon")
OUT = os.path.join(HERE, "corpus")
SEED = 20250917
BASE_URL = "http://127.0.0.1:8000"

# ----------------------------------------------------------------------------------------------- CAS helpers


def cas_valid(cas):
    """True when cas is NNNNNNN-NN-N with a correct check digit."""
    parts = cas.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    a, b, c = parts
    if not (2 <= len(a) <= 7 and len(b) == 2 and len(c) == 1) or a[0] == "0":
        return False
    body = a + b
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10 == int(c)


def CAS(cas):
    """Every CAS number printed goes through here (except the deliberate bad-check-digit negatives)."""
    assert cas_valid(cas), f"bad CAS check digit: {cas}"
    return cas


def bad_cas_variants(cas):
    """CAS-shaped numbers one digit off `cas` that fail the check digit."""
    out = []
    digits = cas.replace("-", "")
    for pos in range(len(digits)):
        for d in "0123456789":
            if d == digits[pos] or (pos == 0 and d == "0"):
                continue
            s = digits[:pos] + d + digits[pos + 1:]
            c = f"{s[:-3]}-{s[-3:-1]}-{s[-1]}"
            if not cas_valid(c):
                out.append(c)
    return out


FW_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")


def fullwidth(s):
    return "".join(chr(ord(ch) + 0xFEE0) if 0x21 <= ord(ch) <= 0x7E else ("\u3000" if ch == " " else ch) for ch in s)


# ----------------------------------------------------------------------------------------------- chemistry helpers


def mol(smi):
    m = Chem.MolFromSmiles(smi)
    assert m is not None, f"SMILES does not parse: {smi}"
    return m


def inchikey(smi):
    return Chem.MolToInchiKey(mol(smi))


def mf_mw(smi):
    m = mol(smi)
    return rdMolDescriptors.CalcMolFormula(m), f"{Descriptors.MolWt(m):.2f}"


def parent_key(smi):
    """InChIKey of the largest fragment (salt-free parent)."""
    frags = sorted(Chem.GetMolFrags(mol(smi), asMols=True), key=lambda f: f.GetNumHeavyAtoms(), reverse=True)
    return Chem.MolToInchiKey(frags[0])


# ----------------------------------------------------------------------------------------------- lexicon


def load_lexicon():
    subs = {}
    for path in sorted(glob.glob(os.path.join(LEXICON, "substances", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            d = yaml.safe_load(f)
        d.setdefault("forms", [])
        d["forms"] = d["forms"] or []
        d["names"] = d.get("names") or {}
        rd_key = inchikey(d["smiles"])
        if rd_key != d["inchikey"]:
            print(f"warning: {d['id']}: lexicon InChIKey {d['inchikey']} != RDKit {rd_key}", file=sys.stderr)
        subs[d["id"]] = d
    with open(os.path.join(LEXICON, "lookalikes.yaml"), encoding="utf-8") as f:
        looks = {x["name"]: x for x in yaml.safe_load(f)["lookalikes"]}
    return subs, looks


def base_cas(s):
    for f in s["forms"]:
        if f["form"] == "base" and f.get("cas"):
            return CAS(str(f["cas"]))
    return None


def salt_forms(s):
    return [(f["form"].split(" (")[0], CAS(str(f["cas"]))) for f in s["forms"] if f["form"] != "base" and f.get("cas")]


def names_of(s, kind):
    return list(s["names"].get(kind) or [])


def plain_name(n):
    """A systematic name in plain ASCII without stereo descriptors or braces (what OPSIN reads reliably)."""
    return n.isascii() and "{" not in n and not any(f"({d}" in n or f",{d})" in n for d in "RSEZ")


# Names that also name something harmless: never used alone as a positive signal.
AMBIGUOUS_ALONE = {"4-ap", "npp", "4-npp", "phenylvaleramide"}

# ----------------------------------------------------------------------------------------------- everyday chemicals
# (name, CAS, SMILES or None). Only well-known CAS numbers; each is check-digit verified at run time.
EVERYDAY = [
    ("Water (purified)", "7732-18-5", "O"),
    ("Ethanol 99.9%", "64-17-5", "CCO"),
    ("Dimethyl sulfoxide (DMSO)", "67-68-5", "CS(C)=O"),
    ("Citric acid anhydrous", "77-92-9", "OC(=O)CC(O)(CC(=O)O)C(=O)O"),
    ("N,N-Dimethylformamide (DMF)", "68-12-2", "CN(C)C=O"),
    ("Acetone", "67-64-1", "CC(C)=O"),
    ("Methanol", "67-56-1", "CO"),
    ("Glycerol", "56-81-5", "OCC(O)CO"),
    ("Sodium chloride", "7647-14-5", None),
    ("Sodium bicarbonate", "144-55-8", None),
    ("Caffeine anhydrous", "58-08-2", "Cn1cnc2c1c(=O)n(C)c(=O)n2C"),
    ("Glycine", "56-40-6", "NCC(=O)O"),
    ("L-Ascorbic acid (Vitamin C)", "50-81-7", None),
    ("Melatonin", "73-31-4", "COc1ccc2[nH]cc(CCNC(C)=O)c2c1"),
    ("Nicotinamide (Niacinamide)", "98-92-0", "NC(=O)c1cccnc1"),
    ("Stearic acid", "57-11-4", "CCCCCCCCCCCCCCCCCC(=O)O"),
    ("Ethyl acetate", "141-78-6", "CCOC(C)=O"),
    ("Tetrahydrofuran (THF)", "109-99-9", "C1CCOC1"),
    ("Benzyl alcohol", "100-51-6", "OCc1ccccc1"),
    ("Sodium benzoate", "532-32-1", None),
    ("Zinc oxide", "1314-13-2", None),
    ("Titanium dioxide rutile", "13463-67-7", None),
    ("Sodium lauryl sulfate", "151-21-3", None),
    ("Biotin", "58-85-5", None),
    ("L-Cysteine", "52-90-4", None),
    ("Fumaric acid", "110-17-8", "OC(=O)/C=C/C(=O)O"),
    ("Succinic acid", "110-15-6", "OC(=O)CCC(=O)O"),
    ("Lauric acid", "143-07-7", "CCCCCCCCCCCC(=O)O"),
    ("Allantoin", "97-59-6", None),
    ("Resveratrol", "501-36-0", None),
    ("Kojic acid", "501-30-4", None),
    ("Minoxidil", "38304-91-5", None),
    ("Aspartame", "22839-47-0", None),
    ("L-Glutathione reduced", "70-18-8", None),
    ("Magnesium stearate", "557-04-0", None),
    ("Potassium carbonate", "584-08-7", None),
    ("Silicon dioxide (fumed silica)", "7631-86-9", None),
    ("Sodium citrate dihydrate", "6132-04-3", None),
    ("DL-Menthol", "89-78-1", None),
    ("Sodium hyaluronate", "9067-32-7", None),
    ("Glycolic acid 70%", "79-14-1", None),
    ("Butyl acrylate", "141-32-2", "CCCCOC(=O)C=C"),
    ("Polyethylene glycol 400", "25322-68-3", None),
    ("Urea", "57-13-6", "NC(N)=O"),
    ("Sucrose", "57-50-1", None),
    ("D-Glucose anhydrous", "50-99-7", None),
    ("Toluene", "108-88-3", "Cc1ccccc1"),
    ("Glacial acetic acid", "64-19-7", "CC(=O)O"),
    ("Isopropyl alcohol (IPA)", "67-63-0", "CC(C)O"),
    ("Acetonitrile", "75-05-8", "CC#N"),
    ("Dichloromethane", "75-09-2", "ClCCl"),
    ("n-Hexane", "110-54-3", "CCCCCC"),
    ("Sodium hydroxide pearls", "1310-73-2", None),
    ("Potassium chloride", "7447-40-7", None),
    ("Calcium carbonate", "471-34-1", None),
    ("Lactic acid", "50-21-5", "CC(O)C(=O)O"),
    ("Salicylic acid", "69-72-7", "OC(=O)c1ccccc1O"),
    ("Benzoic acid", "65-85-0", "OC(=O)c1ccccc1"),
    ("Vanillin", "121-33-5", "COc1cc(C=O)ccc1O"),
    ("Ethylene glycol", "107-21-1", "OCCO"),
    ("Propylene glycol", "57-55-6", "CC(O)CO"),
    ("L-Arginine", "74-79-3", None),
    ("L-Glutamine", "56-85-9", None),
    ("Taurine", "107-35-7", "NCCS(=O)(=O)O"),
    ("Creatine monohydrate", "6020-87-7", None),
    ("Paracetamol (Acetaminophen)", "103-90-2", "CC(=O)Nc1ccc(O)cc1"),
    ("Acetylsalicylic acid (Aspirin)", "50-78-2", "CC(=O)Oc1ccccc1C(=O)O"),
    ("Ibuprofen", "15687-27-1", "CC(C)Cc1ccc(C(C)C(=O)O)cc1"),
    ("Lidocaine", "137-58-6", "CCN(CC)CC(=O)Nc1c(C)cccc1C"),
    ("Lidocaine hydrochloride", "73-78-9", None),
    ("Nicotinic acid (Niacin)", "59-67-6", "OC(=O)c1cccnc1"),
    ("Folic acid", "59-30-3", None),
    ("Riboflavin (Vitamin B2)", "83-88-5", None),
    ("Thiamine hydrochloride", "67-03-8", None),
    ("Pyridoxine hydrochloride", "58-56-0", None),
    ("Cyanocobalamin (Vitamin B12)", "68-19-9", None),
    ("Cholecalciferol (Vitamin D3)", "67-97-0", None),
    ("Sulfanilamide", "63-74-1", "Nc1ccc(S(N)(=O)=O)cc1"),
    ("Magnesium sulfate heptahydrate", "10034-99-8", None),
    ("D-Sorbitol", "50-70-4", None),
    ("Xylitol", "87-99-0", None),
    ("D-Mannitol", "69-65-8", None),
    ("Hydroquinone", "123-31-9", "Oc1ccc(O)cc1"),
    ("Formic acid 85%", "64-18-6", "OC=O"),
    ("L-Tartaric acid", "87-69-4", None),
    ("Maleic acid", "110-16-7", "OC(=O)/C=C\\C(=O)O"),
    ("Sodium acetate anhydrous", "127-09-3", None),
    ("Ammonium chloride", "12125-02-9", None),
    ("Potassium iodide", "7681-11-0", None),
]

LIQUIDS = {"Water (purified)", "Ethanol 99.9%", "Dimethyl sulfoxide (DMSO)", "N,N-Dimethylformamide (DMF)", "Acetone", "Methanol",
           "Glycerol", "Ethyl acetate", "Tetrahydrofuran (THF)", "Benzyl alcohol", "Glycolic acid 70%", "Butyl acrylate",
           "Polyethylene glycol 400", "Toluene", "Glacial acetic acid", "Isopropyl alcohol (IPA)", "Acetonitrile",
           "Dichloromethane", "n-Hexane", "Lactic acid", "Ethylene glycol", "Propylene glycol", "Formic acid 85%"}

# Harmless molecules for SMILES negatives: (label, SMILES)
HARMLESS_SMILES = [
    ("caffeine", "Cn1cnc2c1c(=O)n(C)c(=O)n2C"),
    ("aspirin", "CC(=O)Oc1ccccc1C(=O)O"),
    ("paracetamol", "CC(=O)Nc1ccc(O)cc1"),
    ("ibuprofen", "CC(C)Cc1ccc(C(C)C(=O)O)cc1"),
    ("lidocaine", "CCN(CC)CC(=O)Nc1c(C)cccc1C"),
    ("melatonin", "COc1ccc2[nH]cc(CCNC(C)=O)c2c1"),
    ("sulfanilamide", "c1c(N)ccc(S(=O)(=O)N)c1"),
    ("piperidine-4-carboxamide", "NC(=O)C1CCNCC1"),
    ("tert-butyl 4-hydroxypiperidine-1-carboxylate", "CC(C)(C)OC(=O)N1CCC(O)CC1"),
    ("4-aminopiperidine", "NC1CCNCC1"),
    ("vanillin", "COc1cc(C=O)ccc1O"),
    ("N-phenylacetamide (acetanilide)", "CC(=O)Nc1ccccc1"),
]

# Harmless piperidines by systematic name: (systematic name, SMILES, trade-style name or None)
HARMLESS_PIPERIDINES = [
    ("tert-butyl 4-(4-aminophenyl)piperidine-1-carboxylate", "CC(C)(C)OC(=O)N1CCC(c2ccc(N)cc2)CC1", None),
    ("1-benzylpiperidin-4-one", "O=C1CCN(Cc2ccccc2)CC1", "1-Benzyl-4-piperidone"),
    ("piperidine-4-carboxamide", "NC(=O)C1CCNCC1", "Isonipecotamide"),
    ("tert-butyl 4-hydroxypiperidine-1-carboxylate", "CC(C)(C)OC(=O)N1CCC(O)CC1", "N-Boc-4-hydroxypiperidine"),
    ("piperidin-4-amine", "NC1CCNCC1", "4-Aminopiperidine"),
    ("tert-butyl 4-aminopiperidine-1-carboxylate", "CC(C)(C)OC(=O)N1CCC(N)CC1", "1-Boc-4-aminopiperidine"),
    ("ethyl piperidine-4-carboxylate", "CCOC(=O)C1CCNCC1", "Ethyl isonipecotate"),
    ("1-methylpiperidin-4-one", "CN1CCC(=O)CC1", "1-Methyl-4-piperidone"),
    ("1-benzylpiperidin-4-amine", "NC1CCN(Cc2ccccc2)CC1", "4-Amino-1-benzylpiperidine"),
    ("4-(4-chlorophenyl)piperidin-4-ol", "OC1(c2ccc(Cl)cc2)CCNCC1", None),
    ("piperidin-4-ol", "OC1CCNCC1", "4-Hydroxypiperidine"),
]

# Novel fentanyl analogs (not in the lexicon): (SMILES, systematic name). Checked at run time: parse, not a
# lexicon InChIKey, all distinct; --check-opsin checks that OPSIN gives the same InChIKey from the name.
NOVEL = [
    ("C=CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]pent-4-enamide"),
    ("O=C(C1CCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]cyclobutanecarboxamide"),
    ("CCC(C)C(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "2-methyl-N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]butanamide"),
    ("CCCCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]hexanamide"),
    ("CCC(=O)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1", "N-(3-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"),
    ("CCC(=O)N(c1ccc(Cl)cc1)C1CCN(CCc2ccccc2)CC1", "N-(4-chlorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"),
    ("CCC(=O)N(c1ccccc1C)C1CCN(CCc2ccccc2)CC1", "N-(2-methylphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"),
    ("CCC(=O)N(c1ccc(OC)cc1)C1CCN(CCc2ccccc2)CC1", "N-(4-methoxyphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"),
    ("CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1", "N-[1-(2-phenylethyl)piperidin-4-yl]-N-(pyridin-2-yl)propanamide"),
    ("CCC(=O)N(c1ccsc1)C1CCN(CCc2ccccc2)CC1", "N-[1-(2-phenylethyl)piperidin-4-yl]-N-(thiophen-3-yl)propanamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1CC", "N-[3-ethyl-1-(2-phenylethyl)piperidin-4-yl]-N-phenylpropanamide"),
    ("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2ccccc2)CC1", "N-[4-(methoxymethyl)-1-(2-phenylethyl)piperidin-4-yl]-N-phenylpropanamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1F", "N-[3-fluoro-1-(2-phenylethyl)piperidin-4-yl]-N-phenylpropanamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1", "N-phenyl-N-[1-(3-phenylpropyl)piperidin-4-yl]propanamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1", "N-phenyl-N-[1-[2-(thiophen-2-yl)ethyl]piperidin-4-yl]propanamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1", "N-[1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl]-N-phenylpropanamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccco2)CC1", "N-[1-[2-(furan-2-yl)ethyl]piperidin-4-yl]-N-phenylpropanamide"),
    ("O=C(C1CCC1)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1", "N-(3-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]cyclobutanecarboxamide"),
    ("CCC(=O)N(c1ccc(Cl)cc1)C1CCN(CCc2cccs2)CC1", "N-(4-chlorophenyl)-N-[1-[2-(thiophen-2-yl)ethyl]piperidin-4-yl]propanamide"),
    ("CCCC(=O)N(c1ccccc1C)C1CCN(CCc2ccccc2)CC1", "N-(2-methylphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]butanamide"),
    ("CC(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1", "N-[1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl]-N-phenylacetamide"),
    ("CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1CC", "N-[3-ethyl-1-(2-phenylethyl)piperidin-4-yl]-N-(4-fluorophenyl)propanamide"),
    ("CCC(=O)N(c1ccc(OC)cc1)C1CCN(CCCc2ccccc2)CC1", "N-(4-methoxyphenyl)-N-[1-(3-phenylpropyl)piperidin-4-yl]propanamide"),
    ("CC(C)=CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "3-methyl-N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]but-2-enamide"),
    ("COCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1", "N-(4-fluorophenyl)-2-methoxy-N-[1-(2-phenylethyl)piperidin-4-yl]acetamide"),
    ("O=C(C1CCCCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]cyclohexanecarboxamide"),
    ("O=C(c1cccs1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]thiophene-2-carboxamide"),
    ("CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccco2)CC1", "N-[1-[2-(furan-2-yl)ethyl]piperidin-4-yl]-N-phenylbutanamide"),
    ("C=CC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1", "N-(2-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]prop-2-enamide"),
    ("CCC(=O)N(c1ccc(C)cc1)C1CCN(CCc2ccccc2)CC1F", "N-[3-fluoro-1-(2-phenylethyl)piperidin-4-yl]-N-(4-methylphenyl)propanamide"),
    ("CCC(=O)N(c1cccnc1)C1CCN(CCc2cccs2)CC1", "N-(pyridin-3-yl)-N-[1-[2-(thiophen-2-yl)ethyl]piperidin-4-yl]propanamide"),
    ("CC(C)C(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1", "N-[1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl]-2-methyl-N-phenylpropanamide"),
    ("O=C(C1CCC1)N(c1cccc(Cl)c1)C1CCN(CCc2ccccc2)CC1", "N-(3-chlorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]cyclobutanecarboxamide"),
    ("CCC(C)C(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1", "N-[1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl]-2-methyl-N-phenylbutanamide"),
    ("C=CCCC(=O)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1", "N-(3-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]pent-4-enamide"),
    ("CCC(=O)N(c1cccs1)C1CCN(CCc2ccccc2)CC1", "N-[1-(2-phenylethyl)piperidin-4-yl]-N-(thiophen-2-yl)propanamide"),
    ("CCCC(=O)N(c1ccncc1)C1CCN(CCc2ccccc2)CC1", "N-[1-(2-phenylethyl)piperidin-4-yl]-N-(pyridin-4-yl)butanamide"),
    ("O=C(C1CC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1CC", "N-[3-ethyl-1-(2-phenylethyl)piperidin-4-yl]-N-phenylcyclopropanecarboxamide"),
    ("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2ccco2)CC1", "N-[1-[2-(furan-2-yl)ethyl]-4-(methoxymethyl)piperidin-4-yl]-N-phenylpropanamide"),
    ("CC(=O)N(c1ccc(Cl)cc1)C1CCN(CCCc2ccccc2)CC1", "N-(4-chlorophenyl)-N-[1-(3-phenylpropyl)piperidin-4-yl]acetamide"),
    ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(OC)cc2)CC1", "N-[1-[2-(4-methoxyphenyl)ethyl]piperidin-4-yl]-N-phenylpropanamide"),
    ("CCC(=O)N(c1ccc(F)c(F)c1)C1CCN(CCc2ccccc2)CC1", "N-(3,4-difluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"),
    ("CCCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1F", "N-[3-fluoro-1-[2-(thiophen-2-yl)ethyl]piperidin-4-yl]-N-phenylbutanamide"),
    ("CCC(C)C(=O)N(c1ccccc1C)C1CCN(CCc2ccccc2)CC1", "2-methyl-N-(2-methylphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]butanamide"),
]
MIN_NOVEL = 25

# ----------------------------------------------------------------------------------------------- ad boilerplate

CITIES = ["Wuhan", "Shijiazhuang", "Hangzhou", "Guangzhou", "Tianjin", "Zhengzhou", "Xi'an", "Jinan", "Chengdu",
          "Hefei", "Mumbai", "Hyderabad", "Monterrey", "Rotterdam", "Shanghai", "Nanjing"]
BRANDS = ["Fyrenza", "Lumbrix", "Quorvane", "Olvexa", "Miralun", "Kaivox", "Vexora", "Calyndra", "Dovantis",
          "Ambrisel", "Pyrelle", "Zentrivo", "Halvenor", "Corvessa", "Brintalo", "Nexavel", "Solvaric", "Tremalux"]
SUFFIXES = ["Trading Co., Ltd.", "New Material Co., Ltd.", "Fine Chemicals Ltd.", "Biotech Co., Ltd.",
            "Pharmatech Co., Ltd.", "Chemical Co., Ltd.", "Industrial Co., Ltd."]
WORDS = ["lab", "chem", "bio", "trade", "pharma"]
MARKETING = [
    "Fast shipping to USA, Canada, Mexico, Europe and Australia.",
    "Professional team, 24/7 online service.",
    "Competitive price, stable quality.",
    "COA, MSDS and HNMR available on request.",
    "Payment: T/T, Western Union, BTC, USDT.",
    "High purity 99%, factory supply.",
    "We have 12 years experience in export.",
    "Reship policy if parcel is held by customs.",
    "Discreet packaging, door to door.",
    "Stock in warehouse, ship within 24 hours after payment.",
    "Safe delivery, customs clearance guaranteed.",
    "Sample available.",
    "MOQ 1kg.",
    "Best price for bulk orders, 10% off for repeat customers.",
    "Tracking number provided within 2 days.",
]
PURITY = ["99%", "98%", ">99%", "99.5%", "99.8% (HPLC)", "99.9%", "≥98%"]
APPEARANCE = ["White powder", "White crystalline powder", "Off-white powder", "Light yellow powder",
              "White to off-white solid", "Pale yellow crystalline solid", "Colorless liquid"]
PACKAGE = ["1kg/bag, 25kg/drum", "100g, 500g, 1kg foil bag", "25kg/fiber drum", "10g, 50g, 100g bottle",
           "1kg/aluminium foil bag", "5kg/bag, vacuum sealed", "As customer's request"]
MOQ = ["10g", "100g", "1kg", "1kg (sample 10g)", "25kg"]

TITLES = [
    "Buy {n} | factory supply | safe delivery",
    "{n} 99% white powder, sample available",
    "Top quality {n}, safe shipping",
    "{n} in stock now",
    "Supply {n} with good quality",
    "High purity {n} for research",
    "{n} - bulk supply",
    "Factory price {n}, fast delivery",
]
DESCS = [
    "We supply {n} with stable quality and competitive price.",
    "{n} is in stock in our warehouse, ready to ship.",
    "Contact us for {n}. Stealth packing.",
    "{n}, industrial / pharma grade available.",
    "{n} from stock.",
    "Please inquire for details about {n}.",
]

ZH_MARKETING = ["现货供应，24小时内发货。", "提供COA和MSDS。", "厂家直销，高纯度99%。", "安全包装，保证清关。",
                "欢迎询价，量大从优。", "支持小样，全国包邮。"]
ES_MARKETING = ["Envío discreto a México, EE. UU., España y toda Latinoamérica.", "Pago: transferencia, Western Union, BTC, USDT.",
                "Calidad estable y precio competitivo.", "Muestra disponible.", "Reenvío garantizado si la aduana retiene el paquete."]
FR_MARKETING = ["Livraison discrète en Europe, au Canada et en Afrique.", "Paiement : virement, Western Union, BTC, USDT.",
                "Qualité stable, prix compétitif.", "Échantillon disponible.", "Réexpédition gratuite en cas de saisie en douane."]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    # -- small random pieces
    def pick(self, seq):
        return self.rng.choice(seq)

    def supplier(self):
        return f"{self.pick(CITIES)} {self.pick(BRANDS)} {self.pick(SUFFIXES)}"

    def contact(self):
        n = self.rng.randint(1000, 9999)
        w = self.pick(WORDS)
        kinds = [
            f"WhatsApp: +00 000 000 {n}", f"Signal: +00 000 111 {n}", f"WeChat: example-{w}-{n}",
            f"Wickr: example_{w}_{n}", f"Telegram: @example_{w}{n}", f"Email: sales.{w}@example.org",
            f"Email: {w}{n}@example.com", f"Skype: live:example_{w}{n}",
        ]
        return "; ".join(self.rng.sample(kinds, self.rng.randint(1, 3)))

    def price(self):
        r = self.rng.random()
        if r < 0.25:
            return "Inquire for price"
        if r < 0.4:
            return "Negotiable"
        if r < 0.6:
            return f"US$ {self.rng.randint(20, 95)}/g"
        if r < 0.8:
            lo = self.rng.randint(1, 30) * 50
            return f"USD {lo}-{lo + self.rng.randint(5, 60) * 50}/kg"
        return f"EXW USD {self.rng.randint(15, 400)}/kg"

    def marketing(self, k=None):
        return " ".join(self.rng.sample(MARKETING, k or self.rng.randint(1, 3)))

    def platform(self):
        return self.pick(["catalog", "b2b", "board"])

    # -- an English product page
    def product(self, title, desc, name=None, cas=None, mf=None, smiles=None, extra=(), disclaimer=None,
                appearance=None):
        lines = [title, desc, self.marketing()]
        if disclaimer:
            lines.append(disclaimer)
        props = []
        if smiles:
            props.append(("SMILES", smiles))
        if name is not None:
            props.append(("Product Name", name))
        if cas is not None:
            props.append(("CAS No.", cas))
        if mf:
            props += [("MF", mf[0]), ("MW", mf[1])]
        props += list(extra)
        if self.rng.random() < 0.6:
            props.append(("EINECS", "—"))
        props += [("Purity", self.pick(PURITY)), ("Appearance", appearance or ("Colorless liquid" if name in LIQUIDS else self.pick(APPEARANCE[:6]))),
                  ("Package", self.pick(PACKAGE)), ("MOQ", self.pick(MOQ)), ("Price", self.price()),
                  ("Supplier", self.supplier()), ("Contact", self.contact())]
        return "\n".join(lines + [f"{k}: {v}" for k, v in props])

    def title(self, n):
        return self.pick(TITLES).format(n=n)

    def desc(self, n):
        return self.pick(DESCS).format(n=n)


def mixed(g, subs, pool, n, key=lambda x: x, share=0.4):
    """Sample n items from pool with about `share` of them precursors (precursor ads are common in practice)."""
    pre = [x for x in pool if subs[key(x)]["category"] == "precursor"]
    rest = [x for x in pool if subs[key(x)]["category"] != "precursor"]
    k = min(len(pre), round(n * share), n)
    k = max(k, n - len(rest))
    return g.rng.sample(pre, k) + g.rng.sample(rest, n - k)


def rec(platform, title, text, flag, category, keys, how, note=""):
    return {"platform": platform, "title": title, "text": text, "flag": flag, "category": category,
            "inchikeys": list(keys), "how": how, "note": note}


# ----------------------------------------------------------------------------------------------- positives


def positives(g, subs):
    out = []
    P = lambda s: (s["category"], [s["inchikey"]])  # noqa: E731
    ids = sorted(subs)
    fl = [i for i in ids if subs[i]["category"] == "fentanyl-like"]
    pre = [i for i in ids if subs[i]["category"] == "precursor"]

    def with_mf(s):
        return mf_mw(s["smiles"]) if g.rng.random() < 0.6 else None

    def simple(s, shown, how, note, cas="—", mf=None):
        t = g.title(shown)
        cat, keys = P(s)
        return rec(g.platform(), t, g.product(t, g.desc(shown), name=shown, cas=cas, mf=mf), True, cat, keys, how, note)

    # plain name (10): a mix of fentanyl-like and precursors
    for sid in g.rng.sample(fl, 6) + g.rng.sample(pre, 4):
        s = subs[sid]
        out.append(simple(s, s["name"], "name", f"common name '{s['name']}'", mf=with_mf(s)))

    # synonym / abbreviation / code / trade name (12)
    syn_pool = []
    for sid in ids:
        s = subs[sid]
        for kind in ("common", "abbreviations", "codes"):
            for n in names_of(s, kind):
                if n.lower() != s["name"].lower() and n.lower() not in AMBIGUOUS_ALONE:
                    syn_pool.append((sid, kind, n))
    for sid, kind, n in mixed(g, subs, syn_pool, 12, key=lambda x: x[0]):
        out.append(simple(subs[sid], n, "synonym", f"{kind} name '{n}'"))

    # Chinese name in running Chinese text (7)
    zh_pool = [(sid, n) for sid in ids for n in names_of(subs[sid], "zh")]
    for sid, n in g.rng.sample(zh_pool, min(7, len(zh_pool))):
        s = subs[sid]
        cat, keys = P(s)
        t = g.pick(["供应{n} 99%", "{n}现货供应", "高纯{n}厂家直销", "出售{n}，安全发货"]).format(n=n)
        lines = [t, g.pick(["本公司长期供应{n}，质量稳定。", "我司现货{n}，欢迎来电咨询。", "专业生产{n}多年，价格优惠。"]).format(n=n),
                 "".join(g.rng.sample(ZH_MARKETING, 3)),
                 f"产品名称: {n}", f"纯度: {g.pick(['98%', '99%', '99.5%'])}", f"外观: {g.pick(['白色粉末', '类白色粉末', '淡黄色粉末'])}",
                 f"包装: {g.pick(['1kg/袋', '25kg/桶', '100g/袋'])}", "价格: 询价", f"供应商: {g.supplier()}", f"联系方式: {g.contact()}"]
        out.append(rec(g.pick(["catalog", "b2b"]), t, "\n".join(lines), True, cat, keys, "chinese-name", f"Chinese name '{n}' in running Chinese text"))

    # Spanish (5) and French (5)
    es_pool = [(sid, n) for sid in ids for n in names_of(subs[sid], "es")]
    for sid, n in (g.rng.sample(es_pool, 5) if len(es_pool) >= 5 else es_pool):
        s = subs[sid]
        cat, keys = P(s)
        t = g.pick(["Venta de {n} de alta pureza", "{n} en polvo 99%, envío seguro", "Tenemos {n} en stock"]).format(n=n)
        lines = [t, g.pick(["Vendemos {n} con calidad estable y precio competitivo.", "Ofrecemos {n} de grado farmacéutico, entrega rápida."]).format(n=n),
                 " ".join(g.rng.sample(ES_MARKETING, 2)),
                 f"Producto: {n}", f"Pureza: {g.pick(['98%', '99%', '99,5%'])}", f"Presentación: {g.pick(['polvo blanco', 'polvo cristalino'])}",
                 f"Embalaje: {g.pick(['bolsa de aluminio de 1 kg', 'frasco de 100 g'])}", f"Pedido mínimo: {g.pick(['10 g', '100 g', '1 kg'])}",
                 "Precio: consultar", f"Proveedor: {g.supplier()}", f"Contacto: {g.contact()}"]
        out.append(rec(g.pick(["b2b", "board"]), t, "\n".join(lines), True, cat, keys, "spanish", f"Spanish text, name '{n}'"))
    fr_pool = [(sid, n) for sid in ids for n in names_of(subs[sid], "fr")]
    fr_pick = [fr_pool[i % len(fr_pool)] for i in range(5)] if fr_pool else []
    for sid, n in fr_pick:
        s = subs[sid]
        cat, keys = P(s)
        t = g.pick(["{n} pur à 99 %, livraison discrète", "Vente de {n} de haute pureté", "{n} en stock, expédition rapide"]).format(n=n)
        lines = [t, g.pick(["Nous fournissons {du}{n} de haute pureté, qualité stable.", "Notre société vend {du}{n} en gros et au détail."]).format(n=n, du="de l'" if n[0].lower() in "aeiouéh" else "du "),
                 " ".join(g.rng.sample(FR_MARKETING, 2)),
                 f"Produit : {n}", f"Pureté : {g.pick(['98 %', '99 %', '99,5 %'])}", f"Aspect : {g.pick(['poudre blanche', 'poudre cristalline'])}",
                 f"Conditionnement : {g.pick(['sachet aluminium 1 kg', 'flacon de 100 g'])}", f"Quantité minimale : {g.pick(['10 g', '100 g'])}",
                 "Prix : sur demande", f"Fournisseur : {g.supplier()}", f"Contact : {g.contact()}"]
        out.append(rec(g.pick(["b2b", "board"]), t, "\n".join(lines), True, cat, keys, "french", f"French text, name '{n}'"))

    with_cas = [sid for sid in ids if base_cas(subs[sid])]

    def cas_only(s, shown_cas, title_tmpl, how, note, cas_line=True):
        t = title_tmpl.format(c=shown_cas)
        desc = g.pick(["Please inquire for details.", "Pharmaceutical intermediate, stock available.", "Research chemical, contact us for COA."])
        cat, keys = P(s)
        text = g.product(t, desc, cas=shown_cas if cas_line else None)
        return rec(g.platform(), t, text, True, cat, keys, how, note)

    # CAS only, hyphenated (9)
    for sid in mixed(g, subs, with_cas, 9):
        c = base_cas(subs[sid])
        out.append(cas_only(subs[sid], c, g.pick(["Supply CAS No. {c} with good quality", "CAS {c} pharmaceutical intermediate",
                                                   "{c} in stock, fast delivery", "Hot sale CAS {c}"]), "cas",
                            f"CAS only ({c}); no name, MF or MW given"))

    # CAS with spaces (5)
    for i, sid in enumerate(mixed(g, subs, with_cas, 5)):
        c = base_cas(subs[sid])
        a, b, d = c.split("-")
        shown = [f"{a} {b} {d}", f"{a} - {b} - {d}", f"{a}- {b} -{d}"][i % 3]
        t = f"CAS {shown} {g.pick(['powder', 'in stock', 'high purity', 'best price'])}"
        s = subs[sid]
        cat, keys = P(s)
        text = g.product(t, g.pick(["Please inquire for details.", "Stock available, ship in 24h."]), extra=[("CAS", shown)])
        out.append(rec(g.platform(), t, text, True, cat, keys, "cas-spaced", f"CAS {c} written with spaces ('{shown}')"))

    # CAS with full-width digits (5)
    for i, sid in enumerate(mixed(g, subs, with_cas, 5)):
        c = base_cas(subs[sid])
        shown = [fullwidth(f"CAS {c}"), "CAS " + c.translate(FW_DIGITS), "ＣＡＳ：" + c.translate(FW_DIGITS)][i % 3]
        t = f"{shown} {g.pick(['现货', 'in stock', 'factory supply'])}"
        s = subs[sid]
        cat, keys = P(s)
        text = g.product(t, g.pick(["Please inquire for details.", "Contact us for price."]))
        out.append(rec(g.platform(), t, text, True, cat, keys, "cas-fullwidth", f"CAS {c} in full-width characters"))

    # CAS without hyphens next to a cue (6)
    cues = ["CAS {d}", "CAS#{d}", "CAS No {d}", "cas:{d}", "CAS NO.{d}", "CAS-{d}"]
    for i, sid in enumerate(mixed(g, subs, with_cas, 6)):
        c = base_cas(subs[sid])
        shown = cues[i % len(cues)].format(d=c.replace("-", ""))
        t = f"{shown} {g.pick(['powder', 'in stock', 'best price', 'white powder 99%'])}"
        s = subs[sid]
        cat, keys = P(s)
        text = g.product(t, g.pick(["Please inquire for details.", "Pharmaceutical intermediate, stock available."]))
        out.append(rec(g.platform(), t, text, True, cat, keys, "cas-nohyphen", f"CAS {c} without hyphens ('{shown}')"))

    # CAS cut to its first group next to a cue (6); only first groups unique among lexicon CAS numbers
    all_cas = [str(f["cas"]) for s in subs.values() for f in s["forms"] if f.get("cas")]
    firsts = collections.Counter(c.split("-")[0] for c in all_cas)
    prefix_ok = [sid for sid in with_cas if firsts[base_cas(subs[sid]).split("-")[0]] == 1
                 and len(base_cas(subs[sid]).split("-")[0]) >= 4]
    prefer = [sid for sid in prefix_ok if subs[sid]["category"] == "precursor"]
    others = [sid for sid in prefix_ok if sid not in prefer]
    chosen = prefer[:4] + g.rng.sample(others, 2)
    pcues = ["CAS{d} powder", "CAS {d} in stock", "cas{d} best price", "CAS:{d} high purity", "CAS {d} 99%", "CAS#{d} fast delivery"]
    for i, sid in enumerate(chosen):
        c = base_cas(subs[sid])
        cue = pcues[i % len(pcues)].format(d=c.split("-")[0])
        t = cue
        s = subs[sid]
        cat, keys = P(s)
        text = g.product(t, g.pick(["Contact us for price.", "Stock available, discreet shipping."]))
        out.append(rec(g.platform(), t, text, True, cat, keys, "cas-prefix", f"CAS {c} cut to its first group ('{cue}')"))

    # salt forms (10): name + salt with salt CAS; salt CAS only; name + salt without CAS
    salts = [(sid, form, c) for sid in ids for form, c in salt_forms(subs[sid])]
    for sid, form, c in salts:
        s = subs[sid]
        shown = f"{s['name']} {form}"
        cat, keys = P(s)
        t = g.title(shown)
        out.append(rec(g.platform(), t, g.product(t, g.desc(shown), name=shown, cas=c), True, cat, keys, "salt",
                       f"salt form '{shown}', CAS {c}"))
    for sid, form, c in g.rng.sample(salts, 2):
        s = subs[sid]
        cat, keys = P(s)
        t = f"CAS {c} {g.pick(['pharmaceutical intermediate', 'in stock'])}"
        out.append(rec(g.platform(), t, g.product(t, "Please inquire for details.", cas=c), True, cat, keys, "salt",
                       f"salt CAS only ({c}, {form} of {s['name']})"))
    for sid, salt in [("acetylfentanyl", "hydrochloride"), ("furanylfentanyl", "HCl"), ("butyrylfentanyl", "citrate"),
                      ("4-anpp", "dihydrochloride")]:
        if sid in subs:
            s = subs[sid]
            shown = f"{s['name']} {salt}"
            cat, keys = P(s)
            out.append(simple(s, shown, "salt", f"salt name '{shown}', no CAS"))

    # SMILES only (10): parent (lexicon, canonical, re-rooted) and salts
    salt_parts = [("Cl", "hydrochloride"), ("OC(=O)CC(O)(CC(=O)O)C(=O)O", "citrate"), ("OC(=O)C(=O)O", "oxalate")]
    for i, sid in enumerate(mixed(g, subs, ids, 10)):
        s = subs[sid]
        m = mol(s["smiles"])
        variant = i % 4
        if variant == 0:
            smi, what = s["smiles"], "parent, lexicon form"
        elif variant == 1:
            smi, what = Chem.MolToSmiles(m), "parent, RDKit canonical"
        elif variant == 2:
            smi, what = Chem.MolToSmiles(m, rootedAtAtom=m.GetNumAtoms() - 1, canonical=False), "parent, re-rooted"
        else:
            part, sname = salt_parts[(i // 4) % len(salt_parts)]
            smi, what = s["smiles"] + "." + part, f"salt ({sname})"
        assert parent_key(smi) == inchikey(s["smiles"])
        t = g.pick(["Research compound (structure below)", "Research compound, see SMILES", "Custom compound, structure attached"])
        cat, keys = P(s)
        text = g.product(t, f"Structure (SMILES): {smi}", smiles=smi)
        out.append(rec(g.platform(), t, text, True, cat, keys, "smiles", f"SMILES only ({what})"))

    # InChIKey only (6)
    for sid in mixed(g, subs, ids, 6):
        s = subs[sid]
        t = g.pick(["Research chemical, InChIKey below", "Compound by InChIKey, in stock", "Custom synthesis product, identifier inside"])
        cat, keys = P(s)
        text = g.product(t, g.pick(["Identified by InChIKey.", "Standard InChIKey given below."]), extra=[("InChIKey", s["inchikey"])])
        out.append(rec(g.platform(), t, text, True, cat, keys, "inchikey", "InChIKey only"))

    # systematic name only (10)
    sys_pool = [(sid, n) for sid in ids for n in names_of(subs[sid], "systematic") if plain_name(n)]
    for sid, n in mixed(g, subs, sys_pool, 10, key=lambda x: x[0]):
        s = subs[sid]
        t = g.pick(["{n}, 98%", "{n} in stock", "Supply {n}"]).format(n=n)
        cat, keys = P(s)
        text = g.product(t, f"Chemical name: {n}.", name=n)
        out.append(rec(g.platform(), t, text, True, cat, keys, "iupac", "systematic name only"))

    # obfuscations (5 each of 7 techniques)
    obf = []
    for shown, sid in [("fentanil", "fentanyl"), ("fentanilo", "fentanyl"), ("fentanyle", "fentanyl"),
                       ("carfentanyl", "carfentanil"), ("phentanyl", "fentanyl")]:
        obf.append(("misspelling", shown, sid))
    for base, sid in [("fentanyl", "fentanyl"), ("4ANPP", "4-anpp"), ("carfentanil", "carfentanil"),
                      ("acetylfentanyl", "acetylfentanyl"), ("sufentanil", "sufentanil")]:
        obf.append(("spaced letters", " ".join(base), sid))
    for base, sid in [("fentanyl", "fentanyl"), ("carfentanil", "carfentanil"), ("4ANPP", "4-anpp"),
                      ("furanylfentanyl", "furanylfentanyl"), ("Fentanyl", "fentanyl")]:
        obf.append(("dotted", ".".join(base), sid))
    for shown, sid in [("f3ntanyl", "fentanyl"), ("fent@nyl", "fentanyl"), ("c4rfentanil", "carfentanil"),
                       ("4c3tylf3ntanyl", "acetylfentanyl"), ("f3nt4nyl", "fentanyl")]:
        obf.append(("leetspeak", shown, sid))
    cyr = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "y": "\u0443", "A": "\u0410", "P": "\u0420"}
    grk = {"A": "\u0391", "N": "\u039d", "P": "\u03a1", "o": "\u03bf", "E": "\u0395", "T": "\u03a4", "F": "\u03dc"}

    def glyph(word, table, which):
        return "".join(table[ch] if (i in which and ch in table) else ch for i, ch in enumerate(word))

    obf += [("homoglyphs (Cyrillic)", glyph("fentanyl", cyr, {1, 4, 6}), "fentanyl"),
            ("homoglyphs (Cyrillic)", glyph("carfentanil", cyr, {1, 4}), "carfentanil"),
            ("homoglyphs (Greek)", glyph("4-ANPP", grk, {2, 3, 4, 5}), "4-anpp"),
            ("homoglyphs (Cyrillic)", glyph("NPP (N-phenethyl-4-piperidone)", cyr, {1, 2, 8, 12, 21}), "npp"),
            ("homoglyphs (Greek)", glyph("Fentanyl citrate", {"e": "\u03b5", "a": "\u03b1"}, {1, 4}), "fentanyl")]
    zw = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
    for i, (base, sid) in enumerate([("fentanyl", "fentanyl"), ("carfentanil", "carfentanil"), ("4-ANPP", "4-anpp"),
                                     ("furanylfentanyl", "furanylfentanyl"), ("fentanyl", "fentanyl")]):
        cut = sorted(g.rng.sample(range(1, len(base)), 2))
        shown = base[:cut[0]] + zw[i] + base[cut[0]:cut[1]] + zw[i] + base[cut[1]:]
        obf.append((f"zero-width characters (U+{ord(zw[i]):04X})", shown, sid))
    for base, sid in [("fentanyl", "fentanyl"), ("Carfentanil", "carfentanil"), ("4-ANPP", "4-anpp"),
                      ("Acetylfentanyl", "acetylfentanyl"), ("NPP N-phenethyl-4-piperidone", "npp")]:
        obf.append(("full-width letters", fullwidth(base), sid))
    for tech, shown, sid in obf:
        if sid not in subs:
            continue
        s = subs[sid]
        cat, keys = P(s)
        t = g.title(shown)
        text = g.product(t, g.desc(shown), name=shown)
        out.append(rec(g.platform(), t, text, True, cat, keys, "obfuscated-name", f"obfuscation: {tech} ('{shown.encode('unicode_escape').decode() if not shown.isascii() else shown}')"))

    # buried: one controlled line in a 20-40 row catalogue of ordinary chemicals (8)
    kinds = ["name", "cas", "iupac", "salt-cas", "synonym", "name", "cas", "iupac"]
    for kind in kinds:
        if kind == "salt-cas":
            sid, form, c = g.pick(salts)
            line_name, line_cas = f"{subs[sid]['name']} {form}", c
        else:
            sid = g.pick(with_cas if kind == "cas" else ids)
            s = subs[sid]
            if kind == "name":
                line_name, line_cas = s["name"], base_cas(s) or "—"
            elif kind == "cas":
                line_name, line_cas = g.pick(["Pharmaceutical intermediate", "Research chemical", "Organic intermediate"]), base_cas(s)
            elif kind == "iupac":
                line_name, line_cas = g.pick(names_of(s, "systematic")), "—"
            else:
                pool = [n for k in ("common", "abbreviations") for n in names_of(s, k)
                        if n.lower() != s["name"].lower() and n.lower() not in AMBIGUOUS_ALONE] or [s["name"]]
                line_name, line_cas = g.pick(pool), "—"
        s = subs[sid]
        text, title, row, total = catalogue(g, controlled=(line_name, line_cas))
        cat, keys = P(s)
        out.append(rec(g.pick(["catalog", "b2b"]), title, text, True, cat, keys, "buried",
                       f"buried: one controlled line ({kind}: '{line_name}' | {line_cas}) at row {row} of {total} in a multi-product catalogue"))

    # ambiguous 4-AP with corroboration (5)
    if "4-ap" in subs:
        s = subs["4-ap"]
        c = base_cas(s)
        cat, keys = P(s)
        variants = [
            ("4-AP (4-anilinopiperidine) 99%", "4-AP (4-anilinopiperidine), white powder.", "4-AP (4-anilinopiperidine)", None, "with its full name"),
            (f"4-AP CAS {c} in stock", "4-AP, stock available.", "4-AP", c, "with its CAS"),
            ("Supply 4-AP / N-phenylpiperidin-4-amine", "4-AP / N-phenylpiperidin-4-amine, factory supply.", "4-AP (N-phenylpiperidin-4-amine)", None, "with its systematic name"),
            ("4-AP (N-phenyl-4-piperidinamine) bulk", "4-AP, N-phenyl-4-piperidinamine.", "4-AP", c, "with synonym and CAS"),
            ("4-AP high purity", f"4-AP (4-anilinopiperidine), MF {mf_mw(s['smiles'])[0]}.", "4-AP", None, "with full name in description"),
        ]
        for t, d, n, cc, why in variants:
            out.append(rec(g.platform(), t, g.product(t, d, name=n, cas=cc), True, cat, keys, "abbrev-corroborated",
                           f"ambiguous '4-AP' corroborated {why}"))

    # novel analogs (not in the lexicon), SMILES or systematic name only
    novel = novel_candidates(subs)
    for i, (smi, name) in enumerate(novel):
        key = inchikey(smi)
        if i % 2 == 0:
            shown = smi if i % 4 == 0 else (smi + ".Cl" if i % 8 == 2 else Chem.MolToSmiles(mol(smi)))
            t = g.pick(["Research compound (structure below)", "New research chemical, see SMILES", "Custom compound, structure attached"])
            text = g.product(t, f"Structure (SMILES): {shown}", smiles=shown)
            out.append(rec(g.platform(), t, text, True, "fentanyl-like", [key], "novel-smiles",
                           f"novel analog (not in lexicon) as SMILES: {name}"))
        else:
            t = g.pick(["{n}, 98%", "{n} in stock", "Supply {n}", "New product: {n}"]).format(n=name)
            text = g.product(t, f"Chemical name: {name}.", name=name)
            out.append(rec(g.platform(), t, text, True, "fentanyl-like", [key], "novel-iupac",
                           "novel analog (not in lexicon) as systematic name"))
    return out


def catalogue(g, controlled=None, extra_rows=(), nrows=None):
    """A `Product | CAS No. | Purity | Price` stock list of ordinary chemicals; optional controlled row."""
    n = nrows or g.rng.randint(20, 40)
    rows = []
    for name, cas, _ in g.rng.sample(EVERYDAY, n - len(extra_rows) - (1 if controlled else 0)):
        rows.append(f"{name} | {CAS(cas)} | {g.pick(PURITY)} | {g.price()}")
    for name, cas in extra_rows:
        rows.insert(g.rng.randrange(len(rows) + 1), f"{name} | {cas} | {g.pick(PURITY)} | {g.price()}")
    row = None
    if controlled:
        pos = g.rng.randrange(2, len(rows) - 1)
        rows.insert(pos, f"{controlled[0]} | {controlled[1]} | {g.pick(PURITY)} | {g.price()}")
        row = pos + 1
    title = g.pick(["Our stock list (updated weekly)", "Product catalogue - chemicals in stock", "Price list: fine chemicals and APIs",
                    "Hot products this month"])
    lines = [title, g.pick(["Please find our current stock list below. Contact for price.", "All items below are in stock.",
                            "Large stock, small MOQ, contact us for quotation."]), g.marketing(2),
             "Product | CAS No. | Purity | Price"] + rows + [f"Supplier: {g.supplier()}", f"Contact: {g.contact()}"]
    return "\n".join(lines), title, row, len(rows)


# ----------------------------------------------------------------------------------------------- negatives


def negatives(g, subs, looks):
    out = []
    N = lambda plat, t, text, how, note="": rec(plat, t, text, False, "none", [], how, note)  # noqa: E731

    def look_cas(name, i=0):
        cs = looks[name].get("cas") or []
        return CAS(cs[i]) if len(cs) > i else "—"

    def look_mf(name):
        smi = looks[name].get("smiles")
        return mf_mw(smi) if smi else None

    # look-alike names (fuzzy traps) as product pages (26)
    fuzzy = [n for n in looks if n.lower().startswith(("fen", "carfen"))]
    fuzzy_list = fuzzy + g.rng.sample(fuzzy, max(0, 30 - len(fuzzy)))
    for name in fuzzy_list:
        x = looks[name]
        shown = name
        if x.get("synonyms") and g.rng.random() < 0.3:
            shown = f"{name} ({x['synonyms'][0]})"
        t = g.pick(["Supply {n} technical grade", "{n} 98% TC, factory price", "{n} in stock", "Buy {n} | factory supply"]).format(n=shown)
        d = g.pick([f"{name} for agricultural / veterinary / pharmaceutical use.", f"{name}, industrial / pharma grade available.",
                    f"We supply {name} with stable quality."])
        out.append(N(g.platform(), t, g.product(t, d, name=shown, cas=look_cas(name), mf=look_mf(name)), "negative-fuzzy",
                     f"name-similarity trap '{name}'"))

    # abbreviation traps: 4-AP = 4-aminopyridine; 4-NPP / pNPP = 4-nitrophenyl phosphate (8)
    ap = "4-Aminopyridine"
    for i in range(5):
        syn = looks[ap]["synonyms"]
        t = ["4-AP (4-Aminopyridine) in stock", "4-AP 99% powder", "Fampridine (4-AP) API", "Buy 4-AP | factory supply", "4-AP bird repellent grade"][i]
        d = ["4-Aminopyridine (4-AP, fampridine).", "4-AP, pyridin-4-amine, white crystalline powder.", "Dalfampridine / fampridine (4-AP) for pharmaceutical use.",
             "4-AP (4-aminopyridine) from stock.", f"4-AP ({syn[6] if len(syn) > 6 else syn[0]})."][i]
        cas = look_cas(ap) if i != 1 else None
        out.append(N(g.platform(), t, g.product(t, d, name="4-Aminopyridine (4-AP)" if i % 2 == 0 else "4-AP", cas=cas, mf=look_mf(ap)),
                     "negative-abbrev", "abbreviation trap '4-AP' (4-aminopyridine)"))
    npp = "4-Nitrophenyl phosphate"
    for i in range(3):
        t = ["4-NPP phosphatase substrate", "pNPP (4-nitrophenyl phosphate) for ELISA", "NPP substrate tablets, 4-nitrophenyl phosphate"][i]
        d = "4-Nitrophenyl phosphate, chromogenic substrate for alkaline phosphatase assays."
        out.append(N(g.platform(), t, g.product(t, d, name="4-Nitrophenyl phosphate (4-NPP)", cas=look_cas(npp)),
                     "negative-abbrev", "abbreviation trap 'NPP/4-NPP' (4-nitrophenyl phosphate)"))

    # harmless piperidines by systematic / common name (14)
    for i, (sysname, smi, common) in enumerate(HARMLESS_PIPERIDINES + HARMLESS_PIPERIDINES[:7]):
        use_sys = (i % 2 == 0) or common is None
        shown = sysname if use_sys else common
        cas = "—"
        if sysname == "1-benzylpiperidin-4-one":
            cas = look_cas("1-Benzyl-4-piperidone")
        if sysname == "piperidin-4-ol":
            cas = look_cas("4-Hydroxypiperidine")
        t = g.pick(["{n}, 98%", "{n} in stock", "Supply {n}", "{n} building block"]).format(n=shown)
        text = g.product(t, f"Chemical name: {sysname}." if use_sys else f"{common}, pharmaceutical building block.",
                         name=shown, cas=cas, mf=mf_mw(smi))
        out.append(N(g.platform(), t, text, "negative-structure", f"structural look-alike ({'systematic name' if use_sys else 'common name'}: {sysname})"))

    # look-alike drugs: loperamide, haloperidol, donepezil, naloxone, naltrexone (10)
    for name in ["Loperamide", "Haloperidol", "Donepezil", "Naloxone", "Naltrexone"] * 2:
        x = looks[name]
        salt = [s for s in x.get("synonyms", []) if "hydrochloride" in s]
        use_salt = bool(salt) and g.rng.random() < 0.5
        shown = salt[0].capitalize() if use_salt else name
        cas = look_cas(name, 1 if use_salt and len(x.get("cas") or []) > 1 else 0)
        t = g.pick(["{n} API, GMP", "{n} powder 99%", "Supply {n} pharmaceutical grade", "{n} in stock"]).format(n=shown)
        mf = None if use_salt else look_mf(name)
        out.append(N(g.platform(), t, g.product(t, f"{shown}, pharmaceutical raw material, USP/EP.", name=shown, cas=cas, mf=mf),
                     "negative-lookalike-drug", f"opioid-adjacent or piperidine drug '{shown}'"))

    # fentanyl test strips / drug-checking kits (6)
    strips = [
        ("Fentanyl test strips (FTS), 20 ng/mL cutoff", "Rapid lateral-flow test strips that detect fentanyl and many fentanyl analogues in drug residue. Harm reduction product.", "Immunoassay test strip", "Pack of 10/50/100"),
        ("Fentanyl reagent test kit for drug checking services", "Lateral-flow immunoassay strips for detecting fentanyl; drug-checking / harm reduction product.", "Immunoassay test strip", "Box of 25/50/100"),
        ("Drug checking kit: fentanyl + xylazine test strips", "Combo kit for harm reduction programs. Detects fentanyl, acetylfentanyl and xylazine.", "Test strip kit", "Kit of 20 tests"),
        ("Carfentanil / fentanyl rapid test cassette (urine)", "One-step urine test cassette for fentanyl (FYL) and carfentanil. For professional use.", "Urine test cassette", "Box of 40"),
        ("FYL fentanyl urine dip card, CE marked", "Fentanyl urine dip card, cutoff 200 ng/mL norfentanyl. Results in 5 minutes.", "Dip card", "Box of 25"),
        ("Fentanyl detection test strips, wholesale for harm reduction", "Test strips for checking drugs for fentanyl before use. Not for sale of any drug.", "Test strip", "Bulk 1000 strips"),
    ]
    for t, d, typ, pkg in strips:
        text = "\n".join([t, d, g.marketing(1), f"Product Name: {t}", f"Type: {typ}", f"Package: {pkg}", f"Price: {g.pick(['Inquire for price', 'US$ 1.20/strip', 'USD 0.80-1.50/pc'])}",
                          f"Supplier: {g.supplier()}", f"Contact: {g.contact()}"])
        out.append(N(g.pick(["b2b", "catalog"]), t, text, "negative-teststrip", "drug-testing product, not a sale of the substance"))

    # naloxone nasal spray mentioning fentanyl (5)
    nal_cas = look_cas("Naloxone", 1)
    for t, d, form, pkg in [
        ("Naloxone HCl nasal spray 4 mg - opioid overdose reversal", "Opioid antagonist; reverses overdose from heroin, fentanyl and other opioids.",
         "Nasal spray, 4 mg per device", "2 devices/box"),
        ("Naloxone nasal spray 4 mg, 2-pack, for fentanyl overdose emergencies", "Emergency treatment of known or suspected opioid overdose, including fentanyl.",
         "Nasal spray, 4 mg per device", "2-pack, 24 packs/carton"),
        ("Naloxone spray for harm reduction kits", "Keep naloxone on hand: fentanyl-laced pills cause most overdoses. Naloxone reverses fentanyl overdose.",
         "Nasal spray", "Carton of 12 twin packs"),
        ("Naloxone hydrochloride injection 0.4 mg/mL", "For reversal of opioid depression, including fentanyl and carfentanil exposure (may need repeat doses).",
         "Injection, 0.4 mg/mL, 1 mL ampoule", "10 ampoules/box"),
        ("First responder kit: naloxone nasal spray + gloves", "Protect staff from accidental fentanyl exposure. Kit contains naloxone nasal spray 4 mg x2, nitrile gloves, face shield.",
         "Kit", "1 kit/box, 20 boxes/carton"),
    ]:
        text = "\n".join([t, d, g.marketing(1), f"Product Name: {t}", f"Active ingredient: Naloxone hydrochloride (CAS {nal_cas})",
                          f"Dosage form: {form}", f"Package: {pkg}", f"Price: {g.pick(['Inquire for price', 'US$ 18/box', 'USD 12-25/pack'])}",
                          f"Supplier: {g.supplier()}", f"Contact: {g.contact()}"])
        out.append(N(g.pick(["b2b", "catalog"]), t, text, "negative-naloxone", "overdose-reversal product mentioning fentanyl"))

    # news / awareness (7)
    c4p = base_cas(subs["4-piperidone"]) if "4-piperidone" in subs else None
    c1b = base_cas(subs["1-boc-4-piperidone"]) if "1-boc-4-piperidone" in subs else None
    news = [
        ("News: customs officers seize 12 kg of fentanyl powder at port",
         "Customs officers seized 12 kg of fentanyl powder hidden in a shipment declared as \"industrial chemicals\". Two people were arrested.\n"
         "Officials said the seizure could have produced millions of lethal doses. Stay safe and report suspicious offers to the platform."),
        ("Awareness: counterfeit pills pressed with fentanyl",
         "Public health warning: counterfeit oxycodone and alprazolam tablets sold online have been found to contain fentanyl and carfentanil.\n"
         "Carry naloxone, never use alone, and use fentanyl test strips. This board does not allow sales of controlled substances."),
        ("Thread: why do B2B sites keep listing 4-ANPP and NPP?",
         "Moderators removed dozens of listings for 4-ANPP, NPP and other fentanyl precursors this month.\n"
         "Reminder: posting offers for fentanyl, its analogues or precursors gets your account banned. Report listings you see."),
        ("Police dismantle network shipping fentanyl precursors",
         "Police in three countries dismantled a network that shipped fentanyl precursors disguised as food additives.\n"
         "Investigators said parcels were labeled as citric acid and glycine. Several tonnes of chemicals were seized."),
        ("Regulatory update: more fentanyl precursors under international control",
         "Two more fentanyl precursors are now under international control: 4-piperidone" + (f" (CAS {c4p})" if c4p else "") +
         " and 1-boc-4-piperidone" + (f" (CAS {c1b})" if c1b else "") + ".\n"
         "Exporters must now hold licences. Our platform will remove any listing of these chemicals."),
        ("Awareness: what is carfentanil?",
         "Carfentanil is an extremely potent opioid used to sedate large animals; tiny amounts can be fatal to humans.\n"
         "First responders should wear gloves and carry naloxone. If you see it offered here, report it."),
        ("Noticia: decomisan fentanilo en la frontera",
         "Autoridades decomisaron 30 kg de fentanilo y precursores en un camión en la frontera norte.\n"
         "Las autoridades piden denunciar cualquier oferta de fentanilo en internet."),
    ]
    for t, body in news:
        out.append(N("board", t, f"{t}\n{body}", "negative-news", "news / awareness text, nothing offered"))

    # compliance disclaimers on ordinary products (9)
    disclaimers = [
        "We refuse all orders for fentanyl and its analogues. Licensed buyers only for regulated chemicals.",
        "We do NOT sell fentanyl, carfentanil, 4-ANPP, NPP or any controlled precursor. Do not ask.",
        "No fentanyl-related substances. Orders for controlled substances will be reported to the authorities.",
        "Notice: fentanyl, its analogues and precursors (4-ANPP, NPP, 4-AP, 1-boc-4-piperidone) are not for sale.",
        "本公司不销售芬太尼类物质及易制毒化学品。We do not sell fentanyl or precursors.",
        "No vendemos fentanilo ni sus precursores. We comply with all export control laws.",
        "Compliance: we screen every order; fentanyl and related substances are prohibited on our store.",
        "We never ship opioids (fentanyl, carfentanil, etc.) or their precursors. End-user certificate required for regulated items.",
        "Attention: listings for fentanyl analogues are removed. We only supply ordinary chemicals.",
    ]
    for dis in disclaimers:
        name, cas, smi = g.pick(EVERYDAY)
        t = g.pick(["{n} - bulk supply", "{n} CAS {c} factory supply", "Supply {n} with good quality"]).format(n=name, c=CAS(cas))
        text = g.product(t, g.desc(name), name=name, cas=CAS(cas), mf=mf_mw(smi) if smi else None, disclaimer=dis)
        out.append(N(g.platform(), t, text, "negative-disclaimer", "compliance disclaimer naming controlled substances; offered item is ordinary"))

    # CAS numbers failing the check digit, one digit off a controlled CAS (9)
    with_cas = [sid for sid in sorted(subs) if base_cas(subs[sid])]
    for sid in g.rng.sample(with_cas, 10):
        good = base_cas(subs[sid])
        bad = g.pick(bad_cas_variants(good))
        assert not cas_valid(bad)
        t = g.pick(["CAS {b} pharmaceutical intermediate", "Supply CAS No. {b} with good quality", "{b} in stock"]).format(b=bad)
        text = g.product(t, "Please inquire for details.", cas=bad)
        out.append(N(g.platform(), t, text, "negative-badcas", f"invalid CAS {bad} (one digit off {good}, fails check digit), no other signal"))

    # harmless molecules as SMILES (12)
    lex_keys = {s["inchikey"] for s in subs.values()}
    for label, smi in HARMLESS_SMILES:
        assert inchikey(smi) not in lex_keys
        t = g.pick(["Research compound (structure below)", "Research compound, see SMILES", "Custom compound, structure attached"])
        out.append(N(g.platform(), t, g.product(t, f"Structure (SMILES): {smi}", smiles=smi), "negative-smiles",
                     f"harmless molecule as SMILES ({label})"))

    # phone numbers / prices / order numbers containing a controlled CAS's digits, no CAS cue (8)
    for i, sid in enumerate(g.rng.sample(with_cas, 10)):
        c = base_cas(subs[sid])
        d = c.replace("-", "")
        name, cas, smi = g.pick(EVERYDAY)
        t = g.pick(["{n} - bulk supply", "Supply {n} with good quality", "{n} in stock now"]).format(n=name)
        if i % 4 == 0:
            extra, where = [("Tel", f"+00 {d[:3]} {d[3:6]} {d[6:]}".strip())], "phone number"
        elif i % 4 == 1:
            extra, where = [("Order ref", d)], "order reference"
        elif i % 4 == 2:
            extra, where = [("Hotline", f"+00 0{d}")], "hotline number"
        else:
            extra, where = [("Warehouse code", f"WH-{d}")], "warehouse code"
        text = g.product(t, g.desc(name), name=name, cas=CAS(cas), extra=extra)
        out.append(N(g.platform(), t, text, "negative-digits", f"{where} contains the digits of {c} without any CAS cue; offered item is {name}"))

    # everyday single product pages (60)
    for name, cas, smi in g.rng.sample(EVERYDAY, 60) + g.rng.sample(EVERYDAY, 30):
        t = g.pick(["{n} CAS {c} factory supply", "{n} 99.9% in stock", "Supply {n} with good quality", "{n} - bulk supply",
                    "Buy {n} | factory supply | safe delivery"]).format(n=name, c=CAS(cas))
        appearance = "Colorless liquid" if name in LIQUIDS else None
        text = g.product(t, g.desc(name), name=name, cas=CAS(cas), mf=mf_mw(smi) if smi else None, appearance=appearance)
        out.append(N(g.platform(), t, text, "negative-everyday"))

    # everyday multi-product catalogues, some with look-alike rows (16)
    look_rows = [(n, look_cas(n)) for n in ["Fenbendazole", "Fenticonazole", "Fenpropathrin", "1-Benzyl-4-piperidone",
                                             "4-Aminopyridine", "Fenofibrate", "Fentin hydroxide", "4-Hydroxypiperidine", "Loperamide"]]
    look_rows += [("tert-butyl 4-hydroxypiperidine-1-carboxylate", "—"), ("4-Aminopiperidine", "—"), ("Piperidine-4-carboxamide", "—")]
    for i in range(20):
        extra = g.rng.sample(look_rows, g.rng.randint(1, 4)) if i % 4 != 0 else []
        text, title, _, total = catalogue(g, extra_rows=extra)
        note = f"{total}-row catalogue of ordinary chemicals" + (f" incl. look-alikes: {', '.join(n for n, _ in extra)}" if extra else "")
        out.append(N(g.pick(["catalog", "b2b"]), title, text, "negative-catalogue", note))
    return out


# ----------------------------------------------------------------------------------------------- checks


def lexicon_keys(subs):
    keys = set()
    for s in subs.values():
        keys.add(s["inchikey"])
        keys.add(inchikey(s["smiles"]))
        keys.add(inchikey(s["smiles"]).split("-")[0])  # skeleton: a stereo-specific entry covers its racemate too
        keys.add(s["inchikey"].split("-")[0])
    return keys


def novel_candidates(subs):
    """NOVEL minus whatever the lexicon (which grows) now lists; at least MIN_NOVEL must remain."""
    lex = lexicon_keys(subs)
    out, seen = [], set()
    for smi, name in NOVEL:
        k = inchikey(smi)
        assert k not in seen, f"duplicate novel analog: {smi}"
        seen.add(k)
        if k not in lex and k.split("-")[0] not in lex:
            out.append((smi, name))
    assert len(out) >= MIN_NOVEL, f"only {len(out)} novel analogs left outside the lexicon"
    return out


def check_novel(subs, looks):
    lex = lexicon_keys(subs)
    look = {inchikey(x["smiles"]) for x in looks.values() if x.get("smiles")}
    for smi, _ in novel_candidates(subs):
        assert inchikey(smi) not in look
    for _, smi, _ in HARMLESS_PIPERIDINES:
        assert inchikey(smi) not in lex, f"harmless piperidine is a lexicon substance: {smi}"


def check_opsin(subs, records):
    """OPSIN must turn every systematic name we print for a structure into that structure's InChIKey."""
    from py2opsin import py2opsin

    pairs = [(name, inchikey(smi)) for smi, name in novel_candidates(subs)]
    pairs += [(name, inchikey(smi)) for name, smi, _ in HARMLESS_PIPERIDINES]
    for r in records:
        if r["how"] == "iupac":
            name = r["text"].split("Chemical name: ", 1)[1].split(".\n", 1)[0]
            pairs.append((name, r["inchikeys"][0]))
    cwd = os.getcwd()
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            got = py2opsin([p[0] for p in pairs], output_format="StdInChIKey")
        finally:
            os.chdir(cwd)
    for (name, want), k in zip(pairs, got):
        if k != want:
            bad.append((name, want, k))
    for b in bad:
        print("OPSIN mismatch:", b, file=sys.stderr)
    print(f"OPSIN: {len(pairs) - len(bad)}/{len(pairs)} systematic names give the expected InChIKey")
    return not bad


# ----------------------------------------------------------------------------------------------- main

README = """# fentwatch evaluation corpus

Labeled synthetic listings from chemical marketplaces, in the exact `fentwatch scan` input format. Built
independently of `detect/`: the labels say what each listing really offers, not what a detector catches.

- `listings.jsonl`: `{{"id", "platform", "url", "title", "text"}}`; `text` is the visible text a crawler extracts
  (title, description, `Key: Value` property lines, or a `Product | CAS No. | Purity | Price` stock list).
- `labels.jsonl`: `{{"id", "flag", "category", "inchikeys", "how", "note"}}`; `inchikeys` are the standard InChIKeys
  (salt-free neutral parent) of the controlled substances really offered; `category` is `fentanyl-like`,
  `precursor` or `none` (fentanyl-like wins if both).

Regenerate with `python tests/data/make_corpus.py` (seed {seed}; deterministic; `--check-opsin` also checks every
printed systematic name with OPSIN). Do not edit the .jsonl files by hand.

## How it was built

- All facts on controlled substances (names and synonyms incl. zh/es/fr, CAS numbers of base and salt forms,
  SMILES, InChIKeys, systematic names) are read at generation time from `lexicon/substances/*.yaml`; look-alike
  names and CAS numbers from `lexicon/lookalikes.yaml`. No CAS number of a controlled substance is invented.
- Ordinary chemicals in product pages and stock lists use well-known CAS numbers. Every CAS number printed passes
  the check digit (asserted), except the `negative-badcas` ones, which are one digit off a controlled CAS and fail it.
- Novel analogs ({n_novel} structures, none in the lexicon, checked by InChIKey): fentanyl with another acyl group,
  a substituted or heteroaryl N-aryl ring, a substituted piperidine, another N-substituent, or combinations. They
  appear only as SMILES or as a systematic name; each name was checked with OPSIN to give the same InChIKey.
- Contacts are fake (`+00 000 000 NNNN`, example.com/example.org, `example_...` handles); company names are made
  up. Text is advertisement copy only.
- Obfuscated positives (`how` = `obfuscated-name`) say the technique in `note`: {obf}.
- The output follows the lexicon: when substances are added, sampling changes, and a novel candidate that enters
  the lexicon is dropped from the novel set (the script asserts at least {min_novel} remain). Re-run after lexicon edits.

Hard cases worth knowing: `negative-news` includes a regulatory notice that prints two controlled precursor CAS
numbers (nothing is offered); `negative-digits` hides a controlled CAS's digits in a phone number, order reference
or warehouse code with no CAS cue; `negative-catalogue` and `negative-structure` include 1-benzyl-4-piperidone and
1-methyl-4-piperidone, whose names contain "4-piperidone"; `abbrev-corroborated` is "4-AP" with the full name,
systematic name or CAS of 4-anilinopiperidine, while `negative-abbrev` is 4-AP = 4-aminopyridine and NPP = 4-nitrophenyl
phosphate.

## Counts

{n} listings: {npos} positive ({pct:.0f}%), {nneg} negative.

| category | listings |
| --- | --- |
{cat_rows}

| how | flag | listings |
| --- | --- | --- |
{how_rows}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check-opsin", action="store_true", help="verify systematic names with OPSIN (py2opsin, Java)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()

    subs, looks = load_lexicon()
    for need in ("4-anpp", "npp", "4-ap"):
        assert need in subs, f"lexicon lacks {need}.yaml"
    for _, cas, _ in EVERYDAY:
        CAS(cas)
    check_novel(subs, looks)

    g = Gen(SEED)
    records = positives(g, subs) + negatives(g, subs, looks)
    for r in records:
        assert r["title"] == r["text"].split("\n", 1)[0], r["title"]
        assert (r["category"] == "none") == (not r["flag"]) == (not r["inchikeys"])
    g.rng.shuffle(records)

    os.makedirs(args.out, exist_ok=True)
    paths = {"catalog": "catalog/product", "b2b": "b2b/offer", "board": "board/thread"}
    with open(os.path.join(args.out, "listings.jsonl"), "w", encoding="utf-8") as fl, \
            open(os.path.join(args.out, "labels.jsonl"), "w", encoding="utf-8") as fb:
        for i, r in enumerate(records, start=1):
            lid = f"L{i:04d}"
            fl.write(json.dumps({"id": lid, "platform": r["platform"], "url": f"{BASE_URL}/{paths[r['platform']]}/{lid}.html",
                                 "title": r["title"], "text": r["text"]}, ensure_ascii=False) + "\n")
            fb.write(json.dumps({"id": lid, "flag": r["flag"], "category": r["category"], "inchikeys": r["inchikeys"],
                                 "how": r["how"], "note": r["note"]}, ensure_ascii=False) + "\n")

    n = len(records)
    npos = sum(r["flag"] for r in records)
    cats = collections.Counter(r["category"] for r in records)
    hows = collections.Counter((r["how"], r["flag"]) for r in records)
    obf = collections.Counter(r["note"].split(": ", 1)[1].split(" (")[0] for r in records if r["how"] == "obfuscated-name")
    readme = README.format(
        seed=SEED, n_novel=len(novel_candidates(subs)), min_novel=MIN_NOVEL, n=n, npos=npos, nneg=n - npos, pct=100 * npos / n,
        obf=", ".join(f"{k} ({v})" for k, v in sorted(obf.items())),
        cat_rows="\n".join(f"| {k} | {cats[k]} |" for k in ("fentanyl-like", "precursor", "none")),
        how_rows="\n".join(f"| {h} | {str(f).lower()} | {c} |" for (h, f), c in sorted(hows.items(), key=lambda x: (not x[0][1], x[0][0]))),
    )
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme)
    print(f"wrote {n} listings ({npos} positive, {n - npos} negative) to {args.out}")
    if args.check_opsin and not check_opsin(subs, records):
        sys.exit(1)


if __name__ == "__main__":
    main()
