"""Moderator accounts and server-side sessions.

Passwords are hashed with Argon2id (argon2-cffi: salted, memory-hard, parameters stored in the hash). Sessions
live in the store, not in a signed cookie, so signing out or disabling an account ends them at once: the cookie
holds a random token and the store only its SHA-256. Each session carries its own CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store.db import now

from .config import review_settings

ROLES = ("moderator", "lead")
_hasher = PasswordHasher()
# verifying against this when the account does not exist keeps the time of a failed sign-in the same either way
_DUMMY_HASH = _hasher.hash("not a password")


class AuthError(ValueError):
    pass


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    csrf: str
    token_sha256: str

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ts(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def check_password_rules(password: str) -> None:
    if len(password) < 10:
        raise AuthError("the password must have at least 10 characters")


def add_user(db: sqlite_utils.Database, name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AuthError("a user name is letters, digits, '.', '-' and '_' only")
    check_password_rules(password)
    if db["users"].count_where("name = ?", [name]):
        raise AuthError(f"user {name!r} exists already (use 'fentwatch users passwd' to change the password)")
    db["users"].insert({"name": name, "role": role, "password_hash": _hasher.hash(password), "created_at": now(),
                        "disabled": 0})


def set_password(db: sqlite_utils.Database, name: str, password: str) -> None:
    check_password_rules(password)
    if not db["users"].count_where("name = ?", [name]):
        raise AuthError(f"no user {name!r}")
    with db.conn:
        db.execute("update users set password_hash = ? where name = ?", [_hasher.hash(password), name])
        db.execute("delete from sessions where user = ?", [name])


def set_disabled(db: sqlite_utils.Database, name: str, disabled: bool) -> None:
    if not db["users"].count_where("name = ?", [name]):
        raise AuthError(f"no user {name!r}")
    with db.conn:
        db.execute("update users set disabled = ? where name = ?", [int(disabled), name])
        if disabled:
            db.execute("delete from sessions where user = ?", [name])


def _recent_failures(db: sqlite_utils.Database, name: str) -> int:
    window = review_settings()["sign_in"]["window_minutes"]
    since = _ts(dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=window))
    return db.execute("select count(*) from audit where actor = ? and action = 'sign-in' and outcome = 'refused' "
                      "and at >= ?", [name, since]).fetchone()[0]


def sign_in(db: sqlite_utils.Database, name: str, password: str) -> tuple[str, Session]:
    """A new session for the right password: returns (cookie token, session). Every attempt goes to the audit log."""
    row = next(db.query("select * from users where name = ?", [name]), None)
    locked = row is not None and _recent_failures(db, name) >= review_settings()["sign_in"]["max_failures"]
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        ok = row is not None and not row["disabled"] and not locked
    except (VerificationError, InvalidHashError):
        ok = False
    with db.conn:
        db.execute("insert into audit (at, actor, listing_id, action, outcome, reason) values (?, ?, null, "
                   "'sign-in', ?, ?)", [now(), name[:100], "applied" if ok else "refused", "locked" if locked else ""])
    if not ok:
        raise AuthError("locked for a while after too many failed sign-ins" if locked
                        else "wrong user name or password")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    t = dt.datetime.now(dt.timezone.utc)
    expires = t + dt.timedelta(hours=review_settings()["sessions"]["max_hours"])
    with db.conn:
        db.execute("insert into sessions (token_sha256, user, csrf, created_at, seen_at, expires_at) "
                   "values (?, ?, ?, ?, ?, ?)", [_sha(token), name, csrf, _ts(t), _ts(t), _ts(expires)])
    return token, Session(name, row["role"], csrf, _sha(token))


def session_for(db: sqlite_utils.Database, token: str | None) -> Session | None:
    """The live session of a cookie token, renewed; None when absent, expired, idle too long or disabled."""
    if not token:
        return None
    row = next(db.query("select s.*, u.role, u.disabled from sessions s join users u on u.name = s.user "
                        "where s.token_sha256 = ?", [_sha(token)]), None)
    if row is None:
        return None
    t = dt.datetime.now(dt.timezone.utc)
    idle = dt.timedelta(minutes=review_settings()["sessions"]["idle_minutes"])
    if row["disabled"] or _ts(t) >= row["expires_at"] or dt.datetime.fromisoformat(row["seen_at"]) + idle <= t:
        with db.conn:
            db.execute("delete from sessions where token_sha256 = ?", [row["token_sha256"]])
        return None
    with db.conn:
        db.execute("update sessions set seen_at = ? where token_sha256 = ?", [_ts(t), row["token_sha256"]])
    return Session(row["user"], row["role"], row["csrf"], row["token_sha256"])


def sign_out(db: sqlite_utils.Database, session: Session) -> None:
    with db.conn:
        db.execute("delete from sessions where token_sha256 = ?", [session.token_sha256])


def csrf_ok(session: Session, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(session.csrf, token)
