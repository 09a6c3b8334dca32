"""Chinese systematic names: what they add and what they cost, with the Chinese path off and on in one process.

    python bench/zh_names.py                       # names table + cost on a 5,000-listing mix
    python bench/zh_names.py --count 20000 --rounds 5

1. Names: every lexicon zh name and every name of tests/test_zh_names.py, each in a one-line offer
   ("<name> 现货 纯度99%"); counted as flagged, and as flagged with the right structure (a hit whose InChIKey is
   the lexicon's), with the Chinese path off (the engine before it) and on.
2. Cost: the engine's cheap pass (everything before OPSIN) over the benchmark mix (bench/make_mix.py) and over the
   Chinese listings of the labelled corpora, off and on, interleaved in chunks of 50 listings; and the Chinese
   candidate search timed alone.
Network: none. Figures are wall-clock on a shared machine: compare the two columns, not runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detect import engine  # noqa: E402
from detect import structure  # noqa: E402
from detect.engine import Detector  # noqa: E402
from detect.normalize import normalize  # noqa: E402
from detect.zh_names import translate  # noqa: E402
from lexicon import load_lexicon  # noqa: E402

ON = engine.zh_candidates


def _off(text, limit=20):
    return []


def name_rows() -> list[tuple[str, str, str]]:
    """(Chinese name, lexicon id, group)."""
    spec = importlib.util.spec_from_file_location("tz", ROOT / "tests" / "test_zh_names.py")
    tz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tz)
    lex = load_lexicon()
    rows = [(n.text, s.id, "lexicon zh names") for s in lex.substances for n in s.names if n.kind == "zh"]
    rows += [(z, sid, "as written in sources") for z, sid, _ in tz.AS_WRITTEN]
    rows += [(z, sid, "composed (CCS 2017)") for z, sid in tz.COMPOSED]
    rows += [(z, sid, "written otherwise") for z, sid, _ in tz.WRITTEN_OTHERWISE]
    return rows


def names_table(det: Detector) -> dict:
    lex = load_lexicon()
    rows = name_rows()
    out = {}
    for label, fn in (("off", _off), ("on", ON)):
        engine.zh_candidates = fn
        listings = [{"id": str(i), "title": f"{z} 现货", "text": "纯度99%\n价格：电议"} for i, (z, _, _) in enumerate(rows)]
        for (z, sid, group), r in zip(rows, det.scan_many(listings)):
            g = out.setdefault(group, {"n": 0, "off": [0, 0], "on": [0, 0]})
            if label == "off":
                g["n"] += 1
            right = any(h.inchikey and h.inchikey.split("-")[0] == lex.by_id[sid].inchikey.split("-")[0]
                        for h in r.hits)
            g[label][0] += r.flagged
            g[label][1] += r.flagged and right
    engine.zh_candidates = ON
    return out


def cheap_pass_rate(det: Detector, listings: list[dict], rounds: int, chunk: int = 50) -> dict:
    """Listings/s of the cheap pass with the Chinese path off and on, interleaved chunk by chunk (the order of the
    two alternating) so that the load of a shared machine falls on both alike."""
    totals = {"off": 0.0, "on": 0.0}
    order = [("off", _off), ("on", ON)]
    for r in range(rounds):
        for c in range(0, len(listings), chunk):
            part = listings[c:c + chunk]
            for label, fn in (order if (r + c // chunk) % 2 == 0 else order[::-1]):
                engine.zh_candidates = fn
                t0 = time.perf_counter()
                for listing in part:
                    det._first_pass(listing)
                totals[label] += time.perf_counter() - t0
    engine.zh_candidates = ON
    return {k: rounds * len(listings) / v for k, v in totals.items()}


def chinese_listings() -> list[dict]:
    out = []
    for path in sorted((ROOT / "tests" / "data").glob("*/listings.jsonl")):
        for line in open(path, encoding="utf-8"):
            listing = json.loads(line)
            text = f"{listing.get('title') or ''}{listing.get('text') or ''}{listing.get('html') or ''}"
            if not text.isascii() and any("\u4e00" <= c <= "\u9fff" for c in text):
                out.append(listing)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=5000, help="listings in the benchmark mix")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the listings, off and on interleaved")
    ap.add_argument("--mix", type=Path, default=Path("/tmp/fentwatch-zh-mix.jsonl"), help="mix file (made if absent)")
    args = ap.parse_args()
    if not args.mix.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_mix.py"), "--count", str(args.count),
                        "--out", str(args.mix)], check=True)
    det = Detector()
    print("Chinese names in a one-line offer: flagged / right structure, Chinese path off -> on")
    for group, g in names_table(det).items():
        print(f"  {group:24} n={g['n']:3}  flagged {g['off'][0]:3} -> {g['on'][0]:3}   "
              f"right structure {g['off'][1]:3} -> {g['on'][1]:3}")
    lex = load_lexicon()
    zh_names = [(n.text, s) for s in lex.substances for n in s.names if n.kind == "zh"]
    english = [translate(normalize(z).norm.text) for z, _ in zh_names]
    smiles = det.opsin.convert([e or "" for e in english])
    resolved = sum(1 for (z, s), smi in zip(zh_names, smiles)
                   if smi and (st := structure.parse_smiles(smi)[0]) and st.inchikey == s.inchikey)
    print(f"lexicon zh names read to the lexicon's structure by translation + OPSIN alone: {resolved}/{len(zh_names)} "
          f"(before: 0; the others are trivial names such as 芬太尼, found as names)")
    held = [line.rstrip("\n").split("\t") for line in
            open(ROOT / "tests" / "data" / "zh_names" / "heldout.tsv", encoding="utf-8")
            if line.strip() and not line.startswith("#")]
    read_right = wrong = flagged_ordinary = 0
    for zh, spec, kind, _ in held:
        english = translate(normalize(zh).norm.text)
        smi = det.opsin.convert([english])[0] if english else None
        kind_, value = spec.split(":", 1)
        want = value if kind_ == "smiles" else det.opsin.convert([value])[0]
        if smi:
            same = structure.parse_smiles(smi)[0].inchikey == structure.parse_smiles(want)[0].inchikey
            read_right += same
            wrong += not same
        if kind.startswith("ordinary"):
            flagged_ordinary += next(det.scan_many([{"id": "h", "title": f"{zh} 现货", "text": "纯度99%"}])).flagged
    ordinary = sum(k.startswith("ordinary") for _, _, k, _ in held)
    print(f"held-out set (tests/data/zh_names/heldout.tsv, not used for tuning): read to the expected structure "
          f"{read_right}/{len(held)}, to another structure {wrong}; "
          f"ordinary chemicals flagged {flagged_ordinary}/{ordinary}")
    mix = [json.loads(line) for line in open(args.mix, encoding="utf-8")][:args.count]
    zh = chinese_listings()
    for label, listings in (("benchmark mix", mix), ("Chinese corpus listings", zh)):
        rate = cheap_pass_rate(det, listings, args.rounds)
        texts = [normalize(engine.listing_text(x)[0]).norm.text for x in listings]
        per_round = []
        for _ in range(max(args.rounds, 5)):  # the fastest round: the least disturbed by other processes
            t0 = time.perf_counter()
            for t in texts:
                ON(t, 51)
            per_round.append((time.perf_counter() - t0) / len(listings))
        alone = min(per_round)
        print(f"cheap pass, {label} ({len(listings)} listings): off {rate['off']:.0f}/s, on {rate['on']:.0f}/s "
              f"({(rate['on'] / rate['off'] - 1) * 100:+.1f}%); the Chinese candidate search alone: "
              f"{alone * 1e6:.1f} us per listing = {alone * rate['off'] * 100:.2f}% of the cheap pass")
    det.opsin.close()


if __name__ == "__main__":
    main()
