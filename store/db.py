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
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .links import link_contacts

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


@migrations()
def m002_review(db: sqlite_utils.Database) -> None:
    """The moderator side: accounts, server-side sessions, claims, decisions, the audit log, suppressions and
    takedown batches. The audit log is append-only: triggers refuse every UPDATE and DELETE on it."""
    db["users"].create({"name": str, "role": str, "password_hash": str, "created_at": str, "disabled": int},
                       pk="name")
    db["sessions"].create({"token_sha256": str, "user": str, "csrf": str, "created_at": str, "seen_at": str,
                           "expires_at": str}, pk="token_sha256", foreign_keys=[("user", "users", "name")])
    listings = db["listings"]
    for column, kind in (("claimed_by", str), ("claimed_at", str), ("decided_by", str), ("decided_at", str),
                         ("decision_seq", int), ("dismiss_reason", str), ("still_online", int), ("queued_at", str),
                         ("requeue_reason", str)):
        listings.add_column(column, kind)
    db.execute("update listings set decision_seq = 0, still_online = 0, queued_at = first_seen")
    db["audit"].create({
        "id": int, "at": str, "actor": str, "listing_id": int, "action": str, "from_status": str, "to_status": str,
        "reason": str, "note": str, "outcome": str}, pk="id")
    db["audit"].create_index(["listing_id"])
    db.executescript("""
        create trigger audit_no_update before update on audit
        begin select raise(abort, 'the audit log is append-only'); end;
        create trigger audit_no_delete before delete on audit
        begin select raise(abort, 'the audit log is append-only'); end;
    """)
    db["suppressions"].create({"listing_id": int, "content_hash": str, "by": str, "at": str, "reason": str},
                              pk=("listing_id", "content_hash"))
    db["takedown_batches"].create({"id": int, "platform": str, "created_by": str, "created_at": str,
                                   "listings": int}, pk="id")
    db["takedowns"].create({"id": int, "listing_id": int, "requested_by": str, "requested_at": str,
                            "batch_id": int}, pk="id", foreign_keys=[("batch_id", "takedown_batches", "id")])
    db["takedowns"].create_index(["listing_id"])


@migrations()
def m003_crawl_health(db: sqlite_utils.Database) -> None:
    """Crawl monitoring: each run's error count and, for a failed run, why (store/monitor.py)."""
    db["crawl_runs"].add_column("errors", int)
    db["crawl_runs"].add_column("reason", str)


@migrations()
def m004_hardening(db: sqlite_utils.Database) -> None:
    """Nothing cut or skipped silently: a listing keeps its scan warnings (text truncated, candidates capped,
    RDKit's messages, an encoding that was not what the page declared), and a page that could not become a
    listing (empty, binary, too large, refused by the address guard, ...) is recorded with its reason."""
    db["listings"].add_column("scan_warnings", str)
    db["page_issues"].create({
        "id": int, "url": str, "reason": str, "detail": str, "http_status": int, "seen_at": str,
    }, pk="id")
    db["page_issues"].create_index(["url"])
    db["page_issues"].create_index(["reason"])


@migrations()
def m005_investigations(db: sqlite_utils.Database) -> None:
    """Seller linking: every contact entity detection extracts, which listings carry it, and each listing's seller
    (the connected component of the listing - contact - listing graph, named by its smallest listing id)."""
    db["contacts"].create({"id": int, "kind": str, "value": str, "first_seen": str}, pk="id")
    db["contacts"].create_index(["kind", "value"], unique=True)
    db["listing_contacts"].create({"listing_id": int, "contact_id": int, "first_seen": str},
                                  pk=("listing_id", "contact_id"))
    db["listing_contacts"].create_index(["contact_id"])
    db["listings"].add_column("seller_id", int)
    db["listings"].create_index(["seller_id"])
    # re-scans: a hit that no longer holds is kept, marked with why; runs are resumable from their cursor
    db["hits"].add_column("retracted", str)
    db["rescan_runs"].create({"id": int, "started_at": str, "finished_at": str, "detector_version": str,
                              "since": str, "cursor": int, "listings": int, "changed": int, "newly_flagged": int,
                              "retracted": int}, pk="id")
    db["lexicon_additions"].create({"id": int, "kind": str, "text": str, "substance_id": str, "name_kind": str,
                                    "by": str, "at": str, "why": str, "listing_id": int, "active": int}, pk="id")


