#!/usr/bin/env python
"""Generate fentwatch held-out set 3 (listings.jsonl, labels.jsonl). Deterministic (seeded).

Written independently of the detector and of the earlier corpora. Facts (names, CAS numbers,
SMILES, InChIKeys) come from lexicon/substances/*.yaml and lexicon/lookalikes.yaml, loaded at
run time; novel analogs are given as SMILES / systematic names and checked with RDKit (names were
checked once with OPSIN, keys recorded below). Advertisement and discussion text only.
Run: /work/main/.venv/bin/python tests/data/holdout3/make_holdout3.py
"""
import glob
import json
import os
import random

import yaml
from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")
HERE = os.path.dirname(os.path.abspath(__file__))
LEX = os.path.join(HERE, "..", "..", "..", "lexicon")
R = random.Random(20240603)

SUB = {}
for f in sorted(glob.glob(os.path.join(LEX, "substances", "*.yaml"))):
    d = yaml.safe_load(open(f, encoding="utf-8"))
    SUB[d["id"]] = d
LOOK = {e["name"]: e for e in yaml.safe_load(open(os.path.join(LEX, "lookalikes.yaml"), encoding="utf-8"))["lookalikes"]}
LEXKEYS = {d["inchikey"] for d in SUB.values()} | {e["inchikey"] for e in LOOK.values() if e.get("inchikey")}


def cas_ok(c):
    d = c.replace("-", "")
    body, chk = d[:-1], int(d[-1])
    return sum(int(x) * (i + 1) for i, x in enumerate(reversed(body))) % 10 == chk


def ik(sid):
    return SUB[sid]["inchikey"]


def cas(sid, form="base"):
    for x in SUB[sid]["forms"]:
        if x["form"].startswith(form):
            assert cas_ok(x["cas"]), x
            return x["cas"]
    raise KeyError((sid, form))


def smi(sid):
    s = SUB[sid]["smiles"]
    assert Chem.MolToInchiKey(Chem.MolFromSmiles(s)) == SUB[sid]["inchikey"], sid
    return s


def zh(sid):
    return SUB[sid]["names"]["zh"][0]


def sysname(sid, i=0):
    return SUB[sid]["names"]["systematic"][i]


def lname(sid, lang):
    return SUB[sid]["names"][lang][0]


def bad_cas(good, pos=0):
    """Change one body digit so that the check digit fails."""
    parts = good.split("-")
    digits = list(parts[0] + parts[1])
    i = pos % len(digits)
    for delta in range(1, 10):
        trial = digits[:]
        trial[i] = str((int(trial[i]) + delta) % 10)
        t = "".join(trial)
        c = t[:len(parts[0])] + "-" + t[len(parts[0]):] + "-" + parts[2]
        if not cas_ok(c) and c != good:
            return c
    raise ValueError(good)


# Harmless everyday chemicals: CAS numbers (all pass the check digit, asserted below).
HARMLESS = [
    ("Caffeine anhydrous", "58-08-2"), ("Acetylsalicylic acid", "50-78-2"), ("Paracetamol", "103-90-2"),
    ("Ibuprofen", "15687-27-1"), ("Methanol", "67-56-1"), ("Isopropyl alcohol", "67-63-0"),
    ("Glacial acetic acid", "64-19-7"), ("Sodium hydroxide pellets", "1310-73-2"), ("Benzoic acid", "65-85-0"),
    ("Urea", "57-13-6"), ("D-Glucose anhydrous", "50-99-7"), ("L-Ascorbic acid", "50-81-7"),
    ("Sodium bicarbonate", "144-55-8"), ("Ethyl acetate", "141-78-6"), ("Tetrahydrofuran", "109-99-9"),
    ("Dichloromethane", "75-09-2"), ("n-Hexane", "110-54-3"), ("Acetonitrile HPLC grade", "75-05-8"),
    ("Glycerol", "56-81-5"), ("Zinc oxide", "1314-13-2"), ("Potassium carbonate", "584-08-7"),
    ("Citric acid anhydrous", "77-92-9"), ("Glycine", "56-40-6"), ("Melatonin", "73-31-4"),
    ("Nicotinamide", "98-92-0"), ("Toluene", "108-88-3"), ("Acetone", "67-64-1"), ("Ethanol absolute", "64-17-5"),
    ("DMSO", "67-68-5"), ("N,N-Dimethylformamide", "68-12-2"), ("Sodium chloride", "7647-14-5"),
    ("Titanium dioxide", "13463-67-7"), ("Vanillin", "121-33-5"), ("Salicylic acid", "69-72-7"),
    ("Sorbitol", "50-70-4"), ("Sucrose", "57-50-1"), ("Stearic acid", "57-11-4"), ("Phenol", "108-95-2"),
    ("Benzyl alcohol", "100-51-6"), ("Propylene glycol", "57-55-6"),
]
for _n, _c in HARMLESS:
    assert cas_ok(_c), (_n, _c)

# Novel fentanyl-class analogs NOT in the lexicon. SMILES checked with RDKit at run time; names were
# parsed once with OPSIN (py2opsin) and the InChIKey of the OPSIN structure is recorded here.
NOVEL_SMILES = {
    "p-methyl (propanamide)": "CCC(=O)N(c1ccc(C)cc1)C1CCN(CCc2ccccc2)CC1",
    "p-fluoro methoxyacetyl": "COCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
    "o-methyl acetyl": "CC(=O)N(c1ccccc1C)C1CCN(CCc2ccccc2)CC1",
    "isovaleryl": "CC(C)CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "p-methoxy acetyl": "COc1ccc(N(C(C)=O)C2CCN(CCc3ccccc3)CC2)cc1",
    "p-fluoro acryloyl": "C=CC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1",
    "4-methylphenethyl": "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(C)cc2)CC1",
}
NOVEL_NAMES = {
    "N-(3-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide": "SLTQVWMQISKVDN-UHFFFAOYSA-N",
    "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]cyclobutanecarboxamide": "XHRDMQWXMFOAIX-UHFFFAOYSA-N",
    "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]hexanamide": "PWKBFVCAQVONRR-UHFFFAOYSA-N",
    "2-ethoxy-N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]acetamide": "FBHHANTXGLSYKL-UHFFFAOYSA-N",
    "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]thiophene-2-carboxamide": "CCHPKGYUIHSQIE-UHFFFAOYSA-N",
    "N-{1-[2-(4-fluorophenyl)ethyl]piperidin-4-yl}-N-phenylpropanamide": "LSSHGONYDWDTQM-UHFFFAOYSA-N",
}
NOVEL_KEYS = {}
for _k, _s in NOVEL_SMILES.items():
    _ik = Chem.MolToInchiKey(Chem.MolFromSmiles(_s))
    assert _ik not in LEXKEYS, _k
    NOVEL_KEYS[_s] = _ik
for _ik in NOVEL_NAMES.values():
    assert _ik not in LEXKEYS

