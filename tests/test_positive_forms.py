"""Session 9's faster forms for listings with a hit answer as the forms they replace: a hit's JSON written out
(detect/result.py Hit.to_json, detect/legal.py Basis.to_json) against dataclasses.asdict's, and the memos of the
positives' repeated work (the names read in a passage, a hit's legal basis, names_product) against the uncached
calls, on every stored labelled listing (scanned uncached, then twice with the memos) and on generated hits.
Advertisement text only (the stored corpora)."""

import json
import random
from dataclasses import asdict
from pathlib import Path

import detect.engine as engine
from detect.engine import MEMO_SIZE, Detector
from detect.legal import Basis
from detect.result import Hit

DATA = Path(__file__).parent / "data"
SETS = ("corpus", "holdout", "holdout2", "holdout3")


def listings() -> list[dict]:
    return [json.loads(line) for name in SETS
            for line in (DATA / name / "listings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def old_hit_json(h: Hit) -> dict:
    """Hit.to_json as it was (7257da9)."""
    d = asdict(h)
    d["score"] = round(h.score, 3)
    d["legal"] = [asdict(b) if isinstance(b, Basis) else b for b in h.legal]
    del d["substance_id"], d["note"]
    if h.similarity is None:
        del d["similarity"]
    else:
        d["similarity"] = round(h.similarity, 3)
    return d


def same_json(a: dict, b: dict) -> bool:
    """Equal, with the keys in the same order (the scan's JSON lines are compared byte for byte)."""
    return json.dumps(a) == json.dumps(b)


def generated_hits():
    rng = random.Random(9)
    bases = [Basis("CN", "controlled", "2019 class"), Basis("US", "regulated", "US-FRS(E): ..."),
             {"jurisdiction": "UN", "severity": "controlled", "basis": "given as a dict"}]
    for _ in range(3000):
        yield Hit(rng.choice(["Fentanyl", "unlisted fentanyl analog (C22H28N2O)", "", "4-ANPP ≥"]),
                  rng.choice(["fentanyl-like", "precursor"]), rng.choice([None, "PJMPHNIQZUBGLI-UHFFFAOYSA-N"]),
                  rng.choice(["name", "fuzzy-name", "cas", "iupac"]), rng.choice(["fent", "Фентанил", "x" * 70]),
                  rng.randint(0, 99), rng.randint(100, 999), rng.sample(["CN-2019(1)", "US-FRS(B)", "US-FRS(E)"],
                                                                        rng.randint(0, 3)),
                  rng.random(), rng.choice([None, "fentanyl"]), rng.choice(["", "ambiguous"]),
                  rng.choice([None, "controlled", "regulated"]), rng.sample(bases, rng.randint(0, 3)),
                  rng.choice([None, rng.random(), 1.0, 0.88888]))


def test_hit_json_written_out_is_asdicts():
    det = Detector()
    hits = [h for r in det.scan_many(listings()) for h in r.hits]
    assert len(hits) > 500 and any(h.legal for h in hits) and any(h.similarity is not None for h in hits)
    for h in [*hits, *generated_hits()]:
        assert same_json(h.to_json(), old_hit_json(h)), h
    for b in {b for h in hits for b in h.legal}:
        assert same_json(b.to_json(), asdict(b))


def test_positive_memos_answer_as_the_uncached_path(monkeypatch):
    rows = listings()
    det = Detector()
    memos = {"_bases": det, "_readings": det.analogs}
    for name, owner in memos.items():
        setattr(owner, name, getattr(owner, name).__wrapped__)  # each call computes
    monkeypatch.setattr(engine, "names_product", engine.names_product.__wrapped__)
    uncached = [r.to_json() for r in det.scan_many(rows)]
    monkeypatch.undo()
    det = Detector()
    first = [r.to_json() for r in det.scan_many(rows)]
    again = [r.to_json() for r in det.scan_many(rows)]
    assert sum(r["flagged"] for r in uncached) > 300
    assert first == uncached
    assert again == uncached
    for name, owner in {"_bases": det, "_readings": det.analogs}.items():
        info = getattr(owner, name).cache_info()
        assert info.hits > 0 and info.maxsize == MEMO_SIZE, (name, info)
    assert engine.names_product.cache_info().maxsize == MEMO_SIZE
