"""Chinese systematic names: translated morpheme by morpheme (detect/zh_names.py), read by the real OPSIN, identified
by RDKit's InChIKey against the lexicon; and through the real engine, where the hit shows the Chinese as written."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detect import Detector, structure
from detect.engine import default_detector
from detect.config import load_settings
from detect.normalize import normalize
from detect.opsin import shared_opsin
from detect.zh_names import load_table, translate, zh_candidates
from lexicon import load_lexicon

LEX = load_lexicon()

# Chinese names as written in a public source (the source ids are those of detect/data/zh_morphemes.yaml, or the
# lexicon's own zh names): (Chinese name, lexicon id, what it shows)
AS_WRITTEN = [
    ("N-[1-(2-苯乙基)-4-哌啶基]-N-苯基丙酰胺", "fentanyl", "Z7: the 2019 class announcement's name for fentanyl"),
    ("N-[1-(2-苯乙基)-4-呱啶基]-N-苯基丙酰胺", "fentanyl", "Z7: the Hong Kong copy writes 呱啶 for 哌啶"),
    ("N-〔l-(2-苯乙基)-4-哌啶基〕-N-苯基丙酰胺", "fentanyl", "Z10: tortoise-shell brackets and an l for the locant 1"),
    ("N-(l-(2-苯乙基)-4-哌啶基)-N-苯基丙酰胺", "fentanyl", "Z9: round brackets only, l for 1"),
    ("N-{4-甲氧甲基-1-[2-(2-噻吩)乙基]-4-哌啶基}-N-苯基丙酰胺枸櫞酸鹽", "sufentanil",
     "Z6: traditional characters, 基 left out after 噻吩, the citrate"),
    ("4-苯胺基-N-苯乙基哌啶", "4-anpp", "lexicon zh name: N- locant on the ring, 苯胺基 anilino"),
    ("N-苯乙基-4-哌啶酮", "npp", "lexicon zh name: 哌啶酮 piperidinone"),
    ("哌啶-4-酮鹽酸鹽", "4-piperidone", "Z4: CCS 2017 locant before the suffix, the hydrochloride"),
    ("4-哌啶酮一水合物鹽酸鹽", "4-piperidone", "Z4: the hydrochloride monohydrate"),
]

# Chinese names composed by the CCS 2017 rules (Z1, Z2) from each lexicon substance's English systematic name: one
# per fentanyl and precursor in the lexicon, the expected structure being the lexicon's (sourced) InChIKey.
COMPOSED = [
    ("4-(苯氨基)哌啶-1-甲酸叔丁酯", "1-boc-4-ap"),
    ("4-氧代哌啶-1-甲酸叔丁酯", "1-boc-4-piperidone"),
    ("N-(2-氟苯基)-N-{1-[2-(2-氟苯基)乙基]哌啶-4-基}丙酰胺", "2-prime-fluoro-ortho-fluorofentanyl"),
    ("N-[3-甲基-1-(2-苯乙基)哌啶-4-基]-N-苯基丙酰胺", "3-methylfentanyl"),
    ("N-{3-甲基-1-[2-(噻吩-2-基)乙基]哌啶-4-基}-N-苯基丙酰胺", "3-methylthiofentanyl"),
    ("N-苯基-1-(2-苯乙基)哌啶-4-胺", "4-anpp"),
    ("N-苯基哌啶-4-胺", "4-ap"),
    ("N-(4-氟苯基)-2-甲基-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺", "4-fluoroisobutyrylfentanyl"),
    ("哌啶-4-酮", "4-piperidone"),
    ("N-苯基-N-[1-(1-苯基丙-2-基)哌啶-4-基]乙酰胺", "acetyl-alpha-methylfentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]乙酰胺", "acetylfentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丙-2-烯酰胺", "acryloylfentanyl"),
    ("N-{1-[2-(4-乙基-5-氧代-4,5-二氢-1H-四唑-1-基)乙基]-4-(甲氧甲基)哌啶-4-基}-N-苯基丙酰胺", "alfentanil"),
    ("N-苯基-N-[1-(1-苯基丙-2-基)哌啶-4-基]丙酰胺", "alpha-methylfentanyl"),
    ("N-苯基-N-{1-[1-(噻吩-2-基)丙-2-基]哌啶-4-基}丙酰胺", "alpha-methylthiofentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]苯甲酰胺", "benzoylfentanyl"),
    ("N-[1-(2-羟基-2-苯乙基)-3-甲基哌啶-4-基]-N-苯基丙酰胺", "beta-hydroxy-3-methylfentanyl"),
    ("N-[1-(2-羟基-2-苯乙基)哌啶-4-基]-N-苯基丙酰胺", "beta-hydroxyfentanyl"),
    ("N-{1-[2-羟基-2-(噻吩-2-基)乙基]哌啶-4-基}-N-苯基丙酰胺", "beta-hydroxythiofentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丁酰胺", "butyrylfentanyl"),
    ("1-(2-苯乙基)-4-[苯基(丙酰基)氨基]哌啶-4-甲酸甲酯", "carfentanil"),
    ("(E)-N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丁-2-烯酰胺", "crotonylfentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]环戊烷甲酰胺", "cyclopentylfentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]环丙烷甲酰胺", "cyclopropylfentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺", "fentanyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]呋喃-2-甲酰胺", "furanylfentanyl"),
    ("2-甲基-N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺", "isobutyrylfentanyl"),
    ("3-甲基-1-(2-苯乙基)-4-[苯基(丙酰基)氨基]哌啶-4-甲酸甲酯", "lofentanil"),  # the lexicon's key has no stereo
    ("2-甲氧基-N-苯基-N-[1-(2-苯乙基)哌啶-4-基]乙酰胺", "methoxyacetylfentanyl"),
    ("N-苯基-N-(哌啶-4-基)丙酰胺", "norfentanyl"),
    ("1-(2-苯乙基)哌啶-4-酮", "npp"),
    ("N-(2-氟苯基)-2-甲氧基-N-[1-(2-苯乙基)哌啶-4-基]乙酰胺", "ocfentanil"),
    ("N-(2-氟苯基)-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺", "ortho-fluorofentanyl"),
    ("N-(4-氯苯基)-2-甲基-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺", "para-chloroisobutyrylfentanyl"),
    ("N-(4-氟苯基)-N-[1-(2-苯乙基)哌啶-4-基]丁酰胺", "para-fluorobutyrylfentanyl"),
    ("N-(4-氟苯基)-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺", "para-fluorofentanyl"),
    ("N-(4-甲氧基苯基)-N-[1-(2-苯乙基)哌啶-4-基]丁酰胺", "para-methoxybutyrylfentanyl"),
    ("1-(3-甲氧基-3-氧代丙基)-4-[苯基(丙酰基)氨基]哌啶-4-甲酸甲酯", "remifentanil"),
    ("N-{4-(甲氧甲基)-1-[2-(噻吩-2-基)乙基]哌啶-4-基}-N-苯基丙酰胺", "sufentanil"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]四氢呋喃-2-甲酰胺", "tetrahydrofuranylfentanyl"),
    ("N-苯基-N-{1-[2-(噻吩-2-基)乙基]哌啶-4-基}丙酰胺", "thiofentanyl"),
    # composed from morphemes already in the table (甲氧基 Z6, 乙酰基 Z3, 苯基, 氨基 Z3, 噻吩 Z6, 甲酸甲酯 as for carfentanil):
    # methyl 4-[(2-methoxyacetyl)(phenyl)amino]-1-[2-(thiophen-2-yl)ethyl]piperidine-4-carboxylate
    ("4-[(2-甲氧基乙酰基)(苯基)氨基]-1-[2-(噻吩-2-基)乙基]哌啶-4-甲酸甲酯", "thiafentanil"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]戊酰胺", "valerylfentanyl"),
]

# The same names in the other ways sellers write them: 1980-style locants (4-哌啶基, 2-噻吩基), full-width brackets
# and digits, salts: (Chinese name, lexicon id, what it shows)
WRITTEN_OTHERWISE = [
    ("N-苯基-N-［1-（2-苯乙基）哌啶-4-基］丙酰胺", "fentanyl", "full-width brackets"),
    ("N－苯基－N－［１－（２－苯乙基）哌啶－４－基］丙酰胺", "fentanyl", "full-width digits, letters and hyphens too"),
    ("N-苯基-N-[1-(2-苯乙基)-4-哌啶基]呋喃-2-甲酰胺", "furanylfentanyl", "1980 style 4-哌啶基"),
    ("N-苯基-N-{1-[2-(2-噻吩基)乙基]-4-哌啶基}丙酰胺", "thiofentanyl", "2-噻吩基 thienyl"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺盐酸盐", "fentanyl", "the hydrochloride: the parent is identified"),
    ("N-苯基-N-[1-(2-苯乙基)哌啶-4-基]丙烯酰胺", "acryloylfentanyl", "丙烯酰胺 acrylamide"),
    ("1-叔丁氧羰基-4-哌啶酮", "1-boc-4-piperidone", "叔丁氧羰基 as a prefix (Z5)"),
    ("１－叔丁氧羰基－４－哌啶酮", "1-boc-4-piperidone", "the same in full-width characters"),
    ("N-(1-苯乙基-4-哌啶基)-N-苯基丙酰胺", "fentanyl", "1-苯乙基 on the ring is 1-phenethyl, not 1-phenylethyl"),
    ("N-苯基-N-(1-苯乙基哌啶-4-基)丙酰胺", "fentanyl", "the same in CCS 2017 order"),
    ("N-(1-苯乙基-4-哌啶基)丙酰苯胺", "fentanyl", "the propionanilide form (丙酰苯胺)"),
    ("N-(1-苯乙基-4-哌啶基)乙酰苯胺", "acetylfentanyl", "乙酰苯胺 acetanilide"),
    ("N-(1-苯乙基-4-哌啶基)异丁酰苯胺", "isobutyrylfentanyl", "异丁酰苯胺 isobutyranilide"),
    ("N-(1-苯乙基-4-哌啶基)戊酰苯胺", "valerylfentanyl", "戊酰苯胺"),
    ("4-苯胺基-1-苯乙基哌啶", "4-anpp", "1-苯乙基 on the ring"),
    ("N-苯基-N-[1-(2-苯乙基)-4-哌啶基]-2-呋喃甲酰胺", "furanylfentanyl", "1980 style 2-呋喃甲酰胺"),
    ("N-[1-(2-苯乙基)-4-哌啶基]-N-苯基-2-四氢呋喃甲酰胺", "tetrahydrofuranylfentanyl", "1980 style, 四氢"),
    ("N-(邻氟苯基)-N-[1-(2-苯乙基)-4-哌啶基]丙酰胺", "ortho-fluorofentanyl", "邻 ortho"),
    ("N-(对氟苯基)-N-[1-(2-苯乙基)-4-哌啶基]丙酰胺", "para-fluorofentanyl", "对 para"),
    ("N-[1-(2-苯乙基)-4-哌啶基]-N-苯基异丁酰胺", "isobutyrylfentanyl", "异丁酰胺 isobutyramide"),
    ("N-(3-甲基-1-苯乙基-4-哌啶基)-N-苯基丙酰胺", "3-methylfentanyl", "ring locants without brackets"),
]

# Ordinary piperidine chemicals: they resolve to their own structure and are not flagged.
# (Chinese name, InChIKey from the cited page, source)
NEGATIVES = [
    ("3-羟基-4-氧代哌啶-1-甲酸叔丁酯", "QDLQOXCJAGFXNE-UHFFFAOYSA-N",
     "benchchem B1442411: tert-butyl 3-hydroxy-4-oxopiperidine-1-carboxylate"),
    ("3,3-二甲基-4-氧代哌啶-1-甲酸叔丁酯", "MXCAGVCUIHYAGH-UHFFFAOYSA-N",
     "benchchem B1289224: tert-butyl 3,3-dimethyl-4-oxopiperidine-1-carboxylate"),
]

# The lexicon's harmless look-alikes (lexicon/lookalikes.yaml, structures sourced there), by Chinese systematic names
# composed by the CCS 2017 rules: (Chinese name, look-alike name)
LOOKALIKES = [
    ("1-苄基哌啶-4-酮", "1-Benzyl-4-piperidone"),
    ("哌啶-4-醇", "4-Hydroxypiperidine"),
    ("4-[4-(4-氯苯基)-4-羟基哌啶-1-基]-N,N-二甲基-2,2-二苯基丁酰胺", "Loperamide"),
    ("4-[4-(4-氯苯基)-4-羟基哌啶-1-基]-1-(4-氟苯基)丁-1-酮", "Haloperidol"),
]

# Ordinary piperidine chemicals whose English name a source gives beside the Chinese (or by the rules Z1-Z3):
# translation and the English name must give the same structure, and the listing is not flagged.
NEGATIVES_BY_NAME = [
    ("2,2,6,6-四甲基哌啶-4-醇", "2,2,6,6-tetramethylpiperidin-4-ol", "Z11"),
    ("2,2,6,6-四甲基哌啶-4-酮", "2,2,6,6-tetramethylpiperidin-4-one", "Z11 (triacetonamine)"),
    ("1-芐基-4-哌啶酮", "1-benzyl-4-piperidone", "Z4"),
    ("1-叔丁氧羰基哌啶-2-羧酸", "1-(tert-butoxycarbonyl)-2-piperidinecarboxylic acid", "Z5 (without the stereo)"),
    ("哌啶-4-甲酸乙酯", "ethyl piperidine-4-carboxylate", "Z3 ester order"),
]

# Names that are not in the piperidine family translate too (the rules are general), checked against the English
# name the source pairs them with
GENERAL = [
    ("3-氯-4-甲基戊-2-醇", "3-chloro-4-methylpentan-2-ol", "Z2"),
    ("戊-3-烯-2-酮", "pent-3-en-2-one", "Z2"),
    ("2,3-二氯-4-甲基戊烷", "2,3-dichloro-4-methylpentane", "Z2"),
]


HELDOUT = [line.rstrip("\n").split("\t") for line in
           open(Path(__file__).parent / "data" / "zh_names" / "heldout.tsv", encoding="utf-8")
           if line.strip() and not line.startswith("#")]


def expected_key(spec):
    kind, value = spec.split(":", 1)
    if kind == "smiles":
        return structure.parse_smiles(value)[0].inchikey
    return key_of(value)


def key_of(english):
    smi = shared_opsin().convert([english])[0]
    assert smi, f"OPSIN could not read '{english}'"
    st, _ = structure.parse_smiles(smi)
    return st.inchikey


@pytest.fixture(scope="module")
def det():
    return default_detector()


@pytest.mark.parametrize("zh,sid,what", AS_WRITTEN + [(z, s, "composed by CCS 2017 rules") for z, s in COMPOSED]
                         + WRITTEN_OTHERWISE)
def test_chinese_name_resolves_to_the_lexicon_structure(zh, sid, what):
    name = normalize(zh).norm.text  # the engine reads the normalized view (full-width folded)
    english = translate(name)
    assert english, f"untranslated: {zh} ({what})"
    assert key_of(english) == LEX.by_id[sid].inchikey, f"{zh} -> {english} ({what})"


NOT_YET_COMPOSED: set[str] = set()  # thiafentanil was the last one (composed in session 4)


def individually_listed(substance) -> bool:
    """Named by a control instrument itself, not only a member of a class read from its structure by our rules
    (the analogs added from forensic libraries carry only such class rows)."""
    return any("as read from the structure" not in c.instrument for c in substance.control)


def test_every_individually_listed_fentanyl_and_precursor_has_a_composed_chinese_name():
    listed = {s.id for s in LEX.substances if individually_listed(s)}
    assert len(listed) >= 42
    assert listed - {sid for _, sid in COMPOSED} <= NOT_YET_COMPOSED


@pytest.mark.parametrize("zh,key,source", NEGATIVES)
def test_ordinary_piperidine_chemical_resolves_to_its_own_structure(det, zh, key, source):
    assert key_of(translate(zh)) == key, source
    r = det.scan({"id": "n", "title": f"{zh} 现货", "text": "纯度：98%\n包装：25kg/桶\n价格：电议\n电话：+00 000 0000"})
    assert not r.flagged and not r.hits, (zh, r.hits)


@pytest.mark.parametrize("zh,name", LOOKALIKES)
def test_lookalike_resolves_to_its_own_structure_and_is_not_flagged(det, zh, name):
    la = next(x for x in LEX.lookalikes if x.name == name)
    assert key_of(translate(zh)) == la.inchikey
    r = det.scan({"id": "n", "title": f"{zh} 现货", "text": "纯度：99%\n包装：1kg/袋\n价格：电议"})
    assert not r.flagged and not r.hits, (zh, r.hits)


@pytest.mark.parametrize("zh,english,source", NEGATIVES_BY_NAME)
def test_ordinary_piperidine_chemical_matches_its_english_name(det, zh, english, source):
    assert key_of(translate(zh)) == key_of(english), source
    r = det.scan({"id": "n", "title": f"{zh} 现货", "text": "纯度：98%\n包装：25kg/桶\n价格：电议"})
    assert not r.flagged and not r.hits, (zh, r.hits)


def test_ethyl_carbamate_of_4_piperidone_is_a_regulated_us_class_member_and_not_a_chinese_matter(det):
    # N-ethoxycarbonyl-4-piperidone (Z4) is a carbamate of 4-piperidone: US List I by the class wording (88 FR 21902),
    # named by no list, so a hit of severity "regulated" (issue 15); China does not list it
    zh = "N-乙氧羰基-4-哌啶酮"
    assert key_of(translate(zh)) == key_of("ethyl 4-oxopiperidine-1-carboxylate")
    listing = {"id": "n", "title": f"{zh} 现货", "text": "纯度：98%\n包装：25kg/桶\n价格：电议"}
    hit = det.scan(listing).hits[0]
    assert hit.rules == ["US-ListI-4piperidone(carbamate)"] and hit.severity == "regulated"
    base = load_settings()
    cn_only = Detector(settings={**base, "legal": {**base["legal"], "jurisdictions": ["CN"]}})
    assert not cn_only.scan(listing).flagged


@pytest.mark.parametrize("zh,english,source", GENERAL)
def test_general_names_translate_like_their_source_pairs(zh, english, source):
    assert key_of(translate(zh)) == key_of(english), source


def test_bracketed_1_phenylethyl_is_the_branched_group_not_fentanyl():
    # "(1-苯乙基)" is the 1-phenylethyl group (a locant of its own), as "(1-phenylethyl)" is in English
    english = translate("N-[1-(1-苯乙基)-4-哌啶基]-N-苯基丙酰胺")
    assert key_of(english) == key_of("N-phenyl-N-[1-(1-phenylethyl)piperidin-4-yl]propanamide")
    assert key_of(english) != LEX.by_id["fentanyl"].inchikey


@pytest.mark.parametrize("text", [
    "供应N-(4-锇苯基)-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺",  # 锇 (osmium) stands for a morpheme not in the table
    "供应N-苯基-N-[1-(2-苯乙基)哌啶-4-基]锇酰胺",
    "供应N-苯基-N-[1-(2-锇乙基)哌啶-4-基]丙酰胺",
    "供应N-苯基-N-(1-锇乙基哌啶-4-基)丙酰胺",
])
def test_a_name_cut_by_an_unknown_morpheme_is_not_read_as_another_compound(det, text):
    # the part around the anchor is not a whole name: no structure is claimed for it
    r = det.scan({"id": "x", "title": "", "text": text})
    assert not any(h.method in ("iupac", "class-rule") for h in r.hits), r.hits


def test_listing_hit_shows_the_chinese_as_written_with_offsets(det):
    zh = "N-苯基-N-[1-(2-苯乙基)哌啶-4-基]环丙烷甲酰胺"
    title = f"现货供应{zh}，纯度99%"
    r = det.scan({"id": "l", "title": title, "text": "包装：1kg/袋\n价格：电议\n邮箱：sales@example.com"})
    hit = next(h for h in r.hits if h.substance_id == "cyclopropylfentanyl")
    assert r.flagged
    assert hit.method == "iupac"
    assert hit.matched == zh and title[hit.start:hit.end] == zh
    assert "read as 'N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]cyclopropanecarboxamide'" in hit.note


def test_brackets_around_a_whole_name_are_not_part_of_it(det):
    text = "与芬太尼（N-[1-(2-苯乙基)-4-哌啶基]-N-苯基丙酰胺）结构相近的N-苯基-N-[1-(2-苯乙基)哌啶-4-基]戊酰胺现货"
    names = {text[a:b] for _, a, b in zh_candidates(normalize(text).norm.text)}
    assert "N-[1-(2-苯乙基)-4-哌啶基]-N-苯基丙酰胺" in names
    r = det.scan({"id": "b", "title": "", "text": text})
    assert {h.matched for h in r.hits if h.method == "iupac"} == {
        "N-[1-(2-苯乙基)-4-哌啶基]-N-苯基丙酰胺", "N-苯基-N-[1-(2-苯乙基)哌啶-4-基]戊酰胺"}


def test_full_width_name_keeps_original_offsets(det):
    zh = "N－苯基－N－［１－（２－苯乙基）哌啶－４－基］丙酰胺"
    text = f"【品名】{zh}\n【含量】99%\n【价格】面议"
    r = det.scan({"id": "f", "title": "", "text": text})
    full = "\n" + text
    hit = next(h for h in r.hits if h.substance_id == "fentanyl")
    assert full[hit.start:hit.end] == zh


@pytest.mark.parametrize("zh", [
    "N-苯基-N-[1-(2-苯乙基)哌啶-4-基]环丁烷甲酰胺",  # another acyl ring
    "N-(4-氟苯基)-N-[1-(2-苯乙基)哌啶-4-基]呋喃-2-甲酰胺",  # ring substituent and furanyl acyl together
    "N-苯基-N-[1-(2-苯乙基)哌啶-4-基]己酰胺",  # a longer acyl chain
    "N-苯基-N-{1-[2-(噻吩-2-基)乙基]哌啶-4-基}呋喃-2-甲酰胺",  # thienyl ethyl with a furanyl acyl
    "N-(2-甲氧基苯基)-N-[1-(2-苯乙基)哌啶-4-基]丙酰胺",  # an ortho-methoxy aniline ring
])
def test_new_analogs_by_chinese_name_meet_the_class_definition(det, zh):
    r = det.scan({"id": "u", "title": f"{zh} 现货", "text": "纯度：99%\n价格：电议"})
    hit = next(h for h in r.hits if h.matched == zh)
    # unlisted: a class-rule hit; listed since (the lexicon grew from the forensic libraries): the lexicon's entry
    assert r.flagged and (hit.method, hit.substance_id is None) in {("class-rule", True), ("iupac", False)}
    assert any(rule.startswith("CN-2019") for rule in hit.rules), hit.rules


def test_unlisted_analog_in_chinese_is_caught_by_the_class_rules(det):
    # a 3-fluoro methoxyacetyl combination that the lexicon does not list: the structure meets the 2019 class
    zh = "N-(3-氟苯基)-2-甲氧基-N-[1-(2-苯乙基)哌啶-4-基]乙酰胺"
    r = det.scan({"id": "u", "title": f"{zh} 99%", "text": "包装：10g\n价格：电议"})
    assert r.flagged
    hit = next(h for h in r.hits if h.method == "class-rule")
    assert hit.matched == zh and hit.substance_id is None and hit.rules


def test_name_in_running_text_with_prose_morphemes_before_it(det):
    # "一" (one) and "对" (towards/para) are morphemes and ordinary words: the name is still found
    text = "本公司对外一直供应N-苯基-N-[1-(2-苯乙基)哌啶-4-基]乙酰胺，量大从优。"
    r = det.scan({"id": "p", "title": "", "text": text})
    assert any(h.substance_id == "acetylfentanyl" and h.method == "iupac" for h in r.hits)


@pytest.mark.parametrize("text", [
    "本店供应各种化工原料，纯度高，价格优惠，欢迎来电咨询。",  # no anchor at all
    "Piperidine 99%, 25 kg drums",  # ASCII: the Chinese path is not entered
])
def test_text_without_an_anchor_gives_no_candidate(text):
    assert zh_candidates(text) == []


def test_anchor_in_prose_reads_as_the_parent_and_is_not_flagged(det):
    text = "哌啶类化合物是重要的医药中间体，本公司供应多种产品。"
    assert [c[0] for c in zh_candidates(text)] == ["piperidine"]
    r = det.scan({"id": "a", "title": "", "text": text})
    assert not r.flagged and not r.hits


def test_table_rows_cite_known_sources_and_fold_one_to_one():
    table = load_table()
    assert all(m.source in table.sources for m in table.morphemes.values())
    assert all(len(v) == 1 for v in table.folds.values())
    assert "哌啶" in table.anchors


def test_candidates_are_capped():
    text = "，".join(["N-苯乙基-4-哌啶酮"] * 100)
    assert len(zh_candidates(text, limit=20)) == 20


@pytest.mark.parametrize("zh,spec,kind,source", HELDOUT)
def test_held_out_name_is_never_read_as_another_structure(det, zh, spec, kind, source):
    # the held-out set is not used for tuning: here only that a name the translator does read is read right, and
    # that an ordinary chemical is not flagged (bench/zh_names.py reports how many are read at all)
    english = translate(normalize(zh).norm.text)
    smi = shared_opsin().convert([english])[0] if english else None
    if smi:
        assert structure.parse_smiles(smi)[0].inchikey == expected_key(spec), (zh, english)
    if kind.startswith("ordinary"):
        r = det.scan({"id": "h", "title": f"{zh} 现货", "text": "纯度：99%\n价格：电议"})
        assert not r.flagged, (zh, r.hits)


# any mix of morpheme characters, locants, brackets, prose and anchors: the search never raises, its offsets lie
# inside the text and every candidate is a non-empty English name
_ZH_ALPHABET = st.sampled_from(sorted(load_table().name_chars) + list("的，。：（）［］１２－ \n啶哌呱") + ["哌啶"] * 4)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ZH_ALPHABET, max_size=80).map("".join))
def test_candidate_search_on_any_mix_of_name_characters(text):
    for english, a, b in zh_candidates(text):
        assert 0 <= a < b <= len(text)
        assert english and all(c.isascii() or c == "±" for c in english), english


# Session 6: the kinds of miss the Chinese held-out part (tests/data/names, heldout_zh) showed, fixed by general rules
# and tested here on names written for the test (not the held-out rows).

@pytest.mark.parametrize("zh,english", [
    ("N-苯丙酰胺", "N-phenylpropanamide"),        # a ring right after its locant, before an acyclic parent: 基 left out
    ("N-苯乙酰胺", "N-phenylacetamide"),
    ("3-苯丙酸", "3-phenylpropanoic acid"),       # before an acid
    ("N-[1-(2-苯乙基)-4-哌啶基]-N-苯丁酰胺", "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]butanamide"),
])
def test_a_ring_after_its_own_locant_before_a_chain_is_a_substituent(zh, english):
    assert key_of(translate(zh)) == key_of(english)


def test_a_ring_without_a_locant_keeps_the_conjunctive_reading():
    # 苯丙酸 is benzenepropanoic acid (CAS conjunctive name), 4-苯哌啶 a ring before a ring: neither rule applies
    assert translate("苯丙酸") == "benzenepropanoic acid"
    assert translate("4-苯哌啶") == "4-benzenepiperidine"


def test_an_analog_written_with_the_shortened_n_phenyl_resolves_through_the_engine(det):
    zh = "N-[4-(甲氧甲基)-1-(2-苯乙基)-4-哌啶基]-N-苯丙酰胺"
    r = det.scan({"id": "s", "title": f"{zh} 现货", "text": "纯度：99%\n包装：1kg/袋\n价格：电议"})
    expected = key_of("N-[4-(methoxymethyl)-1-(2-phenylethyl)piperidin-4-yl]-N-phenylpropanamide")
    assert r.flagged and any(h.inchikey == expected and h.matched == zh for h in r.hits), r.hits


@pytest.mark.parametrize("zh,sid", [
    ("瑞吩坦尼", "remifentanil"),              # Taiwan's spelling of the stem (Z16) on a lexicon name
    ("檸檬酸吩坦尼", "fentanyl"),               # traditional characters, a salt word
    ("卡吩坦尼", "carfentanil"),
    ("丙烯酰吩坦尼", "acryloylfentanyl"),
])
def test_the_taiwan_spelling_of_the_fentanyl_stem_reads_as_the_mainland_one(det, zh, sid):
    r = det.scan({"id": "t", "title": f"{zh} 現貨", "text": "純度：99%\n包裝：1g\n價格：電議"})
    assert r.flagged and r.hits[0].substance_id == sid, r.hits
    assert r.hits[0].inchikey == LEX.by_id[sid].inchikey


def test_stem_variant_fold_keeps_offsets():
    text = "現貨: 瑞吩坦尼 99%"
    words = normalize(text).words
    assert len(words.text) == len(text.lower()) and "瑞芬太尼" in words.text
    spaced = normalize("現貨 瑞 吩 坦 尼 99%").words  # the Han-gap pass drops the spaces; the fold is one for one
    s = spaced.text.index("瑞芬太尼")
    assert spaced.span(s, s + 4) == (3, 10)


# Spaces inside a name, as copies from PDFs and web pages print them (written for the test; not a kind of miss of
# heldout_zh, whose pages had none): a space goes on only where the name before it cannot end.
@pytest.mark.parametrize("written,sid", [
    ("N-[1-(2-苯乙基)-4-哌啶基]-N-苯基 丙酰胺", "fentanyl"),         # after a substituent
    ("N-苯基-N-[1-(2-苯乙基)-4-哌啶基] 丙酰胺", "fentanyl"),         # after a bracketed substituent
    ("N- [1-(2-苯乙基)-4-哌啶基]-N-苯基丙酰胺", "fentanyl"),         # after a hyphen
    ("N-苯基-N-[1-(2-苯乙基) -4-哌啶基]丙酰胺", "fentanyl"),         # inside an open bracket
    ("1-叔丁氧羰基-4- 苯胺基哌啶", "1-boc-4-ap"),
])
def test_a_space_inside_a_name_does_not_cut_it(det, written, sid):
    r = det.scan({"id": "s", "title": f"供应 {written} 现货", "text": "纯度：99%\n包装：1kg/袋\n价格：电议"})
    hit = next(h for h in r.hits if h.substance_id == sid)
    assert hit.matched == written and hit.inchikey == LEX.by_id[sid].inchikey


def test_a_space_after_a_whole_name_still_ends_it(det):
    # two names side by side stay two names; a complete name is not joined with the word after it
    r = det.scan({"id": "s", "title": "N-苯乙基-4-哌啶酮 4-苯胺基哌啶 现货", "text": "价格：电议"})
    assert {h.substance_id for h in r.hits} >= {"npp", "4-ap"}
    assert zh_candidates("哌啶-4-酮 盐酸盐")[0][0] == "piperidin-4-one"
    assert translate("2,2,6,6-四甲基哌啶-4-醇 现货") is None


# A nomenclature morpheme glued before 芬太尼 makes the name another compound: never read as fentanyl (issue 14,
# "never the wrong substance"). Names made up for the test, of the kinds a seller writes.
@pytest.mark.parametrize("written", [
    "羟芬太尼",        # hydroxy, no locant: which position is not said
    "溴芬太尼",        # bromo
    "庚酰芬太尼",      # an acyl whose chain character (庚) the table does not know: 酰 still says "acyl"
    "环丁甲酰芬太尼",  # a cycloalkanecarbonyl the lexicon does not list
    "二甲基芬太尼",    # dimethyl without locants
])
def test_a_morpheme_glued_before_the_stem_is_no_fentanyl(det, written):
    r = det.scan({"id": "s", "title": f"供应 {written} 现货", "text": "纯度：99%\n包装：1kg/袋\n价格：电议"})
    assert r.hits and all(h.substance_id != "fentanyl" and h.inchikey is None for h in r.hits)
    assert any(h.method == "unresolved-name" and written.endswith(h.matched) and len(h.matched) > 3 for h in r.hits)


@pytest.mark.parametrize("written,sid", [
    ("销售芬太尼", "fentanyl"),      # 销售 "sell": an ordinary word glued before the name
    ("柠檬酸芬太尼", "fentanyl"),    # the citrate, the acid written before the drug
    ("对芬太尼", "fentanyl"),        # 对 "towards" is also the para morpheme: alone it stays a word
    ("丁酰芬太尼", "butyrylfentanyl"),  # the lexicon names the whole
])
def test_ordinary_words_and_salts_before_the_stem_keep_the_name(det, written, sid):
    r = det.scan({"id": "s", "title": f"供应 {written} 现货", "text": "纯度：99%\n价格：电议"})
    assert sid in {h.substance_id for h in r.hits}


# A Latin protecting group written into a Chinese name with its locant, as Chinese catalogues write them (Z5 pairs
# 叔丁氧羰基 with Boc and prints "N-Boc-L-哌啶-2-羧酸"); the forms below are written for the test. Before, the reader
# stopped at the Latin letters and reported the Chinese part alone: 4-哌啶酮 (4-piperidone) for N-Boc-4-哌啶酮.
GROUP_SALE = "纯度：99%\n包装：1kg/袋\n价格：电议"
LATIN_GROUPS = [
    ("N-Boc-4-哌啶酮", "1-boc-4-piperidone"),
    ("1-BOC-4-哌啶酮", "1-boc-4-piperidone"),
    ("N-Boc-4-苯胺基哌啶", "1-boc-4-ap"),
    ("1-N-Boc-4-苯胺基哌啶", "1-boc-4-ap"),
    ("4-苯胺基-1-Boc-哌啶", "1-boc-4-ap"),
]


@pytest.mark.parametrize("zh,sid", LATIN_GROUPS)
def test_a_latin_group_in_a_chinese_name_is_read_with_it(det, zh, sid):
    r = det.scan({"id": "g", "title": f"{zh} 现货", "text": GROUP_SALE})
    assert {h.substance_id for h in r.hits} == {sid}, r.hits
    assert r.hits[0].matched == zh


def test_a_latin_group_opsin_reads_gives_the_english_names_structure(det):
    zh = det.scan({"id": "z", "title": "N-Cbz-4-哌啶酮 现货", "text": GROUP_SALE})
    en = det.scan({"id": "e", "title": "benzyl 4-oxopiperidine-1-carboxylate", "text": "Purity 99%, 1kg"})
    assert zh.hits and [h.inchikey for h in zh.hits] == [h.inchikey for h in en.hits]
    assert zh.hits[0].inchikey != LEX.by_id["4-piperidone"].inchikey


@pytest.mark.parametrize("zh", ["N-Ts-4-哌啶酮", "N-Xyz-4-苯胺基哌啶"])
def test_a_latin_group_nothing_reads_claims_no_structure(det, zh):
    """Never the wrong substance: the Chinese part alone (4-piperidone, 4-AP) is not reported for the whole."""
    r = det.scan({"id": "u", "title": f"{zh} 现货", "text": GROUP_SALE})
    assert not r.hits, r.hits


def test_a_label_before_a_name_is_not_taken_for_a_group(det):
    r = det.scan({"id": "l", "title": "NPP-1-苯乙基-4-哌啶酮 现货", "text": GROUP_SALE})
    assert "npp" in {h.substance_id for h in r.hits}
