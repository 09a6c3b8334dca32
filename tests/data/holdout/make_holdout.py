#!/usr/bin/env python3
"""Build the fentwatch HELD-OUT evaluation set (listings.jsonl + labels.jsonl + README counts).

Written independently of the detector (detect/) and of the development corpus (tests/data/ outside this
folder): do not tune the detector on these rows.

Deterministic: one seeded random.Random drives every choice; run with the project venv:

    /work/main/.venv/bin/python tests/data/holdout/make_holdout.py            # write the files
    /work/main/.venv/bin/python tests/data/holdout/make_holdout.py --opsin    # also re-check names with OPSIN

Facts about controlled substances (names, CAS numbers, SMILES, InChIKeys) are read from lexicon/ at run time,
never typed in here. Novel analogs (not in the lexicon) are given as SMILES or systematic names whose standard
InChIKeys are computed with RDKit and were checked against OPSIN. The text is advertisement copy only: names,
purity, packaging, prices, fake contacts. No synthesis content of any kind.
"""

from __future__ import annotations

import glob
import json
import os
import random
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import yaml
from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors, rdMolDescriptors

RDLogger.DisableLog("rdApp.*")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LEXDIR = ROOT / "lexicon"
SEED = 20260611
rng = random.Random(SEED)
BASE_URL = "http://127.0.0.1:8000"

# --------------------------------------------------------------------------- lexicon


def load_lexicon():
    subs = {}
    for f in sorted(glob.glob(str(LEXDIR / "substances" / "*.yaml"))):
        d = yaml.safe_load(open(f, encoding="utf-8"))
        subs[d["id"]] = d
    look = yaml.safe_load(open(LEXDIR / "lookalikes.yaml", encoding="utf-8"))["lookalikes"]
    return subs, {x["name"]: x for x in look}


SUBS, LOOK = load_lexicon()
LEX_KEYS = {d["inchikey"] for d in SUBS.values()}


def S(sid):
    return SUBS[sid]


def key(sid):
    return S(sid)["inchikey"]


def cat(sid):
    return S(sid)["category"]


def cas(sid, form="base"):
    for f in S(sid).get("forms", []):
        if f["form"] == form:
            return f["cas"]
    raise KeyError((sid, form))


def lname(sid, kind, i=0):
    return S(sid)["names"][kind][i]


def has_name(sid, name):
    return any(name in v for v in S(sid)["names"].values())


def lcas(name, i=0):
    return LOOK[name]["cas"][i]


CONTROLLED_CAS = {f["cas"] for d in SUBS.values() for f in d.get("forms", [])}
LOOK_CAS = {c for x in LOOK.values() for c in x.get("cas", [])}


def cas_ok(c):
    m = re.fullmatch(r"(\d{2,7})-(\d{2})-(\d)", c)
    if not m:
        return False
    body = m.group(1) + m.group(2)
    return sum(i * int(d) for i, d in enumerate(reversed(body), start=1)) % 10 == int(m.group(3))


# Harmless chemicals whose CAS numbers are textbook-common; every one is check-digit verified below.
HARMLESS = {
    "Ethanol": "64-17-5", "Methanol": "67-56-1", "Isopropanol (IPA)": "67-63-0", "Ethyl acetate": "141-78-6",
    "Acetonitrile": "75-05-8", "n-Hexane": "110-54-3", "Dichloromethane": "75-09-2",
    "Dimethyl sulfoxide (DMSO)": "67-68-5", "N,N-Dimethylformamide (DMF)": "68-12-2",
    "Tetrahydrofuran (THF)": "109-99-9", "Glycerol": "56-81-5", "Urea": "57-13-6",
    "Citric acid anhydrous": "77-92-9", "Sodium chloride": "7647-14-5", "Sodium bicarbonate": "144-55-8",
    "Calcium carbonate": "471-34-1", "Zinc oxide": "1314-13-2", "Titanium dioxide": "13463-67-7",
    "Caffeine anhydrous": "58-08-2", "Acetylsalicylic acid": "50-78-2", "Paracetamol": "103-90-2",
    "Ibuprofen": "15687-27-1", "Vanillin": "121-33-5", "Benzoic acid": "65-85-0", "Salicylic acid": "69-72-7",
    "Sodium benzoate": "532-32-1", "Potassium sorbate": "24634-61-5", "Stearic acid": "57-11-4",
    "Glycine": "56-40-6", "Taurine": "107-35-7", "L-Arginine": "74-79-3", "Biotin": "58-85-5",
    "Folic acid": "59-30-3", "Melatonin": "73-31-4", "Niacinamide": "98-92-0",
    "L-Ascorbic acid": "50-81-7", "Resveratrol": "501-36-0", "Kojic acid": "501-30-4",
    "Minoxidil": "38304-91-5", "Lidocaine": "137-58-6", "Lidocaine hydrochloride": "73-78-9",
    "Benzyl alcohol": "100-51-6", "Sucrose": "57-50-1", "D-Glucose anhydrous": "50-99-7",
    "Lactic acid": "50-21-5", "Sodium hydroxide": "1310-73-2", "Potassium hydroxide": "1310-58-3",
    "Magnesium sulfate heptahydrate": "10034-99-8", "Sodium lauryl sulfate": "151-21-3",
    "Creatine monohydrate": "6020-87-7", "L-Glutathione reduced": "70-18-8", "Pyridine": "110-86-1",
    "Acetanilide": "103-84-4", "DL-Menthol": "89-78-1", "Sodium hyaluronate": "9067-32-7",
    "Polyethylene glycol 400": "25322-68-3", "Fumaric acid": "110-17-8", "Succinic acid": "110-15-6",
    "Magnesium stearate": "557-04-0", "Allantoin": "97-59-6", "Nicotinic acid": "59-67-6",
    "Thiamine hydrochloride": "67-03-8", "Pyridoxine hydrochloride": "58-56-0", "Riboflavin": "83-88-5",
    "Cholecalciferol (vitamin D3)": "67-97-0", "D-Sorbitol": "50-70-4", "D-Mannitol": "69-65-8",
    "Xylitol": "87-99-0", "Erythritol": "149-32-6", "Sodium citrate dihydrate": "6132-04-3",
    "Ethylene glycol": "107-21-1", "Propylene glycol": "57-55-6", "Boric acid": "10043-35-3",
    "Sodium carbonate": "497-19-8", "Potassium carbonate": "584-08-7",
    "Copper(II) sulfate pentahydrate": "7758-99-8", "EDTA (free acid)": "60-00-4",
    "Triethanolamine": "102-71-6", "L-(+)-Tartaric acid": "87-69-4", "Fumed silica": "7631-86-9",
    "Lauric acid": "143-07-7", "Butyl acrylate": "141-32-2", "Styrene": "100-42-5",
}
for _n, _c in HARMLESS.items():
    assert cas_ok(_c), (_n, _c)
    assert _c not in CONTROLLED_CAS

# harmless SMILES (all parse; none is in the lexicon)
HSMILES = {
    "Acetanilide": "CC(=O)Nc1ccccc1",
    "N-phenylpropanamide": "CCC(=O)Nc1ccccc1",
    "Paracetamol": "CC(=O)Nc1ccc(O)cc1",
    "Caffeine": "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
    "Lidocaine": "CCN(CC)CC(=O)Nc1c(C)cccc1C",
    "Ibuprofen": "CC(C)Cc1ccc(cc1)C(C)C(=O)O",
    "tert-butyl 4-hydroxypiperidine-1-carboxylate": "CC(C)(C)OC(=O)N1CCC(O)CC1",
    "tert-butyl 4-aminopiperidine-1-carboxylate": "CC(C)(C)OC(=O)N1CCC(N)CC1",
    "ethyl piperidine-4-carboxylate": "CCOC(=O)C1CCNCC1",
    "4-benzylpiperidine": "C(c1ccccc1)C1CCNCC1",
    "1-benzylpiperidin-4-amine": "NC1CCN(Cc2ccccc2)CC1",
}

