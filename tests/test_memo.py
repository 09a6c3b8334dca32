"""detect/memo.py: the positives' memos (spaCy's reading of a window, the class and precursor rules and the family
scaffold of a parsed structure, normalize_name) answer exactly as the uncached calls. The labelled corpus is
scanned with the memos bypassed, then twice with them (the second time every window and structure is a repeat);
every result must be the same JSON. Advertisement text only (the stored corpus)."""

import json
from pathlib import Path

from detect.engine import Detector
from detect.memo import Memo
from detect.normalize import normalize, normalize_name

CORPUS = Path(__file__).parent / "data" / "corpus" / "listings.jsonl"


def test_memo_answers_as_the_uncached_path():
    listings = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    det = Detector()
    memos = {name: getattr(det, name) for name in ("_docs", "_verdicts", "_families")}
    for name, memo in memos.items():
        setattr(det, name, memo.compute)  # the uncached path: each call computes
    uncached = [r.to_json() for r in det.scan_many(listings)]
    for name, memo in memos.items():
        setattr(det, name, memo)
    first = [r.to_json() for r in det.scan_many(listings)]
    again = [r.to_json() for r in det.scan_many(listings)]
    assert sum(r["flagged"] for r in uncached) > 100  # the corpus's positives went through the memoized steps
    assert first == uncached
    assert again == uncached
    assert all(memo.hits > 0 for memo in memos.values()), {n: m.hits for n, m in memos.items()}


def test_memo_is_bounded_and_computes_once_per_key():
    calls = []
    memo = Memo(lambda k: calls.append(k) or k * 2, size=3)
    assert [memo(k) for k in (1, 2, 1, 3, 4, 1)] == [2, 4, 2, 6, 8, 2]
    assert calls == [1, 2, 3, 4, 1]  # 1 again after the memo filled up and was emptied at 4
    assert len(memo.values) <= 3


def test_normalize_name_remembered_answers_as_computed():
    names = ["Fentanyl", "f.e.n.t.a.n.y.l", "４－ＡＮＰＰ", "N-phenethyl-4-piрeridone", "c4rfentanil", "фентанил", ""]
    for name in names * 2:
        assert normalize_name(name) == normalize(name).words.text
