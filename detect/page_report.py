"""The labelled real-page set (offer versus mention): precision and recall of every part beside the keyword
blacklist. A part is a folder with ``listings.jsonl`` (scan input) and ``labels.jsonl`` (``fentwatch report``
labels); ``tests/data/pages`` holds the set, ``make_pages.py`` writes it."""

from __future__ import annotations

from pathlib import Path

from .engine import Detector
from .evaluate import Counts, Evaluation, evaluate, read_jsonl


def page_parts(folder: Path) -> list[Path]:
    """The parts of a page set: its sub-folders that hold both files, in name order."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_dir() and (p / "listings.jsonl").is_file() and (p / "labels.jsonl").is_file())


def evaluate_pages(folder: Path, detector: Detector | None = None) -> dict[str, Evaluation]:
    det = detector or Detector()
    return {p.name: evaluate(read_jsonl(p / "listings.jsonl"), read_jsonl(p / "labels.jsonl"), det)
            for p in page_parts(folder)}


def format_pages_report(parts: dict[str, Evaluation]) -> str:
    def row(name: str, c: Counts, b: Counts) -> str:
        return (f"  {name:12s} {c.tp + c.fn:4d} offers {c.fp + c.tn:4d} mentions   P {c.precision:5.3f}  "
                f"R {c.recall:5.3f}  F1 {c.f1:5.3f}   | blacklist P {b.precision:5.3f}  R {b.recall:5.3f}  "
                f"F1 {b.f1:5.3f}")

    lines = ["offer versus mention on real pages: fentwatch vs keyword blacklist (case-insensitive lexicon names + "
             "hyphenated CAS numbers)", ""]
    total, base = Counts(), Counts()
    for name, ev in parts.items():
        lines.append(row(name, ev.overall, ev.baseline))
        for c, add in ((total, ev.overall), (base, ev.baseline)):
            c.tp, c.fp, c.fn, c.tn = c.tp + add.tp, c.fp + add.fp, c.fn + add.fn, c.tn + add.tn
    lines += [row("all parts", total, base), ""]
    for name, ev in parts.items():
        if ev.misses or ev.false_alarms:
            lines.append(f"{name}: misses {', '.join(i for i, _, _ in ev.misses) or '-'}; false alarms "
                         f"{', '.join(f'{i} ({why})' for i, _, why in ev.false_alarms) or '-'}")
    return "\n".join(lines)