# --------------------------------------------------------------------------- novel analogs
# Not in the lexicon (asserted below). Each systematic name was checked with OPSIN (run with --opsin).
ANALOGS = {
    "hexanoyl": ("CCCCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
                 "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]hexanamide", "another acyl group (hexanoyl)"),
    "p-methoxy": ("CCC(=O)N(c1ccc(OC)cc1)C1CCN(CCc2ccccc2)CC1",
                  "N-(4-methoxyphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide",
                  "substituted aniline ring (4-methoxy)"),
    "m-fluoro": ("CCC(=O)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1",
                 "N-(3-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide",
                 "substituted aniline ring (3-fluoro)"),
    "p-chloro": ("CCC(=O)N(c1ccc(Cl)cc1)C1CCN(CCc2ccccc2)CC1",
                 "N-(4-chlorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide",
                 "substituted aniline ring (4-chloro)"),
    "o-methyl": ("CCC(=O)N(c1ccccc1C)C1CCN(CCc2ccccc2)CC1",
                 "N-(2-methylphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide",
                 "substituted aniline ring (2-methyl)"),
    "thiophene-acyl": ("O=C(c1cccs1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
                       "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]thiophene-2-carboxamide",
                       "another acyl group (thiophene-2-carbonyl)"),
    "pyridyl-N": ("CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1",
                  "N-[1-(2-phenylethyl)piperidin-4-yl]-N-(pyridin-2-yl)propanamide",
                  "another aromatic ring on the amide N (pyridin-2-yl)"),
    "cyclobutyl": ("O=C(C1CCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
                   "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]cyclobutanecarboxamide",
                   "another acyl group (cyclobutanecarbonyl)"),
    "p-F-methoxyacetyl": ("COCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
                          "N-(4-fluorophenyl)-2-methoxy-N-[1-(2-phenylethyl)piperidin-4-yl]acetamide",
                          "another acyl group + substituted aniline (4-F, methoxyacetyl)"),
    "4F-phenethyl": ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1",
                     "N-{1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl}-N-phenylpropanamide",
                     "another N-substituent (4-fluorophenethyl)"),
    "3-ethyl-pip": ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1CC",
                    "N-[3-ethyl-1-(2-phenylethyl)piperidin-4-yl]-N-phenylpropanamide",
                    "substituted piperidine (3-ethyl)"),
    "p-F-valeryl": ("CCCCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
                    "N-(4-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]pentanamide",
                    "another acyl group + substituted aniline (4-F, pentanoyl)"),
    "p-F-acetyl": ("CC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
                   "N-(4-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]acetamide",
                   "substituted aniline ring + acetyl (4-F)"),
    "pyridylethyl": ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccn2)CC1",
                     "N-phenyl-N-{1-[2-(pyridin-2-yl)ethyl]piperidin-4-yl}propanamide",
                     "another N-substituent (2-(pyridin-2-yl)ethyl)"),
    "p-methyl": ("CCC(=O)N(c1ccc(C)cc1)C1CCN(CCc2ccccc2)CC1",
                 "N-(4-methylphenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide",
                 "substituted aniline ring (4-methyl)"),
    "p-F-furanyl": ("O=C(c1ccco1)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
                    "N-(4-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]furan-2-carboxamide",
                    "another acyl group + substituted aniline (4-F, furan-2-carbonyl)"),
}


def ikey(smi):
    m = Chem.MolFromSmiles(smi)
    assert m is not None, smi
    frags = Chem.GetMolFrags(m, asMols=True)
    parent = max(frags, key=lambda x: x.GetNumHeavyAtoms())
    return Chem.MolToInchiKey(parent)


for _k, (_s, _n, _d) in ANALOGS.items():
    assert ikey(_s) not in LEX_KEYS, _k
for _n, _s in HSMILES.items():
    assert ikey(_s) not in LEX_KEYS, _n
for _d in SUBS.values():
    assert ikey(_d["smiles"]) == _d["inchikey"], _d["id"]


def mf_mw(smi):
    m = Chem.MolFromSmiles(smi)
    return rdMolDescriptors.CalcMolFormula(m), f"{Descriptors.MolWt(m):.2f}"


def kekule(smi):
    m = Chem.MolFromSmiles(smi)
    Chem.Kekulize(m, clearAromaticFlags=True)
    return Chem.MolToSmiles(m, kekuleSmiles=True)


def random_smiles(smi):
    m = Chem.MolFromSmiles(smi)
    return Chem.MolToSmiles(m, doRandom=True, canonical=False)


# --------------------------------------------------------------------------- text helpers

CITY_SUFFIX = {
    "Jinan": "cn", "Hefei": "cn", "Changsha": "cn", "Nanjing": "cn", "Xiamen": "cn", "Chengdu": "cn", "Zhuhai": "cn",
    "Ningbo": "cn", "Hyderabad": "in", "Vadodara": "in", "Pune": "in", "Guadalajara": "mx", "Puebla": "mx",
    "Lyon": "fr", "Valencia": "es", "Katowice": "pl", "Izmir": "tr", "Kuala Lumpur": "my", "Almaty": "kz",
}
SUFFIXES = {
    "cn": ["Biotech Co., Ltd.", "Pharmaceutical Technology Co., Ltd.", "Chemical Co., Ltd.", "Trading Co., Ltd.",
           "Industrial Co., Ltd.", "New Material Technology Co., Ltd.", "Import & Export Co., Ltd."],
    "in": ["Chemicals Pvt. Ltd.", "Pharma Pvt. Ltd.", "Fine Chem Pvt. Ltd.", "Lifesciences Pvt. Ltd."],
    "mx": ["Química S.A. de C.V.", "Industrial S.A. de C.V."], "fr": ["Chimie SARL", "Laboratoires SAS"],
    "es": ["Química S.L.", "Suministros de Laboratorio S.L."], "pl": ["Chem Sp. z o.o."], "tr": ["Kimya A.Ş."],
    "my": ["Chemicals Sdn. Bhd."], "kz": ["Trade LLP"],
}
CITIES = sorted(CITY_SUFFIX)
COINS = ["Quillmar", "Zanthea", "Verocline", "Halbrisk", "Nuvanta", "Sorelith", "Pexmoor", "Drayven",
         "Lumacrest", "Orvanex", "Cindrell", "Tavrosa", "Brenvik", "Ostrelle", "Myrcova", "Kelvane", "Auralis",
         "Tessenor", "Vantrix", "Glenhaze", "Rivolta", "Selquin", "Marbrane", "Tolvessa"]
TAGS = ["chem", "lab", "bio", "trade", "pharma", "sales", "ops", "kim", "lily", "tony", "amy", "jack", "vera",
        "max", "zoe", "leo"]


def company():
    city = rng.choice(CITIES)
    return f"{city} {rng.choice(COINS)} {rng.choice(SUFFIXES[CITY_SUFFIX[city]])}"


def contact_items():
    n = rng.randint(1000, 9999)
    t = rng.choice(TAGS)
    opts = [f"WhatsApp: +00 000 000 {n}", f"Telegram: @example_{t}{n}", f"WeChat: example_{t}_{n}",
            f"Email: {t}{n}@example.com", f"Email: {t}.{rng.choice(['sales', 'info', 'export'])}@example.org",
            f"Signal: +00 000 000 {n}", f"Wickr: example_{t}_{n}", f"Skype: live:example_{t}{n}",
            f"Tel: +00 000 000 {n}", f"Threema: example_{t}{n}"]
    return rng.sample(opts, rng.randint(1, 3))


def contact(sep="; "):
    return sep.join(contact_items())


PURITY = ["99%", "99.5%", "≥98% (HPLC)", ">99.8%", "98% min", "99.9%", "≥99.0%", "99% (GC)"]
PACK_EN = ["1kg/foil bag", "25kg/drum", "10g, 50g, 100g, 1kg", "vacuum-sealed mylar bags", "as customer requires",
           "amber glass bottle", "100g/bag, 1kg/bag", "double PE bags in carton", "5g vials (sample), 1kg bags"]
MOQ_EN = ["10g", "100g", "1kg", "5g (sample order welcome)", "25kg", "no MOQ", "1 bag", "50g"]
APPEAR_POWDER = ["White powder", "White crystalline powder", "Off-white solid", "Light yellow powder",
                 "White to off-white powder", "Crystalline solid"]


def price_bulk():
    r = rng.random()
    if r < 0.3:
        return rng.choice(["Inquire", "Negotiable", "Ask"])
    a = rng.randint(1, 60)
    return rng.choice([f"USD {a}-{a + rng.randint(1, 20)}/kg", f"EXW USD {a * 10}/25kg", f"US$ {a}/kg"])


def price_en():
    r = rng.random()
    if r < 0.2:
        return rng.choice(["Inquire", "Negotiable", "Contact for latest price", "Best price on request"])
    if r < 0.45:
        return f"US$ {rng.randint(5, 95)}/g"
    if r < 0.7:
        a = rng.randint(2, 40) * 50
        return f"USD {a}-{a + rng.randint(2, 30) * 50}/kg"
    if r < 0.85:
        return f"EXW USD {rng.randint(20, 900)}/kg"
    return f"€{rng.randint(40, 400)} per 10g"


SHIP_EN = ["Door-to-door delivery to USA, Canada, Australia and EU.", "Ships within 24h after payment, tracking supplied.",
           "Discreet packaging, no company name on parcel.", "Free reship if the parcel is held by customs.",
           "Local warehouses in the US and Germany for fast delivery.", "Express by DHL, FedEx, EMS or UPS.",
           "Sea or air freight, FOB/CIF terms available.", "Delivery time 5-7 working days worldwide.",
           "Safe and fast shipping, 99% customs pass rate.", "We ship worldwide except embargoed countries."]
PAY_EN = ["Payment: T/T, Western Union, MoneyGram, BTC, USDT.", "We accept bank wire, PayPal and crypto.",
          "Payment terms: L/C or T/T for bulk orders.", "Crypto payment gets 5% discount.",
          "Payment: bank transfer (EUR/USD) or Alipay.", "Escrow available for first orders."]
QUAL_EN = ["COA, HPLC and NMR available with every batch.", "ISO9001 certified production.",
           "Free sample for quality check, freight collect.", "GMP workshop, stable supply, strict QC.",
           "Third-party testing report on request.", "We have 15 years of export experience.",
           "Professional team online 24/7.", "Repeat customers get 10% off."]


def blurbs(n=2):
    pools = [SHIP_EN, PAY_EN, QUAL_EN]
    rng.shuffle(pools)
    return " ".join(rng.choice(p) for p in pools[:n])


