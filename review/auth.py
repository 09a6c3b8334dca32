"""Moderator accounts and server-side sessions.

Passwords are hashed with Argon2id (argon2-cffi: salted, memory-hard, parameters stored in the hash). Sessions
live in the store, not in a signed cookie, so signing out or disabling an account ends them at once: the cookie
holds a random token and the store only its SHA-256. Each session carries its own CSRF token.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from store import retention
from store.db import now

from .config import review_settings

ROLES = ("moderator", "lead")


def _hasher() -> PasswordHasher:
    """Argon2id at the cost of review.toml's [passwords] for new hashes; a stored hash is verified with the
    parameters it carries, so hashes made at another cost still work."""
    p = review_settings()["passwords"]
    return _hasher_for(p["time_cost"], p["memory_kib"], p["parallelism"])


@functools.cache
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the account does not exist, so a failed sign-in takes the same time either way; made
    on a process's first sign-in (known user or not), not at import."""
    return hasher.hash("not a password")


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
    db["users"].insert({"name": name, "role": role, "password_hash": _hasher().hash(password), "created_at": now(),
                        "disabled": 0})


def set_password(db: sqlite_utils.Database, name: str, password: str) -> None:
    check_password_rules(password)
    if not db["users"].count_where("name = ?", [name]):
        raise AuthError(f"no user {name!r}")
    with db.conn:
        db.execute("update users set password_hash = ? where name = ?", [_hasher().hash(password), name])
        db.execute("delete from sessions where user = ?", [name])


def set_disabled(db: sqlite_utils.Database, name: str, disabled: bool) -> None:
    if not db["users"].count_where("name = ?", [name]):
        raise AuthError(f"no user {name!r}")
    with db.conn:
        db.execute("update users set disabled = ? where name = ?", [int(disabled), name])
        if disabled:
            db.execute("delete from sessions where user = ?", [name])


def _check_leads_left(db: sqlite_utils.Database, name: str) -> None:
    """Refuse to take the last active lead away: nobody could reopen listings or manage decisions after it."""
    row = next(db.query("select role, disabled from users where name = ?", [name]), None)
    if row is None:
        raise AuthError(f"no user {name!r}")
    others = db["users"].count_where("role = 'lead' and disabled = 0 and name != ?", [name])
    if row["role"] == "lead" and not row["disabled"] and not others:
        raise AuthError(f"{name} is the last active lead: make another account a lead first")


def set_role(db: sqlite_utils.Database, name: str, role: str) -> str:
    """Change an account's role (effective on its next request); returns the old role."""
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if role != "lead":
        _check_leads_left(db, name)
    old = next(db.query("select role from users where name = ?", [name]), None)
    if old is None:
        raise AuthError(f"no user {name!r}")
    with db.conn:
        db.execute("update users set role = ? where name = ?", [role, name])
    return old["role"]


def remove_user(db: sqlite_utils.Database, name: str) -> None:
    """Remove an account: its sessions end and its claims are released; its decisions stay in the audit log
    (under its name), which nothing can edit."""
    _check_leads_left(db, name)
    with db.conn:
        db.execute("delete from sessions where user = ?", [name])
        db.execute("update listings set claimed_by = null, claimed_at = null where claimed_by = ?", [name])
        db.execute("delete from users where name = ?", [name])


REFUSED = "wrong user name or password, or too many failed sign-ins: wait a while or ask a lead to unlock you"
# failures counted: attempts whose password was (or is being) checked, in the window, after the last unlock
_BY_NAME = ("select count(*) from sign_in_attempts where name_sha256 = ? and at >= ? "
            "and outcome in ('checking', 'refused') and id > coalesce((select max(id) from sign_in_attempts "
            "where name_sha256 = ? and outcome = 'unlocked'), 0)")
_BY_ADDRESS = ("select count(*) from sign_in_attempts where address = ? and at >= ? "
               "and outcome in ('checking', 'refused')")


