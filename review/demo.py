"""The offline demo behind ``make demo``: check the lexicon, scan the bundled labeled listings, print the queue.

Until the crawler lands (issue "crawler"), the demo scans the labeled corpus in tests/data/corpus instead of a
crawled local marketplace.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import click

REPO = Path(__file__).resolve().parents[1]
DEMO_LISTINGS = REPO / "tests" / "data" / "corpus" / "listings.jsonl"


def run_demo(out_dir: Path, top: int = 15) -> None:
    from detect import Detector
    from lexicon.validate import check_lexicon

    substances, problems = check_lexicon(opsin=False)
    if problems:
        raise click.ClickException(f"the lexicon has {len(problems)} problem(s): run `fentwatch lexicon check`")
    click.echo(f"lexicon: {len(substances)} substances, all entries valid")
    listings = [json.loads(line) for line in DEMO_LISTINGS.read_text(encoding="utf-8").splitlines() if line.strip()]
    t0 = time.monotonic()
    det = Detector()
    results = list(det.scan_many(listings))
    dt = time.monotonic() - t0
    flagged = [(r, lst) for r, lst in zip(results, listings) if r.flagged]
    click.echo(f"scanned {len(results)} listings in {dt:.1f} s (detector start included): {len(flagged)} flagged")
    by_cat = Counter(max(r.hits, key=lambda h: h.score).category for r, _ in flagged)
    by_method = Counter(max(r.hits, key=lambda h: h.score).method for r, _ in flagged)
    click.echo("by category: " + ", ".join(f"{k} {v}" for k, v in by_cat.most_common()))
    click.echo("by method:   " + ", ".join(f"{k} {v}" for k, v in by_method.most_common()))
    click.echo(f"\nhit queue, top {top} by risk score:")
    click.echo(f"{'score':>5}  {'id':6}  {'platform':8}  {'substance':30}  {'method':10}  matched")
    for r, lst in sorted(flagged, key=lambda x: -x[0].score)[:top]:
        h = max(r.hits, key=lambda h: h.score)
        click.echo(f"{r.score:5.2f}  {r.id:6}  {lst.get('platform', ''):8}  {h.substance[:30]:30}  {h.method:10}  "
                   f"{h.matched[:40]}")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "demo-results.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    click.echo(f"\nall results: {out}")