LABELS_EN = {
    "name": ["Product Name", "Product", "Item", "Name", "Chemical Name"],
    "cas": ["CAS No.", "CAS", "CAS#", "CAS Number", "CAS RN"],
    "mf": ["MF", "Molecular Formula", "Formula"], "mw": ["MW", "Molecular Weight", "Mol. weight"],
    "purity": ["Purity", "Assay"], "appearance": ["Appearance", "Form"],
    "package": ["Package", "Packing", "Packaging"], "moq": ["MOQ", "Min. order", "Minimum order"],
    "price": ["Price", "FOB price", "Unit price"], "supplier": ["Supplier", "Company", "Seller"],
    "contact": ["Contact", "Contact us", "Reach us"], "smiles": ["SMILES", "Structure (SMILES)", "Structure"],
    "inchikey": ["InChIKey", "InChI Key"], "origin": ["Origin", "Place of origin"],
    "delivery": ["Delivery", "Lead time", "Shipping"], "grade": ["Grade"], "use": ["Application", "Usage"],
}


def spec_en(rows):
    out = []
    for k, v in rows:
        if v is None:
            continue
        lab = rng.choice(LABELS_EN[k]) if k in LABELS_EN else k
        out.append(f"{lab}: {v}")
    return out


TITLE_EN = ["{n} 99% in stock", "Buy {n} online | fast shipping", "High purity {n} supplier", "{n} powder, factory price",
            "Supply {n} with good quality", "WTS: {n} (bulk & samples)", "{n} — in stock, ships today",
            "Hot sale {n}, best price", "{n}, research grade, 10g-1kg", "Top quality {n} from manufacturer",
            "{n} available now", "Factory supply {n} / fast delivery"]
INTRO_EN = ["We supply {n} with stable quality and competitive price.", "{n} available from our warehouse, large stock.",
            "Looking for {n}? Contact us for the latest price.", "Our company has been producing {n} for years.",
            "Fresh batch of {n} just arrived, limited quantity.", "{n} for research purposes, high purity.",
            "Reliable source of {n}, tested every batch.", "Wholesale and retail {n}, samples available."]


def ad_en(display, rows_extra=(), title=None, intro=None, cas_line=None, platform=None, mfmw=None, extra_text=None,
          appearance=None):
    """A generic English product ad. Returns (platform, title, text)."""
    platform = platform or rng.choice(["catalog", "b2b", "board"])
    tpool = [t for t in TITLE_EN if "powder" not in t] if appearance and "liquid" in appearance.lower() else TITLE_EN
    title = title or rng.choice(tpool).format(n=display)
    intro = intro if intro is not None else rng.choice(INTRO_EN).format(n=display)
    lines = [intro, blurbs(rng.randint(1, 3))]
    if extra_text:
        lines.append(extra_text)
    rows = [("name", display)]
    body = spec_en(rows)
    if cas_line:
        body.append(cas_line)
    if mfmw:
        body += spec_en([("mf", mfmw[0]), ("mw", mfmw[1])])
    body += spec_en(list(rows_extra))
    body += spec_en([("purity", rng.choice(PURITY)), ("appearance", appearance or rng.choice(APPEAR_POWDER)),
                     ("package", rng.choice(PACK_EN)), ("moq", rng.choice(MOQ_EN)), ("price", price_en()),
                     ("supplier", company()), ("contact", contact())])
    return platform, title, "\n".join([title] + lines + body)


def board_post(display, extra=None, title=None):
    """Informal forum-style sales post."""
    title = title or rng.choice(["WTS {n}", "[Selling] {n} - legit vendor", "{n} available, DM", "Vendor thread: {n}",
                                 "Have {n}, reship guaranteed", "{n} restock"]).format(n=display)
    p = rng.choice(PURITY)
    body = rng.choice([
        "Selling {n}, {p}, {pr}. {s} Hit me up: {c}",
        "Got {n} back in stock. Purity {p}. Price {pr}, discounts over 100g. {s} Contact {c}",
        "Long-time vendor here. {n} {p}, {pr}. {s} {c}",
        "{n} restocked!! {p} lab tested. {pr}. {s} DM or {c}",
    ]).format(n=display, p=p, pr=price_en(), s=rng.choice(SHIP_EN), c=contact(", "))
    lines = [title, body]
    if extra:
        lines.append(extra)
    return "board", title, "\n".join(lines)


# Chinese ad pieces
ZH_INTRO = ["本公司专业生产医药中间体十余年，长期现货供应{n}，纯度99%以上，欢迎新老客户咨询。",
            "我司常年供应{n}，质量稳定，价格优惠，可提供小样检测。",
            "厂家直销{n}，量大从优，国内外均可发货，包清关。",
            "现货{n}，当天发货，支持第三方检测，全国包邮。"]
ZH_SHIP = ["国际快递门到门，安全包到。", "24小时内发货，提供物流单号。", "包装隐蔽，海关扣货免费重发。",
           "支持银行转账、支付宝、USDT付款。", "提供COA、HPLC、NMR报告。"]


def zh_company():
    return rng.choice([company(), f"{rng.choice(['济南', '合肥', '长沙', '成都', '厦门', '宁波'])}"
                                  f"{rng.choice(['泽澜翎', '朔芮涵', '沐珂屿', '岚栖谷', '澈柏汀'])}"
                                  f"{rng.choice(['化工有限公司', '生物科技有限公司', '医药科技有限公司'])}"])


def zh_price():
    return rng.choice(["面议", "询价", f"{rng.randint(50, 900)}元/克", f"{rng.randint(2, 90)}000元/公斤",
                       f"US$ {rng.randint(10, 90)}/g"])


def ad_zh(display, title=None, extra_lines=(), intro=None, platform=None):
    platform = platform or rng.choice(["catalog", "b2b", "board"])
    title = title or rng.choice(["供应{n} 99%", "{n} 现货供应", "高纯度{n} 厂家直销", "{n}，量大从优",
                                 "长期供应{n}"]).format(n=display)
    intro = intro or rng.choice(ZH_INTRO).format(n=display)
    lines = [title, intro, " ".join(rng.sample(ZH_SHIP, 2))]
    lines += [f"{rng.choice(['产品名称', '品名', '中文名称'])}：{display}"]
    lines += list(extra_lines)
    lines += [f"{rng.choice(['纯度', '含量'])}：{rng.choice(['99%', '≥98%', '99.5%', '99.8%'])}",
              f"{rng.choice(['外观', '性状'])}：{rng.choice(['白色粉末', '白色结晶性粉末', '类白色固体', '淡黄色粉末'])}",
              f"{rng.choice(['包装', '包装规格'])}：{rng.choice(['1kg/袋', '25kg/桶', '100克/袋', '按客户要求'])}",
              f"{rng.choice(['起订量', '最小起订量'])}：{rng.choice(['10克', '100克', '1公斤', '无'])}",
              f"{rng.choice(['价格', '单价'])}：{zh_price()}",
              f"{rng.choice(['供应商', '公司'])}：{zh_company()}",
              f"{rng.choice(['联系方式', '联系人'])}：{contact('; ')}"]
    return platform, title, "\n".join(lines)


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else ("\u3000" if c == " " else c) for c in s)


CYR = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "y": "\u0443", "x": "\u0445",
       "A": "\u0410", "E": "\u0415", "O": "\u041e", "P": "\u0420", "C": "\u0421", "N": "\u039d", "T": "\u0422"}


def homoglyph(s, letters):
    return "".join(CYR[c] if c in letters else c for c in s)


# --------------------------------------------------------------------------- case collection

CASES = []


def add(pt, flag, category, inchikeys, how, note):
    platform, title, text = pt
    CASES.append(dict(platform=platform, title=title, text=text, flag=flag, category=category,
                      inchikeys=sorted(set(inchikeys)), how=how, note=note))


def pos(pt, sids, how, note, keys=None):
    ks = keys if keys is not None else [key(s) for s in sids]
    cats = {cat(s) for s in sids} if sids else {"fentanyl-like"}
    category = "fentanyl-like" if "fentanyl-like" in cats else "precursor"
    add(pt, True, category, ks, how, note)


def neg(pt, how, note=""):
    add(pt, False, "none", [], how, note)


def smi_of(sid):
    return S(sid)["smiles"]


# ============================================================ POSITIVES

# ---- plain names
n = lname("fentanyl", "common", 0)
pos(ad_en(n, mfmw=mf_mw(smi_of("fentanyl")), platform="b2b"), ["fentanyl"], "name", "common name 'Fentanyl' with MF/MW")
n = lname("carfentanil", "common", 0)
pos(board_post(n), ["carfentanil"], "name", "common name 'Carfentanil' in an informal post")
n = lname("acetylfentanyl", "common", 1)
pos(ad_en(n, platform="catalog"), ["acetylfentanyl"], "name", "common name 'Acetyl fentanyl'")
n = lname("cyclopropylfentanyl", "common", 0)
pos(ad_en(n, mfmw=mf_mw(smi_of("cyclopropylfentanyl"))), ["cyclopropylfentanyl"], "name", "common name 'Cyclopropylfentanyl'")
n = lname("4-anpp", "abbreviations", 0)
full = lname("4-anpp", "common", 0)
pos(ad_en(f"{n} ({full})", platform="b2b", extra_text="Key intermediate, bulk supply, stable monthly capacity."),
    ["4-anpp"], "name", "abbreviation '4-ANPP' with its full common name")

