"""API tokens of the platforms and the record of every API request.

A token is shown once, when it is made; the store keeps only its SHA-256 (a token is 32 random bytes, so a plain
hash is enough: nobody can guess one to look up). A webhook secret is kept as it is, since the sender needs it to
sign, and is likewise shown once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlite_utils

from . import retention
from .db import now

SCOPES = ("scan", "submit", "read")
PREFIX = "fw_"


class TokenError(ValueError):
    """A token that cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class Token:
    id: int
    name: str
    platform: str
    scopes: frozenset[str]
    rate_per_minute: int | None
    callback_url: str | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_token(db: sqlite_utils.Database, name: str, platform: str, scopes: list[str],
              rate_per_minute: int | None = None, callback_url: str | None = None) -> tuple[int, str, str | None]:
    """Make a token; returns (id, the token, the webhook secret or None). Neither is ever shown again."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise TokenError(f"unknown scope {', '.join(unknown)!s}; choose from {', '.join(SCOPES)}" if unknown
                         else "a token needs at least one scope")
    if not name.strip() or not platform.strip():
        raise TokenError("name and platform must not be empty")
    if db["api_tokens"].count_where("name = ? and revoked_at is null", [name]):
        raise TokenError(f"an active token is already named {name!r}")
    token = PREFIX + secrets.token_urlsafe(32)
    secret = ("whsec_" + secrets.token_urlsafe(32)) if callback_url else None
    token_id = db["api_tokens"].insert({
        "name": name, "platform": platform, "token_sha256": digest(token), "scopes": ",".join(sorted(set(scopes))),
        "rate_per_minute": rate_per_minute, "callback_url": callback_url, "webhook_secret": secret,
        "webhook_cursor": _last_audit_id(db), "created_at": now(), "revoked_at": None}).last_pk
    return token_id, token, secret


def _last_audit_id(db: sqlite_utils.Database) -> int:
    """Webhooks start with the decisions made after the token (the feed has the older ones)."""
    return db.execute("select coalesce(max(id), 0) from audit").fetchone()[0]


def revoke_token(db: sqlite_utils.Database, name: str) -> int:
    """Revoke the active token(s) named ``name``; returns how many."""
    with db.atomic():
        cur = db.execute("update api_tokens set revoked_at = ? where name = ? and revoked_at is null", [now(), name])
    if not cur.rowcount:
        raise TokenError(f"no active token named {name!r}")
    return cur.rowcount


def list_tokens(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("select id, name, platform, scopes, rate_per_minute, callback_url, created_at, revoked_at, "
                         "(select max(at) from api_requests r where r.token_id = t.id) as last_used "
                         "from api_tokens t order by id"))


def token_for(db: sqlite_utils.Database, token: str | None) -> Token | None:
    """The active token, or None for a missing, unknown or revoked one."""
    if not token:
        return None
    row = db.execute("select id, name, platform, scopes, rate_per_minute, callback_url from api_tokens "
                     "where token_sha256 = ? and revoked_at is null", [digest(token)]).fetchone()
    if row is None:
        return None
    return Token(row[0], row[1], row[2], frozenset(filter(None, row[3].split(","))), row[4], row[5])


def record_request(db: sqlite_utils.Database, token_id: int | None, method: str, endpoint: str, listings: int,
                   status: int, outcome: str) -> None:
    """One line of the API's audit: who called what, with how many listings, and how it ended."""
    record_requests(db, [(token_id, now(), method, endpoint, listings, status, outcome)])


def record_requests(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """Lines of the API's audit, (token id, time, method, endpoint, listings, status, outcome) each, in one
    transaction (the API's audit writer, review/api_audit.py, groups the lines of many requests this way)."""
    with db.atomic():
        db.conn.executemany("insert into api_requests (token_id, at, method, endpoint, listings, status, outcome) "
                            "values (?, ?, ?, ?, ?, ?, ?)", [(*r[:6], str(r[6])[:500]) for r in rows])
        retention.prune_due(db, "api_requests")  # lines older than [retention] api_requests_days, hourly at most
