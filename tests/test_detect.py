"""Each extraction path through the real engine (spaCy, rapidfuzz, RDKit, OPSIN), and the scoring."""

import pytest

from detect.engine import default_detector


@pytest.fixture(scope="module")
def det():
    return default_detector()


def found(det, title, text=""):
    r = det.scan({"id": "t", "title": title, "text": text})
    return r, {(h.substance_id, h.method) for h in r.hits}


POSITIVES = [
    # (title, text, expected (lexicon id or None for an unlisted analog, method), what it shows)
    ("Fentanyl powder 99%", "", ("fentanyl", "name"), "plain name"),
    ("Carfentanil in stock", "", ("carfentanil", "name"), "another name"),
    ("4-ANPP for sale", "", ("4-anpp", "name"), "abbreviation"),
    ("供应4-苯胺基-N-苯乙基哌啶粉末", "", ("4-anpp", "name"), "Chinese name inside running Chinese text"),
    ("厂家直销芬太尼，量大从优", "", ("fentanyl", "name"), "three-character Chinese name inside running text"),
    ("Fentanilo de alta pureza", "", ("fentanyl", "name"), "Spanish spelling (lexicon synonym)"),
    ("Top fentanil in stock", "", ("fentanyl", "name"), "misspelling (lexicon synonym)"),
    ("phentanyl best price", "", ("fentanyl", "fuzzy-name"), "misspelling found by rapidfuzz"),
    ("carfentanyle best price", "", ("carfentanil", "fuzzy-name"), "misspelling of another substance"),
    ("f.e.n.t.a.n.y.l available", "", ("fentanyl", "name"), "dotted letters"),
    ("f3nt@nyl available", "", ("fentanyl", "name"), "leetspeak"),
    ("fеntаnyl available", "", ("fentanyl", "name"), "Cyrillic homoglyphs"),
    ("Research chemical", "CAS No.: 437-38-7", ("fentanyl", "cas"), "CAS number"),
    ("Research chemical", "CAS: ４３７－３８－７", ("fentanyl", "cas"), "full-width CAS number"),
    ("Research chemical", "CAS 437 - 38 - 7", ("fentanyl", "cas"), "spaced CAS number"),
    ("Research chemical", "CAS 21409267 white powder", ("4-anpp", "partial-cas"), "CAS without hyphens"),
    ("Research chemical", "CAS79099 powder", ("1-boc-4-piperidone", "partial-cas"), "cut-short CAS"),
    ("Research chemical", "CAS ٤٣٧-٣٨-٧", ("fentanyl", "cas"), "Arabic-Indic digits (NFKC leaves them)"),
    ("Research chemical", "CAS ۴۳۷-۳۸-۷", ("fentanyl", "cas"), "Persian digits"),
    ("Research chemical", "CAS ४३७-३८-७", ("fentanyl", "cas"), "Devanagari digits"),
    ("Research chemical", "٢١٤٠٩-٢٦-٧ white powder", ("4-anpp", "cas"), "Arabic-Indic digits without a cue"),
    ("Research chemical", "CAS 437.38.7", ("fentanyl", "cas"), "dots for hyphens after a CAS cue"),
    ("Research chemical", "CAS: 79099_07_3", ("1-boc-4-piperidone", "cas"), "underscores after a CAS cue"),
    ("Research chemical", "CAS 40064-34-4", ("4-piperidone", "cas"), "salt CAS maps to the parent"),
    ("Research chemical", "SMILES: CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", ("fentanyl", "smiles"), "SMILES"),
    ("Research chemical", "SMILES: CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.Cl", ("fentanyl", "smiles"), "salt SMILES"),
    ("Research chemical", "Key: PJMPHNIQZUBGLI-UHFFFAOYSA-N", ("fentanyl", "inchi"), "InChIKey"),
    ("Research chemical",
     "InChI=1S/C22H28N2O/c1-2-22(25)24(20-11-7-4-8-12-20)21-14-17-23(18-15-21)16-13-19-9-5-3-6-10-19/h3-12,21H,2,"
     "13-18H2,1H3", ("fentanyl", "inchi"), "InChI"),
    ("Research chemical", "Name: tert-butyl 4-anilinopiperidine-1-carboxylate", ("1-boc-4-ap", "iupac"),
     "systematic name not in the lexicon, through OPSIN"),
    ("Research chemical", "Name: tert-butyl 4-(phenylamino)piperidine-1-carboxylate", ("1-boc-4-ap", "name"),
     "systematic name the lexicon lists is a name hit"),
    ("Research chemical", "Name: N-(4-bromophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl]butanamide",
     (None, "class-rule"), "novel analog by systematic name: class rule"),
    ("Research chemical", "SMILES: CCCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2cccs2)CC1", (None, "class-rule"),
     "novel analog by SMILES: class rule"),
    ("4-AP (4-anilinopiperidine) 99%", "", ("4-ap", "name"), "ambiguous abbreviation with corroboration"),
]


