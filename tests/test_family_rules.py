"""Fentanyl-family structures that no coded instrument covers (detect/family_rules.py, data/family_rules.yaml): the
hit says so, claims no clause, has no severity and counts [legal] no_basis_factor of its score. Look-alike building
blocks stay unflagged. Structures written for these tests; real RDKit, real engine, made-up ad text."""

import pytest
from rdkit import Chem

from detect.engine import default_detector
from detect.family_rules import match_family
from detect.config import load_settings


def mol(smiles: str):
    return Chem.MolFromSmiles(smiles)


# (SMILES, in the family, what it is)
TABLE = [
    ("Fc1ccc(NC2CCN(CCc3ccccc3)CC2)cc1", True, "4-ANPP with a para-fluoro aniline ring"),
    ("Clc1ccccc1NC1CCN(CCc2ccccc2)CC1", True, "4-ANPP with an ortho-chloro aniline ring"),
    ("Cc1cccc(NC2CCN(CCc3ccccc3)CC2)c1", True, "4-ANPP with a meta-methyl aniline ring"),
    ("Fc1ccccc1CCN1CCC(Nc2ccccc2F)CC1", True, "fluoro on both rings"),
    ("CC1CN(CCc2ccccc2)CCC1Nc1ccccc1", True, "3-methyl 4-ANPP"),
    ("COC(=O)C1(Nc2ccccc2)CCN(CCc2ccccc2)CC1", True, "4-carbomethoxy 4-ANPP"),
    ("COC(=O)CCN1CCC(C(=O)OC)(Nc2ccccc2)CC1", True, "the remifentanil amine"),
    ("CCC(=O)N(c1ccc(F)cc1)C1CCNCC1", True, "para-fluoro norfentanyl"),
    ("CCC(=O)N(c1ccccc1)C1CCNCC1C", True, "3-methyl norfentanyl"),
    ("CCC(=O)N(c1ccccc1)C1(COC)CCNCC1", True, "4-methoxymethyl norfentanyl"),
    ("CCC(=O)N(c1ccccc1)C1CC[N+]([O-])(CCc2ccccc2)CC1", True, "fentanyl N-oxide"),
    ("CCC(=O)N(c1ccccc1)C1(c2ccccc2)CCN(CCc2ccccc2)CC1", True, "4-phenylfentanyl"),
    ("c1ccc(N(Cc2ccccc2)C2CCN(C)CC2)cc1", False, "bamipine (an antihistamine): N-benzyl aniline"),
    ("c1ccc(NC2CCN(Cc3ccccc3)CC2)cc1", False, "4-ANBP: a catalogue building block"),
    ("CN1CCC(Nc2ccccc2)CC1", False, "1-methyl-4-anilinopiperidine"),
    ("CCOC(=O)N1CCC(Nc2cc(Cl)ccn2)CC1", False, "a pyridinylamino piperidine carbamate"),
    ("COc1ccc(CCN2CCC(Nc3nc4ccccc4n3Cc3ccc(F)cc3)CC2)cc1", False, "astemizole: the amine on a benzimidazole"),
    ("O=C(NC1CCN(Cc2ccccc2)CC1)c1ccccc1", False, "a benzamide: the amide nitrogen carries no ring"),
    ("NC1CCN(CCc2ccccc2)CC1", False, "a 4-aminopiperidine without the aryl"),
    ("O=C1CCN(CCc2ccccc2)CC1", False, "NPP"),
]


@pytest.mark.parametrize("smiles, member, what", TABLE)
def test_the_family_scaffold(smiles, member, what):
    assert (match_family(mol(smiles)) is not None) == member, what


@pytest.mark.parametrize("smiles, member, what", [row for row in TABLE if row[1] and "4-phenylfentanyl" not in row[2]
                                                  and "N-oxide" not in row[2]])
def test_a_family_structure_is_flagged_for_review_with_no_legal_basis(smiles, member, what):
    result = default_detector().scan({"id": "f", "title": "Product Name: research chemical",
                                      "text": f"SMILES: {smiles}\nPurity: 99%\nPrice: USD 100 per kg\n"
                                              f"Contact: sales@example.com"})
    hits = [h for h in result.hits if h.method == "family-rule"]
    assert hits, (what, [(h.substance, h.method) for h in result.hits])
    h = hits[0]
    assert h.rules == [] and h.legal == [] and h.severity is None, what  # no clause it does not meet
    assert "no listed legal basis" in h.substance
    factor = load_settings()["legal"]["no_basis_factor"]
    assert factor < 1 and h.score == pytest.approx(load_settings()["method_score"]["family-rule"] * factor)
    assert result.flagged, what  # flagged for review, at a lower score than a controlled structure
    assert any("no listed legal basis" in line for line in result.why)


@pytest.mark.parametrize("smiles, member, what", [row for row in TABLE if not row[1]])
def test_look_alike_building_blocks_stay_unflagged(smiles, member, what):
    result = default_detector().scan({"id": "n", "title": "Product Name: building block",
                                      "text": f"SMILES: {smiles}\nPurity: 98%\n25 kg drum, price on request\n"
                                              f"Contact: sales@example.com"})
    assert not [h for h in result.hits if h.method == "family-rule"], what


def test_a_controlled_structure_outscores_a_family_structure():
    det = default_detector()
    ask = "Purity: 99%\nPrice: USD 100 per kg\nContact: sales@example.com"
    fentanyl = det.scan({"id": "a", "title": "x", "text": "SMILES: CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1\n" + ask})
    analog = det.scan({"id": "b", "title": "x", "text": "SMILES: Fc1ccc(NC2CCN(CCc3ccccc3)CC2)cc1\n" + ask})
    assert fentanyl.flagged and analog.flagged and analog.score < fentanyl.score
