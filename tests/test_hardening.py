"""Hostile listings: bounded cost, nothing cut silently, RDKit's noise captured. Each pathological input below
once took seconds to minutes for one listing (noted per row); a regression shows as a hung test run."""

import json
import subprocess

import pytest

from detect.context import SENTENCE_MAX, sentence_bounds
from detect.engine import default_detector
from detect.iupac import iupac_candidates
from detect.smiles import FORMULA_RE
from store.db import open_store, save_page
from warmrun import WARM_FENTWATCH

SMILES = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


@pytest.fixture(scope="module")
def detector():
    return default_detector()


HOSTILE = [  # (text, what it once cost)
    ("Buy C." + "C11" * 40 + "= now", "FORMULA_RE backtracked exponentially: 150 s at 18 repeats"),
    ("piperid" * 3000, "systematic-name candidates were quadratic: 57 s"),
    ("f.e.n.t." * 3000, "name windows and the spacing pass were quadratic: 9 s"),
    ("fentanyl " * 2000, "sentence bounds walked per character for every name: 75 s"),
    ("fentanyl" * 20000, "a 160,000-character word"),
    ("<" * 50000 + "(" * 50000, "brackets and tags"),
    ("芬太尼现货 " * 8000, "byte-to-character offsets were quadratic for non-ASCII text: 55 s at 40,000 names"),
]


@pytest.mark.parametrize("text, why", HOSTILE, ids=[w.split(":")[0] for _, w in HOSTILE])
def test_hostile_listing_scans_with_a_result(detector, text, why):
    r = detector.scan({"id": "h", "text": text})
    assert r.error is None
    full = "\n" + text
    assert all(full[h.start:h.end] == h.matched for h in r.hits)


def test_formula_pattern_is_linear_and_unchanged():
    assert FORMULA_RE.match("C." + "C11" * 200 + "=") is None
    for formula in ("C22H28N2O.HCl", "C22H28N2O·C6H8O7", "C6H12O6", "C22H28N2O.2HCl"):
        assert FORMULA_RE.match(formula)
    assert not FORMULA_RE.match("CCC(=O)N")


def test_sentence_bounds_and_name_candidates_are_bounded():
    text = "fentanyl " * 5000
    s, e = sentence_bounds(text, 20000)
    assert s <= 20000 <= e and e - s <= 3 * SENTENCE_MAX
    assert sentence_bounds("We never sell it. Fentanyl 99%. Buy", 20) == (17, 30)  # right after the full stop, up to the next
    cands = iupac_candidates("piperid" * 3000, limit=100, window=400)
    assert cands and all(len(c[0]) <= 807 for c in cands)


def test_whatever_is_cut_is_recorded(detector):
    long = detector.scan({"id": "l", "title": "Fentanyl", "text": "x " * 150_000})
    assert any(w.startswith("text truncated: scanned the first 200000 of 300009") for w in long.warnings)
    assert long.flagged  # the part scanned still counts
    many = " ".join(f"C{'C' * (i % 7)}C(=O)N(c1ccccc1)C1CCNCC1" for i in range(80))
    capped = detector.scan({"id": "m", "text": many})
    assert "SMILES candidates capped: parsed the first 50" in capped.warnings
    html = detector.scan({"id": "h", "html": "<p>" + "a" * 6_000_000 + "</p>"})
    assert html.warnings[0].startswith("html truncated: parsed the first 2000000")
    names = detector.scan({"id": "n", "text": "fentanyl 99% in stock. " * 2000})
    assert names.flagged and names.warnings[0].startswith("name search capped: read around the first 500 of")
    deep = detector.scan({"id": "d", "html": "<div><p>Fentanyl 99%</p>" * 80_000})  # 80,000 unclosed divs
    assert deep.hits and deep.warnings[0].startswith("html nested 80001 levels deep (limit 1000)")
    quiet = detector.scan({"id": "q", "title": "Fentanyl 99%", "text": "CAS 437-38-7"})
    assert quiet.warnings == []  # an ordinary listing has none


def test_rdkit_messages_are_scan_warnings_not_terminal_noise(tmp_path):
    listings = [{"id": "bad", "text": "SMILES: CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1(((( and N(C)(C)(C)(C)C=O"},
                {"id": "good", "text": f"SMILES {SMILES}"}]
    proc = subprocess.run([*WARM_FENTWATCH, "scan"], input="\n".join(map(json.dumps, listings)),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0
    assert "SMILES Parse Error" not in proc.stderr and "valence" not in proc.stderr
    bad, good = [json.loads(line) for line in proc.stdout.splitlines()]
    assert any(w.startswith("rdkit: SMILES Parse Error") for w in bad["warnings"])
    assert any("valence" in w for w in bad["warnings"])
    assert "warnings" not in good and good["flagged"]


def test_the_store_keeps_the_warnings_of_a_listing(tmp_path, detector):
    db = open_store(tmp_path / "w.db")
    result = detector.scan({"id": "u", "title": "Fentanyl", "text": "y " * 120_000}).to_json()
    page = {"url": "http://127.0.0.1/x", "platform": "t", "title": "Fentanyl", "text": "y " * 120_000, "body": b"",
            "warnings": ["encoding: the page declares utf-8 but is not valid utf-8; read as gb18030"]}
    saved = save_page(db, page, result)
    stored = json.loads(db["listings"].get(saved.listing_id)["scan_warnings"])
    assert stored[0].startswith("encoding:") and stored[1].startswith("text truncated")