@migrations()
def m006_offers(db: sqlite_utils.Database) -> None:
    """Offers, not mentions (issue 15): each hit keeps its severity (controlled | regulated) and its legal basis per
    jurisdiction (JSON list of {jurisdiction, severity, basis}); each listing keeps why it scored as it did (JSON
    list) and the most serious severity of its hits, for the queue's severity facet."""
    db["hits"].add_column("severity", str)
    db["hits"].add_column("legal", str)
    db["listings"].add_column("why", str)
    db["listings"].add_column("severity", str)
    db["listings"].create_index(["severity"])


def listing_severity(result: dict) -> str | None:
    """The most serious severity among a result's hits (controlled before regulated), None without one."""
    found = {h.get("severity") for h in result.get("hits") or []}
    return next((s for s in ("controlled", "regulated") if s in found), None)


def hit_legal(h: dict) -> str | None:
    return json.dumps(h["legal"], ensure_ascii=False) if h.get("legal") else None


@migrations()
def m007_page_kind(db: sqlite_utils.Database) -> None:
    """What the crawler's page classifier said a listing's page is (``product`` for an offer page) and the name of
    the product it offers (crawler/pagekind.py, crawler/fields.py); null for listings stored before."""
    db["listings"].add_column("page_kind", str)
    db["listings"].add_column("product_name", str)


@migrations()
def m008_schedule(db: sqlite_utils.Database) -> None:
    """The scheduler's state and run records (created by the scheduler itself before): when each target was last
    checked, a launch to retry, and each run's log file and the reason it failed."""
    db["schedule_state"].create({"target": str, "last_started": str, "pid": int}, pk="target", if_not_exists=True)
    db["schedule_runs"].create({"id": int, "target": str, "started_at": str, "finished_at": str, "exit_code": int,
                                "outcome": str}, pk="id", if_not_exists=True)
    for table, column in (("schedule_state", "last_check"), ("schedule_state", "retry_at"),
                          ("schedule_runs", "log_path"), ("schedule_runs", "reason")):
        if column not in db[table].columns_dict:
            db[table].add_column(column, str)


@migrations()
def m009_review_guards(db: sqlite_utils.Database) -> None:
    """Sign-in attempts counted apart from the audit log (per account by a hash of the full name, and per source
    address; an unlock is a row too), and lexicon additions that would unflag stored listings wait for a second
    lead: their status, who approved, and which listings they would unflag."""
    db["sign_in_attempts"].create({"id": int, "at": str, "name_sha256": str, "name": str, "address": str,
                                   "outcome": str, "by": str}, pk="id")
    db["sign_in_attempts"].create_index(["name_sha256", "at"])
    db["sign_in_attempts"].create_index(["address", "at"])
    db["lexicon_additions"].add_column("status", str)
    db["lexicon_additions"].add_column("approved_by", str)
    db["lexicon_additions"].add_column("approved_at", str)
    db["lexicon_additions"].add_column("would_unflag", str)


