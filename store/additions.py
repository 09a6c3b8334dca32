"""The store's lexicon additions: made by leads in the review app, loaded by every scan against that store."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Protocol

import sqlite_utils

from detect.engine import Detector, default_detector
from lexicon import load_lexicon
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


def add(db: sqlite_utils.Database, session: Session, addition: dict, listing_id: int | None = None) -> int:
    """Validate and store one addition (leads only); written to the audit log like a decision."""
    if not session.is_lead:
        raise AdditionError("only a lead can change the lexicon")
    lex = merged(load_lexicon(), additions(db))
    addition = {k: (v.strip() if isinstance(v, str) else v) for k, v in addition.items()}
    found = problems(lex, addition)
    if found:
        raise AdditionError("; ".join(found))
    row = {"kind": addition["kind"], "text": addition["text"], "substance_id": addition.get("substance_id") or None,
           "name_kind": addition.get("name_kind") or ("misspellings" if addition["kind"] == "synonym" else None),
           "by": session.user, "at": now(), "why": addition["why"], "listing_id": listing_id, "active": 1}
    with db.conn:
        new_id = db["lexicon_additions"].insert(row).last_pk
        db.execute("insert into audit (at, actor, listing_id, action, outcome, reason, note) values "
                   "(?, ?, ?, 'lexicon-add', 'applied', ?, ?)",
                   [row["at"], session.user, listing_id, row["kind"],
                    f"'{row['text']}'{' of ' + row['substance_id'] if row['substance_id'] else ''}: {row['why']}"])
    return new_id


@functools.cache
def _detector(version_key: tuple) -> Detector:
    rows = [dict(zip(("kind", "text", "substance_id", "name_kind", "why"), r)) for r in version_key]
    return Detector(lexicon=merged(load_lexicon(), rows))


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
    return _detector(tuple((r["kind"], r["text"], r["substance_id"], r["name_kind"], r["why"]) for r in rows))