@pytest.mark.parametrize("title, text, expected, what", POSITIVES, ids=[p[3] for p in POSITIVES])
def test_positive(det, title, text, expected, what):
    r, hits = found(det, title, text)
    assert expected in hits, [(h.substance, h.method, h.matched) for h in r.hits]
    assert r.flagged


NEGATIVES = [
    # (title, text, what it shows)
    ("Fenthion 95% EC", "Organophosphate insecticide. Price: inquire", "look-alike pesticide name"),
    ("Fentiazac API", "Purity 99%", "look-alike drug name"),
    ("Fenbendazole 99%", "Dewormer, MOQ 1kg", "look-alike name"),
    ("4-AP (4-Aminopyridine) in stock", "CAS No.: 504-24-5", "4-AP meaning 4-aminopyridine"),
    ("4-AP in stock", "MOQ 1kg", "bare ambiguous abbreviation"),
    ("1-Benzyl-4-piperidone 99%", "", "4-piperidone inside a longer name"),
    ("Fentanyl test strips, box of 100", "Drug checking / harm reduction product", "test strips"),
    ("Naloxone nasal spray", "Opioid antagonist; reverses overdose from fentanyl.", "naloxone"),
    ("Melatonin 99%", "We refuse all orders for fentanyl and its analogues.", "refusal disclaimer"),
    ("Research chemical", "CAS No.: 437-38-8", "CAS failing the check digit"),
    ("Research chemical", "CAS 437.38.8", "dotted CAS failing the check digit"),
    ("Software", "version 437.38.7, 2 GB, price 10 USD", "a dotted number without a CAS cue"),
    ("Research chemical", "CAS ٤٣٧-٣٨-٨", "Arabic-Indic digits failing the check digit"),
    ("Research chemical", "CAS No.: 125541-92-2", "one digit off a controlled CAS, failing the check"),
    ("Call us", "Phone: +00 437 387 0000, price 21409267 USD", "controlled digits without a CAS cue"),
    ("Research compound", "SMILES: c1c(N)ccc(S(=O)(=O)N)c1", "harmless SMILES"),
    ("Building block", "tert-butyl 4-(4-aminophenyl)piperidine-1-carboxylate", "harmless piperidine name"),
    ("Loperamide HCl 99%", "CAS 34552-83-5", "loperamide"),
    ("Glycine 99%", "Product Name: Glycine\nNota: este sitio no vende fentanilo.\nPrice: USD 5/kg",
     "negated mention in another product's page (Spanish)"),
    ("Glycine 99%", "Product Name: Glycine\nWe comply with rules on fentanyl precursors.\nPrice: USD 5/kg",
     "name as a modifier of a class noun"),
    ("Forum: is 4-ANPP the same as despropionyl fentanyl?", "Asking for a compliance training, not buying.",
     "question in a discussion, nothing for sale"),
]


@pytest.mark.parametrize("title, text, what", NEGATIVES, ids=[n[2] for n in NEGATIVES])
def test_negative(det, title, text, what):
    r, _ = found(det, title, text)
    assert not r.flagged, [(h.substance, h.method, h.matched, h.score) for h in r.hits]


