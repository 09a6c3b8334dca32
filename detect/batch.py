"""Scanning JSONL: one listing per line in, one result per line out, in input order; optionally in N processes.

A malformed line yields a result line with an ``error`` field and the scan goes on. Workers each hold their own
Detector (and their own warm OPSIN JVM); lines travel to them in chunks to keep the inter-process cost low.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Iterable, Iterator

from .engine import Detector

CHUNK = 256
_worker: Detector | None = None


def parse_line(line: str, lineno: int) -> tuple[dict | None, dict | None]:
    """(listing, None) for a good line, (None, error result) for a bad one."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, {"id": None, "flagged": False, "score": 0.0, "hits": [], "contacts": [],
                      "error": f"line {lineno}: not valid JSON ({exc.msg} at column {exc.colno})"}
    if not isinstance(obj, dict):
        return None, {"id": None, "flagged": False, "score": 0.0, "hits": [], "contacts": [],
                      "error": f"line {lineno}: expected a JSON object, got {type(obj).__name__}"}
    if not isinstance(obj.get("id"), (str, int)):
        return None, {"id": obj.get("id"), "flagged": False, "score": 0.0, "hits": [], "contacts": [],
                      "error": f"line {lineno}: missing or non-string 'id'"}
    obj["id"] = str(obj["id"])
    return obj, None


def scan_chunk(detector: Detector, chunk: list[tuple[int, str]]) -> list[dict]:
    parsed = [parse_line(line, n) for n, line in chunk]
    good = [listing for listing, err in parsed if listing is not None]
    results = iter(detector.scan_many(good, batch_size=len(good) or 1))
    out = []
    for listing, err in parsed:
        if err is not None:
            out.append(err)
            continue
        out.append(next(results).to_json())
    return out


def _init_worker() -> None:
    global _worker
    _worker = Detector()


def _work(chunk: list[tuple[int, str]]) -> list[tuple[str, bool, bool]]:
    # serialized here, in the worker: the parent only writes strings, which keeps it off the critical path
    return [_encoded(r) for r in scan_chunk(_worker, chunk)]


def _encoded(result: dict) -> tuple[str, bool, bool]:
    return json.dumps(result, ensure_ascii=False), bool(result.get("flagged")), "error" in result


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    chunk = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        chunk.append((n, line))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def scan_lines(lines: Iterable[str], jobs: int = 1, detector: Detector | None = None) -> Iterator[dict]:
    """Result objects for JSONL ``lines``, in input order."""
    for encoded, _, _ in scan_lines_encoded(lines, jobs, detector):
        yield json.loads(encoded)


def scan_lines_encoded(lines: Iterable[str], jobs: int = 1,
                       detector: Detector | None = None) -> Iterator[tuple[str, bool, bool]]:
    """(JSON line, flagged, has error) for JSONL ``lines``, in input order; with ``jobs`` > 1 in that many
    worker processes, each with its own Detector."""
    if jobs <= 1:
        det = detector or Detector()
        for chunk in _chunks(lines):
            for result in scan_chunk(det, chunk):
                yield _encoded(result)
        return
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs, initializer=_init_worker) as pool:
        for results in pool.imap(_work, _chunks(lines), chunksize=1):
            yield from results
