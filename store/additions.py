"""The store's lexicon additions: made by leads in the review app, loaded by every scan against that store."""

from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import sqlite_utils

from detect.engine import Detector, default_detector
from lexicon import Lexicon, load_lexicon
from lexicon.additions import merged, problems

from .db import db_path, now


class Session(Protocol):
    """Who makes an addition (the review app's session): a user name and whether they are a lead."""
    user: str
    is_lead: bool


class AdditionError(ValueError):
    pass


def additions(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("select * from lexicon_additions where active = 1 order by id"))


def add(db: sqlite_utils.Database, session: Session, addition: dict, listing_id: int | None = None) -> dict:
    """Validate and store one addition (leads only); written to the audit log like a decision. An addition that
    lowers detection (a look-alike) is first tried on the stored flagged listings: when it would unflag any, it is
    kept pending until a second lead approves it. Returns the stored row (``status`` "active" or "pending",
    ``would_unflag`` the listing ids)."""
    if not session.is_lead:
        raise AdditionError("only a lead can change the lexicon")
    lex = merged(load_lexicon(), additions(db))
    addition = {k: (v.strip() if isinstance(v, str) else v) for k, v in addition.items()}
    found = problems(lex, addition)
    if found:
        raise AdditionError("; ".join(found))
    row = {"kind": addition["kind"], "text": addition["text"], "substance_id": addition.get("substance_id") or None,
           "name_kind": addition.get("name_kind") or ("misspellings" if addition["kind"] == "synonym" else None),
           "by": session.user, "at": now(), "why": addition["why"], "listing_id": listing_id}
    affected = would_unflag(db, row)
    row |= {"active": 0 if affected else 1, "status": "pending" if affected else "active",
            "would_unflag": json.dumps(affected)}
    with db.conn:
        row["id"] = db["lexicon_additions"].insert(row).last_pk
        db.execute("insert into audit (at, actor, listing_id, action, outcome, reason, note) values "
                   "(?, ?, ?, 'lexicon-add', ?, ?, ?)",
                   [row["at"], session.user, listing_id, "pending" if affected else "applied", row["kind"],
                    json.dumps({"text": row["text"], "substance_id": row["substance_id"], "why": row["why"],
                                "would_unflag": affected}, ensure_ascii=False)])
    return row


def preview(db: sqlite_utils.Database, addition: dict) -> list[dict]:
    """What an addition would do to stored history, before it is made: the flagged listings it would unflag (id,
    title, status). Raises AdditionError when the addition is not valid."""
    addition = {k: (v.strip() if isinstance(v, str) else v) for k, v in addition.items()}
    found = problems(merged(load_lexicon(), additions(db)), addition)
    if found:
        raise AdditionError("; ".join(found))
    ids = would_unflag(db, addition)
    return [dict(r) for r in db.query(f"select id, title, status, platform from listings where id in "
                                      f"({','.join('?' * len(ids))}) order by id", ids)] if ids else []


def would_unflag(db: sqlite_utils.Database, addition: dict) -> list[int]:
    """The stored listings flagged with the store's lexicon today that this addition would leave unflagged (only a
    look-alike can lower detection; a synonym only adds). Every flagged listing is scanned twice, before and after."""
    if addition["kind"] != "lookalike":
        return []
    current = additions(db)
    return _unflagged(db, current, current + [addition])


def _unflagged(db: sqlite_utils.Database, before_rows: list[dict], after_rows: list[dict]) -> list[int]:
    """The stored flagged listings that the additions ``before_rows`` flag and ``after_rows`` do not."""
    rows = list(db.query("select id, title, text from listings where flagged = 1 order by id"))
    if not rows:
        return []
    listings = [{"id": r["id"], "title": r["title"] or "", "text": r["text"] or ""} for r in rows]
    before = _detector(_key(before_rows)).scan_many(listings)
    after = _detector(_key(after_rows)).scan_many(listings)
    return [r["id"] for r, b, a in zip(rows, before, after) if b.flagged and not a.flagged]


@dataclass(frozen=True)
class Account:
    """A review account acting outside the review app (``fentwatch lexicon withdraw --by NAME``)."""
    user: str
    is_lead: bool


def account(db: sqlite_utils.Database, name: str) -> Account:
    """The active review account ``name``; AdditionError when there is none."""
    row = next(db.query("select name, role from users where name = ? and not disabled", [name]), None)
    if row is None:
        raise AdditionError(f"no active review account {name!r} (fentwatch users list)")
    return Account(row["name"], row["role"] == "lead")


def find(db: sqlite_utils.Database, which: str) -> int:
    """The id of the active or pending addition named by its id or its text (case-insensitive)."""
    rows = list(db.query("select id, kind, text, substance_id from lexicon_additions where status in "
                         "('active', 'pending') and (cast(id as text) = ? or lower(text) = lower(?)) order by id",
                         [which.strip(), which.strip()]))
    if not rows:
        raise AdditionError(f"no active or pending lexicon addition {which!r} (see fentwatch lexicon export)")
    if len(rows) > 1:
        raise AdditionError(f"{which!r} names {len(rows)} additions; give one id: "
                            + ", ".join(f"{r['id']} ({r['kind']} of {r['substance_id'] or '-'})" for r in rows))
    return rows[0]["id"]


