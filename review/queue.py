"""The review queue: listing the open work, claiming it, and deciding it with an append-only audit trail.

Every decision names the listing's ``decision_seq`` as the form showed it. Deciding (one listing or many at
once) runs in one write transaction (``BEGIN IMMEDIATE``), all or nothing, that re-reads the listings, so two
moderators deciding the same listing at once end with one decision; the other attempt is refused and written to
the audit log too. Crawls bump the same counter when they change a listing's status (see ``store._requeue``), so
a decision made on a stale page is refused as well.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import sqlite_utils

from store.db import now
from store.sellers import link_strength, seller_listings

from .auth import Session
from .config import review_settings

# action -> the status it leads to
ACTIONS = {"takedown": "takedown-requested", "dismiss": "dismissed", "escalate": "escalated", "reopen": "open"}
DECIDED = ("takedown-requested", "dismissed", "escalated")
STATUSES = ("open", "escalated", "takedown-requested", "dismissed", "removed", "clean")
LISTING_FACETS = ("platform",)
HIT_FACETS = ("substance", "category", "method")


class WeakLink(ValueError):
    """A seller-wide takedown over a weak seller link, not confirmed."""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    listing_id: int


def dismiss_reasons() -> dict[str, str]:
    return review_settings()["dismiss_reasons"]


def _claim_lapsed(claimed_at: str | None) -> bool:
    if not claimed_at:
        return True
    minutes = review_settings()["queue"]["claim_minutes"]
    return dt.datetime.fromisoformat(claimed_at) + dt.timedelta(minutes=minutes) <= dt.datetime.now(dt.timezone.utc)


def active_claim(row: dict) -> str | None:
    """Who holds the listing, if the claim has not lapsed."""
    return row.get("claimed_by") if row.get("claimed_by") and not _claim_lapsed(row.get("claimed_at")) else None


def _audit(conn, actor: str, listing_id: int | None, action: str, from_status: str | None, to_status: str | None,
           outcome: str, reason: str = "", note: str = "") -> None:
    conn.execute("insert into audit (at, actor, listing_id, action, from_status, to_status, reason, note, outcome) "
                 "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [now(), actor, listing_id, action, from_status, to_status, reason, note, outcome])


def _refusal(row: dict, session: Session, action: str, expected_seq: int | None, reason: str, note: str) -> str:
    """Why this decision may not be made now, or '' when it may."""
    status = row["status"]
    if expected_seq is not None and row["decision_seq"] != expected_seq:
        by = row["decided_by"] or "a crawl"
        return f"the listing changed since you opened it (now {status}, by {by}): reload and decide again"
    if action not in ACTIONS:
        return f"unknown action {action!r}"
    holder = active_claim(row)
    if holder and holder != session.user and not session.is_lead:
        return f"{holder} is working on this listing"
    if action == "reopen" and not session.is_lead:
        return "only a lead can reopen a listing"
    if status == "clean":
        return "nothing was detected on this listing"
    if status == "removed" and action != "reopen":
        return "the listing is removed (verified)"
    if status == "escalated" and not session.is_lead:
        return "an escalated listing waits for a lead"
    if status in DECIDED and row["decided_by"] not in (None, session.user) and not session.is_lead:
        return f"only a lead can change {row['decided_by']}'s decision"
    if ACTIONS[action] == status:
        return f"the listing is already {status}"
    if action == "dismiss":
        if reason not in dismiss_reasons():
            return "choose a reason to dismiss"
        if reason == "other" and not note.strip():
            return "say why in the note when the reason is 'other'"
    return ""


def _decide_in(conn, session: Session, listing_id: int, action: str, expected_seq: int | None, reason: str,
               note: str) -> tuple[Outcome, list]:
    """One decision inside the caller's write transaction: applied (with its audit row) when allowed; else the
    refusal and the audit row to write for it."""
    cur = conn.execute("select * from listings where id = ?", [listing_id])
    found = cur.fetchone()
    if found is None:
        return Outcome(False, "no such listing", listing_id), []
    row = dict(zip([c[0] for c in cur.description], found))
    to_status = ACTIONS.get(action)
    why = _refusal(row, session, action, expected_seq, reason, note)
    if why:
        return (Outcome(False, why, listing_id),
                [session.user, listing_id, action, row["status"], to_status, "refused", reason, why])
    at = now()
    conn.execute("update listings set status = ?, decided_by = ?, decided_at = ?, decision_seq = decision_seq + 1,"
                 " dismiss_reason = ?, claimed_by = null, claimed_at = null, still_online = 0,"
                 " queued_at = case when ? = 'open' then ? else queued_at end where id = ?",
                 [to_status, session.user, at, reason if action == "dismiss" else None, to_status, at, listing_id])
    if action == "takedown":
        conn.execute("insert into takedowns (listing_id, requested_by, requested_at) values (?, ?, ?)",
                     [listing_id, session.user, at])
    if action == "dismiss" and reason == "false-positive":
        conn.execute("insert or replace into suppressions (listing_id, content_hash, by, at, reason) "
                     "values (?, ?, ?, ?, ?)", [listing_id, row["content_hash"], session.user, at, note])
    if action == "reopen":
        conn.execute("delete from suppressions where listing_id = ?", [listing_id])
    _audit(conn, session.user, listing_id, action, row["status"], to_status, "applied", reason, note)
    return Outcome(True, f"{action}: listing {listing_id} is now {to_status}", listing_id), []


def decide(db: sqlite_utils.Database, session: Session, listing_id: int, action: str,
           expected_seq: int | None = None, reason: str = "", note: str = "") -> Outcome:
    """Apply one decision, or refuse it; either way the attempt is appended to the audit log."""
    return decide_many(db, session, [(listing_id, expected_seq)], action, reason, note)[0]


def decide_many(db: sqlite_utils.Database, session: Session, decisions: list[tuple[int, int | None]], action: str,
                reason: str = "", note: str = "") -> list[Outcome]:
    """A bulk decision in one write transaction, all or nothing: when any listing is refused (or anything fails),
    none is changed; the refusals are audited, and the others are reported as not applied."""
    conn = db.conn
    note = note[:2000]
    conn.execute("begin immediate")
    try:
        results = [_decide_in(conn, session, lid, action, seq, reason, note) for lid, seq in decisions]
        if all(o.ok for o, _ in results):
            conn.execute("commit")
            return [o for o, _ in results]
        conn.execute("rollback")
    except BaseException:
        conn.execute("rollback")
        raise
    with conn:
        for _, refusal in results:
            if refusal:
                _audit(conn, *refusal)
    held = "not applied: another listing of this decision was refused" if len(decisions) > 1 else ""
    return [o if not o.ok else Outcome(False, held, o.listing_id) for o, _ in results]


def claim(db: sqlite_utils.Database, session: Session, listing_id: int, release: bool = False) -> Outcome:
    conn = db.conn
    conn.execute("begin immediate")
    try:
        row = next(db.query("select id, status, claimed_by, claimed_at from listings where id = ?", [listing_id]),
                   None)
        if row is None:
            conn.execute("rollback")
            return Outcome(False, "no such listing", listing_id)
        holder = active_claim(row)
        action = "release" if release else "claim"
        if holder and holder != session.user and not session.is_lead:
            why = f"{holder} is working on this listing"
            _audit(conn, session.user, listing_id, action, row["status"], row["status"], "refused", "", why)
            conn.execute("commit")
            return Outcome(False, why, listing_id)
        if release:
            conn.execute("update listings set claimed_by = null, claimed_at = null where id = ?", [listing_id])
        else:
            conn.execute("update listings set claimed_by = ?, claimed_at = ? where id = ?",
                         [session.user, now(), listing_id])
        _audit(conn, session.user, listing_id, action, row["status"], row["status"], "applied",
               "", f"taken over from {holder}" if holder and holder != session.user else "")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return Outcome(True, f"released listing {listing_id}" if release else f"you are working on listing {listing_id}",
                   listing_id)


def search_clause(q: str) -> tuple[str, list]:
    """Listings matching a search: free text over title and text (FTS5, trigram tokens: any 3 characters or more,
    Chinese included), or a part of the URL, the seller, a contact, a substance's name or what a hit matched (a CAS
    number, say). The query is read as NFKC, so a full-width CAS number finds the ASCII one."""
    q = unicodedata.normalize("NFKC", q).strip()[:200]
    like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    parts = ["l.url like ? escape '\\'", "l.seller like ? escape '\\'",
             "exists (select 1 from listing_contacts lc join contacts c on c.id = lc.contact_id "
             "where lc.listing_id = l.id and c.value like ? escape '\\')",
             "exists (select 1 from hits h where h.listing_id = l.id and h.current = 1 and "
             "(h.substance like ? escape '\\' or h.matched like ? escape '\\'))",
             "exists (select 1 from manual_flags m where m.listing_id = l.id and m.substance like ? escape '\\')"]
    params = [like] * 6
    if len(q) >= 3:  # the trigram index needs three characters; a phrase query, so no FTS syntax from the box
        parts.insert(0, "l.id in (select rowid from listings_fts where listings_fts match ?)")
        params.insert(0, '"' + q.replace('"', '""') + '"')
    return "(" + " or ".join(parts) + ")", params


def _where(filters: dict, skip: str | None = None) -> tuple[str, list]:
    clauses, params = [], []
    status = filters.get("status") or "open"
    if status != "all":
        clauses.append("l.status = ?")
        params.append(status)
    for facet in LISTING_FACETS:
        if facet != skip and filters.get(facet):
            clauses.append(f"l.{facet} = ?")
            params.append(filters[facet])
    for facet in HIT_FACETS:
        if facet != skip and filters.get(facet):
            clauses.append(f"exists (select 1 from hits h where h.listing_id = l.id and h.current = 1 "
                           f"and h.{facet} = ?)")
            params.append(filters[facet])
    if filters.get("still_online"):
        clauses.append("l.still_online = 1")
    if filters.get("seller"):
        clauses.append("l.seller_id = ?")
        params.append(int(filters["seller"]) if str(filters["seller"]).isdigit() else -1)
    if filters.get("manual"):
        clauses.append("l.manual_flag = 1")
    if (filters.get("q") or "").strip():
        clause, found = search_clause(filters["q"])
        clauses.append(clause)
        params.extend(found)
    return ("where " + " and ".join(clauses)) if clauses else "", params


def queue(db: sqlite_utils.Database, filters: dict, page: int = 1) -> tuple[list[dict], int]:
    """One page of listings, highest risk first and oldest first among equals, with the total count."""
    where, params = _where(filters)
    size = review_settings()["queue"]["page_size"]
    total = db.execute(f"select count(*) from listings l {where}", params).fetchone()[0]
    order = "l.score desc, l.queued_at asc, l.id asc"
    if filters.get("group") == "seller":  # sellers with the riskiest listing first, each seller's listings together
        order = (f"(select max(x.score) from listings x where x.seller_id = l.seller_id) desc, "
                 f"coalesce(l.seller_id, -l.id), {order}")
    rows = list(db.query(
        f"select l.*, (select group_concat(distinct h.substance) from hits h where h.listing_id = l.id "
        f"and h.current = 1) as substances, (select count(*) from listings x where x.seller_id = l.seller_id) "
        f"as seller_listings from listings l {where} order by {order} limit ? offset ?",
        params + [size, (page - 1) * size]))
    for r in rows:
        r["claim"] = active_claim(r)
    return rows, total


def facets(db: sqlite_utils.Database, filters: dict) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of each facet, under the other active filters (the way Datasette counts facets)."""
    out = {}
    for facet in LISTING_FACETS:
        where, params = _where(filters, skip=facet)
        out[facet] = [(r[0], r[1]) for r in db.execute(
            f"select l.{facet}, count(*) from listings l {where} group by l.{facet} order by 2 desc limit 30", params)]
    for facet in HIT_FACETS:
        where, params = _where(filters, skip=facet)
        out[facet] = [(r[0], r[1]) for r in db.execute(
            f"select h.{facet}, count(distinct l.id) from listings l join hits h on h.listing_id = l.id "
            f"and h.current = 1 {where} group by h.{facet} order by 2 desc limit 30", params)]
    where, params = _where({k: v for k, v in filters.items() if k != "status"} | {"status": "all"})
    out["status"] = [(r[0], r[1]) for r in db.execute(
        f"select l.status, count(*) from listings l {where} group by l.status order by 2 desc", params)]
    return out