@migrations()
def m010_api(db: sqlite_utils.Database) -> None:
    """The platform API (store/tokens.py, store/submissions.py, store/outbox.py): tokens (only a hash kept), every
    API request, each platform listing id with its latest version, webhook deliveries with every attempt, and
    bulk-ingest runs with their resume position."""
    db["api_tokens"].create({
        "id": int, "name": str, "platform": str, "token_sha256": str, "scopes": str, "rate_per_minute": int,
        "callback_url": str, "webhook_secret": str, "webhook_cursor": int, "created_at": str, "revoked_at": str,
    }, pk="id")
    db["api_tokens"].create_index(["token_sha256"], unique=True)
    db["api_requests"].create({"id": int, "token_id": int, "at": str, "method": str, "endpoint": str,
                               "listings": int, "status": int, "outcome": str}, pk="id")
    db["api_requests"].create_index(["token_id", "at"])
    db["api_listings"].create({"platform": str, "external_id": str, "listing_id": int, "sha256": str,
                               "version": int, "first_at": str, "last_at": str}, pk=("platform", "external_id"))
    db["api_listings"].create_index(["listing_id"])
    db["webhook_deliveries"].create({"id": int, "token_id": int, "audit_id": int, "event": str, "state": str,
                                     "attempts": int, "next_at": str, "created_at": str, "done_at": str}, pk="id")
    db["webhook_deliveries"].create_index(["state", "next_at"])
    db["webhook_attempts"].create({"id": int, "delivery_id": int, "at": str, "url": str, "http_status": int,
                                   "error": str, "ms": int}, pk="id")
    db["webhook_attempts"].create_index(["delivery_id"])
    db["ingest_runs"].create({"id": int, "source": str, "fingerprint": str, "platform": str, "offset": int,
                              "line": int, "counts": str, "started_at": str, "finished_at": str}, pk="id")


@migrations()
def m011_moderator(db: sqlite_utils.Database) -> None:
    """The moderator's day (issue 21): full-text search over listing titles and text (FTS5, trigram tokens so
    Chinese text and parts of words are found), manual flags (a moderator puts in the queue what detection
    missed, with a reason and the substance) and a takedown batch's "sent" state (when, to whom, by whom)."""
    db.executescript("""
        create virtual table listings_fts using fts5(title, text, content='listings', content_rowid='id',
                                                      tokenize='trigram');
        insert into listings_fts (rowid, title, text) select id, coalesce(title, ''), coalesce(text, '') from listings;
        create trigger listings_fts_ai after insert on listings begin
          insert into listings_fts (rowid, title, text) values (new.id, coalesce(new.title, ''), coalesce(new.text, ''));
        end;
        create trigger listings_fts_ad after delete on listings begin
          insert into listings_fts (listings_fts, rowid, title, text)
          values ('delete', old.id, coalesce(old.title, ''), coalesce(old.text, ''));
        end;
        create trigger listings_fts_au after update of title, text on listings begin
          insert into listings_fts (listings_fts, rowid, title, text)
          values ('delete', old.id, coalesce(old.title, ''), coalesce(old.text, ''));
          insert into listings_fts (rowid, title, text) values (new.id, coalesce(new.title, ''), coalesce(new.text, ''));
        end;
    """)
    db["manual_flags"].create({"id": int, "listing_id": int, "by": str, "at": str, "substance_id": str,
                               "substance": str, "reason": str}, pk="id",
                              foreign_keys=[("listing_id", "listings", "id")])
    db["manual_flags"].create_index(["listing_id"])
    db["listings"].add_column("manual_flag", int)
    for column in ("sent_at", "sent_to", "sent_by"):
        db["takedown_batches"].add_column(column, str)


@migrations()
def m012_house(db: sqlite_utils.Database) -> None:
    """Lexicon additions can be withdrawn (who, when, why; store/additions.py), and every change of the additions
    raises a generation number (triggers), which a long-lived process (the platform API) reads to know when to
    rebuild its detector. Sign-in attempts and API requests are pruned by age (store/retention.py): an index on
    their time."""
    for column in ("withdrawn_by", "withdrawn_at", "withdrawn_why"):
        db["lexicon_additions"].add_column(column, str)
    db["lexicon_generation"].create({"id": int, "generation": int}, pk="id")
    db["lexicon_generation"].insert({"id": 1, "generation": 0})
    for event in ("insert", "update", "delete"):
        db.execute(f"create trigger lexicon_additions_generation_{event} after {event} on lexicon_additions "
                   "begin update lexicon_generation set generation = generation + 1 where id = 1; end")
    db["sign_in_attempts"].create_index(["at"])
    db["api_requests"].create_index(["at"])


