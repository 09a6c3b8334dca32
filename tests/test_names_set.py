"""The labelled real-names set (tests/data/names): its integrity, and floors under fentwatch's figures on it.

The floors are what was measured when the set was built (see tests/data/names/README.md), rounded down: a change
that loses names fails here; a change that gains them should raise the floors."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdkit import Chem, RDLogger

from detect.engine import default_detector
from detect.evaluate import evaluate_names

NAMES = Path(__file__).parent / "data" / "names" / "names.jsonl"
INCHIKEY = re.compile(r"^[A-Z]{14}-[A-Z]{8}[SN][A-Z]-[A-Z]$")
PARTS = ("tuning", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout_zh", "heldout6")


def rows() -> list[dict]:
    with open(NAMES, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_set_is_big_and_varied_enough():
    rs = rows()
    positives = [r for r in rs if r["label"] == "positive"]
    assert len(positives) >= 200
    assert len({r["inchikey"][:14] for r in positives}) >= 150            # structures, not spellings of a few
    assert sum(r["lang"] == "zh" for r in positives) >= 20               # Chinese names
    assert sum(r["label"] == "negative" for r in rs) >= 50               # look-alike drug and pesticide names
    parts = Counter((r["label"], r["part"]) for r in rs)
    assert parts[("positive", "heldout")] >= 100 and parts[("positive", "tuning")] >= 100
    assert parts[("negative", "heldout")] >= 20 and parts[("negative", "tuning")] >= 20


def test_every_row_has_a_source_and_a_well_formed_structure():
    RDLogger.DisableLog("rdApp.*")
    for r in rows():
        assert r["name"].strip() == r["name"] and r["name"], r
        assert r["source"].get("url", "").startswith("http") and r["source"].get("title"), r["name"]
        assert r["label"] in ("positive", "negative") and r["part"] in PARTS, r["name"]
        if r["label"] == "positive":
            assert INCHIKEY.match(r["inchikey"]), (r["name"], r["inchikey"])
        elif r["inchikey"]:
            assert INCHIKEY.match(r["inchikey"]), (r["name"], r["inchikey"])
        if r["smiles"]:
            mol = Chem.MolFromSmiles(r["smiles"])
            assert mol is not None, (r["name"], r["smiles"])
            assert Chem.MolToInchiKey(mol) == r["inchikey"], (r["name"], "SMILES and InChIKey disagree")


def test_a_structure_is_in_one_part_only():
    """Between tuning and heldout (split by structure). heldout2 is a later source's names: new spellings of known
    structures as well as new structures, reported separately and split again by whether the structure is tuned."""
    part_of = {}
    for r in rows():
        if r["part"] in ("heldout2", "heldout3", "heldout4", "heldout5", "heldout_zh", "heldout6"):
            continue
        key = r["inchikey"] or r["name"].casefold()
        assert part_of.setdefault(key, r["part"]) == r["part"], r["name"]


@pytest.mark.parametrize("part,size", [("heldout2", 60), ("heldout3", 80)])
def test_later_held_out_parts_are_from_a_new_source(part, size):
    """heldout2 and heldout3: names from sources no other part uses, each with the structure the source states."""
    later = [r for r in rows() if r["part"] == part]
    assert len(later) >= size and all(r["label"] == "positive" for r in later)
    other_urls = {r["source"]["url"].rsplit("/blob/", 1)[0] for r in rows() if r["part"] != part}
    assert not {r["source"]["url"].rsplit("/blob/", 1)[0] for r in later} & other_urls
    earlier = {r["name"].casefold() for r in rows() if r["part"] != part}
    assert not [r["name"] for r in later if r["name"].casefold() in earlier]


def test_no_name_stands_for_two_structures():
    """A name (case aside) has one structure in the whole set, whatever part it is in (connectivity block: stereo
    descriptors aside); unsettled conflicts count with the structure the row carries."""
    structures = {}
    for r in rows():
        if r["label"] == "positive":
            structures.setdefault(r["name"].casefold(), set()).add(r["inchikey"][:14])
    assert not {n: s for n, s in structures.items() if len(s) > 1}


def test_label_audit_fields_are_well_formed():
    """tests/data/names/audit_labels.py: a corrected row keeps its old structure and says who settled it; a
    conflicted or dissented row says what disagrees; a build script's second statement of the structure is kept."""
    RDLogger.DisableLog("rdApp.*")
    audited = Counter()
    for r in rows():
        if "label_corrected" in r:
            old = r["label_corrected"]
            assert INCHIKEY.match(old["inchikey"]) and old["inchikey"][:14] != r["inchikey"][:14], r["name"]
            assert old["by"] and "against" in old["by"], r["name"]
            if old["smiles"]:
                assert Chem.MolToInchiKey(Chem.MolFromSmiles(old["smiles"])) == old["inchikey"], r["name"]
        for k in ("label_conflict", "label_dissent"):
            if k in r:
                assert isinstance(r[k], str) and "against" in r[k], (r["name"], k)
        assert not ("label_conflict" in r and "label_corrected" in r), r["name"]
        for st in r.get("other_statements", []):
            assert INCHIKEY.match(st["inchikey"]) and st["what"], r["name"]
        audited.update(k for k in ("label_corrected", "label_conflict", "label_dissent") if k in r)
    # the audit found the slips the brief named (SWGDRUG's pivaloyl fentanyl and ortho-methyl acetyl fentanyl)
    assert audited["label_corrected"] >= 5 and audited["label_conflict"] >= 10
    fixed = {r["name"]: r["inchikey"][:14] for r in rows() if "label_corrected" in r}
    assert fixed["Pivaloyl Fentanyl"] == "ZSFLALBHNJDBFJ" and fixed["2-methylacetyl fentanyl"] == "GRDWUDZBHWHLSH"


