"""Per-process memos of the positives' costly steps: work that repeats for the same input gives the same answer.

Real marketplaces repeat names across thousands of listings (one seller copies a product line onto every page; the
benchmark mix repeats its positives too, docs/performance.md says how often), so the few listings with a candidate
pay spaCy, RDKit's substructure searches and the class rules once per distinct input, not once per listing. Each
memo is keyed by the exact input (a window's text, a parsed ``Structure`` object: its molecule compared by
identity, never by a canonical form that could hide a different atom order) and bounded: when full it is emptied
and refilled, so memory stays flat on any input. A memo returns what the uncached call returned, the same objects
(``tests/test_memo.py`` compares every answer with the memos on and cleared).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """``compute(key)`` remembered for at most ``size`` keys (emptied when full: no per-call bookkeeping)."""

    def __init__(self, compute: Callable[[K], V], size: int = 4096):
        self.compute = compute
        self.size = size
        self.values: dict[K, V] = {}
        self.hits = self.misses = 0

    def __call__(self, key: K) -> V:
        try:
            value = self.values[key]
        except KeyError:
            self.misses += 1
            if len(self.values) >= self.size:
                self.values.clear()
            value = self.values[key] = self.compute(key)
            return value
        self.hits += 1
        return value

    def clear(self) -> None:
        self.values.clear()
