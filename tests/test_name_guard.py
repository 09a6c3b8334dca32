"""Never the wrong substance (issue 14): a name next to words that change the compound claims no structure, while
plain advertisement context around a name keeps it; and the written forms sellers and libraries use (MeO, .alpha.,
TFM, hyphen-glued F/Cl/Me) are read as grammar words.

Expected structures are the InChIKeys public sources state for these names (NIST fentanyl-classifier MSP records,
asm3-nist/FentanylClassifier commit cf612c9; the Fentanyl-Hunter library, FangLabNTU/Fentanyl-Hunter commit
e57ad86), or lexicon entries. Listings are advertisement text only.
"""

import pytest

from detect.engine import default_detector
from detect.analog_names import UNRESOLVED
from lexicon import load_lexicon


@pytest.fixture(scope="module")
def det():
    return default_detector()  # the worker's shared detector: built once, not per file


def offer(name: str) -> dict:
    return {"id": "g", "title": name, "text": f"Product Name: {name}\nPurity: 99%\nPackage: 1 kg\nPrice: $100\n"
                                              "Contact: +00 000 0000, sales@example.com"}


def lex_key(substance_id: str) -> str:
    return load_lexicon().by_id[substance_id].inchikey


def keys(result) -> set:
    return {h.inchikey[:14] for h in result.hits if h.inchikey}


# a lexicon or parser name inside a longer group with a word it did not read: flagged, no structure claimed
# (name, the lexicon compound it must not become)
GUARDED = [
    # ("4-Methoxy Fu-F", "p-Chloro Fu-F 3-furancarboxamide", "ortho-Methyl Fu-F" are read since session 5: Fu-F is
    # a parent of the grammar, tests/test_fentanyl_names_vendor.py)
    ("omega-Methoxy Fu-F", "furanylfentanyl"),           # a Greek-letter word the grammar has no position for
    ("Fu-F ortho tolyl analog", "furanylfentanyl"),
    ("4-Naphthyl Fu-F", "furanylfentanyl"),               # a ring word the grammar does not place
    ("omega-Hydroxy fentanyl", "fentanyl"),              # a Greek-letter word the grammar has no position for
    # NIST library names "<X> ... analog" ("Fentanyl ortho tolyl acetyl analog" is read since session 7: ring words,
    # tests/test_fentanyl_names_misses.py); a ring word the table does not have stays unread
    ("Fentanyl ortho naphthyl acetyl analog", "fentanyl"),
    ("Fentanyl, 4-N-propyl analog", "fentanyl"),
    ("Fentanyl oxide", "fentanyl"),  # ("Fentanyl N-oxide" is read since session 7: the piperidine N-oxide)
    ("Remifentanil bis ethyl ester", "remifentanil"),
    # ("trans-3-Methyl 4',para-Difluoro Fentanyl" is read since session 5: a locant list with a word in it)
    ("trans-3-Methyl 4',para-Difluoro-omega-chloro Fentanyl", "fentanyl"),
    ("Tetramethylcyclopropylfentanyl", "para-methyl-cyclopropyl-fentanyl"),  # not a misspelling of that one
]


@pytest.mark.parametrize("name,not_this", GUARDED)
def test_unread_modifiers_leave_the_name_unresolved(det, name, not_this):
    r = det.scan(offer(name))
    assert r.flagged, name
    assert lex_key(not_this)[:14] not in keys(r), f"{name}: claimed {not_this}'s structure"
    assert any(h.substance == UNRESOLVED for h in r.hits), name


# plain advertisement context around a name: the compound is still named (name in its offer, lexicon id)
PLAIN = [
    ("Fentanyl 99% powder", "fentanyl"),
    ("buy carfentanil online", "carfentanil"),
    ("Fentanyl HCl", "fentanyl"),
    ("Fentanyl citrate injection", "fentanyl"),
    ("high-purity fentanyl", "fentanyl"),
    ("pm me fentanyl best price", "fentanyl"),           # "me" alone is a word, not methyl
    ("Fu-F", "furanylfentanyl"),
    ("Furanyl fentanyl 1 kg bag", "furanylfentanyl"),
    ("acetyl fentanyl", "acetylfentanyl"),
    ("carfentanyle", "carfentanil"),                     # a seller's misspelling keeps its fuzzy hit
]


@pytest.mark.parametrize("name,substance_id", PLAIN)
def test_plain_context_keeps_the_compound(det, name, substance_id):
    r = det.scan(offer(name))
    assert r.flagged and lex_key(substance_id)[:14] in keys(r), name
    assert not any(h.substance == UNRESOLVED for h in r.hits), name


# written forms read as the grammar words they stand for (name, InChIKey the source states for it)
WRITTEN = [
    (".alpha.-Methyl Thiofentanyl", "YPOXDUYRRSUFFG-UHFFFAOYSA-N"),      # NIST MSP record
    ("4-MeO-Butyrylfentanyl", "FNVSEQCPMXWQKG-UHFFFAOYSA-N"),            # NIST MSP record (DEA synonym)
    ("2-MeO Butyryl fentanyl", "RWKPKWZAKCWONI-UHFFFAOYSA-N"),           # NIST MSP record
    ("p-TFM-fentanyl", "SYGTUZMKKNMUCP-UHFFFAOYSA-N"),                   # Fentanyl-Hunter library, HighResNPS row
    # Cayman's convention: a bare 3-methyl word before a separate acyl word is meta on the aniline ring ...
    ("3-Methyl Methoxyacetyl fentanyl", "FQVRNAAHEQDAAK-UHFFFAOYSA-N"),  # NIST MSP record
    ("3-methyl Furanyl fentanyl", "MAUKPWKPNGATGI-UHFFFAOYSA-N"),        # NIST MSP record
    # ... and with a stereo descriptor it is the piperidine methyl
    ("cis-3-Methyl butyryl fentanyl", "ZPAOSKLOFZWBLS-NFBKMPQASA-N"),    # Fentanyl-Hunter library
]


@pytest.mark.parametrize("name,inchikey", WRITTEN)
def test_written_forms_are_read(det, name, inchikey):
    r = det.scan(offer(name))
    assert r.flagged and inchikey[:14] in keys(r), (name, keys(r))
    assert any(h.method == "analog-name" for h in r.hits), name
