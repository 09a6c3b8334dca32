"""Manual flags: a moderator puts in the queue a listing detection missed, with the substance and a reason.

The listing goes (back) to the open queue marked "flagged by a moderator"; the flag is audited like a decision and
kept in ``manual_flags``, which leads read as the list of candidates for lexicon additions (what detection misses).
"""

from __future__ import annotations

import sqlite_utils

from store.db import now

from .auth import Session
from .queue import Outcome, _audit

FLAGGABLE = ("clean", "dismissed", "open", "escalated")


def flag(db: sqlite_utils.Database, session: Session, listing_id: int, substance_id: str, substance: str,
         reason: str) -> Outcome:
    """Flag one listing; refused without a reason or a substance, and on a listing already decided for takedown."""
    reason, substance = reason.strip()[:1000], substance.strip()[:200]
    conn = db.conn
    conn.execute("begin immediate")
    try:
        row = next(db.query("select id, status from listings where id = ?", [listing_id]), None)
        if row is None:
            conn.execute("rollback")
            return Outcome(False, "no such listing", listing_id)
        why = ("say why you flag it" if not reason else "name the substance offered" if not substance else
               f"the listing is {row['status']}" if row["status"] not in FLAGGABLE else "")
        if why:
            _audit(conn, session.user, listing_id, "flag", row["status"], "open", "refused", substance, why)
            conn.execute("commit")
            return Outcome(False, why, listing_id)
        at = now()
        conn.execute("insert into manual_flags (listing_id, by, at, substance_id, substance, reason) "
                     "values (?, ?, ?, ?, ?, ?)", [listing_id, session.user, at, substance_id, substance, reason])
        conn.execute("update listings set manual_flag = 1, status = 'open', decision_seq = decision_seq + 1, "
                     "queued_at = case when status = 'open' then queued_at else ? end, requeue_reason = ? "
                     "where id = ?", [at, f"flagged by a moderator ({session.user})", listing_id])
        _audit(conn, session.user, listing_id, "flag", row["status"], "open", "applied", substance, reason)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return Outcome(True, f"listing {listing_id} flagged ({substance}): it is in the queue", listing_id)


def manual_flags(db: sqlite_utils.Database, limit: int = 500) -> list[dict]:
    """Every manual flag, newest first, with the listing's title, status and whether detection has since found
    anything on it (a flag whose listing still has no hit is a lexicon or rule gap)."""
    return list(db.query(
        "select m.*, l.title, l.status, l.url, (select count(*) from hits h where h.listing_id = l.id "
        "and h.current = 1) as hits from manual_flags m join listings l on l.id = m.listing_id "
        "order by m.id desc limit ?", [limit]))


def flags_for(db: sqlite_utils.Database, listing_id: int) -> list[dict]:
    return list(db.query("select * from manual_flags where listing_id = ? order by id", [listing_id]))