def withdraw(db: sqlite_utils.Database, session: Session, addition_id: int, why: str) -> dict:
    """A lead withdraws an addition (active or pending): no scan against the store uses it from then on (`fentwatch
    scan --db`, ingest, crawls, re-scans, and the platform API within its [lexicon] check_seconds). The row stays,
    with who withdrew it, when and why, and the audit log has a line for it as for the adding. Returns the row
    with ``would_unflag``: the stored flagged listings a re-scan will unflag (a withdrawn synonym lowers
    detection; `fentwatch rescan` applies the withdrawal to stored listings)."""
    if not session.is_lead:
        raise AdditionError("only a lead can change the lexicon")
    why = (why or "").strip()
    if not why:
        raise AdditionError("say why the addition is withdrawn")
    row = next(db.query("select * from lexicon_additions where id = ? and status in ('active', 'pending')",
                        [addition_id]), None)
    if row is None:
        raise AdditionError(f"no active or pending lexicon addition {addition_id}")
    current = additions(db)
    affected = _unflagged(db, current, [r for r in current if r["id"] != addition_id]) if row["active"] else []
    at = now()
    with db.conn:
        db.execute("update lexicon_additions set status = 'withdrawn', active = 0, withdrawn_by = ?, "
                   "withdrawn_at = ?, withdrawn_why = ? where id = ?", [session.user, at, why, addition_id])
        db.execute("insert into audit (at, actor, listing_id, action, outcome, reason, note) values "
                   "(?, ?, ?, 'lexicon-withdraw', 'applied', ?, ?)",
                   [at, session.user, row["listing_id"], row["kind"],
                    json.dumps({"addition": addition_id, "text": row["text"], "substance_id": row["substance_id"],
                                "why": why, "was": row["status"], "would_unflag": affected}, ensure_ascii=False)])
    return dict(row, status="withdrawn", active=0, withdrawn_by=session.user, withdrawn_at=at, withdrawn_why=why,
                would_unflag=affected)


def withdrawn(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("select * from lexicon_additions where status = 'withdrawn' order by withdrawn_at desc, id"))


def pending(db: sqlite_utils.Database) -> list[dict]:
    rows = list(db.query("select * from lexicon_additions where status = 'pending' order by id"))
    for r in rows:
        r["would_unflag"] = json.loads(r["would_unflag"] or "[]")
    return rows


def review(db: sqlite_utils.Database, session: Session, addition_id: int, approve: bool) -> dict:
    """A second lead approves (applies) or rejects a pending addition; never the lead who made it."""
    if not session.is_lead:
        raise AdditionError("only a lead can change the lexicon")
    row = next(db.query("select * from lexicon_additions where id = ? and status = 'pending'", [addition_id]), None)
    if row is None:
        raise AdditionError("no such pending addition")
    if row["by"] == session.user:
        raise AdditionError("a second lead must approve it, not the lead who added it")
    status, at = ("active" if approve else "rejected"), now()
    with db.conn:
        db.execute("update lexicon_additions set status = ?, active = ?, approved_by = ?, approved_at = ? "
                   "where id = ?", [status, int(approve), session.user, at, addition_id])
        db.execute("insert into audit (at, actor, listing_id, action, outcome, reason, note) values "
                   "(?, ?, ?, ?, 'applied', ?, ?)",
                   [at, session.user, row["listing_id"], "lexicon-approve" if approve else "lexicon-reject",
                    row["kind"], json.dumps({"addition": addition_id, "text": row["text"]}, ensure_ascii=False)])
    return dict(row, status=status)


def _key(rows: list[dict]) -> tuple:
    return tuple((r["kind"], r["text"], r.get("substance_id"), r.get("name_kind"), r.get("why", "")) for r in rows)


def generation(db: sqlite_utils.Database) -> int:
    """A number that changes whenever the store's lexicon additions do (added, approved, rejected, withdrawn):
    raised by triggers on ``lexicon_additions`` (m012), so one cheap read tells a long-lived process whether to
    look again. -1 for a store from before m012 (every read then looks again)."""
    try:
        row = db.execute("select generation from lexicon_generation where id = 1").fetchone()
    except sqlite3.OperationalError:
        return -1
    return row[0] if row else -1


def version_key(db: sqlite_utils.Database) -> tuple:
    """The store's active additions as a hashable key: equal keys scan alike (``lexicon_of``)."""
    return _key(additions(db)) if "lexicon_additions" in db.table_names() else ()


@functools.lru_cache(maxsize=4)
def lexicon_of(version_key: tuple) -> Lexicon:
    """The shipped lexicon with the additions of ``version_key`` merged (read-only: detectors may share it)."""
    rows = [dict(zip(("kind", "text", "substance_id", "name_kind", "why"), r)) for r in version_key]
    return merged(load_lexicon(), rows)


@functools.lru_cache(maxsize=8)
def _detector(version_key: tuple) -> Detector:
    if not version_key:
        return default_detector()
    return Detector(lexicon=lexicon_of(version_key))


def detector_for(path: str | Path | None) -> Detector:
    """The detector for scans against this store: the shipped lexicon plus the store's additions (the process-wide
    default detector when there are none). Cached per set of additions, so a new addition means a new detector."""
    p = db_path(path)
    if not p.exists():
        return default_detector()
    db = sqlite_utils.Database(p)
    try:
        rows = additions(db) if "lexicon_additions" in db.table_names() else []
    finally:
        db.close()
    if not rows:
        return default_detector()
    return _detector(_key(rows))
