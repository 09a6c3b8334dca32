"""Where the in-process scan spends its time, and its CPU rate: the benchmark mix through ``Detector.scan_many``.

    python bench/profile_scan.py --mix mix.jsonl --count 10000          # cProfile, top functions by own time
    python bench/profile_scan.py --mix mix.jsonl --rate --repeat 3      # listings per CPU-second, warm, no profiler
    python bench/profile_scan.py --mix mix.jsonl --rate --tree /tmp/base  # the same with another revision's code

The mix is bench/make_mix.py's (made here when --mix is not given). The detector is warmed on 300 listings first
(spaCy, RDKit, the OPSIN JVM) and that time is not counted. CPU time is this process's (time.process_time), which
the machine's load changes much less than wall time; cProfile slows Python code several times, so read its shares.
Network: none (local files).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_mix(path: Path | None, count: int) -> list[dict]:
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="fentwatch-profile-")) / "mix.jsonl"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_mix.py"), "--count", str(count), "--out", str(path)],
                       check=True, stdout=subprocess.DEVNULL)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:count]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mix", type=Path, help="a JSONL mix (default: make one with bench/make_mix.py)")
    ap.add_argument("--count", type=int, default=10000, help="listings scanned")
    ap.add_argument("--rate", action="store_true", help="CPU rate without the profiler instead of a profile")
    ap.add_argument("--repeat", type=int, default=3, help="rounds for --rate")
    ap.add_argument("--top", type=int, default=30, help="functions shown in the profile")
    ap.add_argument("--tree", type=Path, help="scan with the code of this folder (e.g. a `git archive` of another "
                                              "revision) instead of this checkout's")
    args = ap.parse_args()
    if args.tree:
        sys.path.insert(0, str(args.tree.resolve()))
    from detect.engine import Detector

    rows = load_mix(args.mix, args.count)
    det = Detector()
    list(det.scan_many(rows[:300]))  # warm
    if args.rate:
        rates = []
        for i in range(args.repeat):
            start = time.process_time()
            flagged = sum(r.flagged for r in det.scan_many(rows))
            rates.append(len(rows) / (time.process_time() - start))
            print(f"round {i + 1}: {rates[-1]:.0f} listings per CPU-second ({flagged} flagged)", flush=True)
        print(f"median: {statistics.median(rates):.0f} listings per CPU-second")
        return
    prof = cProfile.Profile(time.process_time)  # CPU time: on a shared machine wall time counts the others
    prof.enable()
    flagged = sum(r.flagged for r in det.scan_many(rows))
    prof.disable()
    print(f"{len(rows)} listings, {flagged} flagged")
    pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
