"""The hit store: one SQLite file (WAL), created and migrated by fentwatch, written with sqlite-utils.

Tables: ``listings`` (one row per URL), ``snapshots`` (evidence: the raw body, compressed, with its SHA-256,
fetch time, HTTP status and headers), ``hits`` (the scan hit schema plus the detector and lexicon versions that
produced it; superseded hits are kept with ``current = 0``, never deleted) and ``crawl_runs`` (Scrapy's stats).

Saving is idempotent and transactional: the same page saved twice is one listing seen twice; a changed page
gets a new snapshot and new hits, and goes back to the review queue only if its hits changed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

DEFAULT_DB = "fentwatch.db"
migrations = Migrations("fentwatch")

# Listing status: "open" (flagged, waiting for review), "clean" (nothing found), and later the review states
# ("takedown-requested", "dismissed", "escalated") written by the review app; "removed" once a listing that had a
# takedown request answers 404 or 410.
QUEUE_STATUSES = ("open",)


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["listings"].create({
        "id": int, "url": str, "platform": str, "seller": str, "title": str, "text": str, "price": str,
        "first_seen": str, "last_seen": str, "times_seen": int, "content_hash": str, "status": str,
        "flagged": int, "score": float, "detector_version": str, "changed_at": str,
    }, pk="id", not_null={"url"})
    db["listings"].create_index(["url"], unique=True)
    db["listings"].create_index(["status", "score"])
    db["snapshots"].create({
        "id": int, "listing_id": int, "sha256": str, "fetched_at": str, "http_status": int, "headers": str,
        "body_gz": bytes, "size": int,
    }, pk="id", foreign_keys=[("listing_id", "listings", "id")])
    db["hits"].create({
        "id": int, "listing_id": int, "snapshot_id": int, "substance": str, "category": str, "inchikey": str,
        "method": str, "matched": str, "start": int, "end": int, "rules": str, "score": float,
        "detector_version": str, "lexicon_version": str, "current": int, "found_at": str,
    }, pk="id", foreign_keys=[("listing_id", "listings", "id"), ("snapshot_id", "snapshots", "id")])
    db["hits"].create_index(["listing_id", "current"])
    db["crawl_runs"].create({
        "id": int, "spider": str, "target": str, "started_at": str, "finished_at": str, "status": str,
        "pages": int, "listings": int, "flagged": int, "stats": str,
    }, pk="id")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def db_path(path: str | os.PathLike | None = None) -> Path:
    """``--db``, else ``FENTWATCH_DB``, else ./fentwatch.db."""
    return Path(path or os.environ.get("FENTWATCH_DB") or DEFAULT_DB)


def open_store(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    p = db_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(p)
    db.enable_wal()
    db.execute("PRAGMA synchronous=NORMAL")  # durable across a crash of fentwatch in WAL mode; faster commits
    migrations.apply(db)
    return db


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode("utf-8")).hexdigest()


def _hit_key(h: dict) -> tuple:
    return (h.get("inchikey") or h["substance"], h["method"], h["matched"])


@dataclass
class Saved:
    listing_id: int
    outcome: str   # new | unchanged | changed | removed | not-found
    queued: bool   # the listing is (back) in the review queue


def save_page(db: sqlite_utils.Database, page: dict, result: dict | None, detector_version: str = "",
              lexicon_version: str = "") -> Saved:
    """Store one fetched page and its scan result in one transaction.

    ``page``: url, platform, seller, title, text, price, body (bytes), http_status, headers (dict), fetched_at.
    ``result``: the scan result (JSON form), or None for a page that answered 404/410.
    """
    with db.atomic():
        row = next(db.query("select * from listings where url = ?", [page["url"]]), None)
        fetched = page.get("fetched_at") or now()
        if result is None:  # gone
            if row is None:
                return Saved(0, "not-found", False)
            status = "removed" if row["status"] == "takedown-requested" else row["status"]
            db["listings"].update(row["id"], {"status": status, "last_seen": fetched})
            return Saved(row["id"], "removed" if status == "removed" else "not-found", False)
        digest = content_hash(page.get("title") or "", page.get("text") or "")
        if row is not None and row["content_hash"] == digest:
            db.execute("update listings set last_seen = ?, times_seen = times_seen + 1 where id = ?", [fetched, row["id"]])
            return Saved(row["id"], "unchanged", row["status"] in QUEUE_STATUSES)
        fields = {k: page.get(k) for k in ("platform", "seller", "title", "text", "price")}
        fields.update(content_hash=digest, flagged=int(result["flagged"]), score=result["score"],
                      detector_version=detector_version, changed_at=fetched, last_seen=fetched)
        if row is None:
            listing_id = db["listings"].insert(dict(
                fields, url=page["url"], first_seen=fetched, times_seen=1,
                status="open" if result["flagged"] else "clean")).last_pk
            old_keys: set = set()
            outcome = "new"
        else:
            listing_id = row["id"]
            old_keys = {_hit_key(h) for h in db.query(
                "select substance, inchikey, method, matched from hits where listing_id = ? and current = 1",
                [listing_id])}
            outcome = "changed"
        body = page.get("body") or b""
        snapshot_id = db["snapshots"].insert({
            "listing_id": listing_id, "sha256": hashlib.sha256(body).hexdigest(), "fetched_at": fetched,
            "http_status": page.get("http_status", 200), "headers": json.dumps(page.get("headers") or {}),
            "body_gz": gzip.compress(body), "size": len(body)}).last_pk
        new_keys = {_hit_key(h) for h in result["hits"]}
        queued = bool(result["flagged"])
        if outcome == "changed":
            if new_keys == old_keys:
                # same hits on a changed page: keep the review state; refresh text, hash and snapshot only
                db["listings"].update(listing_id, dict(fields, times_seen=row["times_seen"] + 1))
                return Saved(listing_id, "changed", row["status"] in QUEUE_STATUSES)
            db.execute("update hits set current = 0 where listing_id = ?", [listing_id])
            status = "open" if result["flagged"] else "clean"
            db["listings"].update(listing_id, dict(fields, status=status, times_seen=row["times_seen"] + 1))
        db["hits"].insert_all(({
            "listing_id": listing_id, "snapshot_id": snapshot_id, "substance": h["substance"],
            "category": h["category"], "inchikey": h["inchikey"], "method": h["method"], "matched": h["matched"],
            "start": h["start"], "end": h["end"], "rules": json.dumps(h["rules"]), "score": h["score"],
            "detector_version": detector_version, "lexicon_version": lexicon_version, "current": 1,
            "found_at": fetched} for h in result["hits"]))
        return Saved(listing_id, outcome, queued)


def record_run(db: sqlite_utils.Database, spider: str, target: str, started_at: str, stats: dict,
               status: str = "finished") -> int:
    clean = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}
    return db["crawl_runs"].insert({
        "spider": spider, "target": target, "started_at": started_at, "finished_at": now(), "status": status,
        "pages": clean.get("response_received_count", 0), "listings": clean.get("fentwatch/listings", 0),
        "flagged": clean.get("fentwatch/flagged", 0), "stats": json.dumps(clean, default=str)}).last_pk


def export_rows(db: sqlite_utils.Database, everything: bool = False):
    """Listings with their current hits, flagged ones only unless ``everything``: the export JSONL schema."""
    where = "" if everything else "where flagged = 1"
    for row in db.query(f"select * from listings {where} order by score desc, id"):
        hits = [{"substance": h["substance"], "category": h["category"], "inchikey": h["inchikey"],
                 "method": h["method"], "matched": h["matched"], "start": h["start"], "end": h["end"],
                 "rules": json.loads(h["rules"] or "[]"), "score": h["score"]}
                for h in db.query("select * from hits where listing_id = ? and current = 1 order by start",
                                  [row["id"]])]
        yield {"url": row["url"], "platform": row["platform"], "title": row["title"],
               "flagged": bool(row["flagged"]), "score": row["score"], "status": row["status"],
               "first_seen": row["first_seen"], "last_seen": row["last_seen"], "hits": hits}
