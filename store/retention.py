"""Pruning of the tables that grow with traffic alone: sign-in attempts (``sign_in_attempts``) and the platform
API's request lines (``api_requests``). Their rows are kept ``[retention]`` days (``store/data/store.toml``) and
deleted by the process that writes them, the way the review app deletes expired sessions: at most once every
``prune_every_minutes`` per store and table in a process, inside the transaction of the write that found it due.
The audit log, decisions, listings and evidence are never pruned."""

from __future__ import annotations

import datetime as dt
import threading
import time

import sqlite_utils

from .config import store_settings

# table -> the setting that says how many days its rows are kept
DAYS = {"sign_in_attempts": "sign_in_attempts_days", "api_requests": "api_requests_days"}
_DELETE = {  # fixed statements, no SQL built from names
    "sign_in_attempts": "delete from sign_in_attempts where at < ?",
    "api_requests": "delete from api_requests where at < ? and id not in "
                    "(select max(id) from api_requests group by token_id)",
}
_next: dict[tuple[str, str], float] = {}
_lock = threading.Lock()


def retention() -> dict:
    return {"sign_in_attempts_days": 90, "api_requests_days": 90, "prune_every_minutes": 60,
            **store_settings().get("retention", {})}


def cutoff(days: float, at: dt.datetime | None = None) -> str:
    """The time before which rows go, in the store's format (UTC ISO 8601 seconds, which sort as text)."""
    t = (at or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)
    return t.isoformat(timespec="seconds")


def prune(db: sqlite_utils.Database, table: str, days: float | None = None, min_minutes: float = 0) -> int:
    """Delete the rows of ``table`` older than ``days`` (default: its [retention] setting; 0 keeps them), but never
    those of the last ``min_minutes``; ``api_requests`` keeps each token's latest line. Runs in the caller's
    transaction when there is one. Returns how many rows went."""
    days = retention()[DAYS[table]] if days is None else days
    if not days or days <= 0:
        return 0
    before = min(cutoff(days), cutoff(min_minutes / 1440))
    return db.conn.execute(_DELETE[table], [before]).rowcount


def prune_due(db: sqlite_utils.Database, table: str, min_minutes: float = 0) -> int:
    """``prune`` when this process has not pruned ``table`` of this store for [retention] prune_every_minutes
    (the first write of a process always prunes); else nothing. Returns how many rows went."""
    key = (db.conn.execute("pragma database_list").fetchone()[2], table)
    t = time.monotonic()
    with _lock:
        if t < _next.get(key, float("-inf")):
            return 0
        _next[key] = t + retention()["prune_every_minutes"] * 60
    return prune(db, table, min_minutes=min_minutes)
