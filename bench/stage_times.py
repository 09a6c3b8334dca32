"""CPU time of each stage of the scan, in µs a listing, on the benchmark mix's ordinary listings (or its positives).

    python bench/stage_times.py --mix mix.jsonl                    # this checkout, 8,000 ordinary listings, 2 passes
    python bench/stage_times.py --mix mix.jsonl --tree /tmp/base   # another revision's code (a `git archive` of it)
    python bench/stage_times.py --mix mix.jsonl --positives        # the mix's positives instead

Each stage is a function of detect/ wrapped with a timer where the engine calls it; a stage missing from a revision
is left out. The timer is the process CPU clock (time.process_time_ns; ``--clock wall``: time.perf_counter_ns, which
counts the time other processes hold the core, so only on a quiet machine). Reading the CPU clock is a system call
of 1-2 us here, which a timed helper inside a stage adds to it: so the stages are the engine's own calls, and
``_cheap_pass`` (which holds the page rules, normalization and the candidate searches) the only one that nests;
``--inner`` adds the page rules' helpers (nested in ``page_evidence``, which their timers then inflate). The whole
pass is CPU time. One warm process; the first pass is the one to compare (the page rules and the positives' memos
remember what they saw). Run two revisions in turn, more than once: on a shared machine one pass varies by +-30 %.
Network: none (local files).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ENGINE = ["listing_text", "page_evidence", "normalize", "smiles_candidates", "inchi_candidates", "inchikey_candidates",
          "iupac_candidates", "zh_candidates", "cyrillic_names", "extract_contacts", "morpheme_check",
          "morpheme_non_ascii"]
PAGE = ["price_in_text", "_url_facts", "title_product"]
DETECTOR = ["_name_hits", "_cas_hits", "_score", "_cheap_pass", "_structures_and_score"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mix", type=Path, required=True, help="a JSONL mix (bench/make_mix.py)")
    ap.add_argument("--count", type=int, default=8000, help="listings timed")
    ap.add_argument("--passes", type=int, default=2, help="passes over them in the one process")
    ap.add_argument("--positives", action="store_true", help="time the positives (ids P...) instead")
    ap.add_argument("--tree", type=Path, help="the code of this folder instead of this checkout's")
    ap.add_argument("--inner", action="store_true", help="time the page rules' helpers too (nested in derive)")
    ap.add_argument("--cold", action="store_true",
                    help="warm on ordinary listings, so the first pass meets each positive as the scan first does")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="the stages' timer (default: cpu)")
    args = ap.parse_args()
    sys.path.insert(0, str((args.tree or Path(__file__).resolve().parent.parent).resolve()))
    import importlib

    import detect.engine as engine
    from detect.batch import scan_chunk
    try:
        page = importlib.import_module("detect.page")
    except ImportError:  # revisions before the page rules (51d4353)
        page = None

    spent: collections.Counter = collections.Counter()
    clock = time.process_time_ns if args.clock == "cpu" else time.perf_counter_ns

    def wrap(owner, name: str) -> None:
        func = getattr(owner, name, None)
        if func is None:
            return

        def timed(*a, **k):
            start = clock()
            try:
                return func(*a, **k)
            finally:
                spent[name] += clock() - start
        setattr(owner, name, timed)

    for name in ENGINE:
        wrap(engine, name)
    for name in PAGE if args.inner and page is not None else []:
        wrap(page, name)
    for name in DETECTOR:
        wrap(engine.Detector, name)
    lines = [x for x in args.mix.read_text(encoding="utf-8").splitlines()
             if json.loads(x)["id"].startswith("P" if args.positives else "M")][:args.count]
    det = engine.Detector()
    warm = [x for x in args.mix.read_text(encoding="utf-8").splitlines() if json.loads(x)["id"].startswith("M")] \
        if args.cold else lines
    scan_chunk(det, list(enumerate(warm[:300])))  # warm: spaCy, RDKit, the OPSIN JVM
    for n in range(args.passes):
        spent.clear()
        start = time.process_time_ns()
        for i in range(0, len(lines), 256):
            scan_chunk(det, list(enumerate(lines[i:i + 256])))
        total = time.process_time_ns() - start
        stages = " ".join(f"{k}={v / len(lines) / 1000:.1f}" for k, v in spent.most_common())
        print(f"pass {n + 1}: {len(lines)} listings, whole {total / len(lines) / 1000:.1f} us each; {stages}",
              flush=True)


if __name__ == "__main__":
    main()
