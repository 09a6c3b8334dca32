"""Figures for the dashboard, each saying what it counts: hits found per day, open listings per platform and per
substance (the queue's facets), and the health of the queue in listings."""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from .queue import facets


def hits_per_day(db: sqlite_utils.Database, days: int = 30) -> list[tuple[str, int]]:
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days - 1)).date().isoformat()
    found = dict(db.execute("select substr(found_at, 1, 10) as day, count(*) from hits where found_at >= ? "
                            "group by day", [since]).fetchall())
    start = dt.date.fromisoformat(since)
    return [((start + dt.timedelta(d)).isoformat(), found.get((start + dt.timedelta(d)).isoformat(), 0))
            for d in range(days)]


def open_per(db: sqlite_utils.Database, facet: str) -> list[tuple[str, int]]:
    """Open listings (not hits) per platform or substance: the queue's own facet counts, so the two always agree."""
    return [(value or "(none)", n) for value, n in facets(db, {"status": "open"})[facet][:20]]


def queue_health(db: sqlite_utils.Database) -> dict:
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    one = lambda sql, *p: db.execute(sql, p).fetchone()[0]  # noqa: E731
    return {
        "open": one("select count(*) from listings where status = 'open'"),
        "still_online": one("select count(*) from listings where status = 'open' and still_online = 1"),
        "escalated": one("select count(*) from listings where status = 'escalated'"),
        "oldest_waiting": one("select min(queued_at) from listings where status = 'open'"),
        "decided_today": one("select count(*) from audit where outcome = 'applied' and action in "
                             "('takedown', 'dismiss', 'escalate', 'reopen') and at >= ?", today),
        "awaiting_verification": one("select count(*) from listings where status = 'takedown-requested'"),
        "removed_verified": one("select count(*) from listings where status = 'removed'"),
        "manual_open": one("select count(*) from listings where status = 'open' and manual_flag = 1"),
        "manual_all": one("select count(*) from manual_flags"),
    }


def bars(rows: list[tuple[str, int]], width: int = 520, bar: int = 16) -> dict:
    """Geometry for a horizontal SVG bar chart (drawn by the template; SVG attributes, so no inline style)."""
    top = max((n for _, n in rows), default=0) or 1
    label = 190
    return {"width": width, "height": bar * len(rows) + 4, "rows": [
        {"label": name, "value": n, "y": i * bar, "w": round((width - label - 50) * n / top), "x": label}
        for i, (name, n) in enumerate(rows)]}


def columns(rows: list[tuple[str, int]], height: int = 120, col: int = 16) -> dict:
    """Geometry for a vertical SVG column chart (hits per day)."""
    top = max((n for _, n in rows), default=0) or 1
    return {"width": col * len(rows), "height": height + 30, "rows": [
        {"label": day, "value": n, "x": i * col, "h": round(height * n / top), "y": height - round(height * n / top)}
        for i, (day, n) in enumerate(rows)]}