# Harmless piperidine / look-alike building blocks (SMILES; none is a controlled substance).
HARMLESS_SMILES = [
    ("4-(4-Chlorophenyl)piperidin-4-ol", "OC1(CCNCC1)c1ccc(Cl)cc1"),
    ("Ethyl isonipecotate", "CCOC(=O)C1CCNCC1"),
    ("1-Boc-piperazine", "CC(C)(C)OC(=O)N1CCNCC1"),
    ("N-Boc-4-hydroxypiperidine", "OC1CCN(C(=O)OC(C)(C)C)CC1"),
    ("4-Hydroxypiperidine", LOOK["4-Hydroxypiperidine"]["smiles"]),
    ("1-Benzyl-4-piperidone", LOOK["1-Benzyl-4-piperidone"]["smiles"]),
    ("4-Aminopyridine", LOOK["4-Aminopyridine"]["smiles"]),
    ("Isonipecotamide", "NC(=O)C1CCNCC1"),
]
for _n, _s in HARMLESS_SMILES:
    assert Chem.MolToInchiKey(Chem.MolFromSmiles(_s)) not in {d["inchikey"] for d in SUB.values()}, _n

# ---------------------------------------------------------------- helpers for page furniture

CITY = ["Wuhan", "Hebei", "Shijiazhuang", "Shanghai", "Hangzhou", "Mumbai", "Hyderabad", "Guangzhou",
        "Jinan", "Zhengzhou", "Lagos", "Rotterdam", "Sao Paulo", "Warsaw", "Almaty", "Ho Chi Minh City"]
STEM = ["Quorvane", "Belmity", "Sinotrax", "Hualong Yixin", "Ardeline", "Krestovik", "Velanto", "Orvexa",
        "Tianmu Ruixiang", "Cobaltine", "Dravenor", "Pelucid", "Xinhe Jiarui", "Meridora", "Lumora", "Brightlake"]
KIND = ["Biotech Co., Ltd.", "Chemical Co., Ltd.", "Pharmatech Ltd.", "Trading Co., Ltd.", "New Material Co., Ltd.",
        "Fine Chemicals GmbH", "Química Ltda.", "Labs LLP", "Import-Export SARL", "Science Co."]


def company():
    return f"{R.choice(CITY)} {R.choice(STEM)} {R.choice(KIND)}"


def phone():
    return f"+00 000 000 {R.randint(0, 9999):04d}"


def email():
    return f"{R.choice(['sales', 'info', 'kevin', 'lily', 'export', 'amy', 'trade', 'support'])}{R.randint(1, 99)}@{R.choice(['example.com', 'example.org'])}"


def handle():
    return "example_" + R.choice(["chem", "lab", "bio", "pharma", "rc", "supply", "vendor", "trade"]) + str(R.randint(10, 999))


def contacts(n=None):
    opts = [f"WhatsApp: {phone()}", f"Email: {email()}", f"Telegram: @{handle()}", f"WeChat: {handle()}",
            f"Wickr: {handle()}", f"Signal: {phone()}", f"Skype: {handle()}", f"Threema: {handle()}"]
    R.shuffle(opts)
    return "; ".join(opts[: n or R.randint(2, 3)])


def prop_block(lines):
    return "\n".join(f"{k}: {v}" for k, v in lines if v is not None)


PURITY = ["99%", "99.5%", "≥98%", "99.8% (HPLC)", ">99%", "98%", "99.9%"]
PACK = ["1kg/foil bag", "25kg/drum", "100g, 500g, 1kg", "As customer's request", "10g sample available",
        "Vacuum sealed bags", "Aluminium foil bag, inner PE"]
PRICE = ["Inquire for price", "Negotiable", "USD 15-60/g", "EXW USD 320/kg", "US$ 1,200/kg", "Contact for best price",
         "$ 45/10g", "FOB USD 800-1500/kg"]
SHIP = ["Safe and discreet delivery to USA, Canada, Mexico, EU.", "Door to door, 100% customs clearance.",
        "Fast shipping, reship policy if seized.", "Stock in Netherlands/Germany warehouse.",
        "Ship within 24h after payment. BTC / USDT accepted.", "DDP to Mexico and Australia, tracking provided."]

CASES = []


def add(platform, title, text, flag, category, inchikeys, how, note=""):
    CASES.append(dict(platform=platform, title=title, text=text,
                      label=dict(flag=flag, category=category, inchikeys=list(inchikeys), how=how, note=note)))


def product_page(title, intro, props, platform="catalog", extra=None):
    parts = [title, intro]
    if extra:
        parts.append(extra)
    parts.append(prop_block(props))
    return "\n".join(parts)


def pos_page(platform, title, intro, ident_lines, category, keys, how, note, extra=None):
    props = list(ident_lines) + [("Purity", R.choice(PURITY)), ("Appearance", R.choice(["White powder", "Off-white crystalline powder", "White to light yellow powder"])),
                                 ("Package", R.choice(PACK)), ("Price", R.choice(PRICE)), ("Supplier", company()), ("Contact", contacts())]
    add(platform, title, product_page(title, intro, props, extra=extra or R.choice(SHIP)), True, category, keys, how, note)


FL, PR = "fentanyl-like", "precursor"

# ================================================================ POSITIVES

# --- plain names (English) ------------------------------------------------------------------
for sid, title, intro in [
    ("fentanyl", "Fentanyl powder 99% in stock", "High quality fentanyl, research use, stable supply from our own lab."),
    ("carfentanil", "Buy Carfentanil online - top grade", "We offer carfentanil in small and bulk quantities, lab tested."),
    ("butyrylfentanyl", "Butyryl fentanyl HCl-free base 99.7%", "Fresh batch of butyryl fentanyl just arrived, COA on request."),
    ("4-anpp", "4-anilino-N-phenethylpiperidine manufacturer", "Factory supply of 4-anilino-N-phenethylpiperidine, steady output every month."),
    ("1-boc-4-piperidone", "N-Boc-4-piperidone bulk supply", "N-Boc-4-piperidone in stock in our EU warehouse, no customs issues."),
]:
    pos_page(R.choice(["catalog", "b2b"]), title, intro, [("Product name", {"fentanyl": "Fentanyl", "carfentanil": "Carfentanil", "butyrylfentanyl": "Butyryl fentanyl", "4-anpp": "4-anilino-N-phenethylpiperidine", "1-boc-4-piperidone": "N-Boc-4-piperidone"}[sid])],
             SUB[sid]["category"], [ik(sid)], "name", f"plain name ({SUB[sid]['name']})")

# --- synonyms, trade names, codes ---------------------------------------------------------
pos_page("b2b", "Wildnil substitute powder, pure", "Veterinary-grade Wildnil active ingredient, powder form, sold by weight.",
         [("Synonym", "Wildnil"), ("Grade", "Pharma")], FL, [ik("carfentanil")], "synonym", "trade name Wildnil only (carfentanil)")