def test_no_synonym_fragments_from_split_source_lists():
    """Synonym lists cut at line breaks leave pieces that are not names ("p-methoxy", "Despropionyl"); the build
    scripts leave them out (sources.fragments) and split synonyms glued by a comma."""
    names = {r["name"] for r in rows()}
    assert not names & {"p-methoxy", "2-methoxy Furanyl", "Despropionyl"}
    assert not [n for n in names if re.search(r"[a-z],[A-Z]", n)]


def test_fourth_held_out_part_is_new_and_frozen():
    """heldout4: names from sources no other part uses (web pages, a designer-drug catalogue, TripSit / Isomer
    Design), with look-alike negatives; never used to tune fentwatch (its figures are the coordinator's)."""
    h4 = [r for r in rows() if r["part"] == "heldout4"]
    assert len(h4) >= 80
    assert sum(r["label"] == "positive" for r in h4) >= 40 and sum(r["label"] == "negative" for r in h4) >= 40
    other_urls = {r["source"]["url"].rsplit("/blob/", 1)[0] for r in rows() if r["part"] != "heldout4"}
    assert not {r["source"]["url"].rsplit("/blob/", 1)[0] for r in h4} & other_urls
    earlier = {r["name"].casefold() for r in rows() if r["part"] != "heldout4"}
    assert not [r["name"] for r in h4 if r["name"].casefold() in earlier]


def test_fifth_held_out_part_is_new_and_frozen():
    """heldout5: names from sources no other part uses (DrugBank's open vocabulary, MassBank records, web pages in other
    languages), with look-alike negatives; frozen before fentwatch was run on it (its once-scored figures are in
    tests/data/names/README.md)."""
    h5 = [r for r in rows() if r["part"] == "heldout5"]
    assert sum(r["label"] == "positive" for r in h5) >= 70 and sum(r["label"] == "negative" for r in h5) >= 100
    other_urls = {r["source"]["url"].rsplit("/blob/", 1)[0] for r in rows() if r["part"] != "heldout5"}
    assert not {r["source"]["url"].rsplit("/blob/", 1)[0] for r in h5} & other_urls
    assert {r["origin"] for r in h5} <= {"DrugBank vocabulary", "DrugBank vocabulary (look-alike)", "MassBank record",
                                         "stored web page (other languages)"}
    earlier = {r["name"].casefold() for r in rows() if r["part"] != "heldout5"}
    assert not [r["name"] for r in h5 if r["name"].casefold() in earlier]


def test_chinese_held_out_part_is_new_and_frozen():
    """heldout_zh: Chinese names as stored Chinese pages print them (tests/data/names/build_heldout_zh.py), with
    look-alike negatives; none of its names is in another part, every positive says how its structure was joined."""
    zh = [r for r in rows() if r["part"] == "heldout_zh"]
    assert len(zh) >= 25 and all(r["lang"] == "zh" for r in zh)
    assert sum(r["label"] == "positive" for r in zh) >= 10 and sum(r["label"] == "negative" for r in zh) >= 15
    assert all(r["note"].startswith("structure: ") for r in zh if r["label"] == "positive")
    earlier = {r["name"] for r in rows() if r["part"] != "heldout_zh"}
    assert not [r["name"] for r in zh if r["name"] in earlier]


def test_sixth_held_out_part_is_new_and_frozen():
    """heldout6: names from sources no other part uses (dosewiki's TripSit and Isomer Design records, web pages in other
    languages and scripts), with look-alike negatives; frozen before fentwatch was run on it (its once-scored figures
    are in tests/data/names/README.md); every positive says how its structure was joined."""
    h6 = [r for r in rows() if r["part"] == "heldout6"]
    assert sum(r["label"] == "positive" for r in h6) >= 40 and sum(r["label"] == "negative" for r in h6) >= 40
    other_urls = {r["source"]["url"].rsplit("/blob/", 1)[0] for r in rows() if r["part"] != "heldout6"}
    assert not {r["source"]["url"].rsplit("/blob/", 1)[0] for r in h6} & other_urls
    assert {r["origin"] for r in h6} <= {"dosewiki (TripSit / Isomer Design)", "dosewiki (look-alike)",
                                         "stored web page (other languages)"}
    assert all(r["note"].startswith("structure") and r["inchikey"] for r in h6 if r["label"] == "positive")
    earlier = {r["name"].casefold() for r in rows() if r["part"] != "heldout6"}
    assert not [r["name"] for r in h6 if r["name"].casefold() in earlier]