def test_name_inside_a_longer_systematic_name_is_not_a_hit(det):
    r, hits = found(det, "Research chemical", "Name: tert-butyl 4-anilinopiperidine-1-carboxylate")
    assert hits == {("1-boc-4-ap", "iupac")}  # not also 4-AP, whose name "4-anilinopiperidine" is inside


def test_structure_on_a_page_with_another_product_name_still_counts(det):
    text = "Product Name: New RC (code on request)\nStructure (SMILES): CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1\nMOQ: 1kg"
    r, hits = found(det, "Novel research chemical", text)
    assert ("fentanyl", "smiles") in hits and r.flagged


def test_offsets_point_into_title_newline_text(det):
    title, text = "Top ｆｅｎｔａｎｙｌ", "Also: CAS 437-38-7 and 4-ΑΝΡΡ"
    r = det.scan({"id": "x", "title": title, "text": text})
    full = title + "\n" + text
    assert r.hits
    for h in r.hits:
        assert full[h.start:h.end] == h.matched
    assert {h.matched for h in r.hits} == {"ｆｅｎｔａｎｙｌ", "437-38-7", "4-ΑΝΡΡ"}


def test_html_input_is_turned_into_text(det):
    html = "<html><head><script>var fentanyl=1</script></head><body><h1>Offer</h1><p>Carfentanil 99%</p></body></html>"
    r = det.scan({"id": "h", "html": html})
    assert [h.substance_id for h in r.hits] == ["carfentanil"]  # the script's "fentanyl" is not visible text


def test_contacts_are_extracted_and_normalized(det):
    r = det.scan({"id": "c", "title": "x", "text": "WhatsApp: +00 000 000 6470; Email: Sales@Example.org; "
                                                   "Wickr: Example_Lab; Supplier: Wuhan Fyrenza Trading Co., Ltd."})
    got = {(c.kind, c.value) for c in r.contacts}
    assert {("whatsapp", "000000006470"), ("email", "sales@example.org"), ("wickr", "example_lab"),
            ("company", "wuhan fyrenza trading co., ltd.")} <= got


def test_structure_hits_weigh_more_than_fuzzy(det):
    fuzzy = det.scan({"id": "a", "title": "phentanyl", "text": ""})
    cas = det.scan({"id": "b", "title": "x", "text": "CAS 437-38-7"})
    assert cas.score > fuzzy.score > 0.5


def test_sale_intent_raises_and_harm_reduction_lowers(det):
    plain = det.scan({"id": "a", "title": "fentanyl", "text": ""}).score
    sale = det.scan({"id": "b", "title": "fentanyl", "text": "Price: USD 300/kg, MOQ 1kg"}).score
    strip = det.scan({"id": "c", "title": "fentanyl test strip", "text": ""}).score
    assert sale > plain > strip


def test_class_hit_names_its_clauses(det):
    r = det.scan({"id": "n", "title": "x", "text": "SMILES: CCCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2cccs2)CC1"})
    (hit,) = r.hits
    assert hit.method == "class-rule" and hit.inchikey and hit.substance.startswith("unlisted fentanyl analog")
    assert set(hit.rules) == {"CN-2019(1)", "CN-2019(2)", "CN-2019(4)", "US-FRS(A)", "US-FRS(D)", "US-FRS(E)"}


@pytest.mark.parametrize("title, expected", [
    # a lexicon name inside a longer systematic name of another compound is a piece of that name (session 10):
    # "piperidin-4-one" (4-piperidone) inside NPP's name was a second, wrong substance
    ("1-(2-phenylethyl)piperidin-4-one, 99%", {("npp", "iupac")}),
    # the same name standing alone, or the systematic name of the same compound, keeps its hit
    ("piperidin-4-one hydrochloride, 99%", {("4-piperidone", "iupac"), ("4-piperidone", "name")}),
])
def test_a_name_inside_a_systematic_name_of_another_compound_is_no_hit(det, title, expected):
    _, methods = found(det, title, "price 100 USD")
    assert methods == expected