class StoreMissing(FileNotFoundError):
    """A command that only reads (or changes) a store was given a path where there is none."""


class Store(sqlite_utils.Database):
    """The store's connection: every write transaction starts with BEGIN IMMEDIATE, so it takes the write lock
    before it reads (waiting up to the busy timeout, then retrying), instead of failing with "database is locked"
    when another process wrote between its read and its write. Several crawls, the scheduler, the store worker,
    re-scans and the review app share one store this way."""

    def atomic(self):
        if self.conn.in_transaction:
            return super().atomic()
        return self._immediate()

    @contextmanager
    def _immediate(self):
        begin_immediate(self.conn)
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")


def begin_immediate(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, retried while another writer holds the lock beyond the busy timeout."""
    tries = store_busy()["retries"]
    for attempt in range(tries + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == tries:
                raise
            time.sleep(0.05 * (attempt + 1))


def store_busy() -> dict:
    from .config import store_settings

    return {"timeout_ms": 30000, "retries": 5, **store_settings().get("concurrency", {})}


def connect(path: str | os.PathLike) -> Store:
    """A connection to an existing store with the busy timeout and the store's commit mode set (no migrations: for
    a process that opens the store often, like the review app per request). The one place of the connection's
    settings: synchronous=NORMAL, durable across a crash of fentwatch in WAL mode (the store's mode, set when it is
    made) and without an fsync per commit."""
    db = Store(sqlite3.connect(str(path), timeout=store_busy()["timeout_ms"] / 1000))
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def db_path(path: str | os.PathLike | None = None) -> Path:
    """``--db``, else ``FENTWATCH_DB``, else ./fentwatch.db."""
    return Path(path or os.environ.get("FENTWATCH_DB") or DEFAULT_DB)


def open_store(path: str | os.PathLike | None = None, max_bytes: int | None = None, create: bool = True) -> Store:
    """The store, created and migrated. ``max_bytes`` caps its size (SQLite then fails a write with "database or
    disk is full", as it does on a full disk). With ``create=False`` a missing store raises StoreMissing instead
    of being created (for commands that only read or change one)."""
    p = db_path(path)
    if not p.is_file():
        if not create:
            raise StoreMissing(f"no store at {p}: crawl first, or name one with --db")
        p.parent.mkdir(parents=True, exist_ok=True)
    db = connect(p)
    db.enable_wal()
    if "_sqlite_migrations" not in db.table_names() or migrations.pending(db):
        begin_immediate(db.conn)  # one process migrates; the others wait for it, then find nothing pending
        try:
            migrations.apply(db)
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    if max_bytes:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(1, int(max_bytes) // page_size)}")
    return db


def people_work(path: str | os.PathLike) -> dict[str, int]:
    """What people made in a store, which no crawl can make again: review accounts, moderators' decisions (the
    audit log without the crawler's own entries) and lexicon additions. Empty for a missing store."""
    p = Path(path)
    if not p.is_file():
        return {}
    db = connect(p)
    try:
        tables = set(db.table_names())
        counts = {"account(s)": db["users"].count if "users" in tables else 0,
                  "decision(s)": db.execute("select count(*) from audit where actor != 'crawler'").fetchone()[0]
                  if "audit" in tables else 0,
                  "lexicon addition(s)": db["lexicon_additions"].count if "lexicon_additions" in tables else 0}
    finally:
        db.close()
    return {k: v for k, v in counts.items() if v}


def remove_store(path: str | os.PathLike) -> None:
    p = Path(path)
    for suffix in ("", "-wal", "-shm"):
        p.with_name(p.name + suffix).unlink(missing_ok=True)


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode("utf-8")).hexdigest()


def _hit_key(h: dict) -> tuple:
    return (h.get("inchikey") or h["substance"], h["method"], h["matched"])


@dataclass
class Saved:
    listing_id: int
    outcome: str   # new | unchanged | changed | removed | not-found
    queued: bool   # the listing is (back) in the review queue


