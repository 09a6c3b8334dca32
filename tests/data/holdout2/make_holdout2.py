#!/usr/bin/env python3
"""Build the second held-out evaluation set (holdout2) for fentwatch.

Deterministic: a fixed seed drives every random choice (contacts, prices, filler, order).
Run with the project venv (PyYAML + RDKit):

    /work/main/.venv/bin/python tests/data/holdout2/make_holdout2.py            # writes the two jsonl files
    /work/main/.venv/bin/python tests/data/holdout2/make_holdout2.py --check-opsin   # also re-parses the
                                                                                    # novel systematic names

Facts about controlled substances (names, CAS numbers, SMILES, InChIKeys) are read from lexicon/ at run time;
nothing about a controlled substance is typed in here except novel analog structures (which are, by design,
absent from the lexicon and checked to be so) and deliberately broken CAS numbers (checked to fail the check
digit). All contacts are fake (+00 numbers, example.com/example.org, example_ handles, invented companies).
The text is advertisement / discussion copy only.
"""

from __future__ import annotations

import glob
import json
import os
import random
import re
import sys
import unicodedata

import yaml
from rdkit import Chem, RDLogger
from rdkit.Chem import Descriptors, rdMolDescriptors

RDLogger.DisableLog("rdApp.*")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SEED = 20250917
rng = random.Random(SEED)

# ----------------------------------------------------------------------------- lexicon

LEX: dict[str, dict] = {}
for _f in sorted(glob.glob(os.path.join(ROOT, "lexicon", "substances", "*.yaml"))):
    _d = yaml.safe_load(open(_f, encoding="utf-8"))
    LEX[_d["id"]] = _d
LOOK = {e["name"]: e for e in yaml.safe_load(open(os.path.join(ROOT, "lexicon", "lookalikes.yaml"),
                                                    encoding="utf-8"))["lookalikes"]}


def KEY(sid: str) -> str:
    return LEX[sid]["inchikey"]


def CAT(sid: str) -> str:
    return LEX[sid]["category"]


def CAS(sid: str, form: str = "base") -> str:
    for f in LEX[sid].get("forms", []):
        if f["form"] == form:
            return f["cas"]
    raise KeyError((sid, form))


def NAMES(sid: str, kind: str) -> list[str]:
    return list((LEX[sid].get("names") or {}).get(kind) or [])


def name_in(sid: str, kind: str, value: str) -> str:
    """Return value after asserting it is one of the lexicon names of that kind."""
    assert value in NAMES(sid, kind), (sid, kind, value)
    return value


def SMI(sid: str) -> str:
    return LEX[sid]["smiles"]


def MF(smiles: str) -> str:
    return rdMolDescriptors.CalcMolFormula(Chem.MolFromSmiles(smiles))


def MW(smiles: str) -> str:
    return f"{Descriptors.MolWt(Chem.MolFromSmiles(smiles)):.2f}"


def ikey(smiles: str) -> str:
    return Chem.MolToInchiKey(Chem.MolFromSmiles(smiles))


LEX_KEYS = {d["inchikey"] for d in LEX.values()} | {ikey(d["smiles"]) for d in LEX.values()}
CONTROLLED_CAS = {f["cas"] for d in LEX.values() for f in d.get("forms", [])}
CAS_OWNER = {f["cas"]: d["id"] for d in LEX.values() for f in d.get("forms", [])}


def cas_ok(c: str) -> bool:
    m = re.fullmatch(r"(\d{2,7})-(\d{2})-(\d)", c)
    if not m:
        return False
    body = m.group(1) + m.group(2)
    return sum(i * int(x) for i, x in enumerate(reversed(body), 1)) % 10 == int(m.group(3))


def random_smiles(smiles: str, seed: int) -> str:
    """Another valid writing of the same molecule (RDKit random atom order), reproducible."""
    m = Chem.MolFromSmiles(smiles)
    r = random.Random(seed)
    order = list(range(m.GetNumAtoms()))
    r.shuffle(order)
    return Chem.MolToSmiles(Chem.RenumberAtoms(m, order), canonical=False)


# ----------------------------------------------------------------------------- novel analogs (not in lexicon)

