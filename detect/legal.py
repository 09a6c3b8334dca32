"""Which law a hit rests on, in which jurisdiction, and how serious it is (``data/legal.yaml``).

A hit's legal basis is every lexicon control entry of its substance (severity ``controlled``: a list names it) and
every class rule it meets (severity by the rule's instrument: the fentanyl classes ``controlled``, the precursor
classes ``regulated``). Settings choose the jurisdictions that flag (``[legal] jurisdictions``, default all); a
basis in another jurisdiction is shown but does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lexicon import Substance

from .config import read_data_yaml


@lru_cache(maxsize=1)
def legal_data() -> dict:
    return read_data_yaml("legal.yaml")


def severities() -> list[str]:
    return list(legal_data()["severities"])


@dataclass(frozen=True)
class Basis:
    jurisdiction: str   # CN, UN, US ...
    severity: str       # controlled | regulated
    basis: str          # the instrument, or the class rule and its instrument

    def to_json(self) -> dict:
        return {"jurisdiction": self.jurisdiction, "severity": self.severity, "basis": self.basis}  # asdict's, faster


def rule_basis(rules: list[str]) -> Basis | None:
    """The basis of the clauses of one instrument: ``["US-FRS(B)", "US-FRS(E)"]`` -> US, controlled, "US-FRS(B)(E):
    ..."; None when the instrument is not in legal.yaml."""
    key = rules[0].split("(", 1)[0]
    entry = legal_data()["rules"].get(key)
    if entry is None:
        return None
    clauses = "".join(r[len(key):] for r in rules)
    return Basis(entry["jurisdiction"], entry["severity"], f"{key}{clauses}: {entry['basis']}")


def legal_basis(substance: Substance | None, rules: list[str]) -> list[Basis]:
    """Every basis of a hit: the substance's lexicon control entries, then its class rules (one per instrument)."""
    out: list[Basis] = []
    if substance is not None:
        sev = legal_data()["lexicon_control"]
        out += [Basis(c.jurisdiction, sev, c.instrument) for c in substance.control]
    by_instrument: dict[str, list[str]] = {}
    for rule in rules:
        by_instrument.setdefault(rule.split("(", 1)[0], []).append(rule)
    out += [b for group in by_instrument.values() if (b := rule_basis(group)) is not None]
    return out


def enabled(bases: list[Basis], jurisdictions: list[str] | None) -> list[Basis]:
    """The bases in the jurisdictions that flag (None or empty: all)."""
    if not jurisdictions:
        return list(bases)
    want = set(jurisdictions)
    return [b for b in bases if b.jurisdiction in want]


def most_serious(bases: list[Basis]) -> str | None:
    order = severities()
    found = [b.severity for b in bases]
    return min(found, key=order.index) if found else None