def audit_for(db: sqlite_utils.Database, listing_id: int) -> list[dict]:
    return list(db.query("select * from audit where listing_id = ? order by id", [listing_id]))


def recent_audit(db: sqlite_utils.Database, limit: int = 200) -> list[dict]:
    """The latest decisions and other actions; sign-ins are shown apart (``auth.recent_sign_ins``), so a flood of
    failed sign-ins cannot push the decisions off the page."""
    return list(db.query("select * from audit where action not in ('sign-in', 'sign-in-unlock') "
                         "order by id desc limit ?", [limit]))


def next_open(db: sqlite_utils.Database, session: Session, after_id: int) -> int | None:
    """The next listing in queue order that nobody else holds, for the 'next' key."""
    for r in db.query("select id, claimed_by, claimed_at from listings where status = 'open' and id != ? "
                      "order by score desc, queued_at asc, id asc limit 200", [after_id]):
        if active_claim(r) in (None, session.user):
            return r["id"]
    return None


def takedown_all(db: sqlite_utils.Database, session: Session, seller_id: int,
                 weak_link_checked: bool = False) -> list[Outcome]:
    """A lead's takedown request for every open listing of a seller, decided and audited listing by listing. Where
    the seller's links are weak (``store.sellers.link_strength``) the lead must say they checked them."""
    if not session.is_lead:
        raise PermissionError("only a lead can request takedown of all of a seller's listings")
    strength = link_strength(db, seller_id)
    if strength["weak"] and not weak_link_checked:
        raise WeakLink(f"the link is weak: {strength['why']}; check the listings, then confirm")
    rows = [(r["id"], r["decision_seq"]) for r in seller_listings(db, seller_id) if r["status"] == "open"]
    return decide_many(db, session, rows, "takedown", note=f"seller-wide takedown of seller {seller_id}")