NOVEL_SMILES = {
    "p-methyl": "CCC(=O)N(c1ccc(C)cc1)C1CCN(CCc2ccccc2)CC1",
    "cyclohexyl": "O=C(C1CCCCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "o-fluoroacetyl": "CC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1",
    "p-fluoromethoxyacetyl": "COCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
    "m-fluoro": "CCC(=O)N(c1cccc(F)c1)C1CCN(CCc2ccccc2)CC1",
    "thiophene-carboxamide": "O=C(c1cccs1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
}
NOVEL_NAMES = {  # systematic name -> SMILES of the structure OPSIN gives (checked with --check-opsin)
    "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]hexanamide":
        "CCCCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "N-(4-chlorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide":
        "CCC(=O)N(c1ccc(Cl)cc1)C1CCN(CCc2ccccc2)CC1",
    "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]cyclobutanecarboxamide":
        "O=C(C1CCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "N-{1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl}-N-phenylpropanamide":
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1",
    "2-ethoxy-N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]acetamide":
        "CCOCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "ethyl 1-(2-phenylethyl)-4-[phenyl(propanoyl)amino]piperidine-4-carboxylate":
        "CCC(=O)N(c1ccccc1)C1(C(=O)OCC)CCN(CCc2ccccc2)CC1",
}
for _s in list(NOVEL_SMILES.values()) + list(NOVEL_NAMES.values()):
    assert Chem.MolFromSmiles(_s) is not None, _s
    assert ikey(_s) not in LEX_KEYS, _s

# ----------------------------------------------------------------------------- harmless facts

# (name, CAS) for ordinary chemicals; each CAS check digit is asserted below.
EVERYDAY = [
    ("Caffeine anhydrous", "58-08-2"), ("L-Ascorbic acid", "50-81-7"), ("Citric acid anhydrous", "77-92-9"),
    ("Glycine", "56-40-6"), ("Urea", "57-13-6"), ("Sodium benzoate", "532-32-1"), ("Benzoic acid", "65-85-0"),
    ("Salicylic acid", "69-72-7"), ("Acetylsalicylic acid", "50-78-2"), ("Paracetamol", "103-90-2"),
    ("Ibuprofen", "15687-27-1"), ("Vanillin", "121-33-5"), ("Glycerol", "56-81-5"), ("Taurine", "107-35-7"),
    ("D-Biotin", "58-85-5"), ("Melatonin", "73-31-4"), ("Niacinamide", "98-92-0"), ("L-Arginine", "74-79-3"),
    ("Creatine monohydrate", "6020-87-7"), ("Stearic acid", "57-11-4"), ("Magnesium stearate", "557-04-0"),
    ("Titanium dioxide", "13463-67-7"), ("Kojic acid", "501-30-4"), ("Allantoin", "97-59-6"),
    ("Resveratrol", "501-36-0"), ("N,N-Dimethylformamide", "68-12-2"), ("Dimethyl sulfoxide", "67-68-5"),
    ("Acetone", "67-64-1"), ("Methanol", "67-56-1"), ("Ethanol absolute", "64-17-5"),
    ("Isopropyl alcohol", "67-63-0"), ("Ethyl acetate", "141-78-6"), ("Toluene", "108-88-3"),
    ("Dichloromethane", "75-09-2"), ("n-Hexane", "110-54-3"), ("Tetrahydrofuran", "109-99-9"),
    ("Pyridine", "110-86-1"), ("Sodium chloride", "7647-14-5"), ("Sodium bicarbonate", "144-55-8"),
    ("Potassium carbonate", "584-08-7"), ("Glacial acetic acid", "64-19-7"), ("Sucrose", "57-50-1"),
    ("D-Glucose", "50-99-7"), ("Lidocaine", "137-58-6"), ("Benzocaine", "94-09-7"), ("Procaine", "59-46-1"),
    ("Minoxidil", "38304-91-5"), ("Fumaric acid", "110-17-8"), ("L-Glutathione reduced", "70-18-8"),
    ("Sodium hyaluronate", "9067-32-7"), ("Zinc oxide", "1314-13-2"), ("Calcium carbonate", "471-34-1"),
    ("Hydroquinone", "123-31-9"), ("DL-Menthol", "89-78-1"), ("D-Sorbitol", "50-70-4"),
    ("Propylene glycol", "57-55-6"), ("Sodium lauryl sulfate", "151-21-3"), ("Polyethylene glycol", "25322-68-3"),
    ("Triethanolamine", "102-71-6"), ("Lactic acid", "50-21-5"), ("Benzyl alcohol", "100-51-6"),
    ("Phenoxyethanol", "122-99-6"), ("Tranexamic acid", "1197-18-8"), ("Nicotinic acid", "59-67-6"),
    ("Folic acid", "59-30-3"), ("Riboflavin", "83-88-5"), ("Thiamine hydrochloride", "67-03-8"),
    ("Pyridoxine hydrochloride", "58-56-0"), ("Cholecalciferol", "67-97-0"), ("Coenzyme Q10", "303-98-0"),
    ("Curcumin", "458-37-7"), ("Quercetin", "117-39-5"), ("Metformin hydrochloride", "1115-70-4"),
    ("L-Theanine", "3081-61-6"), ("Nicotinamide mononucleotide", "1094-61-7"),
    ("Sodium citrate dihydrate", "6132-04-3"), ("Ferulic acid", "1135-24-6"), ("Alpha-arbutin", "84380-01-8"),
    ("Acetanilide", "103-84-4"), ("Phenol", "108-95-2"), ("Benzaldehyde", "100-52-7"),
    ("Cyclohexanone", "108-94-1"), ("Piperidine", "110-89-4"), ("Sodium hydroxide", "1310-73-2"),
    ("Acetonitrile", "75-05-8"), ("Xylene (mixed isomers)", "1330-20-7"), ("Formic acid", "64-18-6"),
    ("Sodium sulfate anhydrous", "7757-82-6"), ("Potassium chloride", "7447-40-7"),
]
for _n, _c in EVERYDAY:
    assert cas_ok(_c) and _c not in CONTROLLED_CAS, (_n, _c)
EVERYDAY_CAS = {n: c for n, c in EVERYDAY}

# ----------------------------------------------------------------------------- boilerplate pools

CITIES = ["Wuhan", "Hebei", "Jinan", "Zhengzhou", "Hangzhou", "Shijiazhuang", "Xi'an", "Changzhou", "Tianjin",
          "Shanghai", "Guangzhou", "Chengdu", "Mumbai", "Hyderabad", "Rotterdam", "Lyon", "Hamburg", "Porto",
          "Guadalajara", "Valencia", "Kazan", "Almaty", "Lagos", "Campinas"]
BRANDS = ["Quillarex", "Varnothe", "Zelbrine", "Ostravix", "Calvenor", "Druvessa", "Mirvanta", "Pellucor",
          "Torvexa", "Brinlowe", "Saldurex", "Yunpharo", "Kestrine", "Oberlux", "Nalvacor", "Fyrdell",
          "Tamsolix", "Grevanto", "Helmistra", "Corvialis", "Junova", "Xandrel", "Livorent", "Emberia"]
SUFFIX = ["Chemical Co., Ltd.", "Biotech Co., Ltd.", "New Material Co., Ltd.", "Pharmtech Co., Ltd.",
          "Trading Co., Ltd.", "Fine Chem Ltd.", "Industrial Co., Ltd.", "Life Science Co., Ltd."]


def company(city: str | None = None) -> str:
    return f"{city or rng.choice(CITIES)} {rng.choice(BRANDS)} {rng.choice(SUFFIX)}"


def handle(tag: str | None = None) -> str:
    return f"example_{tag or rng.choice(['chem', 'lab', 'bio', 'pharma', 'trade', 'sales', 'nina', 'leo', 'amy', 'kevin', 'sofia', 'ivan'])}{rng.randint(10, 9999)}"


def phone() -> str:
    return f"+00 000 000 {rng.randint(0, 9999):04d}"


def email(domain: str | None = None) -> str:
    user = rng.choice(["sales", "info", "export", "service", "lucy", "tom", "order", "ventas", "vendas", "kontakt",
                       "contact", "zakaz"])
    return f"{user}{rng.randint(1, 999)}@{domain or rng.choice(['example.com', 'example.org'])}"


def contact_line(lang: str = "en") -> str:
    kinds = rng.sample(["WhatsApp", "Telegram", "Wickr", "Signal", "WeChat", "Email", "Skype", "Threema"], k=rng.randint(1, 3))
    parts = []
    for k in kinds:
        if k in ("WhatsApp", "Signal"):
            parts.append(f"{k}: {phone()}")
        elif k == "Email":
            parts.append(f"Email: {email()}")
        else:
            parts.append(f"{k}: {handle()}")
    label = {"en": "Contact", "zh": "联系方式", "es": "Contacto", "fr": "Contact", "de": "Kontakt",
             "pt": "Contato", "ru": "Контакты"}[lang]
    sep = "；" if lang == "zh" else "; "
    return f"{label}: " + sep.join(parts)


def price_kg() -> str:
    return rng.choice([
        f"USD {rng.randint(20, 900)}/kg", f"US$ {rng.randint(2, 95)}/g", "Negotiable", "Inquire for price",
        f"EXW USD {rng.randint(30, 600)}/kg", f"USD {rng.randint(1, 9)},{rng.randint(100, 999)}.00 / Kilogram",
        f"FOB USD {rng.randint(5, 300)}/kg",
    ])


def purity() -> str:
    return rng.choice(["99%", "99.5%", ">99%", "≥98%", "99.8% (HPLC)", "99.9%", "98% min"])


def pack() -> str:
    return rng.choice(["1kg/foil bag", "25kg/drum", "100g, 500g, 1kg", "10g sample bag", "5kg/bag, vacuum sealed",
                       "1kg/bottle", "25kg/fiber drum", "as customer's request"])


SALES_EN = [
    "Fast shipping to USA, Canada, Mexico, Europe and Australia.", "Stock in warehouse, ship within 24 hours.",
    "Discreet packaging, door to door.", "Reship policy if parcel is held by customs.",
    "Payment: T/T, Western Union, BTC, USDT.", "COA, MSDS and HNMR available on request.",
    "Competitive price, stable quality.", "Sample available.", "Best price for bulk orders.",
    "Professional team, 24/7 online service.", "Safe delivery, customs clearance guaranteed.",
    "We have 12 years experience in export.", "Stealth packing, tracking number within 2 days.",
]
SALES_ZH = ["现货供应，24小时内发货。", "提供COA和MSDS。", "厂家直销，价格优惠。", "安全包装，门到门服务。",
            "量大从优，欢迎询价。", "质量稳定，包清关。"]
SALES_ES = ["Envío rápido y discreto a toda Latinoamérica.", "Stock disponible, despacho en 24 horas.",
            "Pago: transferencia, USDT, BTC.", "Calidad garantizada, COA disponible.", "Precio especial por volumen."]
SALES_FR = ["Livraison rapide et discrète en Europe.", "Stock disponible, expédition sous 24 h.",
            "Paiement : virement, USDT, BTC.", "Qualité garantie, COA sur demande."]
SALES_DE = ["Schneller und diskreter Versand in die EU.", "Ab Lager lieferbar, Versand innerhalb 24 Std.",
            "Zahlung: Überweisung, BTC, USDT.", "Analysenzertifikat (COA) auf Anfrage."]
SALES_PT = ["Envio rápido e discreto para todo o Brasil.", "Pronta entrega, despacho em 24 h.",
            "Pagamento: PIX, USDT, BTC.", "Qualidade garantida, laudo (COA) disponível."]
SALES_RU = ["Быстрая и незаметная доставка по СНГ.", "В наличии на складе, отправка за 24 часа.",
            "Оплата: USDT, BTC, перевод.", "Сертификат анализа (COA) по запросу."]
SALES = {"en": SALES_EN, "zh": SALES_ZH, "es": SALES_ES, "fr": SALES_FR, "de": SALES_DE, "pt": SALES_PT,
         "ru": SALES_RU}


def sales(lang: str = "en", k: int = 2) -> str:
    return " ".join(rng.sample(SALES[lang], k=min(k, len(SALES[lang]))))


# ----------------------------------------------------------------------------- case registry

CASES: list[dict] = []


def add(platform: str, title: str, body: list[str] | str, *, flag: bool, category: str = "none",
        keys: list[str] | None = None, how: str, note: str = "", ok_cas: tuple[str, ...] = (),
        bad_cas: tuple[str, ...] = ()) -> None:
    """Register one listing. ok_cas: controlled CAS numbers that may appear (checked to appear);
    bad_cas: deliberately invalid CAS-shaped strings (checked to fail the check digit)."""
    assert platform in ("catalog", "b2b", "board")
    if isinstance(body, str):
        body = [body]
    text = "\n".join([title] + [b for b in body if b is not None and b != ""])
    keys = list(keys or [])
    if flag:
        assert category in ("fentanyl-like", "precursor") and keys, title
    else:
        assert category == "none" and not keys, title
    CASES.append(dict(platform=platform, title=title, text=text, flag=flag, category=category, inchikeys=keys,
                      how=how, note=note, ok_cas=set(ok_cas), bad_cas=set(bad_cas)))


def kv(pairs: list[tuple[str, str]], sep: str = ": ") -> list[str]:
    return [f"{k}{sep}{v}" for k, v in pairs]


def pos_cat(*sids: str) -> str:
    return "fentanyl-like" if any(CAT(s) == "fentanyl-like" for s in sids) else "precursor"


# ============================================================================= POSITIVES

# ---------- plain names, synonyms, codes ------------------------------------------------

def P_names():
    s = "carfentanil"
    add("catalog", "Carfentanil 99% white powder - factory direct",
        ["Carfentanil, high purity research chemical, in stock.", sales("en", 3)]
        + kv([("Product Name", "Carfentanil"), ("MF", MF(SMI(s))), ("MW", MW(SMI(s))), ("Purity", "99.6%"),
              ("Appearance", "White powder"), ("Package", "10g / 50g / 100g"), ("Price", price_kg()),
              ("Supplier", company())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="name", note="common name, no CAS")

    s = "butyrylfentanyl"
    add("b2b", "Butyrfentanyl | bulk and retail | 48h dispatch",
        ["Offer ID 88213 · Min. order 5 g",
         "Specification | Value", "Name | " + name_in(s, "common", "Butyrfentanyl"), "Assay | " + purity(),
         "Form | crystalline powder", "Packing | " + pack(), "Lead time | 2 days",
         "Seller | " + company(), sales("en", 2), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="name", note="name variant 'Butyrfentanyl' in a table template")

    s = "ocfentanil"
    add("board", "[WTS] Ocfentanil, 5g to 200g, EU stock",
        ["Posted by example_vendor221 · Classifieds › Research chemicals › Europe",
         "Ocfentanil available again, same batch as last month. 5g / 25g / 200g, price on request.",
         "Ships from EU warehouse, double vacuum sealed. Escrow or crypto only.",
         "Telegram: " + handle("eu"), "Reply to this ad or mail " + email("example.org")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="forum-post", note="classified ad: WTS (want to sell) by name")

    s = "carfentanil"
    add("catalog", "Wildnil (veterinary grade) powder available",
        ["Wildnil powder, veterinary-grade material, repacked for export.", sales("en", 2)]
        + kv([("Product", name_in(s, "common", "Wildnil")), ("Grade", "Veterinary"), ("Purity", purity()),
              ("Package", pack()), ("Price", price_kg()), ("Company", company())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="synonym", note="trade name Wildnil (carfentanil)")

    s = "beta-hydroxy-3-methylfentanyl"
    add("b2b", "Ohmefentanyl supplier, 98% min",
        ["We can supply Ohmefentanyl in gram to kilogram quantities.", sales("en", 3)]
        + kv([("Product name", name_in(s, "common", "Ohmefentanyl")), ("Purity", "98% min"),
              ("Appearance", "Off-white powder"), ("MOQ", "10 g"), ("Price", price_kg()),
              ("Supplier", company())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="synonym", note="synonym Ohmefentanyl")

    s = "npp"
    add("catalog", "N-Phenethyl-4-piperidone high quality, kg stock",
        ["N-Phenethyl-4-piperidone, light yellow crystal, 25kg drums ready.", sales("en", 3)]
        + kv([("Product Name", name_in(s, "common", "N-phenethyl-4-piperidone")), ("Purity", "99.2%"),
              ("Appearance", "Light yellow crystalline powder"), ("Package", "25kg/drum"),
              ("Price", price_kg()), ("Supplier", company())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="name", note="NPP by full name, no CAS")

    s = "1-boc-4-piperidone"
    add("b2b", "N-Boc-4-piperidone, 99%, large quantity",
        ["N-Boc-4-piperidone for pharmaceutical R&D, stable supply, monthly capacity 2 MT.", sales("en", 2)]
        + kv([("Name", name_in(s, "common", "N-Boc-4-piperidone")), ("Purity", "99% (GC)"),
              ("Appearance", "White solid"), ("Package", pack()), ("Price", price_kg())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="name", note="N-Boc-4-piperidone, no CAS")

    s = "4-ap"
    add("catalog", "4-Anilinopiperidine supply, white powder",
        ["4-Anilinopiperidine, customized packing, fast delivery.", sales("en", 2)]
        + kv([("Product Name", name_in(s, "common", "4-anilinopiperidine")), ("Purity", purity()),
              ("Appearance", "White to off-white powder"), ("Price", price_kg()), ("Supplier", company())])
        + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="name", note="4-AP by full name")

    # codes
    s = "carfentanil"
    add("catalog", "R-33799 powder, analytical grade",
        ["R-33799 available, 1g to 100g. Lab-tested, discreet shipping.", sales("en", 2)]
        + kv([("Item", name_in(s, "codes", "R-33799")), ("Purity", "99.7%"), ("Price", price_kg())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="code", note="research code R-33799 (carfentanil) only")

    s = "ocfentanil"
    add("b2b", "A-3217 supply (white crystalline)",
        ["Compound A-3217, white crystalline, 98%+, shipped in sealed foil.",
         "Item | A-3217", "Purity | 98%+", "Packing | " + pack(), "Price | " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="code", note="research code A-3217 (ocfentanil)")


# ---------- abbreviations --------------------------------------------------------------

def P_abbrev():
    s = "4-anpp"
    add("b2b", "4-ANPP 99% powder, 1kg MOQ",
        ["Hot sale 4-ANPP, 1kg MOQ, new batch.", sales("en", 3)]
        + kv([("Product", "4-ANPP"), ("MF", MF(SMI(s))), ("MW", MW(SMI(s))), ("Purity", "99%"),
              ("Price", price_kg()), ("Supplier", company())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="abbrev", note="abbreviation 4-ANPP with MF/MW")

    s = "4-fluoroisobutyrylfentanyl"
    add("catalog", "4-FIBF | 99.5% | fast delivery",
        ["4-FIBF research compound, crystalline, tested by HPLC.", sales("en", 2)]
        + kv([("Name", "4-FIBF"), ("Purity", "99.5%"), ("Package", "10g, 50g, 100g"), ("Price", price_kg())])
        + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="abbrev", note="abbreviation 4-FIBF")

    s = "tetrahydrofuranylfentanyl"
    add("board", "THF-F back in stock",
        ["example_rc_shop wrote:", "THF-F back in stock, 10g minimum, same price as before. PM for menu.",
         "Wickr " + handle("rc")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="abbrev", note="abbreviation THF-F in a forum post")

    s = "npp"
    add("catalog", "NPP 99% yellow crystal (C13H17NO) 25kg drum",
        ["NPP, formula " + MF(SMI(s)) + ", MW " + MW(SMI(s)) + ", yellow crystalline powder.", sales("en", 2)]
        + kv([("Product", "NPP"), ("Molecular formula", MF(SMI(s))), ("Purity", "99%"), ("Package", "25kg/drum"),
              ("Price", price_kg())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="abbrev", note="ambiguous NPP corroborated by formula/MW")


# ---------- Chinese, other languages ---------------------------------------------------

def P_lang():
    s = "carfentanil"
    add("catalog", "高纯度现货 卡芬太尼 量大从优",
        ["本公司常年供应卡芬太尼，纯度99%以上，白色粉末。" + sales("zh", 2),
         "产品名称：" + name_in(s, "zh", "卡芬太尼"), "纯度：99.5%", "包装：10克/袋，100克/袋", "价格：电议",
         "公司：" + company(), contact_line("zh")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="chinese-name", note="Chinese name only")

    s = "npp"
    add("b2b", "长期供应 N-苯乙基-4-哌啶酮，欢迎咨询",
        ["我司长期供应N-苯乙基-4-哌啶酮，25公斤/桶，货源稳定，可出口。" + sales("zh", 2),
         "【品名】" + name_in(s, "zh", "N-苯乙基-4-哌啶酮"), "【含量】99%", "【外观】淡黄色结晶粉末",
         "【价格】" + rng.choice(["电议", "面议"]), contact_line("zh")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="chinese-name", note="Chinese name of NPP in bracket template")

    s = "furanylfentanyl"
    add("board", "出呋喃芬太尼，有需要的私聊",
        ["楼主自有货源，出呋喃芬太尼，小量也可以发，安全包装。有意者加微信 " + handle("wx") + " 私聊，非诚勿扰。"],
        flag=True, category=CAT(s), keys=[KEY(s)], how="chinese-name", note="Chinese forum post, name in running text")

    s = "fentanyl"
    add("board", "芬太尼 现货 有意私信",
        ["本店现货芬太尼，纯度高，发货快，可以走国际快递，量大从优。联系Telegram: " + handle("cn")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="chinese-name", note="芬太尼 in running text")

    s = "fentanyl"
    add("catalog", "Fentanilo en polvo - pureza 99%",
        ["Vendemos fentanilo en polvo, pureza 99%, envíos a México, Colombia y EE. UU. " + sales("es", 2),
         "Nombre del producto: " + name_in(s, "es", "fentanilo"), "Pureza: 99%", "Presentación: bolsas de 10 g, 50 g",
         "Precio: consultar", contact_line("es")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-name", note="Spanish fentanilo")

    s = "carfentanil"
    add("board", "Vendo carfentanilo, entrega discreta",
        ["Publicado por example_ventas88 · Clasificados · Guadalajara",
         "Vendo carfentanilo de alta pureza, cantidades desde 5 g. Envío discreto. Escríbeme por Telegram "
         + handle("mx") + "."],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-name", note="Spanish classified, carfentanilo")

    s = "remifentanil"
    add("catalog", "Rémifentanil poudre, qualité pharmaceutique",
        ["Nous proposons du rémifentanil en poudre, qualité pharmaceutique. " + sales("fr", 2),
         "Désignation : " + name_in(s, "fr", "rémifentanil"), "Pureté : 99 %", "Conditionnement : 10 g / 100 g",
         "Prix : sur demande", contact_line("fr")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-name", note="French rémifentanil")

    s = "ortho-fluorofentanyl"
    add("b2b", "Ortofluorofentanilo disponible - lote nuevo",
        ["Ortofluorofentanilo, lote nuevo con COA. " + sales("es", 2),
         "Producto | " + name_in(s, "es", "ortofluorofentanilo"), "Pureza | 99,3%", "Precio | a consultar",
         contact_line("es")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-name", note="Spanish ortofluorofentanilo")

    # other-language running text with lexicon names
    s = "fentanyl"
    add("b2b", "Fentanil em pó - pronta entrega",
        ["Vendemos Fentanil em pó, pureza 99%, pronta entrega para todo o Brasil. " + sales("pt", 2),
         "Nome do produto: " + name_in(s, "common", "Fentanil"), "Pureza: 99%", "Embalagem: 10 g, 50 g",
         "Preço: sob consulta", contact_line("pt")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-text", note="Portuguese page")

    s = "acetylfentanyl"
    add("catalog", "Acetylfentanyl zu verkaufen - 99 % Reinheit",
        ["Wir verkaufen Acetylfentanyl, 99 % Reinheit, Mindestbestellmenge 5 g. " + sales("de", 2),
         "Produktname: Acetylfentanyl", "Reinheit: 99 %", "Verpackung: " + pack(), "Preis: auf Anfrage",
         contact_line("de")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-text", note="German page")

    s = "4-anpp"
    add("board", "Продам 4-ANPP, опт и розница",
        ["Продаём 4-ANPP (CAS " + CAS(s) + "), чистота 99%, белый порошок. " + sales("ru", 2),
         "Пишите в Telegram: " + handle("ru")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="foreign-text", note="Russian post with abbreviation and CAS",
        ok_cas=(CAS(s),))


# ---------- CAS in all writings --------------------------------------------------------

def P_cas():
    s = "fentanyl"
    add("b2b", f"Supply CAS {CAS(s)} top quality",
        [f"CAS {CAS(s)} available, factory price.", sales("en", 3)]
        + kv([("CAS No.", CAS(s)), ("Purity", "99%"), ("Appearance", "White powder"), ("Package", pack()),
              ("Price", price_kg()), ("Supplier", company())]) + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas", note="CAS only", ok_cas=(CAS(s),))

    s = "furanylfentanyl"
    add("catalog", f"{CAS(s)} powder in stock",
        [f"Item {CAS(s)}: white powder, 99%.", sales("en", 2), f"CAS RN: {CAS(s)}", "Price: " + price_kg(),
         contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas", note="CAS only, in title", ok_cas=(CAS(s),))

    s = "1-boc-4-piperidone"
    add("b2b", f"Intermediate {CAS(s)}, 99%, 25kg drums",
        ["Pharma intermediate, export standard packing.", f"CAS: {CAS(s)}", "Assay: 99%", "Price: " + price_kg(),
         contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas", note="CAS only", ok_cas=(CAS(s),))

    # variants
    s = "4-anpp"
    c = CAS(s)
    add("catalog", "High purity intermediate CAS " + c.replace("-", " "),
        ["CAS " + c.replace("-", " ") + ", white powder, 99%.", sales("en", 2), "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas-variant", note="CAS written with spaces")

    s = "fentanyl"
    c = CAS(s)
    fw = unicodedata.normalize("NFKC", c)  # identity; full-width built below
    fw = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else "－" for ch in c)
    add("b2b", "现货供应 ＣＡＳ：" + fw,
        ["ＣＡＳ：" + fw + "，纯度99%，白色粉末。" + sales("zh", 2), "价格：电议", contact_line("zh")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas-variant", note="full-width CAS digits and hyphens",
        ok_cas=(c,))

    s = "npp"
    c = CAS(s)
    add("catalog", "CAS#" + c.replace("-", "") + " yellow crystal",
        ["Factory supply CAS#" + c.replace("-", "") + ", 99%, 25kg drum.", sales("en", 2), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas-variant", note="CAS without hyphens right after 'CAS#'")

    s = "4-ap"
    c = CAS(s)
    add("catalog", "Pharmaceutical intermediate CAS " + c.replace("-", "–"),
        ["CAS " + c.replace("-", "–") + " (en-dash) · purity 99% · stock 50 kg.", contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas-variant", note="CAS with en dashes", ok_cas=(c,))

    s = "4-anpp"
    c = CAS(s)
    short = c.rsplit("-", 1)[0]
    add("b2b", "CAS " + short + " powder, factory",
        ["CAS " + short + ", 99%, 1kg/bag.", sales("en", 2), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="cas-variant",
        note=f"CAS cut short ({short}, check digit dropped) right after a 'CAS' cue; unique prefix of {c}")


# ---------- salts ----------------------------------------------------------------------

def P_salt():
    s = "fentanyl"
    c = CAS(s, "citrate")
    add("catalog", f"CAS {c} white crystalline powder",
        [f"CAS {c}, pharma grade, 99%.", sales("en", 2), f"CAS No.: {c}", "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="salt", note="citrate salt CAS only", ok_cas=(c,))

    s = "carfentanil"
    c = CAS(s, "oxalate")
    add("b2b", "Oxalate salt, CAS " + c,
        ["Salt form (oxalate), CAS " + c + ", 99%.", "MOQ: 1 g", "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="salt", note="carfentanil oxalate CAS", ok_cas=(c,))

    s = "remifentanil"
    c = CAS(s, "hydrochloride")
    add("b2b", "Remifentanil hydrochloride, CAS " + c,
        ["Remifentanil HCl, lyophilised powder bulk. " + sales("en", 2), "CAS: " + c, "Price: " + price_kg(),
         contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="salt", note="salt name + HCl CAS", ok_cas=(c,))

    s = "4-piperidone"
    c = CAS(s, "hydrochloride monohydrate (piperidine-4,4-diol hydrochloride)")
    add("catalog", "4-Piperidone monohydrate hydrochloride 98%",
        ["4-Piperidone monohydrate hydrochloride, " + c + ", 25kg drum.", sales("en", 2), "CAS: " + c,
         "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="salt", note="4-piperidone HCl hydrate", ok_cas=(c,))


# ---------- structures: SMILES, InChIKey, systematic names -----------------------------

def P_struct():
    s = "fentanyl"
    add("catalog", "Custom compound (SMILES inside)",
        ["Structure: " + random_smiles(SMI(s), 11), "Purity: 99%", "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="smiles", note="non-canonical SMILES (random atom order)")

    s = "4-anpp"
    add("b2b", "Intermediate, structure by SMILES",
        ["SMILES: " + Chem.MolToSmiles(Chem.MolFromSmiles(SMI(s))) + ".Cl.Cl", "Form: dihydrochloride",
         "Assay: 99%", contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="smiles", note="SMILES of a dihydrochloride salt")

    s = "carfentanil"
    add("board", "anyone need this? (structure)",
        ["Have 20g of " + Chem.MolToSmiles(Chem.MolFromSmiles(SMI(s)), kekuleSmiles=True) +
         " left, selling cheap, message me " + handle()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="smiles", note="Kekulé SMILES in a forum post")

    s = "npp"
    add("catalog", "Piperidone intermediate - see structure",
        ["Canonical SMILES: " + Chem.MolToSmiles(Chem.MolFromSmiles(SMI(s))), "Purity: 99%", "Package: 25kg/drum",
         contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="smiles", note="NPP canonical SMILES")

    s = "ocfentanil"
    add("catalog", "InChIKey " + KEY(s) + " in stock",
        ["Identifier (InChIKey): " + KEY(s), "Purity: 99%", "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="inchikey", note="InChIKey only")

    s = "4-anpp"
    add("b2b", "Stock item, identified by InChIKey",
        ["InChIKey=" + KEY(s), "Purity 99%, 1kg bags.", contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="inchikey", note="'InChIKey=' prefix")

    s = "fentanyl"
    n = name_in(s, "systematic", "N-(1-phenethyl-4-piperidyl)propionanilide")
    add("catalog", n + " 99%",
        ["Chemical name: " + n, sales("en", 2), "Purity: 99%", "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="iupac", note="systematic name")

    s = "4-anpp"
    n = name_in(s, "systematic", "N-phenyl-1-(2-phenylethyl)piperidin-4-amine")
    add("b2b", "Fine chemical: " + n,
        ["We supply " + n + " in kg quantity.", "Purity: 99%", contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="iupac", note="")

    s = "1-boc-4-ap"
    n = name_in(s, "systematic", "tert-butyl 4-(phenylamino)piperidine-1-carboxylate")
    add("catalog", "Building block " + n,
        [n + ", 98%, 100g to 5kg.", "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="iupac", note="")

    s = "npp"
    n = name_in(s, "systematic", "1-(2-phenylethyl)piperidine-4-one")
    add("catalog", "供应 " + n,
        ["英文名：" + n, "含量：99%", "包装：25kg/桶", contact_line("zh")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="iupac", note="systematic name on a Chinese page")


# ---------- obfuscations ---------------------------------------------------------------

def homoglyph(word: str) -> str:
    table = {"e": "\u0435", "a": "\u0430", "o": "\u043e", "c": "\u0441", "p": "\u0440"}
    return "".join(table.get(ch, ch) for ch in word)


def fullwidth(word: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in word)


def P_obf():
    s = "fentanyl"
    w = name_in(s, "misspellings", "fentanly")
    add("b2b", "Top grade " + w + " powder",
        ["Contact us for " + w + ". " + sales("en", 3), "Purity: 99%", contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="lexicon misspelling 'fentanly'")

    s = "fentanyl"
    add("board", "f e n t a n y l  -  pm me",
        ["got f e n t a n y l, pure, small qty ok. pm me on signal " + phone()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="letters spaced out")

    s = "fentanyl"
    w = homoglyph("fentanyl")
    add("b2b", "High purity " + w + " in stock",
        [w.capitalize() + " white powder, 99%. " + sales("en", 2), "Price: " + price_kg(), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="Cyrillic homoglyphs е/а")

    s = "carfentanil"
    w = "Car\u200bfen\u200btanil"
    add("b2b", w + " 99.8%",
        [w + " powder, lab tested. " + sales("en", 2), contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="zero-width spaces inside the name")

    s = "fentanyl"
    w = fullwidth("Fentanyl")
    add("catalog", "现货 " + w + " 99%",
        [w + " 现货供应，" + sales("zh", 2), contact_line("zh")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="full-width Latin letters")

    s = "4-anpp"
    add("board", "A.N.P.P  — got plenty",
        ["A.N.P.P 1kg bags, can do sample 10g. " + "Threema " + handle()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="dotted abbreviation A.N.P.P")

    s = "fentanyl"
    add("board", "芬​太​尼 有货",
        ["芬​太​尼 有货，质量保证，私聊 " + handle("cn")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="zero-width spaces inside 芬太尼")

    s = "norfentanyl"
    add("catalog", "N0rfent@nyl 98%",
        ["N0rfent@nyl available now, 100g to 1kg.", contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="obfuscated-name", note="leetspeak 0/@ in norfentanyl")


# ---------- buried in long lists -------------------------------------------------------

def stock_rows(n: int, fmt: str) -> list[str]:
    rows = []
    for name, cas in rng.sample(EVERYDAY, k=n):
        if fmt == "pipe":
            rows.append(f"{name} | {cas} | {purity()} | {price_kg()}")
        elif fmt == "tab":
            rows.append(f"{name}\t{cas}\t{purity()}")
        elif fmt == "dash":
            rows.append(f"- {name} (CAS {cas}) — {purity()}")
        else:
            rows.append(f"{rng.randint(1, 99)}. {name}  {cas}")
    return rows


def bury(rows: list[str], line: str, frac: float) -> tuple[list[str], int, int]:
    i = int(len(rows) * frac)
    rows = rows[:i] + [line] + rows[i:]
    return rows, i + 1, len(rows)


def P_buried():
    s = "4-anpp"
    rows, at, n = bury(stock_rows(30, "pipe"), f"Phenethyl piperidine intermediate | {CAS(s)} | 99% | Inquire", 0.55)
    add("b2b", "Monthly stock list - September",
        ["Our current stock list. Contact for best price.", "Product | CAS No. | Purity | Price"] + rows + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="buried",
        note=f"CAS line at row {at} of {n} (name column is vague)", ok_cas=(CAS(s),))

    s = "carfentanil"
    rows, at, n = bury(stock_rows(28, "tab"), "Carfentanil\t—\t99.5%", 0.8)
    add("catalog", "Product list (tab separated)",
        ["Name\tCAS\tPurity"] + rows + [contact_line()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="buried", note=f"name line at row {at} of {n}")

    s = "fentanyl"
    rows, at, n = bury(stock_rows(26, "num"), f"{rng.randint(1, 99)}. 芬太尼  {CAS(s, 'citrate')}", 0.65)
    add("catalog", "我司现货清单（每周更新）",
        ["现货清单如下，欢迎询价。"] + rows + [contact_line("zh")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="buried",
        note=f"Chinese name + citrate CAS at row {at} of {n}", ok_cas=(CAS(s, "citrate"),))

    s1, s2 = "npp", "4-anpp"
    rows = stock_rows(30, "pipe")
    rows, at1, _ = bury(rows, f"N-Phenethyl-4-piperidone | {CAS(s1)} | 99% | {price_kg()}", 0.2)
    rows, at2, n = bury(rows, f"4-ANPP | {CAS(s2)} | 99% | {price_kg()}", 0.9)
    add("b2b", "Full price list 2025",
        ["Product | CAS No. | Purity | Price"] + rows + [contact_line()],
        flag=True, category=pos_cat(s1, s2), keys=[KEY(s1), KEY(s2)], how="buried",
        note=f"two controlled lines (rows {at1}, {at2} of {n})", ok_cas=(CAS(s1), CAS(s2)))


# ---------- forum / classified offers --------------------------------------------------

def P_forum():
    s = "fentanyl"
    add("board", "selling fentanyl, DM me",
        ["example_seller77 · 2 hours ago", "selling fentanyl, good quality, DM me for prices. ship EU/US."],
        flag=True, category=CAT(s), keys=[KEY(s)], how="forum-post", note="plain 'selling X, DM me'")

    s = "4-anpp"
    add("board", "Re: where to source precursors?",
        ["> anyone know a reliable source?", "I can do 4-anilino-N-phenethylpiperidine, kilo lots, hit me up on Telegram "
         + handle() + "."],
        flag=True, category=CAT(s), keys=[KEY(s)], how="forum-post", note="offer inside a reply")

    s = "acetylfentanyl"
    add("board", "[VENDS] acetylfentanyl — livraison France",
        ["Annonce · Lyon", "Je vends de l'acetylfentanyl, 5 g minimum, livraison discrète. MP ou " + email()],
        flag=True, category=CAT(s), keys=[KEY(s)], how="forum-post", note="French classified")

    s = "valerylfentanyl"
    add("board", "Vendo Valerylfentanyl — São Paulo",
        ["Classificados · São Paulo", "Vendo Valerylfentanyl, pureza alta, envio para todo o Brasil. Chama no Telegram "
         + handle("br")],
        flag=True, category=CAT(s), keys=[KEY(s)], how="forum-post", note="Portuguese classified")


# ---------- novel analogs --------------------------------------------------------------

def P_novel():
    titles = ["New research compound, structure below", "Custom product (SMILES)",
              "Novel analog available — see structure", "Research chemical, SMILES only",
              "新品上市（结构式见SMILES）", "New RC, pure, structure attached", "Compound of the month"]
    for i, (tag, smi) in enumerate(NOVEL_SMILES.items()):
        shown = random_smiles(smi, 100 + i) if i % 2 else smi
        lang = "zh" if titles[i].startswith("新") else "en"
        body = ([("结构式 SMILES：" if lang == "zh" else "SMILES: ") + shown,
                 ("纯度：99%" if lang == "zh" else "Purity: " + purity()),
                 ("价格：电议" if lang == "zh" else "Price: " + price_kg()), contact_line(lang)])
        add(rng.choice(["catalog", "b2b", "board"]), titles[i], body,
            flag=True, category="fentanyl-like", keys=[ikey(smi)], how="novel-smiles",
            note=f"novel analog ({tag}) not in lexicon; SMILES only")
    titles = ["Research chemical: {n}", "Supply {n}, 99%", "{n} — in stock",
              "New arrival", "Analytical standard grade, 99%", "Custom product", "Stock item"]
    for i, (n, smi) in enumerate(NOVEL_NAMES.items()):
        t = titles[i].format(n=n)
        add(rng.choice(["catalog", "b2b"]), t,
            ["Chemical name: " + n, "Purity: " + purity(), "Package: " + pack(), "Price: " + price_kg(),
             contact_line()],
            flag=True, category="fentanyl-like", keys=[ikey(smi)], how="novel-iupac",
            note="novel analog not in lexicon; systematic name only")


# ============================================================================= NEGATIVES

def ordinary_page(name: str, cas: str | None, lang: str, notice: str, platform: str | None = None,
                  title: str | None = None) -> tuple[str, str, list[str]]:
    labels = {
        "en": ("Product Name", "CAS No.", "Purity", "Package", "Price", "Supplier"),
        "zh": ("产品名称", "CAS号", "纯度", "包装", "价格", "供应商"),
        "es": ("Nombre del producto", "N.º CAS", "Pureza", "Empaque", "Precio", "Proveedor"),
        "fr": ("Désignation", "N° CAS", "Pureté", "Conditionnement", "Prix", "Fournisseur"),
        "de": ("Produktname", "CAS-Nr.", "Reinheit", "Verpackung", "Preis", "Lieferant"),
        "pt": ("Nome do produto", "Nº CAS", "Pureza", "Embalagem", "Preço", "Fornecedor"),
        "ru": ("Наименование", "CAS №", "Чистота", "Фасовка", "Цена", "Поставщик"),
    }[lang]
    title = title or {
        "en": f"{name} {purity()} - bulk supply", "zh": f"供应 {name} 现货", "es": f"{name} - venta al por mayor",
        "fr": f"{name} - vente en gros", "de": f"{name} - Großhandel", "pt": f"{name} - atacado",
        "ru": f"{name} — оптом",
    }[lang]
    rows = [(labels[0], name)]
    if cas:
        rows.append((labels[1], cas))
    rows += [(labels[2], purity()), (labels[3], pack()), (labels[4], price_kg()), (labels[5], company())]
    body = [sales(lang, 2)] + kv(rows, "：" if lang == "zh" else ": ")
    pos = rng.choice([0, 1, len(body)])
    body = body[:pos] + [notice] + body[pos:]
    body.append(contact_line(lang))
    return platform or rng.choice(["catalog", "b2b", "board"]), title, body


DISCLAIMERS = [
    ("en", "We refuse all orders for fentanyl, its analogues and precursors (4-ANPP, NPP, 4-AP, 1-boc-4-AP)."),
    ("en", "Notice: this store does not sell controlled substances such as fentanyl, carfentanil or their precursors. "
           "Orders that appear to be for such products will be cancelled and reported."),
    ("en", "Compliance: we comply with 21 CFR 1308 and 1310. Fentanyl-related substances, 4-anilinopiperidine and "
           "N-phenethyl-4-piperidone are NOT available from us under any circumstances."),
    ("en", "Prohibited items on this platform include, but are not limited to: fentanyl, acetylfentanyl, "
           "furanylfentanyl, carfentanil, norfentanyl, 4-ANPP and NPP."),
    ("en", "Buyers must sign an end-user certificate. We do not ship any product listed in Table I of the 1988 "
           "Convention (e.g. ANPP, NPP, 4-AP, norfentanyl)."),
    ("en", "Disclaimer — none of our products are fentanyl analogues. Requests for sufentanil, remifentanil or "
           "alfentanil will be ignored."),
    ("en", "ATTENTION: listings offering 4-piperidone, 1-boc-4-piperidone or 4-AP (4-anilinopiperidine) are removed "
           "by our moderators. This listing is for an unrelated product."),
    ("en", "Export control statement: products such as CAS 21409-26-7, 39742-60-4 and 23056-29-3 are not sold "
           "by this company."),
    ("zh", "本公司严格遵守国家法律法规，不销售芬太尼类物质及其前体化学品（如4-ANPP、NPP、4-AP等）。"),
    ("zh", "声明：本店不出售任何管制药品，包括芬太尼、卡芬太尼、舒芬太尼等，请勿咨询。"),
    ("zh", "平台提示：禁止发布芬太尼类物质、N-苯乙基-4-哌啶酮、4-苯胺基-N-苯乙基哌啶等易制毒化学品信息。"),
    ("es", "Aviso: no vendemos fentanilo, carfentanilo ni sus precursores. Pedidos sospechosos serán cancelados."),
    ("es", "Cumplimos la normativa vigente: no comercializamos fentanilo, análogos del fentanilo ni precursores "
           "como 4-ANPP o NPP."),
    ("es", "Esta tienda NO vende fentanilo. Si busca naloxona, consulte a su farmacia."),
    ("fr", "Nous ne vendons pas de fentanyl, de carfentanil ni leurs précurseurs (4-ANPP, NPP). Toute demande "
           "sera refusée."),
    ("fr", "Avertissement : aucune substance classée (fentanyl, sufentanil, rémifentanil…) n'est proposée sur ce site."),
    ("de", "Hinweis: Wir verkaufen kein Fentanyl, kein Carfentanil und keine Vorläuferstoffe wie 4-ANPP oder NPP."),
    ("de", "Rechtlicher Hinweis: Betäubungsmittel (z. B. Fentanyl und Fentanyl-Analoga) sind vom Verkauf "
           "ausgeschlossen."),
    ("pt", "Aviso: não vendemos fentanil, carfentanil nem precursores (4-ANPP, NPP). Pedidos suspeitos serão "
           "cancelados."),
    ("pt", "Esta loja cumpre a legislação: nenhum produto controlado (fentanil e análogos) é comercializado."),
    ("ru", "Внимание: мы не продаём fentanyl, carfentanil и их прекурсоры (4-ANPP, NPP). Такие запросы "
           "игнорируются."),
    ("ru", "Магазин работает строго по закону: никаких контролируемых веществ (fentanyl и аналоги, 4-ANPP)."),
    ("en", "This listing has been reviewed. It is NOT fentanyl, NOT a fentanyl precursor and NOT a controlled "
           "substance."),
    ("en", "Note from the marketplace: sellers offering 芬太尼 (fentanyl) or 卡芬太尼 (carfentanil) are banned "
           "permanently."),
    ("en", "Terms of sale: we do not supply norfentanyl, 4-anilinopiperidine, tert-butyl "
           "4-(phenylamino)piperidine-1-carboxylate or any other listed fentanyl precursor."),
    ("es", "Política de la plataforma: prohibido anunciar fentanilo, carfentanilo, ocfentanilo o sufentanilo."),
    ("fr", "Politique de la plateforme : les annonces de fentanyl ou de ses précurseurs sont supprimées sans préavis."),
    ("zh", "郑重声明：我司产品与芬太尼无关，不接受任何芬太尼及其类似物的询单。"),
]


def N_disclaimers():
    goods = rng.sample([g for g in EVERYDAY if g[0] not in ("Piperidine", "Pyridine")], k=len(DISCLAIMERS))
    local = {"zh": {"Caffeine anhydrous": "无水咖啡因"}}
    for (lang, notice), (name, cas) in zip(DISCLAIMERS, goods):
        ok = tuple(c for c in CONTROLLED_CAS if c in notice)
        plat, title, body = ordinary_page(name, cas, lang, notice)
        add(plat, title, body, flag=False, how="negative-disclaimer",
            note=f"compliance notice ({lang}) naming controlled substances; item offered is {name}", ok_cas=ok)


def N_news_forum():
    add("board", "UN adds three fentanyl precursors to Table I",
        ["News · Policy desk",
         "In March 2022 the Commission on Narcotic Drugs voted unanimously to place 4-AP (4-anilinopiperidine), "
         "1-boc-4-AP and norfentanyl in Table I of the 1988 Convention. Traders in these chemicals now face "
         "international control measures.",
         "Comment (3)"],
        flag=False, how="negative-news", note="news about scheduling")
    add("board", "China's class-wide control of fentanyl-related substances: five years on",
        ["Analysis. On 1 May 2019 China began controlling fentanyl-related substances as a class. This piece looks "
         "at how marketplaces adapted their moderation rules, and why listings for precursors such as 4-ANPP "
         f"(CAS {CAS('4-anpp')}) and NPP (CAS {CAS('npp')}) moved to other platforms."],
        flag=False, how="negative-news", note="news naming controlled CAS numbers",
        ok_cas=(CAS("4-anpp"), CAS("npp")))
    add("catalog", "国际禁毒日：芬太尼类物质管控回顾",
        ["新闻 · 2025年6月26日", "2017年2月，经国务院批准，公安部等六部门将芬太尼前体4-ANPP和NPP列入易制毒化学品管理。"
         "2019年5月1日起，芬太尼类物质实行整类列管。本文回顾相关管控措施。"],
        flag=False, how="negative-news", note="Chinese news article")
    add("board", "La DEA designa como Lista I los haluros de 4-anilinopiperidina",
        ["Noticias · Regulación", "Desde el 30 de noviembre de 2023, los haluros de 4-anilinopiperidina (4-AP) "
         "figuran en la Lista I en Estados Unidos. Los expertos señalan que el tráfico de precursores del fentanilo "
         "se desplaza a nuevos compuestos."],
        flag=False, how="negative-news", note="Spanish news")
    add("b2b", "Industry briefing: what the 2024 precursor listings mean for exporters",
        ["Webinar recap. Since 1 September 2024 N-phenylpiperidin-4-amine (4-AP) is a Category II precursor chemical "
         "in China. Exporters of ordinary piperidine building blocks should keep records; fentanyl itself has been "
         "controlled for decades. Slides available on request: " + email()],
        flag=False, how="negative-news", note="trade-association briefing naming 4-AP")
    add("board", "Fentanyl-Krise: Was Plattformen gegen Händler tun",
        ["Bericht. Online-Marktplätze löschen täglich Anzeigen für Fentanyl, Carfentanil und Vorläuferstoffe wie "
         "4-ANPP. Moderationsteams setzen dabei zunehmend auf automatische Erkennung."],
        flag=False, how="negative-news", note="German news")
    add("board", "Relatório: apreensões de fentanil na América do Sul",
        ["Notícia · Segurança pública", "Autoridades relatam aumento nas apreensões de fentanil e de precursores "
         "como NPP e 4-ANPP em portos da região. Especialistas pedem mais cooperação internacional."],
        flag=False, how="negative-news", note="Portuguese news")

    forum = [
        ("Is 1-Boc-4-piperidone controlled now?",
         ["Our customs broker asked for an end-user certificate for 1-Boc-4-piperidone. Is it on a list now? "
          "We only buy it for a medicinal chemistry project. Thanks!", "Reply: yes, it is a listed precursor in "
          "several jurisdictions - ask your compliance officer before ordering."]),
        ("How do marketplaces detect fentanyl ads?",
         ["Curious how trust & safety teams find listings for fentanyl or carfentanil when sellers write "
          "'f3nt' or use CAS numbers only. Any papers on this?"]),
        ("Policy question: should 4-AP be flagged?",
         ["On our platform '4-AP' usually means 4-aminopyridine, but regulators use 4-AP for 4-anilinopiperidine. "
          "How do other moderators handle the ambiguity?"]),
        ("Thread: naloxone availability in our city",
         ["Pharmacies here now stock naloxone without prescription. With fentanyl in the supply, everyone should "
          "carry it. Share where you found it."]),
        ("Why are there so many fentanyl analogues?",
         ["Student here. Reading about acetylfentanyl, furanylfentanyl and carfentanil for a policy class. Why did "
          "so many analogues appear after 2015? Not looking to buy anything, just want sources."]),
        ("¿Alguien sabe si el NPP está controlado en México?",
         ["Pregunta de un estudiante de derecho: ¿el N-fenetil-4-piperidona (NPP) está en la lista de precursores? "
          "Estoy escribiendo mi tesis sobre el fentanilo."]),
        ("Платформа удалила моё объявление — почему?",
         ["Продавал обычный пиперидин, а модераторы написали про 'fentanyl precursor'. Кто-нибудь сталкивался? "
          "Пиперидин ведь не 4-ANPP."]),
        ("Moderation tip: don't flag every 'fen' word",
         ["Our filter flagged fenbendazole, fenofibrate and fenugreek as fentanyl. Please tune it; they are "
          "everyday products."]),
    ]
    for title, body in forum:
        add("board", title, [f"{handle()} · {rng.randint(2, 59)} min ago"] + body, flag=False,
            how="negative-forum", note="question / policy discussion, no offer")


def N_harm_reduction():
    strips = [
        ("b2b", "Fentanyl test strips, 100 pack - harm reduction",
         ["Lateral-flow immunoassay strips to detect fentanyl in drug samples. Cut-off 20 ng/mL.",
          "Product: Fentanyl test strip (FTS)", "Package: box of 100", "Price: USD 95/box", contact_line()]),
        ("catalog", "芬太尼检测试纸 尿液快速检测",
         ["芬太尼（FYL）尿液检测试纸，5分钟出结果，适用于医院及戒毒机构。", "规格：50人份/盒", contact_line("zh")]),
        ("catalog", "Tiras reactivas para detectar fentanilo (reducción de daños)",
         ["Tiras para análisis de sustancias: detectan fentanilo y análogos. Uso en programas de reducción de daños.",
          "Caja de 25 tiras", "Precio: consultar", contact_line("es")]),
        ("b2b", "Carfentanil/fentanyl ELISA kit for forensic labs",
         ["96-well ELISA kit for the detection of fentanyl and carfentanil in urine and blood.",
          "Sensitivity: 0.1 ng/mL", "Storage: 2-8 °C", contact_line()]),
        ("catalog", "Teststreifen Fentanyl – Drug-Checking",
         ["Teststreifen zum Nachweis von Fentanyl, für Drug-Checking-Projekte. Packung mit 10 Stück.",
          contact_line("de")]),
    ]
    for plat, t, b in strips:
        add(plat, t, b, flag=False, how="negative-teststrip", note="detection/test product, not the substance")

    nal = LOOK["Naloxone"]
    ntx = LOOK["Naltrexone"]
    items = [
        ("b2b", "Naloxone hydrochloride API, CAS " + nal["cas"][1],
         ["Naloxone HCl, opioid antagonist used to reverse overdoses from fentanyl and heroin.",
          "CAS: " + nal["cas"][1], "Purity: 99%", "Price: " + price_kg(), contact_line()]),
        ("catalog", "Narcan nasal spray 4 mg, 2-pack",
         ["Narcan (naloxone) reverses opioid overdose, including fentanyl. OTC.", "Price: USD 45", contact_line()]),
        ("catalog", "Naltrexone HCl 99% (CAS " + ntx["cas"][1] + ")",
         ["Naltrexone hydrochloride, opioid antagonist, GMP.", "CAS No.: " + ntx["cas"][1], "Purity: 99%",
          contact_line()]),
        ("board", "Kits de naloxona gratuitos — distribución comunitaria",
         ["Repartimos kits de naloxona para revertir sobredosis por fentanilo. Escríbenos a " + email()]),
        ("b2b", "Naloxone base, CAS " + nal["cas"][0],
         ["Naloxone base powder for formulation. Not an opioid agonist.", "CAS: " + nal["cas"][0], contact_line()]),
    ]
    for plat, t, b in items:
        add(plat, t, b, flag=False, how="negative-naloxone", note="opioid antagonist product")


def N_lookalikes():
    picks = ["Fenthion", "Fenitrothion", "Fenpropathrin", "Fenvalerate", "Fentin acetate", "Fentin hydroxide",
             "Carfentrazone-ethyl", "Fenticonazole", "Fenticlor", "Fenbendazole", "Fenofibrate", "Fenspiride",
             "Loperamide", "Donepezil"]
    langs = ["en", "zh", "es", "en", "fr", "en", "en", "pt", "en", "en", "de", "ru", "en", "es"]
    for name, lang in zip(picks, langs):
        e = LOOK[name]
        cas = e["cas"][0] if e["cas"] else None
        syn = (", ".join(e["synonyms"][:2])) if e["synonyms"] else ""
        notice = (f"Synonyms: {syn}" if syn else "")
        plat, title, body = ordinary_page(name, cas, lang, notice or sales(lang, 1))
        add(plat, title, body, flag=False, how="negative-fuzzy", note=f"look-alike name {name} (lookalikes.yaml)")
    add("catalog", "Fenugreek seed extract 50% saponins",
        ["Fenugreek (Trigonella) seed extract, food grade.", "Purity: 50% saponins", "Price: " + price_kg(),
         contact_line()],
        flag=False, how="negative-fuzzy", note="'fen-' botanical")
    add("b2b", "Phenethylamine (PEA) 99%, CAS " + LOOK["Phenethylamine"]["cas"][0],
        ["Phenethylamine, 99%, for feed additive and organic synthesis industries.",
         "CAS: " + LOOK["Phenethylamine"]["cas"][0], "Package: 25kg/drum", contact_line()],
        flag=False, how="negative-fuzzy", note="shares 'phenethyl' token")


def N_abbrev():
    a = LOOK["4-Aminopyridine"]
    add("catalog", "4-AP 99% (4-Aminopyridine) CAS " + a["cas"][0],
        ["4-AP, i.e. 4-aminopyridine (fampridine), white crystal.", "CAS: " + a["cas"][0], "MF: " + MF(a["smiles"]),
         "MW: " + MW(a["smiles"]), "Price: " + price_kg(), contact_line()],
        flag=False, how="negative-abbrev", note="4-AP = 4-aminopyridine")
    add("b2b", "Supply 4-AP bird repellent grade",
        ["4-AP (Avitrol type) for bird control, 25kg drum.", "Purity: 98%", contact_line()],
        flag=False, how="negative-abbrev", note="4-AP = 4-aminopyridine, context only (Avitrol)")
    add("catalog", "4-氨基吡啶（4-AP）现货 " + a["cas"][0],
        ["4-氨基吡啶，简称4-AP，医药中间体。", "CAS号：" + a["cas"][0], "纯度：99%", contact_line("zh")],
        flag=False, how="negative-abbrev", note="Chinese page, 4-AP = 4-aminopyridine")
    add("board", "Dalfampridine / 4-AP for MS research",
        ["Looking for labs using 4-AP (dalfampridine) in MS models — happy to share our dosing literature."],
        flag=False, how="negative-abbrev", note="4-AP in a research discussion")
    p = LOOK["4-Nitrophenyl phosphate"]
    add("b2b", "pNPP substrate tablets - alkaline phosphatase",
        ["p-NPP (4-nitrophenyl phosphate disodium salt hexahydrate), CAS " + p["cas"][0] + ", ELISA substrate.",
         "Package: 100 tablets", contact_line()],
        flag=False, how="negative-abbrev", note="pNPP = 4-nitrophenyl phosphate")
    add("catalog", "4NPP ELISA substrate solution, ready to use",
        ["4NPP substrate solution for alkaline phosphatase, 100 mL.", "Price: USD 38", contact_line()],
        flag=False, how="negative-abbrev", note="4NPP = 4-nitrophenyl phosphate")
    add("b2b", "NPP promotion: new product pricing on solvents",
        ["NPP (New Product Promotion) this month: acetone, ethanol and isopropyl alcohol at 10% off.",
         "Acetone | " + EVERYDAY_CAS["Acetone"], "Isopropyl alcohol | " + EVERYDAY_CAS["Isopropyl alcohol"],
         contact_line()],
        flag=False, how="negative-abbrev", note="NPP as a marketing acronym")


def N_structure():
    b = LOOK["1-Benzyl-4-piperidone"]
    h = LOOK["4-Hydroxypiperidine"]
    items = [
        ("catalog", "1-Benzyl-4-piperidone 99% CAS " + b["cas"][0],
         ["1-Benzyl-4-piperidone (N-benzyl-4-piperidone), pharmaceutical intermediate.", "CAS: " + b["cas"][0],
          "Package: 25kg/drum", contact_line()], "1-benzyl-4-piperidone"),
        ("b2b", "1-Benzyl-4-piperidone hydrochloride " + b["cas"][1],
         ["HCl salt, CAS " + b["cas"][1] + ", 98%.", contact_line()], "benzyl piperidone HCl"),
        ("catalog", "4-Hydroxypiperidine (piperidin-4-ol) " + h["cas"][0],
         ["4-Hydroxypiperidine, 98%, CAS " + h["cas"][0] + ".", contact_line()], "4-hydroxypiperidine"),
        ("b2b", "Piperidine 99.5% CAS " + EVERYDAY_CAS["Piperidine"],
         ["Piperidine, solvent and base, 180kg drum.", "CAS: " + EVERYDAY_CAS["Piperidine"], contact_line()],
         "piperidine"),
        ("catalog", "tert-Butyl 4-hydroxypiperidine-1-carboxylate 98%",
         ["N-Boc-4-hydroxypiperidine (tert-butyl 4-hydroxypiperidine-1-carboxylate), building block.",
          "Package: 100g, 1kg", contact_line()], "Boc-hydroxypiperidine (no CAS printed)"),
        ("b2b", "tert-Butyl 4-aminopiperidine-1-carboxylate, 97%",
         ["1-Boc-4-aminopiperidine, building block for med-chem libraries.", "Package: 25g, 100g", contact_line()],
         "1-Boc-4-aminopiperidine (amino, not anilino)"),
        ("catalog", "Ethyl piperidine-4-carboxylate (ethyl isonipecotate) 98%",
         ["Ethyl isonipecotate, colourless liquid, 1 L bottles.", contact_line()], "ethyl isonipecotate"),
        ("b2b", "1-(2-Phenylethyl)piperidine, 97%",
         ["1-Phenethylpiperidine, tertiary amine building block, 100 g.", contact_line()],
         "phenethyl-piperidine without the 4-anilino group"),
        ("catalog", "4-Aminopiperidine 98%",
         ["4-Aminopiperidine (piperidin-4-amine), building block.", contact_line()], "4-aminopiperidine"),
        ("b2b", "Piperidine-4-carboxylic acid (isonipecotic acid)",
         ["Isonipecotic acid, white powder, 99%.", contact_line()], "isonipecotic acid"),
    ]
    for plat, t, b_, note in items:
        add(plat, t, b_, flag=False, how="negative-structure", note="harmless piperidine building block: " + note)


def N_smiles():
    items = [
        (LOOK["1-Benzyl-4-piperidone"]["smiles"], "1-benzyl-4-piperidone"),
        (LOOK["4-Hydroxypiperidine"]["smiles"], "4-hydroxypiperidine"),
        (LOOK["Loperamide"]["smiles"], "loperamide"),
        (LOOK["Haloperidol"]["smiles"], "haloperidol"),
        ("C1CCNCC1", "piperidine"),
        ("CC(C)(C)OC(=O)N1CCC(O)CC1", "N-Boc-4-hydroxypiperidine"),
        ("CC(=O)Nc1ccccc1", "acetanilide"),
        ("C1CCN(CCc2ccccc2)CC1", "1-phenethylpiperidine"),
    ]
    titles = ["Research compound (structure below)", "Custom building block — SMILES", "Intermediate, see SMILES",
              "Structure available on request", "Stock building block", "Compound by SMILES", "Lab reagent (SMILES)",
              "Amine building block"]
    for (smi, name), t in zip(items, titles):
        assert ikey(smi) not in LEX_KEYS
        add(rng.choice(["catalog", "b2b"]), t,
            ["SMILES: " + random_smiles(smi, 7), "Purity: " + purity(), "Price: " + price_kg(), contact_line()],
            flag=False, how="negative-smiles", note=f"harmless molecule as SMILES ({name})")


def one_digit_off(c: str, pos: int, new: str) -> str:
    digits = [ch for ch in c if ch.isdigit()]
    assert digits[pos] != new
    digits[pos] = new
    body = "".join(digits)
    out = f"{body[:-3]}-{body[-3:-1]}-{body[-1]}"
    assert not cas_ok(out) and out not in CONTROLLED_CAS, out
    return out


def N_badcas():
    specs = [("fentanyl", "base", 1, "7"), ("4-anpp", "base", 0, "3"), ("npp", "base", 3, "1"),
             ("carfentanil", "base", 2, "0"), ("1-boc-4-piperidone", "base", 4, "8"), ("norfentanyl", "base", 1, "5"),
             ("4-ap", "base", 2, "1")]
    wrappers = [
        ("b2b", "CAS {b} pharmaceutical intermediate", ["CAS No.: {b}", "Purity: 99%", "Price: {p}"]),
        ("catalog", "Supply {b} white powder", ["Item {b}, white powder.", "CAS: {b}", "MOQ: 1kg"]),
        ("catalog", "CAS#{b} in stock", ["CAS#{b}, 25kg drum, factory price."]),
        ("b2b", "Intermediate (CAS {b})", ["CAS {b}", "Assay 99%"]),
        ("catalog", "现货 CAS：{b}", ["CAS号：{b}，纯度99%。"]),
        ("b2b", "Compuesto CAS {b}", ["N.º CAS: {b}", "Pureza: 99%"]),
        ("catalog", "Produit CAS {b}", ["N° CAS : {b}", "Pureté : 98 %"]),
    ]
    for (sid, form, pos, new), (plat, t, lines) in zip(specs, wrappers):
        good = CAS(sid, form)
        bad = one_digit_off(good, pos, new)
        p = price_kg()
        lang = "zh" if "现货" in t else "en"
        add(plat, t.format(b=bad), [x.format(b=bad, p=p) for x in lines] + [contact_line(lang)],
            flag=False, how="negative-badcas",
            note=f"invalid CAS {bad} (one digit off a controlled CAS, fails check digit), no other signal",
            bad_cas=(bad,))


def N_digits():
    f = CAS("fentanyl").replace("-", "")
    a = CAS("4-anpp").replace("-", "")
    n = CAS("npp").replace("-", "")
    b = CAS("butyrylfentanyl").replace("-", "")
    c = CAS("cyclopropylfentanyl").replace("-", "")
    add("catalog", "Stearic acid flakes, 25kg bags",
        ["Stearic acid, cosmetic grade. CAS: " + EVERYDAY_CAS["Stearic acid"], "Hotline: +00 000 " + f[:3] + " " + f[3:],
         "Email: " + email()],
        flag=False, how="negative-digits", note=f"fentanyl CAS digits {f} in a phone number, no CAS cue")
    add("b2b", "Rotary evaporator 5L, complete set",
        ["5L rotary evaporator with chiller and vacuum pump, new.", "Price: IDR " + f"{int(a):,}",
         contact_line()],
        flag=False, how="negative-digits", note=f"4-ANPP CAS digits {a} as a price")
    add("catalog", "Glass reactor 50L jacketed",
        ["Jacketed glass reactor 50L, explosion-proof motor.", "Order ref: " + n, "Tel: +00 000 000 " + n[-4:],
         contact_line()],
        flag=False, how="negative-digits", note=f"NPP CAS digits {n} as an order reference")
    add("b2b", "Sodium bicarbonate food grade — special offer",
        ["Sodium bicarbonate, food grade, CAS " + EVERYDAY_CAS["Sodium bicarbonate"] + ".",
         "Total for 40 MT: CNY " + f"{int(b):,}", contact_line()],
        flag=False, how="negative-digits", note=f"butyrylfentanyl CAS digits {b} as a price")
    add("board", "Selling used HPLC column oven",
        ["Used column oven, works fine. Asking " + f"{int(c[:4]):,}" + " EUR or best offer. Call +00 000 " + c + ".",
         "Pickup only."],
        flag=False, how="negative-digits", note=f"cyclopropylfentanyl CAS digits {c} in phone/price")


def N_everyday():
    # single product pages in several languages
    langs = ["en", "zh", "es", "fr", "de", "pt", "ru", "en", "zh", "en", "pt", "ru"]
    used = set()
    for lang in langs:
        name, cas = rng.choice([g for g in EVERYDAY if g[0] not in used])
        used.add(name)
        plat, title, body = ordinary_page(name, cas, lang, sales(lang, 1))
        add(plat, title, body, flag=False, how="negative-everyday", note="ordinary product page")
    # stock lists
    for fmt, title in [("pipe", "Stock list — solvents & reagents"), ("tab", "Weekly availability"),
                       ("dash", "Cosmetic raw materials in stock"), ("num", "现货清单")]:
        rows = stock_rows(rng.randint(20, 32), fmt)
        add(rng.choice(["catalog", "b2b"]), title, ["Please find our list below."] + rows +
            [contact_line("zh" if title == "现货清单" else "en")],
            flag=False, how="negative-everyday", note="long stock list, all ordinary")
    # equipment / classifieds / forum chatter
    misc = [
        ("board", "WTS: lab centrifuge 4000 rpm, barely used",
         ["Selling my benchtop centrifuge, 4000 rpm, 12 tubes. 250 EUR. DM me or " + email()]),
        ("board", "Vendo balança analítica 0,1 mg",
         ["Balança analítica usada, calibrada em 2024. R$ 3.500. Chama no WhatsApp " + phone()]),
        ("catalog", "Nitrile gloves, powder-free, 100/box",
         ["Nitrile examination gloves, sizes S-XL, 100 pcs/box.", "Price: USD 4.20/box", contact_line()]),
        ("b2b", "Borosilicate beakers set 50-1000 mL",
         ["Griffin low-form beakers, borosilicate 3.3, set of 6.", "MOQ: 100 sets", contact_line()]),
        ("board", "Verkaufe Magnetrührer mit Heizplatte",
         ["Magnetrührer mit Heizplatte, 1500 U/min, wenig benutzt. 120 EUR. " + email()]),
        ("catalog", "pH meter, benchtop, 0.01 resolution",
         ["Benchtop pH meter with electrode and buffer solutions.", "Price: USD 159", contact_line()]),
        ("board", "Best supplier for hyaluronic acid?",
         ["Looking for a reliable supplier of sodium hyaluronate for a serum line. Recommendations welcome."]),
        ("b2b", "Продаём лимонную кислоту оптом",
         ["Лимонная кислота (citric acid), CAS " + EVERYDAY_CAS["Citric acid anhydrous"] + ", мешки 25 кг.",
          contact_line("ru")]),
        ("catalog", "Acide ascorbique (vitamine C) qualité alimentaire",
         ["Acide ascorbique, CAS " + EVERYDAY_CAS["L-Ascorbic acid"] + ", sacs de 25 kg.", contact_line("fr")]),
        ("board", "¿Qué opinan de este proveedor de glicerina?",
         ["Compré glicerina USP a un proveedor nuevo, llegó bien. ¿Alguien más lo ha usado?"]),
    ]
    for plat, t, b in misc:
        add(plat, t, b, flag=False, how="negative-everyday", note="")


# ============================================================================= build + checks

CAS_SCAN = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")


def normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return t.replace("–", "-").replace("—", "-").replace("－", "-")


def check_case(c: dict) -> None:
    t = normalise(c["text"])
    found = {"-".join(m.groups()) for m in CAS_SCAN.finditer(t)}
    for cas in found:
        if cas in c["bad_cas"]:
            assert not cas_ok(cas), cas
            continue
        assert cas_ok(cas), (c["title"], cas)
        if cas in CONTROLLED_CAS:
            assert cas in c["ok_cas"], (c["title"], cas)
    for cas in c["ok_cas"]:
        assert cas in found, (c["title"], cas)
    for cas in c["bad_cas"]:
        assert cas in found, (c["title"], cas)
    # labels: inchikeys of positives are lexicon keys or (novel) checked not to be
    if c["how"].startswith("novel"):
        assert all(k not in LEX_KEYS for k in c["inchikeys"])
    else:
        assert all(k in {d["inchikey"] for d in LEX.values()} for k in c["inchikeys"])
    # SMILES shown in a positive must map to the labelled parent
    for m in re.finditer(r"SMILES\s*[:：]\s*(\S+)", t):
        mol = Chem.MolFromSmiles(m.group(1))
        assert mol is not None, m.group(1)
        frags = sorted(Chem.GetMolFrags(mol, asMols=True), key=lambda x: -x.GetNumHeavyAtoms())
        k = Chem.MolToInchiKey(frags[0])
        if c["flag"]:
            assert k in c["inchikeys"], (c["title"], k)
        else:
            assert k not in LEX_KEYS
    # fake contacts only
    for m in re.finditer(r"\+\d[\d ]+", c["text"]):
        assert m.group(0).startswith("+00 "), m.group(0)
    for m in re.finditer(r"[\w.]+@([\w-]+(?:\.[A-Za-z]{2,})+)", c["text"]):
        assert m.group(1) in ("example.com", "example.org"), m.group(0)


def check_opsin() -> None:
    import tempfile
    from py2opsin import py2opsin  # noqa: PLC0415
    cwd = os.getcwd()
    os.chdir(tempfile.mkdtemp())
    try:
        for name, smi in NOVEL_NAMES.items():
            got = py2opsin(name)
            assert got and ikey(got) == ikey(smi), (name, got)
    finally:
        os.chdir(cwd)
    print("OPSIN: all", len(NOVEL_NAMES), "novel systematic names parse to the recorded structures")


def main() -> None:
    for fn in (P_names, P_abbrev, P_lang, P_cas, P_salt, P_struct, P_obf, P_buried, P_forum, P_novel,
               N_disclaimers, N_news_forum, N_harm_reduction, N_lookalikes, N_abbrev, N_structure, N_smiles,
               N_badcas, N_digits, N_everyday):
        fn()
    for c in CASES:
        check_case(c)
    order = list(range(len(CASES)))
    rng.shuffle(order)
    listings, labels = [], []
    route = {"catalog": "catalog/product", "b2b": "b2b/offer", "board": "board/thread"}
    for i, idx in enumerate(order, 1):
        c = CASES[idx]
        kid = f"K{i:04d}"
        listings.append({"id": kid, "platform": c["platform"],
                         "url": f"http://127.0.0.1:8000/{route[c['platform']]}/{kid}.html",
                         "title": c["title"], "text": c["text"]})
        labels.append({"id": kid, "flag": c["flag"], "category": c["category"], "inchikeys": c["inchikeys"],
                       "how": c["how"], "note": c["note"]})
    with open(os.path.join(HERE, "listings.jsonl"), "w", encoding="utf-8") as fh:
        for r in listings:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "labels.jsonl"), "w", encoding="utf-8") as fh:
        for r in labels:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    npos = sum(1 for c in CASES if c["flag"])
    print(f"{len(CASES)} listings, {npos} positive ({npos / len(CASES):.0%})")
    if "--check-opsin" in sys.argv:
        check_opsin()


if __name__ == "__main__":
    main()