# ---- synonyms / trade names / codes
pos(ad_en("Mefentanyl", title="Mefentanyl (3-MF) — pure, lab tested",
          intro="Mefentanyl, also listed as 3-MF, in stock. Strong batch, tested."), ["3-methylfentanyl"], "synonym",
    "synonym 'Mefentanyl' + abbreviation '3-MF' (no CAS)")
assert has_name("3-methylfentanyl", "Mefentanyl") and has_name("3-methylfentanyl", "3-MF")
pos(ad_en("Wildnil (R-33799)", platform="catalog",
          intro="Veterinary-grade Wildnil powder, code R-33799. Sold by the gram, no paperwork needed."),
    ["carfentanil"], "synonym", "trade name 'Wildnil' + research code 'R-33799'")
assert has_name("carfentanil", "Wildnil") and has_name("carfentanil", "R-33799")
pos(("board", "Duragesic 100 mcg/h patches — no script needed",
     "Duragesic 100 mcg/h patches — no script needed\nBoxes of 5 patches, sealed, pharmacy stock. "
     "No prescription required, ship in flat envelope. Also have Actiq lozenges 800 mcg.\n"
     f"Price: {rng.randint(60, 140)} USD per box, bulk discount from 10 boxes.\n{rng.choice(SHIP_EN)}\n"
     f"Contact: {contact()}"),
    ["fentanyl"], "synonym", "trade names 'Duragesic' and 'Actiq' sold without prescription (diverted medicine)")
assert has_name("fentanyl", "Duragesic") and has_name("fentanyl", "Actiq")
n = lname("npp", "common", 1)
pos(ad_en(n, platform="b2b", title=f"{n} bulk, 25kg drums", intro=f"Manufacturer of {n}, monthly output 2 tons."),
    ["npp"], "synonym", "alternative common name 'N-phenethyl-4-piperidinone'")

# ---- Chinese names in running Chinese text
zh = lname("fentanyl", "zh")
pos(ad_zh(zh, platform="b2b"), ["fentanyl"], "chinese-name", "Chinese name 芬太尼 in running Chinese text")
zh = lname("carfentanil", "zh")
pos(("board", f"出{zh}，质量保证",
     f"出{zh}，质量保证\n老客户都知道我们的货，纯度高，效果稳定。小额10克起，大单另议。"
     f"走国际快递，包装隐蔽，丢件补发。\n价格：{zh_price()}\n联系：{contact('; ')}"),
    ["carfentanil"], "chinese-name", "Chinese name 卡芬太尼 in informal Chinese post")
zh = lname("npp", "zh")
pos(ad_zh(zh, platform="catalog", extra_lines=[f"英文名称：N-Phenethyl-4-piperidone"]), ["npp"], "chinese-name",
    "Chinese name N-苯乙基-4-哌啶酮 with English name")
zh = lname("furanylfentanyl", "zh")
pos(ad_zh(zh, intro=f"我们是专业的研究化学品供应商，{zh}现货充足，欢迎询价，量大价优。"), ["furanylfentanyl"],
    "chinese-name", "Chinese name 呋喃芬太尼 in running text")
zh = lname("acetylfentanyl", "zh")
pos(ad_zh(zh, platform="board", title=f"{zh}现货，顺丰/国际快递"), ["acetylfentanyl"], "chinese-name",
    "Chinese name 乙酰芬太尼")

# ---- Spanish
es = lname("fentanyl", "es")
pos(("board", f"Vendo {es} puro 99% – envíos a todo México y EE. UU.",
     f"Vendo {es} puro 99% – envíos a todo México y EE. UU.\n"
     f"Somos proveedores serios de {es} de alta pureza. Empaque discreto al vacío y envío rápido con número de guía. "
     "Aceptamos transferencia bancaria y criptomonedas.\n"
     f"Producto: {es}\nPureza: 99 %\nPresentación: bolsas de 10 g, 50 g y 100 g\nPedido mínimo: 10 g\n"
     f"Precio: consultar\nProveedor: {company()}\nContacto: {contact()}"),
    ["fentanyl"], "spanish", "Spanish name 'fentanilo' in Spanish ad text")
es = lname("carfentanil", "es")
pos(("catalog", f"Carfentanilo de laboratorio, entrega garantizada",
     f"Carfentanilo de laboratorio, entrega garantizada\n"
     f"Ofrecemos {es} con certificado de análisis. Reenvío gratis si la aduana retiene el paquete. "
     "Atención por WhatsApp las 24 horas.\n"
     f"Nombre: {es}\nPureza: {rng.choice(PURITY)}\nAspecto: polvo blanco\nEmpaque: a elección del cliente\n"
     f"Precio: US$ {rng.randint(20, 90)}/g\nContacto: {contact()}"),
    ["carfentanil"], "spanish", "Spanish name 'carfentanilo'")
es = lname("ocfentanil", "es")
pos(("b2b", f"Suministro de {es} al por mayor",
     f"Suministro de {es} al por mayor\nFábrica en Asia, almacén en Europa. Pedido mínimo 50 g, muestras disponibles. "
     f"Pago: transferencia, USDT o Bitcoin.\nProducto: {es}\nPureza: ≥99 %\nPrecio: a negociar\n"
     f"Proveedor: {company()}\nContacto: {contact()}"),
    ["ocfentanil"], "spanish", "Spanish name 'ocfentanilo'")

# ---- French
fr = lname("remifentanil", "fr")
pos(("catalog", f"{fr.capitalize()} pur — livraison discrète en Europe",
     f"{fr.capitalize()} pur — livraison discrète en Europe\n"
     f"Nous proposons du {fr} de qualité pharmaceutique, pureté 99 %. Expédition sous 48 h, emballage neutre, "
     "paiement par virement ou crypto-monnaie.\n"
     f"Produit : {fr}\nPureté : 99 %\nConditionnement : flacons de 1 g à 100 g\nCommande minimum : 1 g\n"
     f"Prix : sur demande\nFournisseur : {company()}\nContact : {contact()}"),
    ["remifentanil"], "french", "French name 'rémifentanil' in French ad text")
fr = lname("sufentanil", "fr")
pos(("board", f"Vente {fr} en poudre, stock en France",
     f"Vente {fr} en poudre, stock en France\nSalut, je vends du {fr} (poudre, testé en labo). "
     f"Envoi suivi, colis discret, renvoi si saisie. Prix : {rng.randint(30, 120)} € le gramme, "
     f"dégressif à partir de 10 g.\nContact : {contact()}"),
    ["sufentanil"], "french", "French name 'sufentanil' in informal French post")

# ---- CAS variants (no name)
c = cas("fentanyl")
pos(ad_en("Pharmaceutical intermediate", cas_line=f"CAS No.: {c}", title=f"CAS {c} in stock, fast delivery",
          intro=f"Please contact us for CAS {c}."), ["fentanyl"], "cas", f"hyphenated CAS {c} only, generic name")
c = cas("npp")
pos(ad_en("API intermediate", cas_line=f"CAS: {c}", platform="b2b", title=f"Supply CAS {c} powder",
          intro="Bulk and sample quantities available."), ["npp"], "cas", f"hyphenated CAS {c} only")
c = cas("4-anpp")
sp = c.replace("-", " ")
pos(("board", f"CAS {sp} for sale", f"CAS {sp} for sale\nHave CAS {sp} in stock, 1kg packs. {rng.choice(SHIP_EN)} "
     f"{rng.choice(PAY_EN)}\nPrice: {price_en()}\nContact: {contact()}"), ["4-anpp"], "cas",
    f"spaced CAS '{sp}' after a CAS cue")
c = cas("1-boc-4-piperidone")
fw = fullwidth(f"CAS:{c}")
pos(("catalog", f"医药中间体 {fw}", f"医药中间体 {fw}\n现货供应，纯度99%，1kg起订。{rng.choice(ZH_SHIP)}\n"
     f"{fw}\n包装：25kg/桶\n价格：{zh_price()}\n联系方式：{contact()}"), ["1-boc-4-piperidone"], "cas",
    f"full-width CAS {c} in Chinese ad")
c = cas("norfentanyl")
nh = c.replace("-", "")
pos(ad_en("Research intermediate", cas_line=f"CAS#{nh}", title=f"CAS#{nh} high purity",
          intro="Intermediate in stock, contact for COA."), ["norfentanyl"], "cas",
    f"CAS {c} written without hyphens after 'CAS#'")
c = cas("carfentanil")
nh = c.replace("-", "")
pos(("b2b", f"Supply CAS NO.{nh} 99% white powder", f"Supply CAS NO.{nh} 99% white powder\n"
     f"Factory stock. {rng.choice(SHIP_EN)}\nCAS NO.{nh}\nPurity: 99%\nMOQ: 10g\nPrice: {price_en()}\n"
     f"Contact: {contact()}"), ["carfentanil"], "cas", f"CAS {c} without hyphens after 'CAS NO.'")
c = cas("1-boc-4-ap")
g = c.split("-")[0]
pos(ad_en("Boc-protected intermediate", cas_line=f"CAS: {g} (full number sent by PM)", platform="board",
          title=f"cas {g}... in stock, ask", intro="Serious buyers only, full details in private message."),
    ["1-boc-4-ap"], "cas", f"CAS cut to its first group '{g}' after a CAS cue ({c})")
