"""Scanning JSONL: one listing per line in, one result per line out, in input order; optionally in N processes.

A malformed line yields a result line with an ``error`` field and the scan goes on. Workers each hold their own
Detector (and their own warm OPSIN JVM); lines travel to them in chunks to keep the inter-process cost low.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


@dataclass
class Block:
    """The results of one chunk of input lines: JSONL text (one line per listing) and its counts."""
    text: str
    count: int
    flagged: int
    errors: int


def _scan_block(detector: Detector, first_line: int, packed: str) -> Block:
    chunk = [(first_line + i, line) for i, line in enumerate(packed.split("\n")) if line.strip()]
    results = scan_chunk(detector, chunk)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    return Block(text, len(results), sum(bool(r.get("flagged")) for r in results), sum("error" in r for r in results))


def _init_worker(parent_detector: Detector) -> None:
    """The parent built the detector before forking, so a worker starts at once; each worker gets its own OPSIN
    process (a pipe shared between processes would mix their answers)."""
    global _worker
    from .opsin import Opsin

    _worker = parent_detector
    _worker.opsin = Opsin()
    _worker.opsin.prewarm()


def _work(packed_chunk: tuple[int, str]) -> Block:
    # one string in, one string out: pickling a 400 KB string costs far less than 256 small objects each way,
    # which keeps the parent process (reading and writing) off the critical path
    return _scan_block(_worker, *packed_chunk)


def _packed_chunks(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    chunk: list[str] = []
    first = 1
    for n, line in enumerate(lines, start=1):
        if not chunk:
            first = n
        chunk.append(line.rstrip("\n"))
        if len(chunk) >= CHUNK:
            yield first, "\n".join(chunk)
            chunk = []
    if chunk:
        yield first, "\n".join(chunk)


def scan_blocks(lines: Iterable[str], jobs: int = 1, detector: Detector | None = None) -> Iterator[Block]:
    """Results for JSONL ``lines`` in input order, a block per chunk of lines; with ``jobs`` > 1 in that many
    worker processes, each with its own Detector (and its own OPSIN JVM)."""
    if jobs <= 1:
        det = detector or Detector()
        for first, packed in _packed_chunks(lines):
            yield _scan_block(det, first, packed)
        return
    from .opsin import Opsin

    parent = detector or Detector(opsin=Opsin(), prewarm=False)  # shared with the workers by fork
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(parent,)) as pool:
        yield from pool.imap(_work, _packed_chunks(lines), chunksize=1)