def test_held_out_structures_were_not_copied_into_the_lexicon():
    """The held-out part measures unseen analogs: no lexicon entry taken from this set's sources is held out."""
    from lexicon import load_lexicon

    held = {r["inchikey"][:14] for r in rows() if r["part"] == "heldout" and r["label"] == "positive"}
    # the two sources lexicon entries were made from (the others name substances the lexicon had already)
    set_urls = {r["source"]["url"] for r in rows() if r["origin"].startswith(("Fentanyl-Hunter", "Kim"))}
    copied = [s for s in load_lexicon().substances if {v.get("url") for v in s.sources.values()} & set_urls]
    assert len(copied) >= 100
    assert not [s.id for s in copied if s.inchikey[:14] in held]


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_names(rows(), default_detector())  # the worker's shared detector, not one more


# (part, flagged floor, right-structure floor), measured 2026-11-30 (session 4, second pass: the wrong-structure
# guard and written forms), rounded down; heldout2 was collected after the grammar work began, heldout3 frozen
# before this pass and measured once at its end; neither was used to tune. After that, CAS index names whole
# (post hoc, docs/names.md): heldout2 0.954 / 0.817 and untuned 0.990 / 0.856
FLOORS = [
    ("tuning", 0.99, 0.96),
    ("heldout", 0.99, 0.74),
    ("heldout2", 0.95, 0.81),
    ("heldout2/untuned", 0.99, 0.85),
    ("heldout3", 0.88, 0.72),
    ("heldout3/untuned", 0.84, 0.66),
    ("heldout5", 0.83, 0.80),  # session 6, after its misses were fixed (scored once before: 0.662 / 0.606)
    ("heldout_zh", 0.99, 0.99),  # session 6: scored once at 0.800 / 0.800 before the fixes; this is a tuning figure
    ("heldout6", 0.75, 0.63),  # session 7: scored once at 0.463 / 0.463 before the fixes; this is a tuning figure
]


@pytest.mark.parametrize("part,flagged,right", FLOORS)
def test_figures_do_not_fall_below_the_floor(evaluation, part, flagged, right):
    c = evaluation.parts[part]
    assert c.flagged / c.rows >= flagged, f"{part}: flagged {c.flagged}/{c.rows}"
    assert c.right / c.rows >= right, f"{part}: right structure {c.right}/{c.rows}"


# names flagged with another structure's InChIKey (the worst error: a wrong substance in the evidence), per part,
# measured 2026-11-30 (session 4, second pass; before it: 1, 10, 32, and 66 on heldout3): a change may lower these,
# not raise them
WRONG_CEILINGS = [("tuning", 1), ("heldout", 3), ("heldout2", 0), ("heldout3", 34), ("heldout5", 1), ("heldout_zh", 0),
                  ("heldout6", 0)]


@pytest.mark.parametrize("part,ceiling", WRONG_CEILINGS)
def test_names_given_a_wrong_structure_do_not_increase(evaluation, part, ceiling):
    assert evaluation.parts[part].wrong <= ceiling, f"{part}: {evaluation.parts[part].wrong} wrong structures"


def test_no_false_alarm_on_look_alike_names(evaluation):
    """On the tuning, first held-out, fifth held-out and Chinese held-out parts (heldout4's negatives are measured
    by the coordinator, once)."""
    parts = ("tuning", "heldout", "heldout5", "heldout_zh", "heldout6")
    assert sum(evaluation.negatives[p].flagged for p in parts) == 0, [f for f in evaluation.false_alarms if f[0] in parts]


def test_conflicted_rows_are_shown_not_scored(evaluation):
    conflicted = [r for r in rows() if r.get("label_conflict")]
    assert len(evaluation.conflicts) == len(conflicted)
    scored = sum(c.rows for p, c in evaluation.parts.items() if "/" not in p)
    assert scored == sum(r["label"] == "positive" and not r.get("label_conflict") for r in rows())


def test_the_report_prints_the_whole_set_as_the_sum_of_its_parts(evaluation):
    from detect.evaluate import format_names_report

    total = evaluation.total()
    parts = [c for p, c in evaluation.parts.items() if "/" not in p]
    assert total.rows == sum(c.rows for c in parts) > sum(c.rows for c in parts[1:])
    assert (total.flagged, total.right, total.wrong) == (sum(c.flagged for c in parts), sum(c.right for c in parts),
                                                         sum(c.wrong for c in parts))
    line = next(l for l in format_names_report(evaluation, details=False).splitlines() if l.strip().startswith("all parts"))
    assert f"{total.flagged:4d}/{total.rows:<4d}" in line and f"{total.right:4d}/{total.rows:<4d}" in line
