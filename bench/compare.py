"""Scan throughput of this checkout beside another revision's, in one run, alternating, on the same mix.

    python bench/compare.py                       # this working tree vs main, 20,000 listings, 3 rounds
    python bench/compare.py --base HEAD~3 --count 5000 --repeat 5

The other revision is exported with ``git archive`` into a temporary folder (nothing in the checkout changes); both
run as real ``fentwatch scan`` processes (process start included) with the same Python, taking turns so that the
load of a shared machine falls on both alike. Prints listings/s per round with the load average, the medians, and
how many listings each flagged. Network: none (local files).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scan(tree: Path, mix: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    # the command line was review/cli.py before the fentwatch package (51d4353 and older)
    module = "fentwatch" if (tree / "fentwatch").is_dir() else "review.cli"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", module, "scan", str(mix), "-o", str(out)], env=env, check=True,
                   stderr=subprocess.DEVNULL, cwd=tree)
    return time.perf_counter() - start


def flagged(path: Path) -> int:
    return sum('"flagged": true' in line for line in path.read_text(encoding="utf-8").splitlines())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="main", help="git revision to compare with (default: main)")
    ap.add_argument("--count", type=int, default=20000, help="listings in the mix")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (each scans with both)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fentwatch-compare-") as tmp:
        tmp = Path(tmp)
        base = tmp / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        mix = tmp / "mix.jsonl"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_mix.py"), "--count", str(args.count), "--out", str(mix)],
                       check=True, stdout=subprocess.DEVNULL)
        rates = {"base": [], "this": []}
        for i in range(args.repeat):
            for name, tree in (("base", base), ("this", ROOT)):
                s = scan(tree, mix, tmp / f"{name}.out")
                rates[name].append(args.count / s)
                load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
                print(f"round {i + 1}  {name:4s} ({args.base if name == 'base' else 'this tree'}): "
                      f"{args.count / s:8.0f} listings/s   load average {load}", flush=True)
        b, t = statistics.median(rates["base"]), statistics.median(rates["this"])
        print(f"median: base {b:.0f} listings/s, this tree {t:.0f} listings/s ({(t / b - 1) * 100:+.1f} %)")
        print(f"flagged: base {flagged(tmp / 'base.out')}, this tree {flagged(tmp / 'this.out')} of {args.count}")


if __name__ == "__main__":
    main()
