"""The slowest listings: time per listing over the fuzz corpus, p50 / p99 / max, and the ten slowest.

    python bench/slowest.py                  # labeled listings + fuzz/corpus/scan (if `make fuzz` ran) + hostile set
    python bench/slowest.py --no-hostile     # without the hand-made worst cases

The corpus is what the fuzz target reads: every labeled listing (tests/data/*/listings.jsonl, as title and text),
every input the fuzzer kept in fuzz/corpus/scan (coverage-increasing mutations), a hand-made hostile set
(the inputs that once took seconds or minutes, at the largest size the limits let through) and hostile
`fentwatch scan` input lines (deep JSON, huge numbers, lone surrogates: parsed and scanned whole). Each listing is
scanned alone with a warm detector (one OPSIN round trip per listing that has systematic-name candidates, the
worst case; a crawl batches them), timed with perf_counter. Goal (issue 8): p99 < 50 ms, max < 1 s. Printed,
not asserted: timings on a shared 2-core machine are noisy. Network: none.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fuzz"))

SMILES = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def hostile() -> list[tuple[str, dict]]:
    """The worst cases the limits let through (settings.toml [limits]): each at its largest."""
    big_words = " ".join(f"word{i % 997}" for i in range(40000))
    return [
        ("formula-like token", {"text": "Buy C." + "C11" * 60 + "= now"}),
        ("'piperid' x 28,000, no spaces", {"text": "piperid" * 28000}),
        ("spelled-out letters x 25,000", {"text": "f.e.n.t." * 25000}),
        ("'fentanyl ' x 22,000 (22,000 hits)", {"text": "fentanyl " * 22000}),
        ("one 200,000-character word", {"text": "fentanyl" * 25000}),
        ("200,000 characters of ordinary words", {"text": big_words[:200000]}),
        ("60 SMILES", {"text": " ".join([SMILES] * 60)}),
        ("60 distinct SMILES-like tokens", {"text": " ".join(f"C{'C' * (i % 9)}C(=O)N(c1ccccc1)C1CCN(C{i})CC1"
                                                             for i in range(60))}),
        ("60 systematic-name candidates", {"text": " ".join(f"N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]"
                                                            f"propanamide{i}" for i in range(60))}),
        ("brackets and tags", {"text": "<" * 100000 + "(" * 100000}),
        ("5 MB of HTML", {"html": "<div><p>Fentanyl 99%</p>" * 200000}),
        ("homoglyphs and invisibles x 20,000", {"text": "fеntаnyl\u200b" * 20000}),
        ("200,000 CJK characters", {"text": "芬太尼现货" * 40000}),
    ]


def hostile_lines() -> list[tuple[str, str]]:
    """`fentwatch scan` input lines at and past the input limits (settings.toml [limits], max_json_*): parsed and
    scanned as the command does (detect/batch.py), each timed whole."""
    return [
        ("JSON nested 100 deep (the limit)", '{"id":"d","x":' + "[" * 99 + "]" * 99 + ',"text":"Fentanyl 99%"}'),
        ("JSON nested 1,000,000 deep (refused)", '{"id":"d","x":' + "[" * 1_000_000 + "]" * 1_000_000 + "}"),
        ("200,000 brackets inside a string", '{"id":"b","text":"' + "[" * 200_000 + '"}'),
        ("200,000 shallow arrays", '{"id":"b","x":[' + "[]," * 200_000 + "[]]}"),
        ("a 100-digit number (the limit)", '{"id":' + "7" * 100 + ',"text":"Fentanyl 99%"}'),
        ("a 1,000,000-digit number (refused)", '{"id":' + "7" * 1_000_000 + "}"),
        ("1e999999 and NaN (refused)", '{"id":1e999999,"x":NaN}'),
        ("100,000 lone surrogates", '{"id":"s","text":"' + "\\ud800 fentanyl " * 100_000 + '"}'),
        ("200,000 U+FFFD (invalid UTF-8 read)", '{"id":"u","text":"' + "\ufffd" * 200_000 + '"}'),
    ]


def corpus(with_hostile: bool) -> list[tuple[str, str, dict]]:
    from seeds import listings

    out = [("labeled", x["id"], {"title": x.get("title"), "text": x.get("text")}) for x in listings()]
    fuzzed = ROOT / "fuzz" / "corpus" / "scan"
    if fuzzed.is_dir():
        for f in sorted(fuzzed.iterdir()):
            text = f.read_bytes().decode("utf-8", "replace")
            title, _, body = text.partition("\n")
            out.append(("fuzz", f.name[:12], {"title": title, "text": body}))
    if with_hostile:
        out += [("hostile", name, listing) for name, listing in hostile()]
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 10) - 1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-hostile", action="store_true", help="leave out the hand-made worst cases")
    args = ap.parse_args()
    from detect import Detector

    det = Detector()
    det.scan({"id": "warm", "text": f"warm up {SMILES} N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"})
    rows = []
    for group, name, listing in corpus(not args.no_hostile):
        listing = {"id": name, **listing}
        t = time.perf_counter()
        r = det.scan(listing)
        rows.append((time.perf_counter() - t, group, name, r))
        if rows[-1][0] > 1.0:
            print(f"  over 1 s: {rows[-1][0]:.1f} s  {group} {name}", file=sys.stderr, flush=True)
    if not args.no_hostile:
        from types import SimpleNamespace

        from detect.batch import scan_chunk

        for name, line in hostile_lines():
            t = time.perf_counter()
            (d,) = scan_chunk(det, [(1, line)])
            rows.append((time.perf_counter() - t, "lines", name,
                         SimpleNamespace(hits=d["hits"], warnings=d.get("warnings", []), error=d.get("error"))))
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{'corpus':<10} {'listings':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>9}")
    for group in ("labeled", "fuzz", "hostile", "lines", "all"):
        ms = [t * 1000 for t, g, _, _ in rows if group in (g, "all")]
        if ms:
            print(f"{group:<10} {len(ms):>8} {pct(ms, 50):>8.2f} {pct(ms, 99):>8.2f} {max(ms):>9.1f}")
    print("\nslowest ten:")
    for t, group, name, r in sorted(rows, key=lambda x: x[0], reverse=True)[:10]:
        print(f"  {t * 1000:>8.1f} ms  {group:<8} {name[:40]:<40} hits {len(r.hits):>5}  "
              f"warnings {len(r.warnings)}  {'error: ' + r.error if r.error else ''}")
    errors = [(g, n, r.error) for _, g, n, r in rows if r.error]
    print(f"\n{len(rows)} listings, {len(errors)} with an error result")
    print(json.dumps({"errors": errors[:5]}) if errors else "")


if __name__ == "__main__":
    main()
