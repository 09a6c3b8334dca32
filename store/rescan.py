"""Re-scan history: run the current detector over the stored listings (not the network) and record what changed.

A listing last scanned by the current detector (same code and lexicon version, local additions included) is
skipped, so re-running with no lexicon change changes nothing. For the others: hits that still hold stay as they
are; hits that no longer hold are marked ``retracted`` and stop being current (never deleted); new hits are added
with the versions that found them. A listing that becomes flagged enters the queue marked "found on re-scan"
(unless a moderator suppressed exactly this content); an open listing with nothing left leaves it. Decided
listings keep their decision. Each batch commits together with the run's cursor, so an interrupted re-scan resumes
where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from detect.engine import Detector

from .db import _hit_key, _INSERT_HIT, _requeue, hit_legal, listing_severity, now

BATCH = 256


@dataclass
class RescanSummary:
    run_id: int
    resumed: bool
    listings: int = 0
    changed: int = 0
    newly_flagged: int = 0
    retracted: int = 0


def _run(db: sqlite_utils.Database, version: str, since: str | None) -> tuple[dict, bool]:
    row = next(db.query("select * from rescan_runs where finished_at is null and detector_version = ? "
                        "and coalesce(since, '') = ? order by id desc limit 1", [version, since or ""]), None)
    if row:
        return row, True
    with db.conn:
        rid = db["rescan_runs"].insert({"started_at": now(), "detector_version": version, "since": since or "",
                                        "cursor": 0, "listings": 0, "changed": 0, "newly_flagged": 0,
                                        "retracted": 0}).last_pk
    return db["rescan_runs"].get(rid), False


def rescan(db: sqlite_utils.Database, detector: Detector, since: str | None = None,
           progress: Callable[[int, int], None] | None = None) -> RescanSummary:
    version, lexicon_version = detector.version, detector.lex.version
    run, resumed = _run(db, version, since)
    s = RescanSummary(run["id"], resumed, run["listings"], run["changed"], run["newly_flagged"], run["retracted"])
    where = "id > ? and detector_version is not ?" + (" and last_seen >= ?" if since else "")
    total = db.execute(f"select count(*) from listings where {where}",
                       [run["cursor"], version] + ([since] if since else [])).fetchone()[0]
    done, cursor = 0, run["cursor"]
    conn = db.conn
    while True:
        rows = list(db.query(f"select * from listings where {where} order by id limit {BATCH}",
                             [cursor, version] + ([since] if since else [])))
        if not rows:
            break
        results = detector.scan_many([{"id": r["id"], "title": r["title"] or "", "text": r["text"] or ""}
                                      for r in rows])
        conn.execute("begin immediate")
        try:
            for row, result in zip(rows, results):
                _apply(conn, row, result.to_json(), version, lexicon_version, s)
            cursor = rows[-1]["id"]
            s.listings += len(rows)
            conn.execute("update rescan_runs set cursor = ?, listings = ?, changed = ?, newly_flagged = ?, "
                         "retracted = ? where id = ?",
                         [cursor, s.listings, s.changed, s.newly_flagged, s.retracted, s.run_id])
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
        done += len(rows)
        if progress:
            progress(done, total)
    with db.conn:
        db.execute("update rescan_runs set finished_at = ? where id = ?", [now(), s.run_id])
    return s


def _apply(conn, row: dict, result: dict, version: str, lexicon_version: str, s: RescanSummary) -> None:
    at = now()
    old = {_hit_key(dict(zip(("substance", "inchikey", "method", "matched"), h[1:]))): h[0] for h in conn.execute(
        "select id, substance, inchikey, method, matched from hits where listing_id = ? and current = 1",
        [row["id"]])}
    new = {_hit_key(h): h for h in result["hits"]}
    gone = [hid for key, hid in old.items() if key not in new]
    added = [h for key, h in new.items() if key not in old]
    conn.execute("update listings set detector_version = ?, flagged = ?, score = ?, why = ?, severity = ? where id = ?",
                 [version, int(result["flagged"]), result["score"], json.dumps(result.get("why") or []),
                  listing_severity(result), row["id"]])
    if not gone and not added:
        return
    s.changed += 1
    s.retracted += len(gone)
    conn.executemany("update hits set current = 0, retracted = ? where id = ?",
                     [(f"no longer holds on re-scan with {version} ({at})", hid) for hid in gone])
    snap = conn.execute("select max(id) from snapshots where listing_id = ?", [row["id"]]).fetchone()[0]
    conn.executemany(_INSERT_HIT, [
        (row["id"], snap, h["substance"], h["category"], h["inchikey"], h["method"], h["matched"], h["start"],
         h["end"], json.dumps(h["rules"]), h["score"], version, lexicon_version, 1, at, h.get("severity"),
         hit_legal(h)) for h in added])
    if result["flagged"] and row["status"] == "clean":
        suppressed = conn.execute("select 1 from suppressions where listing_id = ? and content_hash = ?",
                                  [row["id"], row["content_hash"]]).fetchone()
        if not suppressed:
            s.newly_flagged += 1
            _requeue(conn, row, "open", at, "found on re-scan", actor="rescan")
    elif not result["flagged"] and row["status"] == "open":
        _requeue(conn, row, "clean", at, "nothing holds on re-scan", actor="rescan")
