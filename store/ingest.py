"""Bulk import of a platform's own export (`fentwatch ingest`): the same path as POST /api/v1/listings, record by
record, in chunks; each chunk is stored together with the run's position in one transaction, so a run that is
killed resumes after the last stored chunk, and nothing is lost or stored twice (a record stored again would be
unchanged anyway: submitting is idempotent).

A file is recognised as the same export by its path, platform, size and the SHA-256 of its first 64 KiB; standard
input is never resumed (it is read again from its start, and the unchanged records cost no scan).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlite_utils

from detect.engine import Detector

from .db import now
from .submissions import BadListing, check_listing, submit, unchanged, write_transaction

CHUNK = 100


@dataclass
class Summary:
    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)
    resumed_at: int = 0  # records already done by an earlier, interrupted run of the same file

    def counts(self) -> dict:
        return {"read": self.read, "new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "flagged": self.flagged, "errors": self.errors}


def _records(stream, fmt: str) -> Iterator[tuple[int, object, bytes]]:
    """(line number, parsed record or an error message, the record as received) for each record."""
    if fmt == "jsonl":
        for n, raw in enumerate(stream, start=1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                yield n, json.loads(raw.decode("utf-8")), raw
            except UnicodeDecodeError as exc:
                yield n, f"not valid UTF-8 (byte {exc.start})", raw
            except json.JSONDecodeError as exc:
                yield n, f"malformed JSON ({exc.msg} at column {exc.colno})", raw
        return
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    reader = csv.DictReader(text)
    try:
        while True:
            n = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            obj = {k: v for k, v in row.items() if k and v not in (None, "")}
            yield n, obj, json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeDecodeError as exc:
        yield reader.line_num + 1, f"not valid UTF-8 (byte {exc.start}); the rest of the file is not read", b""


def fingerprint(path: str, platform: str) -> str | None:
    if path == "-":
        return None
    with open(path, "rb") as f:
        head = f.read(65536)
    return hashlib.sha256(f"{os.path.abspath(path)}\0{platform}\0{os.path.getsize(path)}\0".encode()
                          + head).hexdigest()


def _run(db: sqlite_utils.Database, source: str, platform: str, fp: str | None) -> tuple[int, int, Summary]:
    """The unfinished run of the same file to resume, or a new run: (run id, records done, summary so far)."""
    if fp is not None:
        row = next(db.query("select id, line, counts from ingest_runs where fingerprint = ? and finished_at is null "
                            "order by id desc limit 1", [fp]), None)
        if row is not None:
            summary = Summary(**json.loads(row["counts"]))
            summary.resumed_at = row["line"]
            return row["id"], row["line"], summary
    run_id = db["ingest_runs"].insert({"source": source, "fingerprint": fp, "platform": platform, "offset": 0,
                                       "line": 0, "counts": json.dumps(Summary().counts()), "started_at": now(),
                                       "finished_at": None}).last_pk
    return run_id, 0, Summary()


def _store_chunk(db, detector: Detector, platform: str, chunk: list, summary: Summary, run_id: int,
                 done: int) -> None:
    good = []
    for n, obj, raw in chunk:
        summary.read += 1
        try:
            if isinstance(obj, str):
                raise BadListing(obj, "line")
            listing = check_listing(obj)
        except BadListing as exc:
            summary.errors.append(f"line {n}: {exc}" + (f" ({exc.field})" if exc.field != "line" else ""))
            continue
        good.append((listing, raw))
    with write_transaction(db):
        fresh = []
        for listing, raw in good:
            same = unchanged(db, platform, listing)
            if same is not None:
                summary.unchanged += 1
            else:
                fresh.append((listing, raw))
        for (listing, raw), result in zip(fresh, detector.scan_many([x for x, _ in fresh])):
            done_one = submit(db, platform, listing, raw, result.to_json(), detector.version, detector.lex.version)
            setattr(summary, done_one.outcome, getattr(summary, done_one.outcome) + 1)
            summary.flagged += done_one.flagged
        db.conn.execute("update ingest_runs set line = ?, counts = ? where id = ?",
                        [done, json.dumps(summary.counts()), run_id])


def ingest(db: sqlite_utils.Database, path: str, platform: str, fmt: str, detector: Detector,
           progress: Callable[[Summary], None] | None = None, stdin=None) -> Summary:
    """Import every record of ``path`` ('-': ``stdin``, a binary stream) for ``platform``; returns the summary
    (of the whole file, earlier interrupted runs included)."""
    fp = fingerprint(path, platform)
    run_id, skip, summary = _run(db, path, platform, fp)
    stream = stdin if path == "-" else open(path, "rb")
    try:
        chunk, count = [], 0
        for record in _records(stream, fmt):
            count += 1
            if count <= skip:
                continue
            chunk.append(record)
            if len(chunk) >= CHUNK:
                _store_chunk(db, detector, platform, chunk, summary, run_id, count)
                chunk = []
                if progress:
                    progress(summary)
        if chunk:
            _store_chunk(db, detector, platform, chunk, summary, run_id, count)
    finally:
        if stream is not stdin:
            stream.close()
    with db.atomic():
        db.conn.execute("update ingest_runs set finished_at = ?, counts = ? where id = ?",
                        [now(), json.dumps(summary.counts()), run_id])
    return summary
