"""Decisions going back to the platforms: the feed (GET /api/v1/decisions) and the webhook outbox.

A platform's decisions are the moderators' applied decisions (audit rows) on its listings, in audit order; the
audit row id is the cursor. The webhook outbox turns each new decision into one delivery per token with a callback
URL, and records every attempt; the sending itself is done by the review server's background sender.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from .db import now


def _now_ms() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")
from .submissions import DECISIONS

_FEED = (f"select a.id, a.at, a.action, a.from_status, a.to_status, a.reason, l.id as listing_id, l.url, "
         f"(select external_id from api_listings x where x.listing_id = l.id and x.platform = l.platform) as ext "
         f"from audit a join listings l on l.id = a.listing_id where a.id > ? and l.platform = ? "
         f"and a.outcome = 'applied' and a.action in ({', '.join('?' * len(DECISIONS))}) order by a.id limit ?")


def decisions_since(db: sqlite_utils.Database, platform: str, cursor: int = 0, limit: int = 100) -> list[dict]:
    """The platform's decisions after ``cursor``, oldest first; each carries its own cursor."""
    return [{"cursor": r["id"], "type": "decision", "at": r["at"], "action": r["action"], "status": r["to_status"],
             "previous_status": r["from_status"], "reason": r["reason"] or None,
             "listing": {"id": r["ext"], "fentwatch_id": r["listing_id"], "url": r["url"]}}
            for r in db.query(_FEED, [cursor, platform, *DECISIONS, limit])]


def enqueue_decisions(db: sqlite_utils.Database, batch: int = 500) -> int:
    """A delivery for every decision since each webhook's cursor; returns how many were queued."""
    queued = 0
    with db.atomic():
        hooks = list(db.query("select id, platform, webhook_cursor from api_tokens where callback_url is not null "
                              "and revoked_at is null"))
        for hook in hooks:
            events = decisions_since(db, hook["platform"], hook["webhook_cursor"] or 0, batch)
            at = _now_ms()
            db.conn.executemany(
                "insert into webhook_deliveries (token_id, audit_id, event, state, attempts, next_at, created_at) "
                "values (?, ?, ?, 'pending', 0, ?, ?)",
                [(hook["id"], e["cursor"], json.dumps(e, ensure_ascii=False), at, at) for e in events])
            if events:
                db.conn.execute("update api_tokens set webhook_cursor = ? where id = ?",
                                [events[-1]["cursor"], hook["id"]])
            queued += len(events)
    return queued


def due_deliveries(db: sqlite_utils.Database, limit: int = 50) -> list[dict]:
    """Pending deliveries whose time has come, oldest first, with where and how to send them."""
    return list(db.query("select d.id, d.token_id, d.audit_id, d.event, d.attempts, t.callback_url, "
                         "t.webhook_secret from webhook_deliveries d join api_tokens t on t.id = d.token_id "
                         "where d.state = 'pending' and d.next_at <= ? and t.revoked_at is null "
                         "order by d.next_at, d.id limit ?", [_now_ms(), limit]))


def record_attempt(db: sqlite_utils.Database, delivery: dict, url: str, http_status: int | None, error: str | None,
                   ms: int, max_attempts: int, backoff_s: float, max_backoff_s: float) -> str:
    """Record one attempt; a 2xx answer delivers, anything else is retried later with a doubled wait, until
    ``max_attempts``. Returns the delivery's new state."""
    attempts = delivery["attempts"] + 1
    ok = http_status is not None and 200 <= http_status < 300
    state = "delivered" if ok else ("failed" if attempts >= max_attempts else "pending")
    wait = min(max_backoff_s, backoff_s * 2 ** (attempts - 1))
    next_at = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=wait)).isoformat(timespec="milliseconds")
    # (ISO times in UTC with milliseconds compare as strings)
    with db.atomic():
        db.conn.execute("insert into webhook_attempts (delivery_id, at, url, http_status, error, ms) "
                        "values (?, ?, ?, ?, ?, ?)", [delivery["id"], now(), url, http_status, error, ms])
        db.conn.execute("update webhook_deliveries set attempts = ?, state = ?, next_at = ?, done_at = ? "
                        "where id = ?", [attempts, state, next_at, now() if state != "pending" else None,
                                         delivery["id"]])
    return state