pos_page("catalog", "R-33799 research powder", "Code R-33799, sold to labs, 5g minimum.", [("Code", "R-33799")], FL, [ik("carfentanil")], "synonym", "company code R-33799 (carfentanil)")
pos_page("b2b", "Mefentanyl crystal 98%", "Mefentanyl supply, long-term cooperation welcome.", [("Item", "Mefentanyl")], FL, [ik("3-methylfentanyl")], "synonym", "synonym Mefentanyl (3-methylfentanyl)")
pos_page("b2b", "Desmethyl fentanyl powder wholesale", "Desmethyl fentanyl, bulk price for distributors.", [("Product", "Desmethyl fentanyl")], FL, [ik("acetylfentanyl")], "synonym", "synonym Desmethyl fentanyl (acetylfentanyl)")

# --- abbreviations --------------------------------------------------------------------------
pos_page("b2b", "4-ANPP 99% white powder ready stock", "Hot sale 4-ANPP, 10kg in stock, reship guaranteed.", [("Product", "4-ANPP")], PR, [ik("4-anpp")], "abbrev", "abbreviation 4-ANPP")
pos_page("catalog", "4-FIBF research chemical", "4-FIBF available in 1g-100g, reagent grade.", [("Name", "4-FIBF")], FL, [ik("4-fluoroisobutyrylfentanyl")], "abbrev", "abbreviation 4-FIBF")
pos_page("catalog", "THF-F powder, lab tested", "THF-F in stock, discreet packing.", [("Name", "THF-F")], FL, [ik("tetrahydrofuranylfentanyl")], "abbrev", "abbreviation THF-F")
pos_page("b2b", "1-boc-4-AP factory direct", "boc-4-AP with stable quality, large quantity in stock.", [("Product", "1-boc-4-AP")], PR, [ik("1-boc-4-ap")], "abbrev", "abbreviation 1-boc-4-AP / boc-4-AP")

# --- Chinese names in running text ----------------------------------------------------------
for sid, text in [
    ("fentanyl", "本公司常年供应{n}原粉，纯度高，价格优惠，可发往美国、墨西哥、加拿大。欢迎新老客户咨询。"),
    ("carfentanil", "现货{n}，实验室专用，小量起订。包装隐蔽，安全到货，不到重发。"),
    ("furanylfentanyl", "长期出售{n}，质量稳定，支持比特币付款。"),
    ("4-anpp", "我司主营医药中间体，其中{n}库存充足，欢迎询价。"),
    ("npp", "供应{n}（白色结晶粉末），1公斤起，支持海外仓发货。"),
]:
    n = zh(sid)
    title = f"供应{n}" if R.random() < 0.5 else f"{n} 高纯度 现货"
    body = text.format(n=n)
    props = [("产品名称", n), ("纯度", R.choice(PURITY)), ("包装", R.choice(["1kg/袋", "25kg/桶", "按客户要求"])),
             ("价格", "询价"), ("供应商", company()), ("联系方式", contacts())]
    add(R.choice(["catalog", "b2b"]), title, "\n".join([title, body, prop_block(props)]), True, SUB[sid]["category"], [ik(sid)],
        "chinese-name", f"Chinese name {n} in running text")

# --- other languages -------------------------------------------------------------------------
add("b2b", "Venta de fentanilo puro - envío a todo México",
    "Venta de fentanilo puro - envío a todo México\nVendemos " + lname("fentanyl", "es") + " en polvo, pureza 99%, entrega discreta en CDMX, Guadalajara y Sinaloa.\nPrecio por kilo negociable, muestras gratis para mayoristas.\nContacto: " + contacts(),
    True, FL, [ik("fentanyl")], "foreign-name", "Spanish fentanilo")
add("catalog", "Carfentanilo de alta pureza",
    "Carfentanilo de alta pureza\nOfrecemos " + lname("carfentanil", "es") + " para laboratorios. Embalaje al vacío, 10 g mínimo.\nPago: USDT o transferencia.\nProveedor: " + company() + "\nContacto: " + contacts(),
    True, FL, [ik("carfentanil")], "foreign-name", "Spanish carfentanilo")
add("b2b", "Vente de rémifentanil en poudre",
    "Vente de rémifentanil en poudre\nNous proposons du " + lname("remifentanil", "fr") + " de qualité pharmaceutique, livraison discrète en Europe.\nPrix sur demande, échantillon disponible.\nFournisseur : " + company() + "\nContact : " + contacts(),
    True, FL, [ik("remifentanil")], "foreign-name", "French rémifentanil")
add("board", "Продам фентанил, опт и розница",
    "Продам фентанил, опт и розница\nЧистый фентанил (порошок), чистота 99%. Отправка по России и СНГ, закладки не делаем, только почта.\nЦена договорная, пишите в Telegram @" + handle() + "\nТакже есть карфентанил под заказ.",
    True, FL, [ik("fentanyl"), ik("carfentanil")], "foreign-name", "Russian фентанил + карфентанил (transliterated names)")
add("catalog", "Fentanil em pó - alta pureza",
    "Fentanil em pó - alta pureza\nVendemos fentanil puro para o Brasil e Portugal, envio discreto, pagamento em Pix ou cripto.\nQuantidade mínima 5 g.\nFornecedor: " + company() + "\nContato: " + contacts(),
    True, FL, [ik("fentanyl")], "foreign-name", "Portuguese fentanil")
add("board", "Bán fentanyl nguyên chất giá sỉ",
    "Bán fentanyl nguyên chất giá sỉ\nHàng có sẵn, độ tinh khiết 99%, giao hàng kín đáo toàn quốc và quốc tế.\nLiên hệ Zalo/Telegram: @" + handle() + "\nGiá: thương lượng",
    True, FL, [ik("fentanyl")], "foreign-name", "Vietnamese ad for fentanyl")
add("board", "Carfentanil bechna hai - bulk rate",
    "Carfentanil bechna hai - bulk rate\nBhai log, humare paas carfentanil ka fresh stock aaya hai, purity 99%. Delivery poore India aur abroad.\nRate ke liye WhatsApp karo: " + phone(),
    True, FL, [ik("carfentanil")], "foreign-name", "Hindi (Latin script) ad, carfentanil")