c = cas("4-ap")
g = c.split("-")[0]
pos(("board", f"have CAS {g}-xx-x, 1kg", f"have CAS {g}-xx-x, 1kg\nYou know what it is. CAS {g} stock ready, "
     f"1kg minimum, price: {price_en()}. {rng.choice(SHIP_EN)}\n{contact()}"), ["4-ap"], "cas",
    f"CAS cut to its first group '{g}' after a CAS cue ({c})")

# ---- salt forms
c = cas("fentanyl", "citrate")
pos(ad_en("Fentanyl citrate", cas_line=f"CAS No.: {c}", platform="catalog"), ["fentanyl"], "salt",
    f"salt name + salt CAS {c}")
c = cas("carfentanil", "oxalate")
pos(ad_en("Oxalate salt, research grade", cas_line=f"CAS: {c}", title=f"CAS {c} oxalate salt available",
          intro="Oxalate salt form, easier to handle."), ["carfentanil"], "salt", f"salt CAS {c} only (oxalate)")
c = cas("sufentanil", "citrate")
pos(ad_en("Sufentanil citrate", cas_line=f"CAS RN: {c}", platform="b2b"), ["sufentanil"], "salt",
    f"salt name + salt CAS {c}")
c = cas("remifentanil", "hydrochloride")
pos(ad_en("Remifentanil HCl", cas_line=f"CAS: {c}", platform="b2b",
          intro="Remifentanil hydrochloride, lyophilized powder, pharmacy grade, no license required."),
    ["remifentanil"], "salt", f"salt name 'Remifentanil HCl' + salt CAS {c}")
c = cas("4-piperidone", "hydrochloride hydrate")
pos(ad_en("Piperidone HCl hydrate", cas_line=f"CAS No.: {c}", platform="catalog", title=f"CAS {c} 98%"),
    ["4-piperidone"], "salt", f"salt CAS {c} (4-piperidone HCl hydrate) with a vague name")

# ---- SMILES of lexicon substances
smi = kekule(smi_of("fentanyl"))
pos(ad_en("Research compound", rows_extra=[("smiles", smi)], title="Research compound, structure on request",
          intro="New stock of research chemical; structure given below."), ["fentanyl"], "smiles",
    "kekulé SMILES only")
smi = random_smiles(smi_of("carfentanil")) + ".OC(=O)C(=O)O"
pos(ad_en("Custom synthesis product", rows_extra=[("smiles", smi)], platform="b2b", title="Custom product (see SMILES)",
          intro="Ready stock, structure attached."), ["carfentanil"], "smiles", "non-canonical SMILES with oxalic acid (salt)")
smi = random_smiles(smi_of("4-anpp"))
pos(ad_en("Intermediate", rows_extra=[("smiles", smi)], platform="catalog", title="Intermediate, 99%, bulk",
          intro="Bulk intermediate, see structure."), ["4-anpp"], "smiles", "non-canonical SMILES only")
smi = smi_of("npp") + ".Cl"
pos(("board", "ketone intermediate, HCl salt", f"ketone intermediate, HCl salt\nSMILES: {smi}\n"
     f"1kg and 5kg lots, price: {price_en()}. {rng.choice(SHIP_EN)}\n{contact()}"), ["npp"], "smiles",
    "SMILES with HCl (salt)")
smi = random_smiles(smi_of("acryloylfentanyl"))
pos(ad_en("RC powder", rows_extra=[("smiles", smi)], title="New RC powder — structure inside"),
    ["acryloylfentanyl"], "smiles", "non-canonical SMILES only")

# ---- InChIKey
for sid, plat in [("carfentanil", "catalog"), ("4-anpp", "b2b"), ("furanylfentanyl", "board")]:
    k = key(sid)
    pos(ad_en("Research chemical", rows_extra=[("inchikey", k)], platform=plat,
              title=f"InChIKey {k[:14]} — in stock", intro="Identity by InChIKey below; COA with the order."),
        [sid], "inchikey", "InChIKey only")

# ---- systematic names from the lexicon
for sid, i, plat in [("carfentanil", 0, "catalog"), ("4-anpp", 0, "b2b"), ("1-boc-4-piperidone", 0, "catalog"),
                     ("fentanyl", 2, "board")]:
    nm = lname(sid, "systematic", i)
    pos(ad_en(nm, platform=plat, title=rng.choice([f"{nm}, 99%", f"Supply {nm}", f"{nm} in stock"])),
        [sid], "iupac", f"systematic name '{nm}'")

# ---- obfuscations
pos(board_post("f e n t a n y l"), ["fentanyl"], "obfuscated-name", "spaced letters")
pos(ad_en("C.a.r.f.e.n.t.a.n.i.l", platform="catalog"), ["carfentanil"], "obfuscated-name", "dots between letters")
pos(board_post("F3NT4NYL", title="F3NT4NYL strong batch"), ["fentanyl"], "obfuscated-name", "leetspeak")
hg = homoglyph("fentanyl", "eay")
pos(ad_en(hg, platform="b2b"), ["fentanyl"], "obfuscated-name", "Cyrillic homoglyphs е/а/у in 'fentanyl'")
zw = "car\u200bfen\u200cta\u200dnil"
pos(ad_en(zw, platform="catalog"), ["carfentanil"], "obfuscated-name", "zero-width characters inside 'carfentanil'")
fwn = fullwidth("4-ANPP")
pos(ad_en(fwn, platform="b2b"), ["4-anpp"], "obfuscated-name", "full-width letters '４－ＡＮＰＰ'")
ms = lname("fentanyl", "misspellings", 1)
pos(board_post(ms), ["fentanyl"], "obfuscated-name", f"misspelling '{ms}'")
ms = lname("carfentanil", "misspellings", 1)
pos(ad_en(ms.capitalize(), platform="catalog"), ["carfentanil"], "obfuscated-name", f"misspelling '{ms}'")
pos(board_post("fent@nil (furanyl)", title="furanyl fent@nil restock"), ["furanylfentanyl"], "obfuscated-name",
    "symbol substitution 'furanyl fent@nil'")

# ---- buried in long price lists


