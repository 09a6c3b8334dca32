"""Deterministic realistic-mix corpus for benchmarks: 98% ordinary chemical listings, 2% positives, 1-2 KB each.

Ordinary listings are product pages and stock lists of everyday chemicals, written like the labeled corpus; the
positives are the labeled corpus's positive listings padded to the same size. Benign CAS-like numbers are random
digit strings with a valid check digit (synthetic, never a controlled number). Output: JSONL (scan input) and,
with --html, one HTML page per listing for the crawl and HTML-to-text benchmarks.

    python bench/make_mix.py --count 20000 --out bench/data/mix.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo.ordinary import PHRASES, ordinary  # noqa: E402
from lexicon import load_lexicon  # noqa: E402

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20000, help="number of listings")
    ap.add_argument("--positive-share", type=float, default=0.02, help="share of positive listings")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "mix.jsonl")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    controlled = {c for s in load_lexicon().substances for c in s.cas_numbers}
    corpus = ROOT / "tests" / "data" / "corpus"
    labels = {json.loads(x)["id"]: json.loads(x) for x in open(corpus / "labels.jsonl", encoding="utf-8")}
    positives = [json.loads(x) for x in open(corpus / "listings.jsonl", encoding="utf-8")
                 if labels[json.loads(x)["id"]]["flag"]]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for i in range(args.count):
            if rng.random() < args.positive_share:
                item = dict(rng.choice(positives))
                item["id"] = f"P{i:07d}"
                pad = []
                while len(item["text"]) + sum(map(len, pad)) < 900:
                    pad.append(rng.choice(PHRASES))
                item["text"] = item["text"] + "\n" + " ".join(pad)
            else:
                item = ordinary(rng, i, controlled)
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {args.count} listings to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