# --- CAS in many writings --------------------------------------------------------------------
def fw(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


c_anpp, c_npp, c_fent, c_boc, c_pip = cas("4-anpp"), cas("npp"), cas("fentanyl"), cas("1-boc-4-ap"), cas("4-piperidone")
c_bocp, c_4ap, c_acet, c_valf, c_isob = cas("1-boc-4-piperidone"), cas("4-ap"), cas("acetylfentanyl"), cas("valerylfentanyl"), cas("isobutyrylfentanyl")
for sid, title, line, note in [
    ("npp", f"CAS {c_npp} powder 99% hot sale", ("CAS No.", c_npp), "CAS only, hyphenated"),
    ("4-anpp", "Supply high purity CAS " + c_anpp.replace("-", " "), ("CAS", c_anpp.replace("-", " ")), "CAS written with spaces"),
    ("fentanyl", "现货供应 CAS号 " + fw(c_fent), ("CAS号", fw(c_fent)), "CAS in full-width digits"),
    ("1-boc-4-ap", "CAS#" + c_boc.replace("-", "") + " in stock", ("CAS#", c_boc.replace("-", "")), "CAS without hyphens after a CAS cue"),
    ("4-piperidone", "Factory price, CAS: " + c_pip.split("-")[0], ("CAS", c_pip.split("-")[0]), "CAS cut to its first group right after a CAS cue"),
    ("1-boc-4-piperidone", "Stock item CAS RN " + c_bocp.replace("-", "–"), ("CAS RN", c_bocp.replace("-", "–")), "CAS with en dashes"),
    ("valerylfentanyl", "Produkt mit CAS-Nr. " + c_valf + " ab Lager Deutschland", ("CAS-Nr.", c_valf), "German ad, CAS only"),
    ("isobutyrylfentanyl", "N° CAS " + c_isob.replace("-", "."), ("N° CAS", c_isob.replace("-", ".")), "CAS with dots, French cue"),
]:
    pos_page(R.choice(["catalog", "b2b"]), title, R.choice(["Please contact us for details.", "Good quality, best price.", "Lieferung diskret, Zahlung per Krypto." if "Deutschland" in title else "Professional team, 24/7 online."]),
             [line, ("MF", "—")], SUB[sid]["category"], [ik(sid)], "cas", note)

# --- salts ------------------------------------------------------------------------------------
for sid, form, title, note in [
    ("fentanyl", "citrate", "Fentanyl citrate USP powder", "fentanyl citrate, name + salt CAS"),
    ("carfentanil", "citrate", "CAS {c} crystalline, 99%", "carfentanil citrate CAS only"),
    ("remifentanil", "hydrochloride", "Remifentanil hydrochloride bulk", "remifentanil HCl name + salt CAS"),
    ("4-piperidone", "hydrochloride hydrate", "4-Piperidone HCl hydrate, CAS {c}", "4-piperidone hydrochloride hydrate salt CAS"),
]:
    c = cas(sid, form)
    pos_page("b2b", title.format(c=c), "Salt form, readily soluble, stable on storage.", [("CAS", c), ("Form", form if "{c}" not in title or sid != "carfentanil" else None)],
             SUB[sid]["category"], [ik(sid)], "salt", note)
pos_page("catalog", "4-ANPP dihydrochloride 99%", "4-ANPP 2HCl salt, white powder, fast dispatch.", [("Product", "4-ANPP dihydrochloride")], PR, [ik("4-anpp")], "salt", "salt named, no CAS")

# --- SMILES / InChIKey / systematic names ---------------------------------------------------------
for sid, note in [("fentanyl", "SMILES only"), ("acryloylfentanyl", "SMILES only"), ("npp", "SMILES only"), ("4-anpp", "SMILES only")]:
    pos_page(R.choice(["catalog", "b2b"]), "Custom compound, SMILES below", "Exact structure as per SMILES. Bulk available.", [("SMILES", smi(sid))], SUB[sid]["category"], [ik(sid)], "smiles", note)
pos_page("b2b", "Hydrochloride salt, structure as listed", "HCl salt, SMILES given.", [("SMILES", smi("carfentanil") + ".Cl")], FL, [ik("carfentanil")], "smiles", "SMILES of a salt (carfentanil HCl)")
pos_page("catalog", "Item by InChIKey", "We identify our products by InChIKey only.", [("InChIKey", ik("furanylfentanyl"))], FL, [ik("furanylfentanyl")], "inchikey", "InChIKey only")
pos_page("b2b", "Research compound (see key)", "Reference: standard InChIKey below.", [("Identifier", "InChIKey=" + ik("4-anpp"))], PR, [ik("4-anpp")], "inchikey", "InChIKey only")
for sid, i in [("fentanyl", 0), ("carfentanil", 0), ("valerylfentanyl", 0), ("1-boc-4-ap", 0), ("methoxyacetylfentanyl", 1)]:
    n = sysname(sid, i)
    pos_page(R.choice(["catalog", "b2b"]), n + " 99%", "High purity " + n + ", GMP plant.", [("Chemical name", n)], SUB[sid]["category"], [ik(sid)], "iupac", "systematic name only")

# --- obfuscated names -----------------------------------------------------------------------------
ZW = "\u200b"
CYR = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440"}
for sid, shown, note in [
    ("fentanyl", "f e n t a n y l", "letters spaced out"),
    ("carfentanil", "c4rf3nt4n1l", "leetspeak"),
    ("fentanyl", "".join(CYR.get(ch, ch) for ch in "fentanyl"), "Cyrillic homoglyphs (е, а)"),
    ("acetylfentanyl", ZW.join("acetylfentanyl"), "zero-width spaces inside the name"),
    ("fentanyl", fw("fentanyl"), "full-width letters"),
    ("furanylfentanyl", "furanyl-f3ntanyl", "leet in one letter"),
    ("4-anpp", "4-A.N.P.P", "abbreviation with dots"),
    ("fentanyl", "fentanyI", "capital I for l"),
]:
    intro = R.choice(["Top quality " + shown + ", no questions asked.", "We have " + shown + " ready to ship, safe delivery.",
                      shown + " in stock now, ask for price."])
    pos_page(R.choice(["catalog", "board", "b2b"]), "Hot item: " + shown, intro, [("Item", shown)], SUB[sid]["category"], [ik(sid)], "obfuscated-name", "obfuscation: " + note)

# --- buried in long stock / price lists --------------------------------------------------------
def buried(title, header, row_fmt, controlled_row, sid, how, note_kind, lang="en"):
    rows = R.sample(HARMLESS, 28)
    pos = R.randint(9, 24)
    lines = [row_fmt(n, c) for n, c in rows]
    lines.insert(pos, controlled_row)
    intro = {"en": "Updated stock list, all items ready to ship. Prices ex-works, subject to change.",
             "zh": "最新库存清单，以下产品均有现货，价格仅供参考。",
             "es": "Lista de precios actualizada. Todos los productos en stock."}[lang]
    text = "\n".join([title, intro, header] + lines + ["Contact: " + contacts()])
    add(R.choice(["catalog", "b2b"]), title, text, True, SUB[sid]["category"], [ik(sid)], how,
        f"buried: one controlled line ({note_kind}) at row {pos + 1} of {len(lines)} in a multi-product list")


buried("Weekly stock list", "Product | CAS | Purity | Price", lambda n, c: f"{n} | {c} | {R.choice(PURITY)} | {R.choice(PRICE)}",
       f"Intermediate | {cas('npp')} | 99% | USD 95/kg", "npp", "cas", "CAS")
buried("Price list Q3", "Name / CAS / Pack / USD", lambda n, c: f"{n} / {c} / {R.choice(['1kg', '25kg', '200L'])} / {R.randint(3, 90)}.00",
       f"Acetyl fentanyl / — / 10g / 420.00", "acetylfentanyl", "name", "name")
buried("库存产品目录", "产品 | CAS号 | 纯度", lambda n, c: f"{n} | {c} | {R.choice(PURITY)}",
       f"{zh('4-anpp')} | {cas('4-anpp')} | 99%", "4-anpp", "chinese-name", "Chinese name + CAS", lang="zh")
buried("Lista de precios", "Producto | CAS | Precio", lambda n, c: f"{n} | {c} | USD {R.randint(5, 300)}/kg",
       f"Custom item (SMILES {smi('butyrylfentanyl')}) | — | consultar", "butyrylfentanyl", "smiles", "SMILES", lang="es")
buried("Inventory (clearance sale)", "Item, CAS, qty", lambda n, c: f"{n}, {c}, {R.randint(1, 40)} kg",
       f"tert-butyl 4-oxopiperidine-1-carboxylate, {cas('1-boc-4-piperidone')}, 120 kg", "1-boc-4-piperidone", "iupac", "systematic name + CAS")

# --- forum / messenger-style offers ---------------------------------------------------------------
add("board", "[WTS] carfentanil + fent, EU shipping",
    "[WTS] carfentanil + fent, EU shipping\nPosted by " + handle() + "\nhave carfentanil and fentanyl, both lab tested, pics in DM. min order 5g, escrow ok. dm tg @" + handle() + " no time wasters",
    True, FL, [ik("carfentanil"), ik("fentanyl")], "name", "forum post offering carfentanil and fentanyl")
add("board", "re: where to get precursors?",
    "re: where to get precursors?\n> anyone know a reliable source for NPP?\nwe ship N-phenethyl-4-piperidone and 4-ANPP from our own warehouse, kg quantities, pm me or email " + email(),
    True, PR, [ik("npp"), ik("4-anpp")], "name", "forum reply offering NPP and 4-ANPP")
add("board", "Telegram channel repost",
    "Telegram channel repost\n🔥🔥 NEW DROP 🔥🔥\n✅ Isobutyrylfentanyl 99%\n✅ Fast ship USA/CA\n✅ Crypto only\n📩 @" + handle() + "\n⚠️ serious buyers",
    True, FL, [ik("isobutyrylfentanyl")], "name", "messenger-style emoji ad")
add("board", "WhatsApp broadcast",
    "WhatsApp broadcast\nHello dear, good day. We have 4-ANPP and 1-boc-4-piperidone in stock, 100% delivery to Mexico. Price very good. Reply me on " + phone(),
    True, PR, [ik("4-anpp"), ik("1-boc-4-piperidone")], "abbrev", "messenger broadcast, two precursors")
add("board", "offer pinned",
    "offer pinned\nguys dm for 3-MF, batch tested. stealth ship, reshipping if lost. @" + handle(),
    True, FL, [ik("3-methylfentanyl")], "abbrev", "forum offer using abbreviation 3-MF")
add("board", "Vendo sufentanilo (mensaje directo)",
    "Vendo sufentanilo (mensaje directo)\nHola amigo, tengo sufentanilo y alfentanilo en polvo, envío seguro. Escríbeme al Telegram @" + handle(),
    True, FL, [ik("sufentanil"), ik("alfentanil")], "foreign-name", "Spanish messenger offer, two medical fentanyls as powder")

# --- novel analogs (not in the lexicon) ------------------------------------------------------------
for label, s in NOVEL_SMILES.items():
    pos_page(R.choice(["catalog", "b2b", "board"]), R.choice(["New research compound, SMILES inside", "Novel analgesic research chemical", "Custom synthesis product in stock", "New RC (structure below)"]),
             R.choice(["Legal in many countries, not listed. Inquire.", "Brand new analog, strong, lab tested.", "Structure only; name on request."]),
             [("SMILES", s)], FL, [NOVEL_KEYS[s]], "novel-smiles", f"novel fentanyl analog not in lexicon ({label}); SMILES only")
for n, k in NOVEL_NAMES.items():
    pos_page(R.choice(["catalog", "b2b"]), n, R.choice(["Novel compound, not scheduled by name. Bulk available.", "New research chemical, strong demand.", "Our latest product, COA available."]),
             [("Chemical name", n)], FL, [k], "novel-iupac", "novel fentanyl analog not in lexicon; systematic name only (OPSIN-verified)")

# ================================================================ NEGATIVES
NONE = "none"


def neg(platform, title, text, how, note=""):
    add(platform, title, text, False, NONE, [], how, note)


def everyday_page(name, c, extra_line=None, lang="en"):
    props = [("Product name", name), ("CAS No.", c), ("Purity", R.choice(PURITY)), ("Package", R.choice(PACK)),
             ("Price", R.choice(PRICE)), ("Supplier", company()), ("Contact", contacts())]
    body = [name + " " + R.choice(["in stock", "factory supply", "best price", "industrial grade", "food grade"]),
            R.choice(["Stable quality, COA with every batch.", "Widely used in food, pharma and cosmetics.", "Large stock, prompt shipment.",
                      "Manufacturer with ISO 9001 certificate."])]
    if extra_line:
        body.append(extra_line)
    body.append(prop_block(props))
    return body[0], "\n".join(body)


DISCLAIMERS = [
    "Notice: this shop does not sell fentanyl, carfentanil, 4-ANPP, NPP or any other controlled substance or precursor.",
    "We refuse all inquiries about fentanyl analogues and their precursors (e.g. 1-boc-4-piperidone, 4-piperidone). Such orders are reported.",
    "Compliance: listings for fentanyl-related substances (CAS 437-38-7 and analogues) are prohibited on this platform and will be removed.",
    "本店不销售芬太尼、卡芬太尼及任何易制毒化学品，请勿咨询。",
    "平台声明：严禁发布芬太尼类物质及其前体（如4-苯胺基-N-苯乙基哌啶）的信息，违者封号并移交公安机关。",
    "Aviso: no vendemos fentanilo, carfentanilo ni precursores químicos controlados. Cumplimos la ley.",
    "Avis : la vente de fentanyl, de carfentanil et de leurs précurseurs est interdite sur ce site.",
    "Hinweis: Wir verkaufen weder Fentanyl noch Vorläuferstoffe wie 4-ANPP oder NPP. Anfragen werden nicht beantwortet.",
    "Внимание: мы не продаём фентанил, карфентанил и прекурсоры. Все товары легальны.",
    "Aviso: não vendemos fentanil nem precursores controlados. Todos os produtos têm nota fiscal.",
    "Lưu ý: chúng tôi không bán fentanyl hay bất kỳ tiền chất nào bị kiểm soát.",
    "Dhyan de: hum fentanyl ya uske precursor (ANPP, NPP) nahi bechte. Sirf legal chemicals.",
    "Seller policy: no opioids, no fentanyl/sufentanil/remifentanil, no List I chemicals such as N-phenethyl-4-piperidone. Do not ask.",
    "Export control: buyers must sign an end-user certificate. We do not handle substances under the 1961 or 1988 Conventions, including fentanyl and 4-anilinopiperidine.",
    "Prohibited items on this marketplace include (non-exhaustive): fentanyl, acetylfentanyl, furanylfentanyl, carfentanil, norfentanyl, 4-AP, 1-boc-4-AP, NPP, 4-ANPP.",
    "Trust & Safety reminder: ads mentioning carfentanil or other fentanyl analogues are auto-removed; repeat offenders are banned.",
    "We comply with China's class-wide scheduling of fentanyl-related substances (芬太尼类物质) of 1 May 2019.",
    "Do NOT contact us for 4-ANPP / NPP / 4-piperidone / norfentanyl. We only supply legal cosmetic raw materials.",
]
for i in range(26):
    n, c = HARMLESS[(i * 7) % len(HARMLESS)]
    d = DISCLAIMERS[i % len(DISCLAIMERS)]
    title, text = everyday_page(n, c, extra_line=d)
    neg(R.choice(["catalog", "b2b"]), title, text, "negative-disclaimer", "compliance notice naming controlled substances; offered item ordinary")

NEWS = [
    ("Customs seize 50 kg of fentanyl precursors at port",
     "Customs officers seized 50 kg of 4-ANPP and N-phenethyl-4-piperidone hidden in a shipment declared as textile dye. Officials said the chemicals could have yielded millions of doses of fentanyl. Two people were arrested."),
    ("Regulators add two piperidone derivatives to precursor list",
     "The UN Commission on Narcotic Drugs voted to add 4-piperidone and 1-boc-4-piperidone to Table I of the 1988 Convention, tightening controls on chemicals used to make fentanyl."),
    ("Carfentanil detected in overdose cluster",
     "Health officials confirmed carfentanil in toxicology samples from an overdose cluster last week and urged residents to carry naloxone. Carfentanil is a fentanyl analogue used as a large-animal tranquilliser."),
    ("芬太尼类物质整类列管五周年",
     "2019年5月1日起，中国对芬太尼类物质实施整类列管。公安部表示，此举有效遏制了芬太尼类物质的非法制造和走私。"),
    ("Incautan precursores de fentanilo en Manzanillo",
     "La Marina informó del aseguramiento de varias toneladas de precursores químicos, entre ellos 4-ANPP, en el puerto de Manzanillo. El fentanilo ilícito sigue causando miles de muertes."),
    ("Saisie record de fentanyl",
     "Les douanes ont saisi 3 kg de fentanyl et d'acétylfentanyl dissimulés dans des colis postaux. Une enquête est en cours."),
    ("В Москве задержан курьер с фентанилом",
     "Полиция задержала курьера, перевозившего партию фентанила. Возбуждено уголовное дело о незаконном обороте наркотиков."),
    ("Nitazenes and fentanyl analogues: what changed in 2024",
     "Drug checking services report fewer detections of cyclopropylfentanyl and ocfentanil and more synthetic opioids from other classes. Fentanyl itself remains dominant."),
    ("Bundesregierung verschärft Kontrolle von Fentanyl-Vorläufern",
     "Die Bundesregierung hat neue Regeln für den Handel mit 4-AP und 1-boc-4-AP beschlossen. Händler müssen verdächtige Bestellungen melden."),
    ("Apreensão de fentanil no aeroporto",
     "A Polícia Federal apreendeu fentanil e carfentanil em encomendas vindas do exterior. É a primeira apreensão do tipo no estado."),
    ("Platform removes 12,000 chemical listings",
     "A major B2B marketplace said it removed 12,000 listings in the quarter, many offering 1-boc-4-piperidone (CAS 79099-07-3) or 4-ANPP, after a report by researchers."),
    ("Hospital shortage of sufentanil and remifentanil",
     "Anaesthesiologists warn of supply shortages of sufentanil and remifentanil ampoules used in surgery, blaming a manufacturing problem at one supplier."),
]
for t, body in NEWS:
    neg("board", t, t + "\n" + body + "\nSource: newsroom (example.org)", "negative-news")

RESEARCH = [
    ("Abstract: LC-MS/MS quantification of fentanyl and norfentanyl in urine",
     "We validated a method for fentanyl, norfentanyl and acetylfentanyl in urine with LOQ 0.1 ng/mL. Recovery was 92-104%. Keywords: fentanyl, metabolites, forensic toxicology."),
    ("Abstract: receptor binding of carfentanil and lofentanil",
     "Binding affinities of carfentanil, lofentanil and sufentanil at the mu-opioid receptor were compared using radioligand assays. Results support carfentanil's extreme potency."),
    ("Poster: portable Raman detection of fentanyl analogues",
     "A handheld Raman device identified furanylfentanyl, butyrylfentanyl and 4-ANPP in mixtures above 10% w/w. False negatives occurred with heavy cutting agents."),
    ("Thesis summary: impurity profiling of seized fentanyl",
     "Route-specific impurities such as 4-ANPP and phenethyl-4-ANPP were used to attribute seized fentanyl samples to production methods. No synthesis was performed."),
    ("Resumen: detección de fentanilo en aguas residuales",
     "Se analizaron aguas residuales de 12 ciudades para detectar fentanilo y norfentanilo. Las concentraciones aumentaron un 40 % entre 2021 y 2023."),
    ("摘要：芬太尼类物质的快速筛查方法",
     "本文建立了芬太尼、乙酰芬太尼、呋喃芬太尼等20种芬太尼类物质的快速筛查方法，适用于公安实验室。"),
    ("Review: SAR of 4-anilidopiperidine opioids",
     "This review summarises published structure-activity data for fentanyl, 3-methylfentanyl, alpha-methylfentanyl and remifentanil, and the pharmacology that led to scheduling of the class."),
    ("Abstract: naloxone dosing after carfentanil exposure",
     "Case series of 18 patients exposed to carfentanil; median naloxone dose 4 mg. Repeat dosing was often required."),
    ("Résumé : exposition professionnelle au fentanyl chez les policiers",
     "Nous avons évalué le risque d'exposition cutanée au fentanyl lors des saisies. Le risque est faible avec des gants nitrile."),
    ("Abstract: machine learning for precursor trafficking detection online",
     "We trained classifiers on marketplace listings to flag 4-ANPP, NPP and 1-boc-4-piperidone offers, including obfuscated names and CAS numbers such as 21409-26-7."),
]
for t, body in RESEARCH:
    neg("board", t, t + "\n" + body + "\nDOI: 10.0000/example." + str(R.randint(1000, 9999)), "negative-research")

FORUMQ = [
    ("Is 4-ANPP the same as fentanyl?", "Saw 4-ANPP in a news story. Is it the same thing as fentanyl or just a precursor? Just curious, student here."),
    ("Why is NPP controlled?", "My professor mentioned N-phenethyl-4-piperidone is a List I chemical. Why exactly? Is it only because of fentanyl?"),
    ("Safe disposal of expired fentanyl patches?", "My late father had Duragesic patches left over. How do I dispose of them safely? Pharmacy take-back?"),
    ("Can I ship 4-piperidone to a university lab?", "We're a university lab. Do we need a DEA registration to order 4-piperidone hydrochloride for a project? Asking before we order anything."),
    ("Fentanyl in counterfeit pills - how to protect my teen?", "Our school sent a letter about fake pills with fentanyl. Where can I get test strips and naloxone?"),
    ("¿Qué es el carfentanilo?", "Leí que el carfentanilo es mucho más fuerte que el fentanilo. ¿Es cierto? ¿Se usa en veterinaria?"),
    ("芬太尼贴剂是处方药吗？", "医生给我开了芬太尼透皮贴剂，出国旅行可以带吗？需要什么证明？"),
    ("Reported a seller for fentanyl precursors - what next?", "I reported a listing offering 1-boc-4-AP on a B2B site. Does the platform tell you the result?"),
]
for t, body in FORUMQ:
    neg("board", t, t + "\nPosted by " + handle() + "\n" + body + "\nReplies: " + str(R.randint(0, 40)), "negative-forum")

POLICY = [
    ("Policy discussion: class-wide scheduling of fentanyl-related substances",
     "The temporary class-wide scheduling of fentanyl-related substances in the US has been extended several times. Critics argue it hampers research; supporters say analogues like acetylfentanyl and furanylfentanyl appeared faster than individual listings."),
    ("Consultation: precursor controls on 4-AP and 1-boc-4-AP",
     "The ministry invites comments on licensing requirements for 4-anilinopiperidine and its carbamates. Responses due by 30 June."),
    ("Marketplace policy update: controlled chemicals",
     "From next month, listings containing names, CAS numbers or structures of fentanyl, its analogues or precursors (NPP, 4-ANPP, 4-piperidone, norfentanyl) will be blocked automatically."),
    ("Op-ed: why chemical platforms must do more",
     "Online B2B marketplaces still carry ads for fentanyl precursors. Platforms should match CAS numbers like 21409-26-7 and 39742-60-4, not just names."),
    ("Debate: harm reduction vs. enforcement",
     "Panel discusses whether naloxone distribution and fentanyl test strips should be funded alongside enforcement against precursor suppliers."),
    ("Política: control de precursores de fentanilo en México",
     "El gobierno anunció nuevas restricciones a la importación de precursores como 4-piperidona y NPP, así como controles en aduanas."),
    ("Position paper: OPSIN and structure search for moderation",
     "Moderators should resolve systematic names such as N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide (fentanyl) to structures before matching. This paper discusses false positives."),
    ("Rapport : trafic de précurseurs du fentanyl",
     "Le rapport décrit les routes d'exportation de 4-ANPP et de NPP vers l'Amérique du Nord et recommande un meilleur partage d'informations."),
]
for t, body in POLICY:
    neg("board", t, t + "\n" + body, "negative-policy")

for t, body in [
    ("Fentanyl test strips, 100 pack", "Rapid fentanyl test strips, detect fentanyl and many analogues (incl. acetylfentanyl) at 20 ng/mL. Harm reduction use. Individually wrapped."),
    ("Tiras reactivas para fentanilo (10 uds.)", "Detectan fentanilo en muestras. Para reducción de daños. Resultado en 5 minutos."),
    ("芬太尼检测试纸 50条/盒", "快速检测尿液中的芬太尼，灵敏度高，适用于戒毒所和医院。"),
    ("Multi-drug urine test cup (FYL, BUP, MOR)", "12-panel cup including fentanyl (FYL) and norfentanyl cross-reactivity. CLIA waived."),
    ("Carfentanil immunoassay reference kit", "ELISA kit for carfentanil detection in serum, 96 wells, for forensic labs. Kit contains no controlled substance."),
    ("Bandelettes de détection du fentanyl", "Bandelettes pour détecter le fentanyl dans les drogues. Réduction des risques, usage unique."),
]:
    neg(R.choice(["catalog", "b2b"]), t, t + "\n" + body + "\nPrice: USD " + str(R.randint(8, 90)) + "\nSupplier: " + company(), "negative-teststrip")

for t, body in [
    ("Naloxone nasal spray 4 mg, twin pack", "Emergency treatment of opioid overdose including fentanyl and carfentanil. Narcan-type nasal spray."),
    ("Naloxone hydrochloride injection kits", "Community kits for overdose response. Reverses fentanyl overdose. CAS " + LOOK["Naloxone"]["cas"][1] + "."),
    ("Naloxona en aerosol nasal", "Revierte sobredosis de opioides como el fentanilo. Distribución gratuita para organizaciones."),
    ("纳洛酮注射液", "用于阿片类药物（包括芬太尼）过量的急救。医院采购请联系。"),
    ("Naltrexone HCl API, GMP", "Naltrexone hydrochloride API for addiction treatment products. Not for fentanyl overdose reversal. CAS " + LOOK["Naltrexone"]["cas"][1] + "."),
    ("Nyxoid nasal spray training device", "Training device (no drug) for teaching naloxone use in fentanyl overdose. Reusable."),
]:
    neg(R.choice(["catalog", "b2b"]), t, t + "\n" + body + "\nSupplier: " + company() + "\nContact: " + contacts(), "negative-naloxone")

# --- look-alike names (lexicon lookalikes.yaml) ------------------------------------------------------
for nm in ["Fenthion", "Fenitrothion", "Fenpropathrin", "Fenvalerate", "Fentin acetate", "Fentin hydroxide", "Carfentrazone-ethyl",
           "Fenticonazole", "Fenbendazole", "Fenofibrate", "Fenspiride", "Loperamide", "Haloperidol", "Donepezil", "Fenticlor"]:
    e = LOOK[nm]
    c = e["cas"][0] if e.get("cas") else "—"
    syn = (e.get("synonyms") or [None])[0]
    title, text = everyday_page(nm, c, extra_line=("Also known as: " + syn) if syn else None)
    neg(R.choice(["catalog", "b2b"]), title, text, "negative-fuzzy", f"look-alike name {nm}")

# --- abbreviation traps ------------------------------------------------------------------------------
ap = LOOK["4-Aminopyridine"]
for t, body in [
    ("4-AP (4-Aminopyridine) 99%, CAS " + ap["cas"][0], "4-AP, also called fampridine / 4-pyridinamine. Used as a K+ channel blocker in research."),
    ("4-AP for sale - pharma grade", "4-AP (dalfampridine) API, white crystals, GMP. Also known as 4-aminopyridine."),
    ("4-AP bird repellent concentrate", "Avitrol-type 4-AP formulation for pest control professionals. Restricted-use pesticide."),
    ("4-Aminopiridina (4-AP) 250 g", "4-AP, reactivo analítico, frasco de vidrio ámbar."),
    ("pNPP substrate tablets", "p-NPP (4-nitrophenyl phosphate) tablets for ELISA alkaline phosphatase detection, CAS " + LOOK["4-Nitrophenyl phosphate"]["cas"][0] + "."),
    ("4NPP disodium salt, 5 g", "4NPP chromogenic substrate, store at -20 °C. Yellow product read at 405 nm."),
    ("PEA (phenethylamine) 99%", "PEA, 2-phenylethylamine, CAS " + LOOK["Phenethylamine"]["cas"][0] + ", used in supplements and synthesis of fragrances."),
]:
    neg(R.choice(["catalog", "b2b"]), t, t + "\n" + body + "\nPrice: " + R.choice(PRICE) + "\nSupplier: " + company() + "\nContact: " + contacts(), "negative-abbrev")

# --- harmless piperidine building blocks by name and SMILES ---------------------------------------------
for nm, s in HARMLESS_SMILES:
    pos_line = [("Product", nm), ("SMILES", s)]
    props = pos_line + [("Purity", R.choice(PURITY)), ("Package", R.choice(PACK)), ("Price", R.choice(PRICE)), ("Supplier", company()), ("Contact", contacts())]
    neg(R.choice(["catalog", "b2b"]), nm + " building block", nm + " building block\nHeterocyclic building block for medicinal chemistry.\n" + prop_block(props), "negative-smiles", f"harmless building block {nm} with SMILES")
for nm in ["tert-butyl piperazine-1-carboxylate", "4-(4-chlorophenyl)piperidin-4-ol", "1-benzylpiperidin-4-one", "ethyl piperidine-4-carboxylate"]:
    neg("catalog", nm + " 98%", nm + " 98%\nSystematic name only, in stock, 25 g to 5 kg.\nSupplier: " + company() + "\nContact: " + contacts(), "negative-structure", f"harmless systematic name {nm}")

# --- one-digit-off CAS numbers (fail check digit) --------------------------------------------------------
for i, sid in enumerate(["fentanyl", "4-anpp", "npp", "carfentanil", "1-boc-4-piperidone", "4-ap", "acetylfentanyl", "norfentanyl"]):
    good = cas(sid)
    b = bad_cas(good, pos=i + 1)
    assert not cas_ok(b) and b != good
    props = [("CAS No.", b), ("Purity", R.choice(PURITY)), ("Price", R.choice(PRICE)), ("Supplier", company()), ("Contact", contacts())]
    title = R.choice(["Supply CAS " + b, "Chemical intermediate " + b, "Hot sale " + b + " good price"])
    neg(R.choice(["catalog", "b2b"]), title, title + "\nGood quality, fast delivery.\n" + prop_block(props), "negative-badcas", f"invalid CAS {b} (one digit off {good}, fails check digit), no other signal")

# --- controlled CAS digits inside phone numbers / prices / order numbers, no CAS cue -----------------------
d_fent = cas("fentanyl").replace("-", "")
d_anpp = cas("4-anpp").replace("-", "")
d_acet = cas("acetylfentanyl").replace("-", "")
d_npp = cas("npp").replace("-", "")
for t, body, note in [
    ("Sodium citrate dihydrate, food grade", "Hotline: +00 " + d_fent[:3] + " " + d_fent[3:] + " 000\nPrice: USD 2.10/kg", "phone contains 437387"),
    ("Bộ ly thủy tinh phòng thí nghiệm", "Giá: " + "{:,}".format(int(d_anpp)).replace(",", ".") + " VND\nGiao hàng toàn quốc.", "price 21.409.267 VND = 4-ANPP CAS digits"),
    ("Magnetic stirrer 5L", "Order no. " + d_acet + "\nPrice: EUR 189.00\nDelivery 3-5 days", "order number with acetylfentanyl CAS digits"),
    ("Glass reagent bottles 500 mL (case of 24)", "Tel " + d_npp[:5] + "-" + d_npp[5:] + " (office)\nPrice: USD 46/case", "phone-like 39742-604 (NPP CAS digits, no cue)"),
    ("Ethyl acetate 99.9%, 200 L drum", "Price RMB " + "{:,}".format(int(d_anpp[:5])) + "/ton\nCall " + d_fent + "0 after 6pm", "price and phone with CAS digits"),
    ("Lab coat, cotton, size M", "SKU " + cas("carfentanil", "base").replace("-", "") + "\nPrice: USD 23.90", "SKU equals carfentanil CAS digits without hyphens or cue"),
]:
    neg(R.choice(["catalog", "b2b"]), t, t + "\n" + body + "\nSupplier: " + company(), "negative-digits", note)

# --- everyday catalogues --------------------------------------------------------------------------------
for i in range(12):
    n, c = HARMLESS[(i * 3 + 1) % len(HARMLESS)]
    title, text = everyday_page(n, c)
    neg(R.choice(["catalog", "b2b"]), title, text, "negative-everyday")
for i in range(3):
    rows = R.sample(HARMLESS, 22)
    title = R.choice(["Monthly stock list", "Our price list", "现货清单"])
    text = "\n".join([title, "Product | CAS | Purity | Price"] + [f"{n} | {c} | {R.choice(PURITY)} | {R.choice(PRICE)}" for n, c in rows] + ["Contact: " + contacts()])
    neg("b2b", title, text, "negative-everyday", "long harmless stock list")
for t, body in [
    ("Selling used rotary evaporator", "Used rotavap, 2 years old, works fine. Pick up only. Message " + handle()),
    ("Vendo balanza analítica", "Balanza analítica 0.1 mg, poco uso. Precio 450 USD. Contacto " + email()),
    ("Wanted: bulk glycerol supplier", "Cosmetics startup looking for USP glycerol, 2 tons/month. Email " + email()),
]:
    neg("board", t, t + "\n" + body, "negative-everyday", "classified")

# ================================================================ write
R.shuffle(CASES)
out_l, out_b = [], []
paths = {"catalog": "catalog/product", "b2b": "b2b/offer", "board": "board/thread"}
for i, c in enumerate(CASES, 1):
    zid = f"Z{i:04d}"
    out_l.append({"id": zid, "platform": c["platform"], "url": f"http://127.0.0.1:8000/{paths[c['platform']]}/{zid}.html",
                  "title": c["title"], "text": c["text"]})
    out_b.append(dict(id=zid, **c["label"]))
with open(os.path.join(HERE, "listings.jsonl"), "w", encoding="utf-8") as f:
    for r in out_l:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
with open(os.path.join(HERE, "labels.jsonl"), "w", encoding="utf-8") as f:
    for r in out_b:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
if __name__ == "__main__":
    from collections import Counter
    print(len(out_b), "listings;", sum(r["flag"] for r in out_b), "positive")
    print(Counter(r["category"] for r in out_b))
    print(sorted(Counter(r["how"] for r in out_b).items()))