_LISTING_FIELDS = ("platform", "seller", "title", "text", "price", "content_hash", "flagged", "score",
                   "detector_version", "changed_at", "last_seen", "scan_warnings", "page_kind", "product_name", "why",
                   "severity")
_HIT_COLUMNS = ("listing_id", "snapshot_id", "substance", "category", "inchikey", "method", "matched", "start", "end",
                "rules", "score", "detector_version", "lexicon_version", "current", "found_at", "severity", "legal")
_INSERT_HIT = (f"insert into hits ({', '.join(f'[{c}]' for c in _HIT_COLUMNS)}) "
               f"values ({', '.join('?' * len(_HIT_COLUMNS))})")


def save_page(db: sqlite_utils.Database, page: dict, result: dict | None, detector_version: str = "",
              lexicon_version: str = "") -> Saved:
    """Store one fetched page and its scan result in one transaction.

    ``page``: url, platform, seller, title, text, price, body (bytes), http_status, headers (dict), fetched_at.
    ``result``: the scan result (JSON form), or None for a page that answered 404/410.

    This runs once per crawled page, so it speaks SQL directly on the connection: sqlite-utils' table helpers
    look the table's columns up on every call (0.8 ms a page against 0.2 ms here).
    """
    conn = db.conn
    with db.atomic():
        cur = conn.execute("select id, status, content_hash, times_seen from listings where url = ?", [page["url"]])
        found = cur.fetchone()
        row = dict(zip(("id", "status", "content_hash", "times_seen"), found)) if found else None
        fetched = page.get("fetched_at") or now()
        if result is None:  # gone
            if row is None:
                return Saved(0, "not-found", False)
            if row["status"] == "takedown-requested":
                _requeue(conn, row, "removed", fetched, "gone after the takedown request (verified)")
                return Saved(row["id"], "removed", False)
            conn.execute("update listings set last_seen = ? where id = ?", [fetched, row["id"]])
            return Saved(row["id"], "not-found", False)
        digest = content_hash(page.get("title") or "", page.get("text") or "")
        if row is not None and row["status"] == "takedown-requested" and _request_sent(conn, row["id"]):
            # the next crawl after a sent takedown request checks the URL: still there means back to the queue
            # (a request not sent yet is expected to be online, so it stays where it is)
            _requeue(conn, row, "open", fetched, "still online after the takedown request was sent", still_online=1)
            row["status"] = "open"
        if row is not None and row["content_hash"] == digest:
            conn.execute("update listings set last_seen = ?, times_seen = times_seen + 1 where id = ?",
                         [fetched, row["id"]])
            return Saved(row["id"], "unchanged", row["status"] in QUEUE_STATUSES)
        warnings = list(page.get("warnings") or []) + list(result.get("warnings") or [])
        values = [page.get("platform"), page.get("seller"), page.get("title"), page.get("text"), page.get("price"),
                  digest, int(result["flagged"]), result["score"], detector_version, fetched, fetched,
                  json.dumps(warnings, ensure_ascii=False) if warnings else None,
                  page.get("page_kind"), page.get("product_name"),
                  json.dumps(result.get("why") or [], ensure_ascii=False), listing_severity(result)]
        status = "open" if result["flagged"] else "clean"
        if row is None:
            cur = conn.execute(
                f"insert into listings (url, first_seen, times_seen, status, queued_at, decision_seq, still_online, "
                f"{', '.join(_LISTING_FIELDS)}) values (?, ?, 1, ?, ?, 0, 0, {', '.join('?' * len(_LISTING_FIELDS))})",
                [page["url"], fetched, status, fetched if result["flagged"] else None] + values)
            listing_id, old_keys, outcome = cur.lastrowid, set(), "new"
        else:
            listing_id, outcome = row["id"], "changed"
            old_keys = {_hit_key(dict(zip(("substance", "inchikey", "method", "matched"), h))) for h in conn.execute(
                "select substance, inchikey, method, matched from hits where listing_id = ? and current = 1",
                [listing_id])}
        body = page.get("body") or b""
        snapshot_id = conn.execute(
            "insert into snapshots (listing_id, sha256, fetched_at, http_status, headers, body_gz, size) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [listing_id, hashlib.sha256(body).hexdigest(), fetched, page.get("http_status", 200),
             json.dumps(page.get("headers") or {}), gzip.compress(body, 6), len(body)]).lastrowid
        link_contacts(conn, listing_id, result.get("contacts") or [], fetched)
        new_keys = {_hit_key(h) for h in result["hits"]}
        if outcome == "changed":
            assignments = ", ".join(f"[{f}] = ?" for f in _LISTING_FIELDS)
            if new_keys == old_keys:
                # same hits on a changed page: keep the review state; refresh text, hash and snapshot only
                conn.execute(f"update listings set {assignments}, times_seen = times_seen + 1 where id = ?",
                             values + [listing_id])
                return Saved(listing_id, "changed", row["status"] in QUEUE_STATUSES)
            conn.execute("update hits set current = 0 where listing_id = ?", [listing_id])
            if status == "open" and conn.execute("select 1 from suppressions where listing_id = ? and content_hash = ?",
                                                 [listing_id, digest]).fetchone():
                status = "dismissed"  # a moderator dismissed exactly this content as a false positive
            conn.execute(f"update listings set {assignments}, times_seen = times_seen + 1 where id = ?",
                         values + [listing_id])
            if status != row["status"]:
                _requeue(conn, row, status, fetched, "hits changed" if status == "open" else "no hits any more")
        conn.executemany(_INSERT_HIT, [
            (listing_id, snapshot_id, h["substance"], h["category"], h["inchikey"], h["method"], h["matched"],
             h["start"], h["end"], json.dumps(h["rules"]), h["score"], detector_version, lexicon_version, 1, fetched,
             h.get("severity"), hit_legal(h))
            for h in result["hits"]])
        return Saved(listing_id, outcome, status in QUEUE_STATUSES)


