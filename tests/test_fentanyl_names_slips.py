"""Never the wrong substance (issue 14, item 3), session 8: a word before the parent with the shape of an acyl or
group word is part of the name. Read where one slip rule reads it unambiguously (two letters swapped in a seven-letter
acyl word, the Romance "-il" of an acyl word the table knows), else the name is an unresolved fentanyl-family name,
never the bare parent's substance; "N-<group>" on 4-ANPP is a group on a nitrogen, not the library's "phenyl" acyl.
Names made up for the test, in made-up name-only offers (detect/fentanyl_names.py)."""

from __future__ import annotations

import pytest

from detect.analog_names import UNRESOLVED
from detect.engine import default_detector
from name_offers import assert_gets, block, offer, structures


@pytest.fixture(scope="module")
def det():
    return default_detector()


# (name, the lexicon substance, the slip)
READ = [
    ("para-fluoro butryyl fentanyl", "para-fluorobutyrylfentanyl", "two letters swapped in the 7-letter 'butyryl'"),
    ("furnayl fentanyl", "furanylfentanyl", "two letters swapped in 'furanyl'"),
    ("valeril fentanilo", "valerylfentanyl", "Spanish -il for -yl on an acyl word the table knows"),
    ("butanoil fentanil", "butyrylfentanyl", "Romance -oil for -oyl (butanoyl), the Latin -il stem"),
]


@pytest.mark.parametrize("name,substance,why", READ)
def test_a_one_slip_acyl_word_before_the_parent_is_read(det, name, substance, why):
    assert_gets(det, name, substance, why)


# a word with an acyl's shape that no rule reads: the name is unresolved, not the parent
UNREAD = [
    ("para-chloro qwertyl fentanyl", "an unknown -yl word"),
    ("4-fluoro butyrlly fentanyl", "two slips in 'butyryl'"),
    ("zanoil fentanilo", "an unknown -oil word"),
]


@pytest.mark.parametrize("name,why", UNREAD)
def test_an_unread_acyl_shaped_word_makes_the_name_unresolved(det, name, why):
    r = det.scan(offer(name))
    assert r.flagged, why
    assert block("fentanyl") not in structures(r), ([(h.substance, h.method) for h in r.hits], why)
    assert any(h.substance == UNRESOLVED for h in r.hits), why


@pytest.mark.parametrize("name", ["we supply fentanyl patches", "fast delivery fentanyl citrate"])
def test_ordinary_words_before_the_parent_leave_it_alone(det, name):
    assert_gets(det, name, "fentanyl", "no acyl shape: -ly words one slip from no acyl or group word")


def test_a_group_after_n_on_4_anpp_is_not_the_phenyl_acyl(det):
    r = det.scan(offer("N-phenyl 4-ANPP"))  # the library's "phenyl fentanyl" is benzoylfentanyl; "N-phenyl" is not
    assert r.flagged and block("benzoylfentanyl") not in structures(r), [(h.substance, h.method) for h in r.hits]
    assert_gets(det, "phenyl fentanyl", "benzoylfentanyl", "the library's name stays read")
    assert_gets(det, "N-benzoyl 4-ANPP", "benzoylfentanyl", "an acyl after N- on 4-ANPP is on the anilide N")


# Russian names write an English group word letter for letter (c ц before e/i/y, y и, x кс, ch х, ph ф, h г); the
# words view reads them by BGN/PCGN ("atsetil"), and the parser reads them back (data: cyrillic_chemical)
CYRILLIC = [
    ("ацетилфентанил", "acetylfentanyl", "ац = ac, -ил = -yl, glued to the stem"),
    ("ацетил фентанил", "acetylfentanyl", "the acyl word apart: never the bare parent"),
    ("циклопропилфентанил", "cyclopropylfentanyl", "ци = cy"),
    ("валерилфентанил", "valerylfentanyl", "и = y inside the word"),
    ("метоксиацетил фентанил", "methoxyacetylfentanyl", "кс = x"),
]


@pytest.mark.parametrize("name,substance,why", CYRILLIC)
def test_russian_group_words_are_read_by_chemical_usage(det, name, substance, why):
    r = assert_gets(det, name, substance, why)
    assert block("fentanyl") not in structures(r), why


def test_an_n_alkyl_4_anpp_gets_the_same_verdict_by_name_and_by_structure(det):
    """"Methyl 4-ANPP" is read by the nomenclature parser as an unlisted 4-ANPP analog; its systematic name gets the
    fentanyl-family verdict (detect/data/family_rules.yaml) with the same structure, no legal basis claimed. A
    bamipine-like amine (N-benzyl aniline, 1-methylpiperidine) stays unflagged."""
    by_name = det.scan(offer("Methyl 4-ANPP"))
    by_structure = det.scan(offer("N-methyl-N-phenyl-1-(2-phenylethyl)piperidin-4-amine"))
    assert by_name.flagged and by_structure.flagged
    assert structures(by_name) & structures(by_structure)
    fam = [h for h in by_structure.hits if h.method == "family-rule"]
    assert fam and not fam[0].rules
    assert not det.scan(offer("N-benzyl-N-phenyl-1-methylpiperidin-4-amine")).flagged


def test_a_halogenated_4_anbp_gets_the_family_verdict_by_structure_as_by_name(det):
    """Cayman's "fluoro 4-ANBP" names are read by the parser as 4-ANPP analogs; a systematic name of a halogenated
    4-ANBP (made up: the bromo one) gets the fentanyl-family verdict, no legal basis claimed; 4-ANBP itself and a
    methyl-substituted one (building blocks) stay unflagged."""
    r = det.scan(offer("N-(2-bromophenyl)-1-(phenylmethyl)piperidin-4-amine"))
    fam = [h for h in r.hits if h.method == "family-rule"]
    assert r.flagged and fam and not fam[0].rules
    assert not det.scan(offer("N-phenyl-1-(phenylmethyl)piperidin-4-amine")).flagged
    assert not det.scan(offer("N-(4-methylphenyl)-1-benzylpiperidin-4-amine")).flagged
