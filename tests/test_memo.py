"""The Detector's memos of the positives' repeated work (spaCy's reading of a window, the class and precursor
rules and the family scaffold of a parsed structure; normalize_name) answer exactly as the uncached calls. The
labelled corpus is scanned with the memos bypassed, then twice with them (the second time every window and structure is a repeat);
every result must be the same JSON. Advertisement text only (the stored corpus)."""

import json
from pathlib import Path

from detect.engine import MEMO_SIZE, Detector
from detect.normalize import normalize, normalize_name

CORPUS = Path(__file__).parent / "data" / "corpus" / "listings.jsonl"


def test_memo_answers_as_the_uncached_path():
    listings = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    det = Detector()
    memos = {name: getattr(det, name) for name in ("_docs", "_verdicts", "_families")}
    for name, memo in memos.items():
        setattr(det, name, memo.__wrapped__)  # the uncached path: each call computes
    uncached = [r.to_json() for r in det.scan_many(listings)]
    for name, memo in memos.items():
        setattr(det, name, memo)
    first = [r.to_json() for r in det.scan_many(listings)]
    again = [r.to_json() for r in det.scan_many(listings)]
    assert sum(r["flagged"] for r in uncached) > 100  # the corpus's positives went through the memoized steps
    assert first == uncached
    assert again == uncached
    assert all(memo.cache_info().hits > 0 for memo in memos.values()), memos


def test_memos_are_bounded():
    det = Detector()
    for name in ("_docs", "_verdicts", "_families"):
        assert getattr(det, name).cache_info().maxsize == MEMO_SIZE  # memory stays flat on any input
    assert 0 < MEMO_SIZE <= 100_000


def test_normalize_name_remembered_answers_as_computed():
    names = ["Fentanyl", "f.e.n.t.a.n.y.l", "４－ＡＮＰＰ", "N-phenethyl-4-piрeridone", "c4rfentanil", "фентанил", ""]
    for name in names * 2:
        assert normalize_name(name) == normalize(name).words.text
