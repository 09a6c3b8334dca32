"""Britannica-style anilide names and their translations (session 7, a kind of miss of the sixth held-out part):
"N-(1-<phenethyl>-4-piperidyl) <acyl>anilide" with a space before the anilide word, in English and in Romance and
German spellings ("fenetil", "piperidil", "-anilida", "-anilid"): the candidate name reaches across the space to the
anilide word (detect/iupac.py), and the Romance "fenetil" reads "phenethyl" (detect/data/name_repairs.yaml). The names
are written for the test, not copied from the held-out part."""

from __future__ import annotations

import pytest

from detect.engine import default_detector
from name_offers import assert_gets, offer


@pytest.fixture(scope="module")
def det():
    return default_detector()  # the worker's shared detector: built once, not per file


# (product name, the lexicon substance whose structure it must get, why)
CASES = [
    ("N- (1-phenethyl-4-piperidyl) butyranilide", "butyrylfentanyl", "English, spaced out after N- and the bracket"),
    ("N-(1-fenetil-4-piperidil) acetanilida", "acetylfentanyl", "Spanish/Portuguese: fenetil, piperidil, -anilida"),
    ("N-(1-fenetil-4-piperidil)propionanilid", "fentanyl", "German-style ending -anilid, Romance fenetil"),
]


@pytest.mark.parametrize("name,substance,why", CASES)
def test_anilide_names_in_other_spellings_resolve(det, name, substance, why):
    assert_gets(det, name, substance, why)


def test_a_word_after_the_bracket_that_is_no_anilide_stays_out(det):
    """Only an anilide word joins the name across the space: "(...piperidyl) available" is not read as one name."""
    r = det.scan(offer("4-anilino-1-benzylpiperidine (1-benzyl-4-piperidyl) available now"))
    assert all("available" not in h.matched for h in r.hits)
