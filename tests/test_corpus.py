"""Listing-level precision and recall on the labeled corpus (tests/data/corpus), and the baseline beside it."""

from pathlib import Path

import pytest

from detect.engine import default_detector
from detect.evaluate import evaluate, format_report, read_jsonl

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(read_jsonl(CORPUS / "listings.jsonl"), read_jsonl(CORPUS / "labels.jsonl"), default_detector())


def test_corpus_is_big_and_varied_enough():
    labels = read_jsonl(CORPUS / "labels.jsonl")
    hows = {lab["how"] for lab in labels}
    assert len(labels) >= 300
    assert sum(lab["how"].startswith("novel") for lab in labels) >= 25
    for kind in ("chinese-name", "spanish", "cas-prefix", "cas-nohyphen", "salt", "smiles", "iupac", "buried",
                 "obfuscated-name", "negative-abbrev", "negative-teststrip", "negative-badcas", "negative-fuzzy"):
        assert kind in hows


def test_precision_and_recall_at_least_098(evaluation):
    report = format_report(evaluation)
    assert evaluation.overall.recall >= 0.98, report
    assert evaluation.overall.precision >= 0.98, report


@pytest.mark.parametrize("name", ["holdout", "holdout2"])
def test_earlier_holdout_sets_stay_at_least_098(name):
    # Each holdout set was written by another author and scored once before any rule was changed for it (holdout:
    # P 0.895, R 0.986; holdout2: P 0.780, R 0.947; see README). Their failures were then used to diagnose the
    # context rules, so they are regression sets now, not held-out measurements.
    folder = CORPUS.parent / name
    ev = evaluate(read_jsonl(folder / "listings.jsonl"), read_jsonl(folder / "labels.jsonl"), default_detector())
    assert ev.overall.recall >= 0.98 and ev.overall.precision >= 0.97, format_report(ev)


def test_held_out_set_three():
    # tests/data/holdout3 (224 listings, fourth author) was scored once, after every rule change of this session,
    # and nothing was changed for it: P 0.930, R 0.976. Do not diagnose rules on it; write a new set for that.
    # This guards the figure against regressions only.
    folder = CORPUS.parent / "holdout3"
    ev = evaluate(read_jsonl(folder / "listings.jsonl"), read_jsonl(folder / "labels.jsonl"), default_detector())
    assert ev.overall.recall >= 0.97 and ev.overall.precision >= 0.92, format_report(ev)