def name_key(name: str) -> str:
    """Failures are counted under a hash of the full user name, however long."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def _reserve(db: sqlite_utils.Database, name: str, address: str) -> tuple[int, bool]:
    """Count the recent failures and record this attempt in one write transaction, so parallel guesses cannot
    overshoot the limit: returns (attempt id, locked). A locked attempt never has its password checked."""
    rules = review_settings()["sign_in"]
    since = _ts(dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=rules["window_minutes"]))
    conn = db.conn
    conn.execute("begin immediate")
    try:
        key = name_key(name)
        by_name = conn.execute(_BY_NAME, [key, since, key]).fetchone()[0] >= rules["max_failures"]
        by_address = bool(address) and (conn.execute(_BY_ADDRESS, [address, since]).fetchone()[0]
                                        >= rules["max_failures_per_address"])
        locked = by_name or by_address
        cur = conn.execute("insert into sign_in_attempts (at, name_sha256, name, address, outcome) "
                           "values (?, ?, ?, ?, ?)", [now(), name_key(name), name[:100], address,
                                                      "locked" if locked else "checking"])
        retention.prune_due(db, "sign_in_attempts", min_minutes=rules["window_minutes"])  # at most once an hour
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return cur.lastrowid, locked


def sign_in(db: sqlite_utils.Database, name: str, password: str, address: str = "") -> tuple[str, Session]:
    """A new session for the right password: returns (cookie token, session). Every attempt goes to the audit log;
    an unknown user, a wrong password and a locked account get the same answer."""
    attempt, locked = _reserve(db, name, address)
    row = None if locked else next(db.query("select * from users where name = ?", [name]), None)
    hasher = _hasher()
    dummy = _dummy_hash(hasher)
    try:
        hasher.verify(row["password_hash"] if row else dummy, password)
        ok = row is not None and not row["disabled"]
    except (VerificationError, InvalidHashError):
        ok = False
    with db.conn:
        if not locked:
            db.execute("update sign_in_attempts set outcome = ? where id = ?", ["applied" if ok else "refused",
                                                                               attempt])
        db.execute("insert into audit (at, actor, listing_id, action, outcome, reason) values (?, ?, null, "
                   "'sign-in', ?, ?)", [now(), name[:100], "applied" if ok else "refused",
                                       "locked" if locked else ""])
    if not ok:
        raise AuthError(REFUSED)
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


def locked_accounts(db: sqlite_utils.Database) -> list[dict]:
    """Names locked now (as typed at sign-in, cut at 100 characters), with their key for unlocking."""
    rules = review_settings()["sign_in"]
    since = _ts(dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=rules["window_minutes"]))
    rows = db.query("select name_sha256, max(name) as name, count(*) as failures, max(at) as last from "
                    "sign_in_attempts a where at >= ? and outcome in ('checking', 'refused') and id > "
                    "coalesce((select max(id) from sign_in_attempts u where u.name_sha256 = a.name_sha256 and "
                    "u.outcome = 'unlocked'), 0) group by name_sha256 having count(*) >= ? order by last desc",
                    [since, rules["max_failures"]])
    return list(rows)


def unlock(db: sqlite_utils.Database, name_sha256: str, by: str, name: str = "") -> None:
    """Lift an account's lockout (a lead in the app, or ``fentwatch users unlock``); recorded and audited."""
    with db.conn:
        db.execute("insert into sign_in_attempts (at, name_sha256, name, address, outcome, by) values "
                   "(?, ?, ?, '', 'unlocked', ?)", [now(), name_sha256, name[:100], by])
        db.execute("insert into audit (at, actor, listing_id, action, outcome, note) values (?, ?, null, "
                   "'sign-in-unlock', 'applied', ?)", [now(), by, name[:100] or name_sha256])


def recent_sign_ins(db: sqlite_utils.Database, limit: int = 200) -> list[dict]:
    """Sign-in attempts, newest first: kept apart from decisions so failures cannot push them off the audit page."""
    return list(db.query("select * from sign_in_attempts order by id desc limit ?", [limit]))
