"""Names of the kinds the fourth held-out part missed (issue 14): systematic names with a space after a closing
bracket, trade names of the medical fentanyls, scaffold words that make a name another compound, and ring-changed
analogs (azepane, tropane, opened ring) read as fentanyl-family structures with no listed legal basis. Names and
structures written for these tests (not copied from the real-names set), in made-up ad text; real OPSIN, real RDKit,
real engine."""

import pytest
from rdkit import Chem

from detect.engine import default_detector
from detect.family_rules import match_family
from detect.iupac import has_morpheme, iupac_candidates
from detect.name_repairs import rewrite

FENTANYL = "PJMPHNIQZUBGLI"


def key(smiles: str) -> str:
    return Chem.MolToInchiKey(Chem.MolFromSmiles(smiles)).split("-")[0]


def offer(name: str) -> dict:
    return {"id": "r", "title": "Product Name: " + name, "text": "Purity: 99%\nPackage: 1 kg/bag\nPrice: USD 100 per "
                                                                  "kg\nContact: sales@example.com, +00 000 0000"}


def keys_of(result) -> set[str]:
    return {h.inchikey[:14] for h in result.hits if h.inchikey}


# --- a space after a closing bracket (a line break in the source) ------------------------------------------------

@pytest.mark.parametrize("name, smiles", [
    ("N-(4-fluorophenyl)-N-[1-(2-phenylethyl)piperidin-4-yl] butanamide",
     "CCCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1"),
    ("N-phenyl-N-[1-(2-phenylethyl) piperidin-4-yl]pentanamide", "CCCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl] cyclobutanecarboxamide",
     "O=C(C1CCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
])
def test_a_space_after_a_closing_bracket_is_read_across(name, smiles):
    result = default_detector().scan(offer(name))
    assert result.flagged and key(smiles) in keys_of(result), [(h.substance, h.method, h.note) for h in result.hits]


def test_the_space_after_bracket_rewrite_and_the_candidate():
    assert rewrite("N-[1-(2-phenylethyl)piperidin-4-yl] hexanamide") == "N-[1-(2-phenylethyl)piperidin-4-yl]hexanamide"
    assert rewrite("N-[1-(2-phenylethyl)piperidin-4-yl] Hexanamide") == "N-[1-(2-phenylethyl)piperidin-4-yl] Hexanamide"
    cands = [c for c, _, _ in iupac_candidates("Item: N-[1-(2-phenylethyl)piperidin-4-yl] hexanamide, 99%")]
    assert "N-[1-(2-phenylethyl)piperidin-4-yl] hexanamide" in cands
    # an ordinary word after a bracket, capitalised, is not taken into the name
    cands = [c for c, _, _ in iupac_candidates("Item: 4-(piperidin-1-yl)aniline (CAS below) Purity 98%")]
    assert all("Purity" not in c for c in cands)


# --- trade names --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, substance", [
    ("Abstral 100 mcg sublingual", "Fentanyl"), ("Instanyl nasal spray", "Fentanyl"), ("Matrifen patch", "Fentanyl"),
    ("Onsolis film", "Fentanyl"), ("Lazanda", "Fentanyl"), ("Effentora buccal", "Fentanyl"),
    ("Chronogesic", "Sufentanil"), ("Dzuveo 30 mcg", "Sufentanil"), ("Rapifen ampoules", "Alfentanil"),
])
def test_trade_names_name_their_substance(name, substance):
    result = default_detector().scan(offer(name))
    assert result.flagged and substance in {h.substance for h in result.hits}


@pytest.mark.parametrize("text", ["power subsys module", "ships instantly", "abstract art print", "matrix board",
                                  "lasagna sheets", "subsystem controller"])
def test_words_that_look_like_trade_names_stay_unflagged(text):
    assert not default_detector().scan(offer(text)).flagged


def test_subsys_counts_only_with_corroboration():
    assert not default_detector().scan(offer("Subsys")).flagged  # also short for "subsystem"
    result = default_detector().scan(offer("Subsys fentanyl sublingual spray"))
    assert result.flagged and FENTANYL in keys_of(result)


# --- scaffold words after (or before) the stem --------------------------------------------------------------------

@pytest.mark.parametrize("name, parent", [
    ("Fentanyl azocane", FENTANYL), ("Acetylfentanyl tropane", key("CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")),
    ("Butyrfentanyl azepane", key("CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")), ("Nortropane fentanyl", FENTANYL),
    ("seco-fentanyl", FENTANYL), ("Fentanyl homolog", FENTANYL), ("fentanyl analogue", FENTANYL),
    # a scaffold word, then an analog word: still the name of an offered compound, not a mention of a class
    ("Acetylfentanyl piperazine analogue", key("CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")),
])
def test_a_scaffold_word_makes_another_compound_never_the_parent(name, parent):
    result = default_detector().scan(offer(name))
    assert result.flagged, name  # a fentanyl-family name: flagged for review
    assert parent not in keys_of(result), [(h.substance, h.method) for h in result.hits]


