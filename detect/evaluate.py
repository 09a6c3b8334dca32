"""Precision, recall and F1 of fentwatch and of the keyword baseline on a labeled corpus."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .baseline import KeywordBlacklist
from .engine import Detector


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        if truth and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    overall: Counts = field(default_factory=Counts)
    baseline: Counts = field(default_factory=Counts)
    by_category: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    baseline_by_category: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_how: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    baseline_by_how: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_method: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[tuple[str, str, str]] = field(default_factory=list)        # (id, how, note)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)  # (id, how, top hit)
    wrong_substance: list[tuple[str, str, str]] = field(default_factory=list)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(listings: list[dict], labels: list[dict], detector: Detector | None = None) -> Evaluation:
    det = detector or Detector()
    baseline = KeywordBlacklist(det.lex)
    by_id = {lab["id"]: lab for lab in labels}
    ev = Evaluation()
    for listing, result in zip(listings, det.scan_many(listings)):
        lab = by_id[listing["id"]]
        truth, how = bool(lab["flag"]), lab.get("how", "")
        category = lab["category"] if truth else "none"
        base = baseline.flags(listing)
        ev.overall.add(truth, result.flagged)
        ev.baseline.add(truth, base)
        ev.by_category[category].add(truth, result.flagged)
        ev.baseline_by_category[category].add(truth, base)
        ev.by_how[how].add(truth, result.flagged)
        ev.baseline_by_how[how].add(truth, base)
        top = max(result.hits, key=lambda h: h.score, default=None)
        if result.flagged and top is not None:
            ev.by_method[top.method].add(truth, True)
        if truth and not result.flagged:
            ev.misses.append((listing["id"], how, lab.get("note", "")))
        if result.flagged and not truth:
            ev.false_alarms.append((listing["id"], how, f"{top.substance} via {top.method}: '{top.matched}'"))
        if truth and result.flagged and lab.get("inchikeys"):
            got = {h.inchikey[:14] for h in result.hits if h.score >= 0.3 and h.inchikey}
            if not set(lab["inchikeys"]) & got:
                ev.wrong_substance.append((listing["id"], how, f"expected {lab['inchikeys']}, got {sorted(got)}"))
    return ev


def format_report(ev: Evaluation) -> str:
    def row(name: str, c: Counts, b: Counts) -> str:
        pos, neg = c.tp + c.fn, c.fp + c.tn
        if neg == 0:  # only positives: recall is what there is to say
            return (f"  {name:28s} {pos:4d} positives   found {c.tp:4d}  R {c.recall:5.3f}"
                    f"   | baseline found {b.tp:4d}  R {b.recall:5.3f}")
        if pos == 0:
            return (f"  {name:28s} {neg:4d} negatives   wrongly flagged {c.fp:4d}"
                    f"   | baseline wrongly flagged {b.fp:4d}")
        return (f"  {name:28s} {pos:4d} pos {neg:4d} neg   P {c.precision:5.3f}  R {c.recall:5.3f}  F1 {c.f1:5.3f}"
                f"   | baseline P {b.precision:5.3f}  R {b.recall:5.3f}  F1 {b.f1:5.3f}")

    lines = ["fentwatch vs keyword blacklist (case-insensitive lexicon names + hyphenated CAS numbers)", ""]
    lines.append(row("all listings", ev.overall, ev.baseline))
    lines += ["", "by category (of the label):"]
    for cat in sorted(ev.by_category):
        lines.append(row(cat, ev.by_category[cat], ev.baseline_by_category[cat]))
    lines += ["", "by kind of case (label 'how'):"]
    for how in sorted(ev.by_how):
        lines.append(row(how, ev.by_how[how], ev.baseline_by_how[how]))
    lines += ["", "by detection method (method of the strongest hit of each flagged listing):"]
    for m in sorted(ev.by_method):
        c = ev.by_method[m]
        lines.append(f"  {m:28s} {c.tp + c.fp:4d} flagged   P {c.precision:5.3f}")
    lines += ["", f"misses ({len(ev.misses)}):"] + [f"  {i}  [{h}]  {n}" for i, h, n in ev.misses]
    lines += ["", f"false alarms ({len(ev.false_alarms)}):"] + [f"  {i}  [{h}]  {n}" for i, h, n in ev.false_alarms]
    if ev.wrong_substance:
        lines += ["", f"flagged for the wrong substance ({len(ev.wrong_substance)}):"]
        lines += [f"  {i}  [{h}]  {n}" for i, h, n in ev.wrong_substance]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------- the real-names set

# A name-only offer, the way a catalogue line carries a product: the name is all there is to go on.
NAME_OFFER = "Product Name: {name}\nPurity: 99%\nPackage: 1 kg/bag\nPrice: USD 100 per kg"


@dataclass
class NameCounts:
    rows: int = 0
    flagged: int = 0
    right: int = 0           # flagged with the row's structure among its hits (InChIKey connectivity block)
    base_flagged: int = 0
    base_right: int = 0      # the blacklist's keyword belongs to a lexicon substance with the row's InChIKey
    wrong: int = 0           # flagged with a structure (InChIKey) other than the row's, and not the row's

    def rate(self, n: int) -> str:
        return f"{n:4d}/{self.rows:<4d} ({n / self.rows:5.3f})" if self.rows else "   -"


@dataclass
class NamesEvaluation:
    parts: dict[str, NameCounts] = field(default_factory=lambda: defaultdict(NameCounts))       # positives
    negatives: dict[str, NameCounts] = field(default_factory=lambda: defaultdict(NameCounts))
    misses: list[tuple[str, str, str]] = field(default_factory=list)         # (part, name, what came out)
    wrong: list[tuple[str, str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)
    # rows whose sources disagree on the structure ("label_conflict", tests/data/names/audit_labels.py): shown, not scored
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)

    def total(self, counts: dict[str, NameCounts] | None = None) -> NameCounts:
        """The whole set: every part summed ("/untuned" rows are already counted in their part)."""
        t = NameCounts()
        for part, c in (self.parts if counts is None else counts).items():
            if "/" not in part:
                for f in ("rows", "flagged", "right", "base_flagged", "base_right", "wrong"):
                    setattr(t, f, getattr(t, f) + getattr(c, f))
        return t


def name_listing(i: int, row: dict) -> dict:
    return {"id": f"name-{i}", "title": row["name"], "text": NAME_OFFER.format(name=row["name"])}


def evaluate_names(rows: list[dict], detector: Detector | None = None) -> NamesEvaluation:
    """Flagged and right-structure rates on the labelled real-names set (tests/data/names), per part, for
    fentwatch and the keyword blacklist; false alarms on the negatives."""
    det = detector or Detector()
    baseline = KeywordBlacklist(det.lex)
    key_of_id = {s.id: s.inchikey for s in det.lex.substances}
    ev = NamesEvaluation()
    ev.conflicts = [(r["part"], r["name"], r["label_conflict"]) for r in rows if r.get("label_conflict")]
    rows = [r for r in rows if not r.get("label_conflict")]
    listings = [name_listing(i, row) for i, row in enumerate(rows)]
    # a later held-out part holds new names, some of structures the tuning part has: its names of other structures
    # are counted again on their own ("heldout2/untuned")
    tuned = {r["inchikey"][:14] for r in rows if r.get("part") == "tuning" and r["label"] == "positive"}
    for row, listing, result in zip(rows, listings, det.scan_many(listings)):
        got = {h.inchikey[:14] for h in result.hits if h.score >= 0.3 and h.inchikey}
        base_ids = baseline.substances(f"{listing['title']}\n{listing['text']}")
        positive = row["label"] == "positive"
        parts = [row["part"]]
        if positive and row["part"] not in ("tuning", "heldout") and row["inchikey"][:14] not in tuned:
            parts.append(f"{row['part']}/untuned")
        for part in parts:
            c = (ev.parts if positive else ev.negatives)[part]
            c.rows += 1
            c.flagged += result.flagged
            c.base_flagged += bool(base_ids)
            if positive:
                # the connectivity block: a name without stereo descriptors names every stereoisomer
                right = result.flagged and row["inchikey"][:14] in got
                c.right += right
                c.wrong += bool(result.flagged and got and not right)
                c.base_right += row["inchikey"][:14] in {key_of_id[i][:14] for i in base_ids}
        if positive:
            top = max(result.hits, key=lambda h: h.score, default=None)
            if not result.flagged:
                ev.misses.append((row["part"], row["name"], f"top hit: {top.substance} ({top.score:.2f})" if top else "no hit"))
            elif not right:
                ev.wrong.append((row["part"], row["name"], f"expected {row['inchikey']}, got "
                                 f"{top.substance} via {top.method} ({top.inchikey})"))
        elif result.flagged:
            top = max(result.hits, key=lambda h: h.score)
            ev.false_alarms.append((row["part"], row["name"], f"{top.substance} via {top.method}: '{top.matched}'"))
    return ev


def format_names_report(ev: NamesEvaluation, details: bool = True) -> str:
    lines = ["real names, each in a name-only offer: fentwatch vs keyword blacklist (lexicon names + CAS numbers)", "",
             f"  {'part':16s} {'names':>5s}   {'fentwatch flagged':22s} {'right structure':22s} {'wrong':>5s} "
             f"| {'blacklist flagged':22s} {'right structure':22s}"]
    for part in sorted(ev.parts):
        c = ev.parts[part]
        lines.append(f"  {part:16s} {c.rows:5d}   {c.rate(c.flagged):22s} {c.rate(c.right):22s} {c.wrong:5d} "
                     f"| {c.rate(c.base_flagged):22s} {c.rate(c.base_right):22s}")
    c = ev.total()
    lines.append(f"  {'all parts':16s} {c.rows:5d}   {c.rate(c.flagged):22s} {c.rate(c.right):22s} {c.wrong:5d} "
                 f"| {c.rate(c.base_flagged):22s} {c.rate(c.base_right):22s}")
    lines += ["  (wrong: flagged with another structure's InChIKey; '/untuned': names of structures not in the tuning part)"]
    if ev.conflicts:
        per_part = Counter(p for p, _, _ in ev.conflicts)
        lines += [f"  not scored, the sources disagree on the structure (label_conflict): {len(ev.conflicts)} "
                  f"({', '.join(f'{p} {n}' for p, n in sorted(per_part.items()))})"]
    lines += ["", "look-alike negatives (drug and pesticide names), wrongly flagged:"]
    for part in sorted(ev.negatives):
        c = ev.negatives[part]
        lines.append(f"  {part:16s} {c.rows:5d}   fentwatch {c.rate(c.flagged):18s}   | blacklist {c.rate(c.base_flagged)}")
    c = ev.total(ev.negatives)
    lines.append(f"  {'all parts':16s} {c.rows:5d}   fentwatch {c.rate(c.flagged):18s}   | blacklist {c.rate(c.base_flagged)}")
    if details:
        for title, items in (("not flagged", ev.misses), ("flagged without the right structure", ev.wrong),
                             ("false alarms", ev.false_alarms), ("not scored: sources disagree", ev.conflicts)):
            lines += ["", f"{title} ({len(items)}):"] + [f"  [{p}] {n}  -> {w}" for p, n, w in items]
    return "\n".join(lines)