def pricelist(n_rows, controlled_row, title, intro, lookalike_rows=()):
    names = rng.sample(sorted(HARMLESS), n_rows - 1 - len(lookalike_rows))
    rows = [(nm, HARMLESS[nm]) for nm in names] + list(lookalike_rows)
    rng.shuffle(rows)
    pos_i = None
    if controlled_row is not None:
        pos_i = rng.randint(n_rows // 3, n_rows - 4)
        rows.insert(pos_i, controlled_row)
    lines = [title, intro, blurbs(2), "Product | CAS No. | Purity | Price"]
    for nm, c in rows:
        lines.append(f"{nm} | {c} | {rng.choice(PURITY)} | {price_bulk()}")
    lines += [f"Supplier: {company()}", f"Contact: {contact()}"]
    return "\n".join(lines), (pos_i + 1 if pos_i is not None else None), len(rows)


text, at, total = pricelist(34, ("Pharma intermediate F-7", cas("fentanyl")), "Weekly stock list — solvents, APIs, additives",
                            "Current stock below, prices EXW. Mixed orders welcome.",
                            [("Fenbendazole", lcas("Fenbendazole"))])
pos(("catalog", text.split("\n")[0], text), ["fentanyl"], "cas",
    f"buried: one controlled line (CAS {cas('fentanyl')} under a vague name) at row {at} of {total}")
text, at, total = pricelist(38, ("N-Phenethyl-4-piperidone (NPP)", cas("npp")), "Price list Q3 (all items ex-stock)",
                            "Full list; ask for anything not shown.",
                            [("1-Benzyl-4-piperidone", lcas("1-Benzyl-4-piperidone")),
                             ("4-Aminopyridine (4-AP)", lcas("4-Aminopyridine"))])
pos(("b2b", text.split("\n")[0], text), ["npp"], "name",
    f"buried: one controlled line (name + CAS) at row {at} of {total}, among look-alikes")
assert has_name("npp", "N-phenethyl-4-piperidone")

# ---- novel analogs (not in the lexicon)
smiles_analogs = ["hexanoyl", "p-methoxy", "m-fluoro", "thiophene-acyl", "pyridyl-N", "4F-phenethyl", "3-ethyl-pip",
                  "p-F-furanyl"]
iupac_analogs = ["p-chloro", "o-methyl", "cyclobutyl", "p-F-methoxyacetyl", "pyridylethyl", "p-F-valeryl"]
ANALOG_TITLES = ["New research chemical — not scheduled", "Novel analog, legal alternative", "New product launch (RC)",
                 "Research compound, batch #{b}", "Designer intermediate, fresh batch", "Custom molecule, see structure"]
for j, a in enumerate(smiles_analogs):
    s, nm, d = ANALOGS[a]
    shown = random_smiles(s) if j % 2 else s
    if a == "4F-phenethyl":
        shown = shown + ".Cl"
    title = rng.choice(ANALOG_TITLES).format(b=rng.randint(100, 999))
    pos(ad_en(rng.choice(["New RC (code on request)", "Research compound", "Custom compound, see structure"]), rows_extra=[("smiles", shown)], title=title,
              intro=rng.choice(["Structure-only listing; name on request.", "Novel structure, not on any list yet.",
                                "Brand new compound; SMILES below."]),
              mfmw=mf_mw(s)), [], "analog-smiles",
        f"novel analog not in lexicon, SMILES only{' (HCl salt)' if shown.endswith('.Cl') else ''}: {d}",
        keys=[ikey(s)])
for a in iupac_analogs:
    s, nm, d = ANALOGS[a]
    title = rng.choice([f"{nm} 99%", f"Supply {nm}", f"{nm} — new RC, in stock"])
    pos(ad_en(nm, title=title, mfmw=mf_mw(s)), [], "analog-iupac",
        f"novel analog not in lexicon, systematic name only: {d}", keys=[ikey(s)])

# ============================================================ NEGATIVES

# ---- look-alike names (lookalikes.yaml)
for nm in ["Fenthion", "Fenitrothion", "Fenpropathrin", "Fenvalerate", "Fenoxycarb", "Fensulfothion", "Fentin acetate",
           "Fentin hydroxide", "Carfentrazone-ethyl", "Fenticonazole", "Fenticlor", "Fenbendazole", "Fenofibrate",
           "Fenspiride", "Phenethylamine", "4-Hydroxypiperidine"]:
    x = LOOK[nm]
    c = x["cas"][0] if x.get("cas") else None
    use = {"Fenthion": "insecticide TC", "Fenitrothion": "insecticide", "Fenpropathrin": "pyrethroid TC",
           "Fenvalerate": "pyrethroid", "Fenoxycarb": "IGR for pest control", "Fensulfothion": "nematicide TC",
           "Fentin acetate": "fungicide", "Fentin hydroxide": "fungicide 95% TC", "Carfentrazone-ethyl": "herbicide TC",
           "Fenticonazole": "antifungal API", "Fenticlor": "antifungal", "Fenbendazole": "veterinary dewormer",
           "Fenofibrate": "API, USP grade", "Fenspiride": "API", "Phenethylamine": "bulk amine",
           "4-Hydroxypiperidine": "building block"}[nm]
    liquid = nm in {"Fenthion", "Fenitrothion", "Fenvalerate", "Phenethylamine", "Fensulfothion"}
    neg(ad_en(f"{nm} ({use})", cas_line=f"{rng.choice(['CAS', 'CAS No.', 'CAS#'])}: {c}" if c else None,
              appearance=rng.choice(["Yellow to brown liquid", "Colourless to pale yellow liquid"]) if liquid else
              rng.choice(["White powder", "Off-white crystalline powder", "Technical grade solid"])),
        "negative-fuzzy", f"look-alike name '{nm}'")
neg(ad_zh("4-氨基吡啶", extra_lines=["英文名：4-Aminopyridine (4-AP)", f"CAS号：{lcas('4-Aminopyridine')}"]),
    "negative-abbrev", "'4-AP' as 4-aminopyridine, Chinese ad")
neg(ad_en("4-AP (fampridine)", cas_line=f"CAS: {lcas('4-Aminopyridine')}", platform="b2b",
          intro="4-AP / 4-Aminopyridine, pharma grade, for MS formulations and as a reagent."),
    "negative-abbrev", "'4-AP' as fampridine (4-aminopyridine) with its CAS")
neg(("board", "4-AP bird repellent bait concentrate", "4-AP bird repellent bait concentrate\n"
     "Avitrol-type 4-AP concentrate for licensed pest control operators only. 500 g tins. "
     f"Label and SDS provided.\nPrice: USD {rng.randint(30, 80)} per tin\nContact: {contact()}"), "negative-abbrev",
    "'4-AP' as 4-aminopyridine bird repellent, no CAS")
neg(ad_en("pNPP (4-nitrophenyl phosphate disodium salt hexahydrate)", cas_line=f"CAS: {lcas('4-Nitrophenyl phosphate')}",
          platform="catalog", intro="ELISA / alkaline phosphatase substrate, ready-to-use tablets and powder.",
          appearance="White to pale yellow powder"), "negative-abbrev", "'pNPP' phosphatase substrate")
neg(("catalog", "4-NPP substrate tablets, 5 mg x 100", "4-NPP substrate tablets, 5 mg x 100\n"
     "4-NPP (p-nitrophenyl phosphate) tablets for alkaline phosphatase ELISA. Store at -20 °C. "
     f"{rng.choice(QUAL_EN)}\nPrice: €{rng.randint(40, 120)} per vial of 100 tablets\nContact: {contact()}"), "negative-abbrev",
    "'4-NPP' as p-nitrophenyl phosphate (no CAS)")

# ---- structural / piperidine look-alikes
neg(ad_en("N-Boc-4-hydroxypiperidine", platform="catalog", intro="Boc-protected building block for medicinal chemistry."),
    "negative-structure", "N-Boc-4-hydroxypiperidine by name")
neg(ad_en("tert-butyl 4-hydroxypiperidine-1-carboxylate", platform="b2b"), "negative-structure",
    "N-Boc-4-hydroxypiperidine by systematic name")
neg(ad_en("1-Benzyl-4-piperidone", cas_line=f"CAS No.: {lcas('1-Benzyl-4-piperidone')}", appearance="Pale yellow liquid"),
    "negative-structure", "1-benzyl-4-piperidone with CAS")
neg(ad_en("N-Benzyl-4-piperidone hydrochloride", cas_line=f"CAS: {lcas('1-Benzyl-4-piperidone', 1)}", platform="catalog"),
    "negative-structure", "1-benzyl-4-piperidone HCl")
neg(ad_en("Loperamide hydrochloride", cas_line=f"CAS: {lcas('Loperamide', 1)}", platform="b2b",
          intro="Loperamide HCl USP, antidiarrheal API, DMF available."), "negative-structure", "loperamide HCl API")
neg(("board", "Imodium-type loperamide 2 mg caps, bulk", "Imodium-type loperamide 2 mg caps, bulk\n"
     "Generic loperamide 2 mg capsules for pharmacies, blister 10x10. "
     f"{rng.choice(SHIP_EN)}\nPrice: USD {rng.randint(8, 20)} per box of 100\nContact: {contact()}"), "negative-structure", "loperamide capsules")
neg(ad_en("Haloperidol", platform="catalog", intro="Haloperidol EP/USP for licensed pharmaceutical manufacturers."),
    "negative-structure", "haloperidol (no CAS)")
neg(ad_en("Donepezil hydrochloride", cas_line=f"CAS: {lcas('Donepezil', 1)}", platform="b2b"), "negative-structure",
    "donepezil HCl")
neg(ad_zh("盐酸多奈哌齐", extra_lines=[f"英文名：Donepezil HCl", f"CAS号：{lcas('Donepezil', 1)}"]), "negative-structure",
    "donepezil HCl in Chinese")
neg(ad_en("Naltrexone hydrochloride", cas_line=f"CAS: {lcas('Naltrexone', 1)}", platform="catalog"), "negative-structure",
    "naltrexone HCl")
for nm in ["ethyl piperidine-4-carboxylate", "tert-butyl 4-aminopiperidine-1-carboxylate", "4-benzylpiperidine",
           "1-benzylpiperidin-4-amine"]:
    neg(ad_en(nm, appearance=rng.choice(["Colourless liquid", "White solid", "Off-white powder"])),
        "negative-structure", f"harmless piperidine systematic name '{nm}'")

# ---- harmless SMILES
for nm in ["Acetanilide", "N-phenylpropanamide", "Paracetamol", "Caffeine", "Lidocaine",
           "tert-butyl 4-hydroxypiperidine-1-carboxylate", "ethyl piperidine-4-carboxylate"]:
    smi = HSMILES[nm]
    neg(ad_en("Research compound", rows_extra=[("smiles", smi)], title=rng.choice(
        ["Research compound (structure below)", "Fine chemical, see SMILES", "Custom synthesis item in stock"]),
        intro="Structure given below; name on the COA."), "negative-smiles", f"harmless molecule as SMILES ({nm})")
for nm in ["1-Benzyl-4-piperidone", "Loperamide", "Haloperidol", "4-Aminopyridine"]:
    smi = LOOK[nm]["smiles"]
    neg(ad_en("Building block", rows_extra=[("smiles", smi)], title="Building block, structure attached",
              intro="See structure; bulk pricing on request."), "negative-smiles", f"look-alike SMILES ({nm})")

# ---- naloxone
neg(ad_en("Naloxone hydrochloride dihydrate", cas_line=f"CAS: {lcas('Naloxone', 2)}", platform="b2b",
          intro="Naloxone HCl API for nasal spray and injection makers; opioid overdose antidote, including fentanyl overdoses."),
    "negative-naloxone", "naloxone API mentioning fentanyl overdose")
neg(("catalog", "Naloxone nasal spray 4 mg, twin pack", "Naloxone nasal spray 4 mg, twin pack\n"
     "Emergency treatment of known or suspected opioid overdose (heroin, fentanyl, carfentanil). "
     "For pharmacies, schools and community programmes.\n"
     f"Pack: 2 x 4 mg devices\nPrice: US$ {rng.randint(35, 60)} per pack\nContact: {contact()}"), "negative-naloxone",
    "naloxone spray naming fentanyl and carfentanil")
neg(("board", "Free naloxone kits at our harm-reduction desk", "Free naloxone kits at our harm-reduction desk\n"
     "Fentanyl is in a lot of the local supply. Pick up a free naloxone kit (2 doses + gloves + leaflet) at the "
     "clinic desk Mon-Fri. No questions asked. Training session every Thursday."), "negative-naloxone",
    "community post offering naloxone")
neg(ad_zh("盐酸纳洛酮", extra_lines=[f"CAS号：{lcas('Naloxone', 1)}", "用途：阿片类药物（包括芬太尼）过量解救"]),
    "negative-naloxone", "naloxone HCl in Chinese mentioning 芬太尼 overdose")

# ---- test strips / kits
neg(("catalog", "Fentanyl test strips (FTS), 100 pcs", "Fentanyl test strips (FTS), 100 pcs\n"
     "Dip-card immunoassay strips to check a sample for fentanyl. Results in 5 minutes. For harm-reduction "
     f"programmes and personal safety.\nPack: 100 strips, individually sealed\nPrice: US$ {rng.randint(60, 140)} per pack\n"
     f"Seller: {company()}\nContact: {contact()}"), "negative-teststrip", "fentanyl test strips")
neg(("b2b", "Fentanyl (FYL) urine rapid test cassette — OEM", "Fentanyl (FYL) urine rapid test cassette — OEM\n"
     "CE-marked rapid test cassette for fentanyl in urine, cut-off as per insert. OEM logo printing, 25 tests/box.\n"
     f"MOQ: 1000 tests\nPrice: USD 0.{rng.randint(30, 90)}/test\nSupplier: {company()}\nContact: {contact()}"), "negative-teststrip",
    "fentanyl urine test cassette")
neg(("board", "Reagent kit for drug checking (fentanyl & analogs)", "Reagent kit for drug checking (fentanyl & analogs)\n"
     "Our drug-checking kit contains reagent bottles and fentanyl strips to help people test before use. "
     "Volunteers ship at cost. Not for sale to minors."), "negative-teststrip", "drug-checking kit")
neg(("catalog", "Tiras reactivas para detectar fentanilo (paquete de 50)",
     "Tiras reactivas para detectar fentanilo (paquete de 50)\nTiras de inmunoensayo para detectar fentanilo en "
     f"muestras. Resultados en 5 minutos.\nPrecio: consultar\nContacto: {contact()}"), "negative-teststrip",
    "Spanish fentanyl test strips")

# ---- news / forum
neg(("board", "News: customs reports large seizure of fentanyl precursors",
     "News: customs reports large seizure of fentanyl precursors\nAuthorities said the shipment was declared as "
     "'industrial chemicals' and contained 4-ANPP and NPP, both controlled fentanyl precursors. Officials urged "
     "online platforms to remove listings for fentanyl, carfentanil and their analogues. No arrests were announced."),
    "negative-news", "news item naming fentanyl, 4-ANPP, NPP")
neg(("board", "海关查获芬太尼类物质 平台加强审核", "海关查获芬太尼类物质 平台加强审核\n"
     "据报道，执法部门近日在一批申报为“医药中间体”的货物中查获芬太尼类物质。多家电商平台表示将进一步加强对化学品"
     "信息的审核，严禁发布芬太尼及其前体化学品的销售信息。"), "negative-news", "Chinese news item about 芬太尼 seizure")
neg(("board", "Regulators add more fentanyl-related substances to control list",
     "Regulators add more fentanyl-related substances to control list\nThe update covers several analogues, "
     "including furanylfentanyl and acetylfentanyl, plus the precursors 4-AP and 1-boc-4-AP. Companies trading in "
     "piperidine building blocks are advised to review their catalogues."), "negative-news",
    "regulatory news naming controlled analogues")
neg(("board", "Opinion: what fentanyl test strips can and cannot tell you",
     "Opinion: what fentanyl test strips can and cannot tell you\nStrips detect many fentanyl analogues but not "
     "all; a negative result is not a guarantee. Carry naloxone and never use alone."), "negative-news",
    "opinion piece on test strips")
neg(("board", "Why was my 4-aminopyridine listing removed?",
     "Why was my 4-aminopyridine listing removed?\nI sell 4-AP (4-aminopyridine, fampridine) to pharma labs. "
     "The platform pulled the listing saying 4-AP is a fentanyl precursor. Isn't that 4-anilinopiperidine? "
     "How do I appeal?"), "negative-forum", "forum question about 4-AP abbreviation confusion")
neg(("board", "Q: SDS for N-Boc-4-hydroxypiperidine?",
     "Q: SDS for N-Boc-4-hydroxypiperidine?\nDoes anyone have a current SDS for N-Boc-4-hydroxypiperidine? Our EHS "
     "team wants it before we order 500 g. Not to be confused with 1-boc-4-piperidone, which is a listed precursor."),
    "negative-forum", "forum post about a harmless piperidine, mentions a precursor name")
neg(("board", "PSA from the outreach team", "PSA from the outreach team\nThere have been several overdoses this week "
     "linked to fentanyl mixed into other drugs. Test your supply, carry naloxone, and call emergency services. "
     "Fentanyl test strips are free at the outreach van."), "negative-forum", "harm-reduction PSA")

# ---- compliance disclaimers on ordinary products
DISCLAIMERS = [
    "Marketplace notice: listings for fentanyl, its analogues or precursors (4-ANPP, NPP, norfentanyl, 4-AP, "
    "1-boc-4-piperidone) are prohibited and will be reported.",
    "We do NOT sell controlled substances of any kind — no fentanyl, no carfentanil, no related compounds. Please "
    "don't ask.",
    "郑重声明：本公司不生产、不销售芬太尼及其类似物和前体化学品，相关询盘一律不予回复。",
    "Aviso: no comercializamos fentanilo, carfentanilo ni precursores controlados. Solo productos de uso industrial.",
    "Avertissement : aucune substance classée (fentanyl et dérivés) n'est vendue sur ce site.",
    f"Automated screening blocks restricted items such as CAS {cas('fentanyl')}, {cas('4-anpp')} and "
    f"{cas('npp')}; offers for them are removed without notice.",
    "End-user declaration required for regulated items; fentanyl-class substances are never supplied.",
    "Our range follows the UN 1988 Convention tables: precursors such as ANPP and NPP are not in our catalogue.",
]
everyday_for_disc = ["Sodium bicarbonate", "Citric acid anhydrous", "Glycerol", "Xylitol", "Magnesium stearate",
                     "Sodium benzoate", "Vanillin", "Taurine"]
for dtxt, nm in zip(DISCLAIMERS, everyday_for_disc):
    if dtxt.startswith("郑重"):
        pt = ad_zh(nm, extra_lines=[f"CAS号：{HARMLESS[nm]}", dtxt])
    else:
        pt = ad_en(nm, cas_line=f"CAS No.: {HARMLESS[nm]}", extra_text=dtxt, appearance="White powder")
    neg(pt, "negative-disclaimer", "compliance disclaimer naming controlled substances; offered item is ordinary"
        + ("; disclaimer quotes controlled CAS numbers" if "CAS" in dtxt else ""))

# ---- CAS one digit off a controlled one (fails check digit)


def bad_variant(c):
    digits = list(c)
    idx = [i for i, ch in enumerate(digits) if ch.isdigit()]
    for _ in range(200):
        i = rng.choice(idx)
        d = rng.choice([x for x in "0123456789" if x != digits[i]])
        v = digits.copy()
        v[i] = d
        v = "".join(v)
        if v[0] != "0" and not cas_ok(v):
            return v
    raise RuntimeError(c)


for sid, form in [("fentanyl", "base"), ("4-anpp", "base"), ("npp", "base"), ("carfentanil", "base"),
                  ("1-boc-4-piperidone", "base"), ("norfentanyl", "base")]:
    good = cas(sid, form)
    bad = bad_variant(good)
    neg(ad_en("Pharmaceutical intermediate", cas_line=f"CAS No.: {bad}", title=f"CAS {bad} in stock",
              intro=f"Please inquire for CAS {bad}."), "negative-badcas",
        f"invalid CAS {bad} (one digit off {good}, fails check digit), no other signal")

# ---- controlled CAS digits inside other numbers, no CAS cue
d1 = cas("4-anpp").replace("-", "")
d2 = cas("fentanyl").replace("-", "")
d3 = cas("npp").replace("-", "")
d4 = cas("carfentanil").replace("-", "")
d5 = cas("fentanyl", "citrate").replace("-", "")
neg(ad_en("Xylitol (food grade)", cas_line=f"CAS: {HARMLESS['Xylitol']}", extra_text=f"Retail barcode: 69{d1}004"),
    "negative-digits", f"barcode containing the digits of a controlled CAS ({d1})")
neg(ad_en("Ethyl acetate", appearance="Colourless liquid", cas_line=f"CAS: {HARMLESS['Ethyl acetate']}", platform="b2b",
          extra_text=f"Last shipment tracking no. 77{d2}0124 — delivered."), "negative-digits",
    f"tracking number containing {d2}")
neg(("catalog", "Lab glass beakers 250 ml, pack of 12", f"Lab glass beakers 250 ml, pack of 12\nBorosilicate 3.3, "
     f"graduated. Item no. {d3}1. Ships in 2 days.\nPrice: US$ {rng.randint(15, 45)}/pack\nContact: {contact()}"), "negative-digits",
    f"item number containing {d3}")
neg(("b2b", "Food-grade PE bags 25 kg, custom print", f"Food-grade PE bags 25 kg, custom print\nOrder ref {d4}-B, "
     f"stock 20,000 pcs. {rng.choice(SHIP_EN)}\nPrice: USD 0.12/pc\nContact: {contact()}"), "negative-digits",
    f"order reference containing {d4}")
neg(ad_en("Sodium citrate dihydrate", cas_line=f"CAS: {HARMLESS['Sodium citrate dihydrate']}", platform="catalog",
          extra_text=f"Invoice {d5} reissued on request; batch 2024-{rng.randint(10, 99)}."), "negative-digits",
    f"invoice number equal to a controlled salt CAS's digits ({d5}) without a CAS cue")

# ---- everyday listings
for nm in ["Caffeine anhydrous", "Melatonin", "Creatine monohydrate", "Sodium hyaluronate", "L-Ascorbic acid",
           "Titanium dioxide", "Dimethyl sulfoxide (DMSO)", "Lidocaine hydrochloride", "Kojic acid", "Minoxidil",
           "Resveratrol", "Stearic acid"]:
    neg(ad_en(nm, cas_line=f"{rng.choice(['CAS', 'CAS No.', 'CAS#'])}: {HARMLESS[nm]}",
              appearance="Colourless liquid" if nm.startswith("Dimethyl") else None), "negative-everyday",
        "ordinary chemical")
for nm in ["Glycine", "Sodium chloride", "D-Sorbitol"]:
    neg(ad_zh({"Glycine": "甘氨酸", "Sodium chloride": "氯化钠", "D-Sorbitol": "山梨醇"}[nm],
              extra_lines=[f"英文名：{nm}", f"CAS号：{HARMLESS[nm]}"]), "negative-everyday", "ordinary chemical, Chinese")
neg(("catalog", "Ácido cítrico anhidro grado alimenticio", "Ácido cítrico anhidro grado alimenticio\nSacos de 25 kg, "
     f"entrega en todo México.\nCAS: {HARMLESS['Citric acid anhydrous']}\nPureza: 99,5 %\nPrecio: consultar\n"
     f"Contacto: {contact()}"), "negative-everyday", "ordinary chemical, Spanish")
neg(("catalog", "Glycérine végétale 99,7 % — bidons de 5 L", "Glycérine végétale 99,7 % — bidons de 5 L\n"
     f"Qualité pharmaceutique, livraison en 48 h.\nN° CAS : {HARMLESS['Glycerol']}\nPrix : {rng.randint(15, 40)} € le bidon\n"
     f"Contact : {contact()}"), "negative-everyday", "ordinary chemical, French")
neg(("board", "WTS: rotary evaporator 5 L, lightly used", "WTS: rotary evaporator 5 L, lightly used\n"
     f"Lab closing down, selling a 5 L rotovap with chiller. Pick-up or freight. {rng.randint(900, 2500)} USD.\n"
     f"Contact: {contact()}"), "negative-everyday", "lab equipment")
neg(("b2b", "Mylar zip bags, smell-proof, 1000 pcs", "Mylar zip bags, smell-proof, 1000 pcs\nDiscreet packaging, "
     f"heat-sealable, custom sizes. Ships worldwide, tracking provided.\nPrice: USD {rng.randint(40, 90)}/1000 pcs\n"
     f"Contact: {contact()}"), "negative-everyday", "packaging with 'discreet' wording")
neg(("catalog", "Digital milligram scale 0.001 g", "Digital milligram scale 0.001 g\n50 g capacity, calibration "
     f"weights included. Free shipping.\nPrice: US$ {rng.randint(20, 60)}\nContact: {contact()}"), "negative-everyday",
    "lab equipment")
for k in range(3):
    text, _, total = pricelist(rng.randint(28, 40), None, rng.choice(["Our stock list (updated weekly)",
                               "Full catalogue — APIs, excipients, solvents", "Clearance list, ex-warehouse"]),
                               "Prices indicative; ask for a formal quote.",
                               [("Fentin hydroxide", lcas("Fentin hydroxide")),
                                ("4-Aminopyridine (4-AP)", lcas("4-Aminopyridine")),
                                ("Loperamide HCl", lcas("Loperamide", 1))][: k + 1])
    neg((rng.choice(["catalog", "b2b"]), text.split("\n")[0], text), "negative-everyday",
        f"long everyday price list ({total} rows) incl. look-alikes, nothing controlled")

# --------------------------------------------------------------------------- checks and output

CAS_RE = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")
KNOWN_CAS = CONTROLLED_CAS | LOOK_CAS | set(HARMLESS.values())


def check(case):
    t = unicodedata.normalize("NFKC", case["text"])
    assert case["text"].split("\n")[0] == case["title"], case["title"]
    for m in CAS_RE.finditer(t):
        c = m.group(0)
        if case["how"] == "negative-badcas":
            continue
        assert cas_ok(c), (c, case["note"])
        assert c in KNOWN_CAS, (c, case["note"])
    if not case["flag"]:
        for c in CONTROLLED_CAS:
            if c in t:
                assert case["how"] == "negative-disclaimer", (c, case["note"])
    for line in t.split("\n"):
        mm = re.match(r"^(?:SMILES|Structure \(SMILES\)|Structure):\s*(\S+)$", line)
        if mm:
            k = ikey(mm.group(1))
            if case["flag"]:
                assert k in case["inchikeys"], case["note"]
            else:
                assert k not in LEX_KEYS, case["note"]
    if case["flag"]:
        for k in case["inchikeys"]:
            assert re.fullmatch(r"[A-Z]{14}-[A-Z]{10}-[A-Z]", k)


def opsin_check():
    from py2opsin import py2opsin
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for a, (s, nm, _d) in ANALOGS.items():
                got = py2opsin(nm)
                assert got and ikey(got) == ikey(s), (a, nm, got)
            for nm, s in HSMILES.items():
                if "-" in nm or nm.islower():
                    got = py2opsin(nm)
                    assert got and ikey(got) == ikey(s), (nm, got)
        finally:
            os.chdir(cwd)
    print("OPSIN: all analog and harmless systematic names agree with their SMILES")


def main():
    if "--opsin" in sys.argv:
        opsin_check()
    cases = CASES[:]
    rng.shuffle(cases)
    listings, labels = [], []
    paths = {"catalog": "catalog/product", "b2b": "b2b/offer", "board": "board/thread"}
    for i, c in enumerate(cases, start=1):
        check(c)
        hid = f"H{i:04d}"
        listings.append({"id": hid, "platform": c["platform"], "url": f"{BASE_URL}/{paths[c['platform']]}/{hid}.html",
                         "title": c["title"], "text": c["text"]})
        labels.append({"id": hid, "flag": c["flag"], "category": c["category"], "inchikeys": c["inchikeys"],
                       "how": c["how"], "note": c["note"]})
    with open(HERE / "listings.jsonl", "w", encoding="utf-8") as f:
        for r in listings:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(HERE / "labels.jsonl", "w", encoding="utf-8") as f:
        for r in labels:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = len(labels)
    npos = sum(r["flag"] for r in labels)
    cats = sorted(Counter(r["category"] for r in labels).items())
    hows = sorted(Counter(r["how"] for r in labels).items())
    print(f"{n} listings, {npos} positive ({100 * npos / n:.0f}%)")
    for k, v in cats:
        print(f"  category {k}: {v}")
    for k, v in hows:
        print(f"  how {k}: {v}")
    write_readme(n, npos, cats, hows)


README = """# Held-out evaluation set (do not tune on it)

Who: written by a helper session of the fentwatch project, on request of the developers, WITHOUT reading the
detector (`detect/`), the development corpus (`tests/data/` outside this folder) or its generator. Phrasing,
templates, company names and case mix are its own. Keep it that way: do not look at these rows while
changing the detector, and do not add them to the development corpus.

How: `make_holdout.py` (seed {seed}) writes `listings.jsonl` and `labels.jsonl` deterministically:

    /work/main/.venv/bin/python tests/data/holdout/make_holdout.py [--opsin]

Facts about controlled substances (names incl. zh/es/fr, CAS numbers of base and salt forms, SMILES, InChIKeys,
systematic names) are read from `lexicon/` at run time; harmless look-alikes from `lexicon/lookalikes.yaml`.
Harmless CAS numbers are textbook ones, all check-digit verified; the only failing CAS numbers are the
deliberate `negative-badcas` rows (one digit off a controlled CAS). Novel analogs (`analog-smiles`,
`analog-iupac`) are not in the lexicon (checked by InChIKey); their SMILES parse in RDKit and their systematic
names give the same InChIKey through OPSIN (`--opsin` re-checks). Text is advertisement copy only; all
contacts are fake (+00 000 000 NNNN, example.com/example.org, example_ handles, invented companies).

Format as in `shared/sample/`: listings `{{id, platform, url, title, text}}` (ids H0001..., platforms catalog,
b2b, board), labels `{{id, flag, category, inchikeys, how, note}}`. Rows buried in long price lists carry the
`how` of the controlled line and say `buried` in the note.

When: {date}.

## Counts

{n} listings, {npos} positive ({pct:.0f}%).

| category | n |
| --- | --- |
{cat_rows}

| how | n |
| --- | --- |
{how_rows}
"""


def write_readme(n, npos, cats, hows):
    txt = README.format(seed=SEED, date="2026-11-22", n=n, npos=npos, pct=100 * npos / n,
                        cat_rows="\n".join(f"| {k} | {v} |" for k, v in cats),
                        how_rows="\n".join(f"| {k} | {v} |" for k, v in hows))
    (HERE / "README.md").write_text(txt, encoding="utf-8")


if __name__ == "__main__":
    main()
