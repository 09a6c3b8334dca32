"""Listings a platform submits under its own id (POST /api/v1/listings and `fentwatch ingest`), stored like crawled
pages: the evidence is the JSON as received (its SHA-256 and time in the snapshot), flagged ones enter the review
queue. Idempotent: the same id with the same content changes nothing; new content is a new version, like a changed
page. Each platform id maps to one listing (``api_listings``).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
from dataclasses import dataclass
from urllib.parse import quote

import sqlite_utils

from detect.engine import listing_text

from .db import now, save_page

FIELDS = ("id", "url", "title", "text", "html", "seller", "price", "posted_at")
DECISIONS = ("takedown", "dismiss", "escalate", "reopen")  # the audit actions a platform hears about


STRING_FIELDS = ("url", "title", "text", "html", "seller", "posted_at")


class BadListing(ValueError):
    """A submitted listing that cannot be taken; ``field`` names the faulty field."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def check_listing(obj: object, where: str = "") -> dict:
    """One listing object in the ``fentwatch scan`` input format, checked field by field; the id as a string."""
    if not isinstance(obj, dict):
        raise BadListing(f"expected a JSON object, got {type(obj).__name__}", where or "body")
    prefix = f"{where}." if where else ""
    lid = obj.get("id")
    if lid is None or isinstance(lid, bool) or not isinstance(lid, (str, int)) or str(lid).strip() == "":
        raise BadListing("missing or empty 'id' (a string or an integer)", prefix + "id")
    if len(str(lid)) > 512:
        raise BadListing("'id' is longer than 512 characters", prefix + "id")
    for name in STRING_FIELDS:
        if obj.get(name) is not None and not isinstance(obj[name], str):
            raise BadListing(f"'{name}' must be a string, got {type(obj[name]).__name__}", prefix + name)
    price = obj.get("price")
    if price is not None and (isinstance(price, bool) or not isinstance(price, (str, int, float))):
        raise BadListing(f"'price' must be a string or a number, got {type(price).__name__}", prefix + "price")
    return dict(obj, id=str(lid))


@dataclass
class Submitted:
    listing_id: int
    outcome: str   # new | changed | unchanged
    version: int
    status: str
    flagged: bool