def _request_sent(conn, listing_id: int) -> bool:
    """Whether the listing's latest takedown request went out in a batch marked sent."""
    found = conn.execute("select b.sent_at from takedowns t left join takedown_batches b on b.id = t.batch_id "
                         "where t.listing_id = ? order by t.id desc limit 1", [listing_id]).fetchone()
    return bool(found and found[0])


def _requeue(conn, row: dict, status: str, at: str, reason: str, still_online: int = 0, actor: str = "crawler") -> None:
    """A status change made by a crawl or a re-scan (not by a moderator): bumps the decision sequence, so a
    moderator's form opened before it is refused, releases any claim, and is written to the audit log like any
    decision."""
    conn.execute("update listings set status = ?, still_online = ?, requeue_reason = ?, decision_seq = "
                 "coalesce(decision_seq, 0) + 1, claimed_by = null, claimed_at = null, "
                 "queued_at = case when ? = 'open' then ? else queued_at end, "
                 "last_seen = case when ? = 'crawler' then ? else last_seen end where id = ?",
                 [status, still_online, reason, status, at, actor, at, row["id"]])
    conn.execute("insert into audit (at, actor, listing_id, action, from_status, to_status, reason, note, outcome) "
                 "values (?, ?, ?, ?, ?, ?, ?, '', 'applied')",
                 [at, actor, row["id"], "crawl" if actor == "crawler" else actor, row["status"], status, reason])


def record_page_issue(db: sqlite_utils.Database, url: str, reason: str, detail: str = "",
                      http_status: int | None = None, seen_at: str | None = None) -> None:
    """A page that did not become a listing, and why (``reason`` is a short slug: empty, binary, too-large, ...)."""
    with db.atomic():
        db.conn.execute("insert into page_issues (url, reason, detail, http_status, seen_at) values (?, ?, ?, ?, ?)",
                        [url, reason, detail, http_status, seen_at or now()])


