"""Each clause of the two class definitions on its own, with positive and negative molecules."""

import pytest
from rdkit import Chem

from detect.classrules import classify, clause_note, substituent_kinds

# (name, SMILES, China clauses or None, US clauses or None)
MOLECULES = [
    ("fentanyl itself: in the class, no modification", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", (), ()),
    ("acyl replaced (acetyl)", "CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", ("1",), ("E",)),
    ("acyl replaced (furoyl)", "O=C(c1ccco1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", ("1",), ("E",)),
    ("aryl ring substituted (2-fluoro)", "CCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1", ("2",), ("D",)),
    ("aryl replaced by thienyl", "CCC(=O)N(c1cccs1)C1CCN(CCc2ccccc2)CC1", ("2",), ("D",)),
    ("piperidine alkyl (3-methyl)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C", ("3",), ("C",)),
    ("piperidine ester (carfentanil)", "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1", ("3",), ("C",)),
    ("piperidine ether + thiophene (sufentanil)", "CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2cccs2)CC1", ("3", "4"),
     ("A", "C")),
    ("phenethyl on alpha carbon methylated", "CCC(=O)N(c1ccccc1)C1CCN(C(C)Cc2ccccc2)CC1", ("4",), ("B",)),
    ("phenethyl beta-hydroxy", "CCC(=O)N(c1ccccc1)C1CCN(CC(O)c2ccccc2)CC1", ("4",), ("B",)),
    ("phenethyl ring para-fluoro", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(F)cc2)CC1", ("4",), ("B",)),
    ("phenethyl phenyl replaced by cyclohexyl", "CCC(=O)N(c1ccccc1)C1CCN(CCC2CCCCC2)CC1", ("4",), ("A",)),
    ("benzyl instead of phenethyl: China only", "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", ("4",), None),
    ("ester chain instead of phenethyl (remifentanil): China only",
     "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCC(=O)OC)CC1", ("3", "4"), None),
    # negatives: not in either class
    ("norfentanyl: no N-substituent", "CCC(=O)N(c1ccccc1)C1CCNCC1", None, None),
    ("4-ANPP: no acyl group", "c1ccc(NC2CCN(CCc3ccccc3)CC2)cc1", None, None),
    ("naphthyl on the amide N is not a monocycle", "CCC(=O)N(c1ccc2ccccc2c1)C1CCN(CCc2ccccc2)CC1", None, None),
    ("loperamide", "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1", None, None),
    ("haloperidol", "OC1(c2ccc(Cl)cc2)CCN(CCCC(=O)c2ccc(F)cc2)CC1", None, None),
    ("donepezil", "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2", None, None),
    ("tert-butyl 4-(4-aminophenyl)piperidine-1-carboxylate", "CC(C)(C)OC(=O)N1CCC(c2ccc(N)cc2)CC1", None, None),
    ("piperidine substituted by a phenyl ring: not an allowed group", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1c1ccccc1",
     None, None),
]


@pytest.mark.parametrize("name, smiles, china, us", MOLECULES, ids=[m[0] for m in MOLECULES])
def test_clauses(name, smiles, china, us):
    r = classify(Chem.MolFromSmiles(smiles))
    assert r.china == china
    assert r.us == us


def test_rules_are_named_and_explained():
    r = classify(Chem.MolFromSmiles("CC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1"))
    assert r.rules() == ["CN-2019(1)", "CN-2019(2)", "US-FRS(D)", "US-FRS(E)"]
    assert "acyl" in clause_note("CN-2019(1)")
    assert "aromatic monocycle" in clause_note("US-FRS(D)")


@pytest.mark.parametrize("smiles, kinds", [
    # substituent on atom 0 (a dummy ring carbon), the group starting at atom 1
    ("CC", {"alkyl"}), ("CC=C", {"alkenyl"}), ("COC", {"alkoxy"}), ("CCOC", {"ether"}),
    ("CC(=O)OC", {"ester"}), ("CO", {"hydroxyl"}), ("CF", {"halogen"}), ("CC(F)(F)F", {"haloalkyl"}),
    ("CN", {"amino"}), ("C[N+](=O)[O-]", {"nitro"}), ("CC(=O)C", set()), ("Cc1ccccc1", set()),
])
def test_substituent_kinds(smiles, kinds):
    mol = Chem.MolFromSmiles(smiles)
    atoms = frozenset(range(1, mol.GetNumAtoms()))
    assert substituent_kinds(mol, atoms, 1) == kinds