def content_digest(listing: dict) -> str:
    """The SHA-256 of the listing's fields in a canonical JSON form (key order and spacing do not count)."""
    canon = json.dumps({k: listing.get(k) for k in FIELDS if listing.get(k) is not None}, sort_keys=True,
                       ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _url(listing: dict, platform: str) -> str:
    url = listing.get("url")
    return url if isinstance(url, str) and url.strip() else f"api://{quote(platform, safe='')}/{quote(listing['id'])}"


def _title_text(listing: dict) -> tuple[str, str]:
    """Title and text as the detector read them (visible text of the HTML when no text was given)."""
    if listing.get("text") or not listing.get("html"):
        return listing.get("title") or "", listing.get("text") or ""
    full, _ = listing_text(listing)
    title, _, text = full.partition("\n")
    return title, text


def known(db: sqlite_utils.Database, platform: str, external_id: str) -> dict | None:
    return next(db.query("select * from api_listings where platform = ? and external_id = ?",
                         [platform, external_id]), None)


def unchanged(db: sqlite_utils.Database, platform: str, listing: dict) -> Submitted | None:
    """The stored state when this exact content was submitted before (nothing to scan or store), else None."""
    row = known(db, platform, listing["id"])
    if row is None or row["sha256"] != content_digest(listing):
        return None
    status, flagged = db.execute("select status, flagged from listings where id = ?", [row["listing_id"]]).fetchone()
    return Submitted(row["listing_id"], "unchanged", row["version"], status, bool(flagged))


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database):
    """A write transaction taken at its start (BEGIN IMMEDIATE), so what it read cannot change before it writes."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("begin immediate")
    try:
        yield
    except BaseException:
        db.conn.execute("rollback")
        raise
    db.conn.execute("commit")


def submit(db: sqlite_utils.Database, platform: str, listing: dict, raw: bytes, result: dict,
           detector_version: str = "", lexicon_version: str = "") -> Submitted:
    """Store one submitted listing (validated, with its scan ``result``) in one transaction; ``raw`` is the JSON as
    received, kept as evidence."""
    at = now()
    digest = content_digest(listing)
    with write_transaction(db):  # two servers' threads submitting the same id at once: one writes, the other sees it
        row = known(db, platform, listing["id"])
        if row is not None and row["sha256"] == digest:
            return unchanged(db, platform, listing)
        url = db.execute("select url from listings where id = ?", [row["listing_id"]]).fetchone()[0] if row \
            else _url(listing, platform)
        title, text = _title_text(listing)
        page = {"url": url, "platform": platform, "seller": listing.get("seller"), "title": title, "text": text,
                "price": None if listing.get("price") is None else str(listing["price"]), "body": raw,
                "http_status": 200, "headers": {"Content-Type": "application/json", "X-Fentwatch-Source": "api",
                                                "X-Fentwatch-Platform-Id": listing["id"]},
                "fetched_at": at}
        saved = save_page(db, page, result, detector_version, lexicon_version)
        if saved.outcome == "unchanged":  # same title and text, other fields changed: still a new version's evidence
            db.conn.execute("insert into snapshots (listing_id, sha256, fetched_at, http_status, headers, body_gz, "
                            "size) values (?, ?, ?, 200, ?, ?, ?)",
                            [saved.listing_id, hashlib.sha256(raw).hexdigest(), at, json.dumps(page["headers"]),
                             gzip.compress(raw, 6), len(raw)])
        version = (row["version"] if row else 0) + 1
        db.conn.execute("insert into api_listings (platform, external_id, listing_id, sha256, version, first_at, "
                        "last_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (platform, external_id) do update set "
                        "listing_id = excluded.listing_id, sha256 = excluded.sha256, version = excluded.version, "
                        "last_at = excluded.last_at", [platform, listing["id"], saved.listing_id, digest, version,
                                                       at, at])
        status, flagged = db.execute("select status, flagged from listings where id = ?",
                                     [saved.listing_id]).fetchone()
    return Submitted(saved.listing_id, "new" if row is None else "changed", version, status, bool(flagged))


def stored_result(db: sqlite_utils.Database, listing_id: int) -> dict:
    """The listing's current scan result as stored (flag, score, its hits' categories), for the verdict of a
    submission that changed nothing."""
    flagged, score = db.execute("select flagged, score from listings where id = ?", [listing_id]).fetchone()
    cats = [r[0] for r in db.execute("select distinct category from hits where listing_id = ? and current = 1",
                                     [listing_id])]
    return {"flagged": bool(flagged), "score": score or 0.0, "hits": [{"category": c} for c in cats]}


def latest_decision(db: sqlite_utils.Database, listing_id: int) -> dict | None:
    row = next(db.query(f"select id, at, action, from_status, to_status, reason from audit where listing_id = ? "
                        f"and outcome = 'applied' and action in ({', '.join('?' * len(DECISIONS))}) "
                        f"order by id desc limit 1", [listing_id, *DECISIONS]), None)
    return None if row is None else {"action": row["action"], "status": row["to_status"],
                                     "previous_status": row["from_status"], "reason": row["reason"] or None,
                                     "at": row["at"], "cursor": row["id"]}


def listing_state(db: sqlite_utils.Database, platform: str, external_id: str) -> dict | None:
    """A platform's listing: its review status, latest version and latest decision; None when unknown."""
    row = known(db, platform, external_id)
    if row is None:
        return None
    lst = next(db.query("select id, status, flagged, score, first_seen, last_seen from listings where id = ?",
                        [row["listing_id"]]))
    return {"id": external_id, "fentwatch_id": lst["id"], "status": lst["status"], "flagged": bool(lst["flagged"]),
            "score": lst["score"], "version": row["version"], "first_submitted": row["first_at"],
            "last_changed": row["last_at"], "decision": latest_decision(db, lst["id"])}
