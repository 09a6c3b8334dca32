"""What detection returns: plain dataclasses that serialise to the ``fentwatch scan`` JSON schema."""

from __future__ import annotations

from dataclasses import dataclass, field

METHODS = ("name", "fuzzy-name", "cas", "partial-cas", "smiles", "inchi", "iupac", "class-rule", "analog-name", "inn-stem",
           "unresolved-name", "family-rule")


@dataclass
class Hit:
    substance: str                 # lexicon name, or "unlisted fentanyl analog (<formula>)" for class-rule hits
    category: str                  # fentanyl-like | precursor
    inchikey: str | None           # standard InChIKey of the parent structure
    method: str                    # one of METHODS
    matched: str                   # the text as it appears in the input
    start: int                     # offsets in title + "\n" + text
    end: int
    rules: list[str] = field(default_factory=list)  # legal clauses met, e.g. "CN-2019(1)", "US-FRS(E)"
    score: float = 0.0
    substance_id: str | None = None  # lexicon id, when the substance is in the lexicon
    note: str = ""                   # why the score is what it is (context, ambiguity, similarity)
    severity: str | None = None      # controlled | regulated, the most serious basis in the enabled jurisdictions
    legal: list = field(default_factory=list)  # detect.legal.Basis: jurisdiction, severity, basis (all jurisdictions)
    similarity: float | None = None  # fuzzy-name hits: how close the matched text is to the lexicon name (0-1)

    def to_json(self) -> dict:
        # written out rather than dataclasses.asdict: asdict recursed into every legal basis and copied each value
        # for each hit of a positive listing; the same keys in the same order, the same values
        # (tests/test_positive_forms.py compares the two). substance_id and note stay on the Python object (the scan
        # schema is fixed); only fuzzy hits carry their similarity.
        d = {"substance": self.substance, "category": self.category, "inchikey": self.inchikey,
             "method": self.method, "matched": self.matched, "start": self.start, "end": self.end,
             "rules": list(self.rules), "score": round(self.score, 3), "severity": self.severity,
             "legal": [b.to_json() if hasattr(b, "to_json") else b for b in self.legal]}
        if self.similarity is not None:
            d["similarity"] = round(self.similarity, 3)
        return d


@dataclass
class Contact:
    kind: str    # phone, whatsapp, telegram, signal, wickr, wechat, skype, email, wallet-btc, wallet-eth, ...
    value: str   # normalized: digits only for numbers, lowercase for emails and handles
    start: int = 0
    end: int = 0

    def to_json(self) -> dict:
        return {"kind": self.kind, "value": self.value}


@dataclass
class ScanResult:
    id: str
    flagged: bool
    score: float
    hits: list[Hit] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    why: list[str] = field(default_factory=list)  # the signals that raised and lowered the score, in order

    def to_json(self) -> dict:
        d = {
            "id": self.id,
            "flagged": self.flagged,
            "score": round(self.score, 3),
            "hits": [h.to_json() for h in self.hits],
            "contacts": [c.to_json() for c in self.contacts],
            "why": list(self.why),
        }
        if self.warnings:
            d["warnings"] = self.warnings
        if self.error is not None:
            d["error"] = self.error
        return d


def schema_problems(d: dict) -> list[str]:
    """What in a result's JSON form breaks the ``fentwatch scan`` output schema (docs/scan-format.md); empty
    when it is valid. Used by the property tests and the fuzz targets."""
    problems = []
    if set(d) - {"id", "flagged", "score", "hits", "contacts", "why", "warnings", "error"} or \
            not {"id", "flagged", "score", "hits", "contacts"} <= set(d):
        problems.append(f"keys {sorted(d)}")
    if not (d.get("id") is None or isinstance(d.get("id"), str)):
        problems.append("id")
    if not isinstance(d.get("flagged"), bool):
        problems.append("flagged")
    score = d.get("score")
    if not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
        problems.append(f"score {score!r}")
    for h in d.get("hits", []):
        fuzzy = h.get("method") == "fuzzy-name"  # a fuzzy hit carries its similarity, no other hit does
        if set(h) != {"substance", "category", "inchikey", "method", "matched", "start", "end", "rules", "score",
                      "severity", "legal"} | ({"similarity"} if fuzzy else set()):
            problems.append(f"hit keys {sorted(h)}")
            continue
        if fuzzy and not (isinstance(h["similarity"], (int, float)) and 0.0 < h["similarity"] <= 1.0):
            problems.append(f"hit similarity {h['similarity']!r}")
        if h["method"] not in METHODS or h["category"] not in ("fentanyl-like", "precursor"):
            problems.append(f"hit method/category {h['method']}/{h['category']}")
        if not (isinstance(h["start"], int) and isinstance(h["end"], int) and 0 <= h["start"] <= h["end"]):
            problems.append(f"hit offsets {h['start']}..{h['end']}")
        if not (isinstance(h["score"], (int, float)) and 0.0 <= h["score"] <= 1.0):
            problems.append(f"hit score {h['score']!r}")
        if not all(isinstance(r, str) for r in h["rules"]) or not isinstance(h["matched"], str):
            problems.append("hit rules/matched")
        if h["severity"] not in (None, "controlled", "regulated") or not all(
                isinstance(b, dict) and set(b) == {"jurisdiction", "severity", "basis"} for b in h["legal"]):
            problems.append(f"hit severity/legal {h['severity']!r}")
    for c in d.get("contacts", []):
        if set(c) != {"kind", "value"} or not all(isinstance(v, str) for v in c.values()):
            problems.append(f"contact {c!r}")
    if "why" in d and not (isinstance(d["why"], list) and all(isinstance(w, str) for w in d["why"])):
        problems.append("why")
    if "why" not in d and "error" not in d:  # every scanned result says why; a line that could not be read does not
        problems.append("why missing")
    if "warnings" in d and not (isinstance(d["warnings"], list) and all(isinstance(w, str) for w in d["warnings"])):
        problems.append("warnings")
    if "error" in d and not isinstance(d["error"], str):
        problems.append("error")
    return problems
