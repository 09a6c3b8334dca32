"""Listing-level precision and recall on the labeled corpus (tests/data/corpus), and the baseline beside it."""

from pathlib import Path

import pytest

from detect import Detector
from detect.evaluate import evaluate, format_report, read_jsonl

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(read_jsonl(CORPUS / "listings.jsonl"), read_jsonl(CORPUS / "labels.jsonl"), Detector())


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


def test_first_holdout_set_stays_at_least_098():
    # tests/data/holdout was written by another author; its first run (P 0.895, R 0.986) was used to diagnose the
    # context rules, so it is a regression set now, not a held-out measurement.
    folder = CORPUS.parent / "holdout"
    ev = evaluate(read_jsonl(folder / "listings.jsonl"), read_jsonl(folder / "labels.jsonl"), Detector())
    assert ev.overall.recall >= 0.98 and ev.overall.precision >= 0.98, format_report(ev)


def test_flagged_for_the_right_substance(evaluation):
    assert evaluation.wrong_substance == []


def test_fentwatch_beats_the_keyword_baseline(evaluation):
    assert evaluation.overall.f1 > evaluation.baseline.f1 + 0.2
