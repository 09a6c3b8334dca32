"""OPSIN round trips and names sent per listing, and listings/s, on the benchmark mix (bench/make_mix.py).

    python bench/opsin_calls.py                    # a 20,000-listing mix, 3 rounds
    python bench/opsin_calls.py --count 5000 --rounds 5

Scans the mix in process with one detector; before each round the OPSIN answer cache is emptied, so every name is
sent again. Counts the round trips to the OPSIN process and the names sent (systematic-name candidates, and the
repaired readings of names that failed: detect/name_repairs.py). Network: none (OPSIN runs as a local process).
Figures are wall-clock on a shared machine: compare runs of the same session, not across machines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20000, help="listings in the mix")
    ap.add_argument("--rounds", type=int, default=3, help="scans of the whole mix")
    ap.add_argument("--mix", type=Path, default=ROOT / "bench" / "data" / "opsin_mix.jsonl", help="mix file (made if absent)")
    args = ap.parse_args()
    if not args.mix.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_mix.py"), "--count", str(args.count),
                        "--out", str(args.mix)], check=True)
    sys.path.insert(0, str(ROOT))
    from detect.engine import Detector

    rows = [json.loads(line) for line in args.mix.open(encoding="utf-8")][: args.count]
    det = Detector()
    list(det.scan_many(rows[:300]))  # warm: spaCy, RDKit, the OPSIN JVM
    opsin = det.opsin
    sent = [0]
    convert = opsin._convert_uncached

    def counting(names):
        sent[0] += len(names)
        return convert(names)

    opsin._convert_uncached = counting
    for r in range(args.rounds):
        opsin.cache.clear()
        calls, sent[0] = opsin.calls, 0
        t = time.perf_counter()
        flagged = sum(res.flagged for res in det.scan_many(rows))
        dt = time.perf_counter() - t
        trips = opsin.calls - calls
        print(f"round {r + 1}: {len(rows) / dt:,.0f} listings/s, {flagged} flagged, OPSIN round trips {trips} "
              f"({trips / len(rows):.4f} per listing), names sent {sent[0]} ({sent[0] / len(rows):.4f} per listing)")


if __name__ == "__main__":
    main()