@pytest.mark.parametrize("name", ["Fentanyl citrate", "Fentanyl HCl", "fentanyl powder", "fentanyl patch"])
def test_salt_form_and_dosage_words_keep_fentanyl(name):
    result = default_detector().scan(offer(name))
    assert result.flagged and FENTANYL in keys_of(result)


def test_an_acyl_word_before_analogue_reads_that_acyl_variant():
    result = default_detector().scan(offer("fentanyl butyryl analogue"))
    assert key("CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1") in keys_of(result)
    assert FENTANYL not in keys_of(result)


# --- ring-changed analogs: family rules with no listed legal basis -----------------------------------------------

RING_CHANGED = [
    ("CCCC(=O)N(c1ccccc1)C1CCCN(CCc2ccccc2)CC1", True, "butanoyl azepane analog"),
    ("CC(=O)N(c1ccccc1)C1CC2CCC(C1)N2CCc1ccccc1", True, "acetyl tropane analog"),
    ("CCC(=O)N(c1ccc(F)cc1)C(C)CCN(C)CCc1ccccc1", True, "para-fluoro seco analog"),
    ("CCC(=O)N(c1ccccc1)CCN1CCC(c2ccccc2)CC1", True, "ethyl anilide on a 4-phenylpiperidine"),
    ("CC(=O)N(c1ccccc1)CCCN(C)C", False, "a dimethylaminopropyl anilide: no arylethyl group"),
    ("CC(=O)N(c1ccccc1)CCN1CCCCC1", False, "a piperidinoethyl anilide: no aryl on the ring"),
    ("CCN(CC)CC(=O)Nc1c(C)cccc1C", False, "lidocaine"),
    ("CC(=O)N(c1ccccc1)C1CCN(C)C1", False, "an N-methylpyrrolidinyl anilide"),
]


@pytest.mark.parametrize("smiles, member, what", RING_CHANGED)
def test_the_ring_changed_scaffolds(smiles, member, what):
    assert (match_family(Chem.MolFromSmiles(smiles)) is not None) == member, what


@pytest.mark.parametrize("name, smiles", [
    ("N-phenyl-N-[1-(2-phenylethyl)azepan-4-yl]butanamide", "CCCC(=O)N(c1ccccc1)C1CCCN(CCc2ccccc2)CC1"),
    ("N-phenyl-N-[8-(2-phenylethyl)-8-azabicyclo[3.2.1]octan-3-yl]acetamide",
     "CC(=O)N(c1ccccc1)C1CC2CCC(C1)N2CCc1ccccc1"),
    ("N-(4-fluorophenyl)-N-[4-[methyl(2-phenylethyl)amino]butan-2-yl]propanamide",
     "CCC(=O)N(c1ccc(F)cc1)C(C)CCN(C)CCc1ccccc1"),
])
def test_systematic_names_of_ring_changed_analogs_are_family_hits(name, smiles):
    result = default_detector().scan(offer(name))
    hits = [h for h in result.hits if h.method == "family-rule"]
    assert result.flagged and hits and hits[0].inchikey[:14] == key(smiles), [(h.substance, h.method) for h in
                                                                               result.hits]
    assert hits[0].rules == [] and hits[0].severity is None  # no clause it does not meet


def test_the_candidate_morphemes_beyond_piperid():
    assert has_morpheme("N-[1-(2-phenylethyl)AZEPAN-4-yl]") and has_morpheme("8-azabicyclo[3.2.1]octane")
    assert not has_morpheme("Sodium chloride, 25 kg bag, 99.5% purity")
    cands = [c for c, _, _ in iupac_candidates("Item: 8-methyl-8-azabicyclo[3.2.1]octan-3-ol. Purity 99.5%")]
    assert cands == ["8-methyl-8-azabicyclo[3.2.1]octan-3-ol"]  # the von Baeyer dots belong to the name


@pytest.mark.parametrize("name", ["8-methyl-8-azabicyclo[3.2.1]octan-3-ol", "azepane-1-carbonyl chloride",
                                  "N-methyl-2-phenylethylamine", "2-[methyl(2-phenylethyl)amino]ethanol"])
def test_ordinary_ring_changed_building_blocks_stay_unflagged(name):
    assert not default_detector().scan(offer(name)).flagged