def record_run(db: sqlite_utils.Database, spider: str, target: str, started_at: str, stats: dict,
               status: str = "finished", monitor: dict | None = None) -> int:
    """Record a crawl. ``status`` is Scrapy's finish reason. The record's status is ``finished``, ``interrupted``
    or ``failed`` with its reasons: what the crawl itself says (store/monitor.py ``verdict``: closed early,
    listings dropped, start URLs failed), then the monitoring checks (``monitor``: the FENTWATCH_MONITOR
    thresholds)."""
    from .monitor import assess, error_count, verdict

    clean = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}
    status, reasons = verdict({**clean, "finish_reason": status or clean.get("finish_reason")})
    if status == "finished":
        reasons = assess(db, spider, target, clean, monitor)
    return db["crawl_runs"].insert({
        "spider": spider, "target": target, "started_at": started_at, "finished_at": now(),
        "status": "failed" if reasons and status == "finished" else status, "reason": "; ".join(reasons) or None,
        "pages": clean.get("response_received_count", 0), "listings": clean.get("fentwatch/listings", 0),
        "flagged": clean.get("fentwatch/flagged", 0), "errors": error_count(clean),
        "stats": json.dumps(clean, default=str)}).last_pk


def export_rows(db: sqlite_utils.Database, everything: bool = False, filters: dict | None = None):
    """Listings with their current hits, flagged ones only unless ``everything``: the export JSONL schema.

    ``filters`` (each optional): ``status``, ``platform``, ``substance`` (a current hit's substance or a manual
    flag's, any case), ``since`` and ``until`` (dates or times: listings seen in that range, first_seen <= until
    and last_seen >= since; a bare date as ``until`` includes that whole day)."""
    f = {k: v for k, v in (filters or {}).items() if v}
    clauses, params = ([] if everything or f.get("status") else ["(flagged = 1 or manual_flag = 1)"]), []
    for key in ("status", "platform"):
        if f.get(key):
            clauses.append(f"{key} = ?")
            params.append(f[key])
    if f.get("substance"):
        clauses.append("(exists (select 1 from hits h where h.listing_id = listings.id and h.current = 1 and "
                       "h.substance = ? collate nocase) or exists (select 1 from manual_flags m where "
                       "m.listing_id = listings.id and m.substance = ? collate nocase))")
        params += [f["substance"]] * 2
    if f.get("since"):
        clauses.append("last_seen >= ?")
        params.append(f["since"])
    if f.get("until"):
        clauses.append("first_seen <= ?")
        params.append(f["until"] + ("T99" if len(f["until"]) == 10 else ""))  # a bare date: the whole day
    where = ("where " + " and ".join(clauses)) if clauses else ""
    for row in db.query(f"select * from listings {where} order by score desc, id", params):
        hits = [{"substance": h["substance"], "category": h["category"], "inchikey": h["inchikey"],
                 "method": h["method"], "matched": h["matched"], "start": h["start"], "end": h["end"],
                 "rules": json.loads(h["rules"] or "[]"), "score": h["score"], "severity": h.get("severity"),
                 "legal": json.loads(h.get("legal") or "[]")}
                for h in db.query("select * from hits where listing_id = ? and current = 1 order by start",
                                  [row["id"]])]
        evidence = db.execute("select sha256 from snapshots where listing_id = ? order by id desc limit 1",
                              [row["id"]]).fetchone()
        yield {"id": row["id"], "url": row["url"], "platform": row["platform"], "seller": row["seller"],
               "price": row["price"], "title": row["title"], "flagged": bool(row["flagged"]), "score": row["score"],
               "status": row["status"], "severity": row.get("severity"),
               "why": json.loads(row.get("why") or "[]"), "first_seen": row["first_seen"], "last_seen": row["last_seen"],
               "evidence_sha256": evidence[0] if evidence else None, "decided_by": row["decided_by"],
               "decided_at": row["decided_at"], "manual_flag": bool(row["manual_flag"]), "hits": hits}
