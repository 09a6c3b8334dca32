"""The precursor class rules (detect/data/precursor_rules.yaml) on a labelled set of class members and look-alike
building blocks (tests/data/precursors/set.yaml): every member with the right clauses, no look-alike flagged.
The held-out rows were written after the SMARTS and are scored separately."""

from pathlib import Path

import pytest
import yaml

from detect import structure
from detect.engine import default_detector
from detect.precursor_rules import clause_note, instrument, match_precursor

SET = yaml.safe_load((Path(__file__).parent / "data" / "precursors" / "set.yaml").read_text(encoding="utf-8"))
MEMBERS, LOOKALIKES = SET["members"], SET["lookalikes"]


def rules_of(smiles: str) -> list[str] | None:
    m = match_precursor(structure.from_smiles(smiles).mol)
    return m.rules(salt="." in smiles) if m else None


@pytest.mark.parametrize("row", MEMBERS, ids=[r["name"] for r in MEMBERS])
def test_member_flagged_with_its_clauses(row):
    expected = [f"{row['class']}({c})" for c in row["clauses"]] or [row["class"]]
    assert rules_of(row["smiles"]) == expected


@pytest.mark.parametrize("row", LOOKALIKES, ids=[r["name"] for r in LOOKALIKES])
def test_lookalike_not_flagged(row):
    assert rules_of(row["smiles"]) is None


@pytest.mark.parametrize("split", ["tune", "held_out"])
def test_recall_and_false_alarms_by_split(split):
    members = [r for r in MEMBERS if r["split"] == split]
    looks = [r for r in LOOKALIKES if r["split"] == split]
    assert len(members) >= 8 and len(looks) >= 10
    recall = sum(rules_of(r["smiles"]) is not None for r in members) / len(members)
    false_alarms = sum(rules_of(r["smiles"]) is not None for r in looks)
    assert (recall, false_alarms) == (1.0, 0)


def test_every_row_names_a_source():
    assert all(r.get("source") for r in MEMBERS + LOOKALIKES)


def test_clauses_are_explained_with_the_instrument():
    assert "carbamate" in clause_note("US-ListI-4AP(carbamate)")
    assert "acetals" in clause_note("US-ListI-4piperidone(acetal)")
    assert "85 FR 20822" in instrument("US-ListI-4AP")["instrument"]
    assert "88 FR 21902" in instrument("US-ListI-4piperidone")["instrument"]


@pytest.fixture(scope="module")
def detector():
    return default_detector()


def test_unlisted_member_written_as_smiles_is_a_regulated_precursor_hit(detector):
    # 1-Boc-4-piperidone ethylene ketal: no list names it; the 4-piperidone wording covers it
    r = detector.scan({"id": "p1", "title": "tert-Butyl 4-oxopiperidine ketal, 99%, 25 kg drum",
                       "text": "SMILES: CC(C)(C)OC(=O)N1CCC2(CC1)OCCO2\nPrice: ask. Contact: sales@example.com"})
    hit = next(h for h in r.hits if h.method == "class-rule")
    assert hit.category == "precursor"
    assert hit.rules == ["US-ListI-4piperidone(acetal)", "US-ListI-4piperidone(carbamate)"]
    assert r.flagged


def test_lookalike_written_as_smiles_is_not_a_hit(detector):
    r = detector.scan({"id": "p2", "title": "1-Benzyl-4-piperidone 99%",
                       "text": "SMILES: C1CN(CCC1=O)CC2=CC=CC=C2\nPrice: ask. Contact: sales@example.com"})
    assert r.hits == [] and not r.flagged


def test_listed_precursor_carries_its_class_clause(detector):
    r = detector.scan({"id": "p3", "title": "1-Boc-4-piperidone 99%", "text": "In stock. Contact: sales@example.com"})
    assert "US-ListI-4piperidone(carbamate)" in r.hits[0].rules


def test_every_member_written_as_smiles_in_a_listing_is_flagged_and_no_building_block_by_the_class_rules(detector):
    # end to end: the SMILES as a vendor page writes it ("C1CNCCC12OCCO2" reads like a formula but repeats its
    # elements); look-alikes flagged here are controlled by another instrument (NPP and 4-ANPP by name, benzylfentanyl
    # by China's fentanyl class), never by a precursor class rule
    for row in MEMBERS:
        r = detector.scan({"id": "m", "title": "Product 99%", "text": f"SMILES: {row['smiles']}\nPrice: ask."})
        assert r.flagged, row["name"]
    for row in LOOKALIKES:
        r = detector.scan({"id": "l", "title": "Product 99%", "text": f"SMILES: {row['smiles']}\nPrice: ask."})
        assert not any(rule.startswith("US-ListI") for h in r.hits for rule in h.rules), row["name"]
