"""Takedown requests: per-platform batches with the legal basis and the evidence, as CSV, JSON and printable HTML.

A batch gathers the listings of one platform whose takedown was requested and not yet sent in a batch. Each row
names the URL, what was detected and how, the legal basis (the lexicon's control entries for listed substances,
the class-definition clauses for unlisted analogs), the evidence snapshot's SHA-256 and fetch time, and who decided.
"""

from __future__ import annotations

import csv
import io
import json

import sqlite_utils

from detect.classrules import clause_note, rules_data
from lexicon import Lexicon
from store.db import now
from store.export import csv_cell

from .auth import Session

CSV_FIELDS = ("url", "platform", "title", "seller", "substances", "methods", "legal_basis", "evidence_sha256",
              "evidence_fetched_at", "first_seen", "last_seen", "requested_by", "requested_at")


def pending_by_platform(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in db.execute(
        "select l.platform, count(*) from takedowns t join listings l on l.id = t.listing_id "
        "where t.batch_id is null and l.status = 'takedown-requested' group by l.platform order by 2 desc")]


def create_batch(db: sqlite_utils.Database, session: Session, platform: str) -> int | None:
    """Put every unsent takedown request of ``platform`` in a new batch; None when there is none."""
    conn = db.conn
    conn.execute("begin immediate")
    try:
        ids = [r[0] for r in conn.execute(
            "select t.id from takedowns t join listings l on l.id = t.listing_id where t.batch_id is null "
            "and l.status = 'takedown-requested' and l.platform is ?", [platform])]
        if not ids:
            conn.execute("rollback")
            return None
        batch = conn.execute("insert into takedown_batches (platform, created_by, created_at, listings) "
                             "values (?, ?, ?, ?)", [platform, session.user, now(), len(ids)]).lastrowid
        conn.executemany("update takedowns set batch_id = ? where id = ?", [(batch, i) for i in ids])
        conn.execute("insert into audit (at, actor, listing_id, action, outcome, note) values "
                     "(?, ?, null, 'takedown-batch', 'applied', ?)",
                     [now(), session.user, f"batch {batch}: {len(ids)} listing(s) on {platform}"])
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return batch


def mark_sent(db: sqlite_utils.Database, session: Session, batch_id: int, sent_to: str) -> str:
    """Record that a batch was sent (to whom, when, by whom); '' when done, else why not. Only after this does
    the next crawl count a listing of the batch that is still there as "still online"."""
    sent_to = sent_to.strip()[:300]
    if not sent_to:
        return "say to whom the batch was sent (the platform's abuse address or form)"
    with db.atomic():
        batch = next(db.query("select * from takedown_batches where id = ?", [batch_id]), None)
        if batch is None:
            return "no such batch"
        if batch["sent_at"]:
            return f"batch {batch_id} was already sent at {batch['sent_at']} to {batch['sent_to']}"
        at = now()
        db.conn.execute("update takedown_batches set sent_at = ?, sent_to = ?, sent_by = ? where id = ?",
                        [at, sent_to, session.user, batch_id])
        db.conn.execute("insert into audit (at, actor, listing_id, action, outcome, note) values "
                        "(?, ?, null, 'takedown-sent', 'applied', ?)",
                        [at, session.user, f"batch {batch_id} sent to {sent_to}"])
    return ""


def takedown_state(db: sqlite_utils.Database, row: dict) -> dict | None:
    """Where a listing's latest takedown request stands: requested, batched, sent (when, to whom), removed
    (verified by the crawl) or still online (only ever after a sent request); None without a request."""
    t = next(db.query("select t.*, b.sent_at, b.sent_to, b.sent_by from takedowns t left join takedown_batches b "
                      "on b.id = t.batch_id where t.listing_id = ? order by t.id desc limit 1", [row["id"]]), None)
    if t is None:
        return None
    by = f"requested by {t['requested_by']} at {t['requested_at']}"
    if row["status"] == "removed":
        state, text = "removed", f"removed (verified by the crawl at {row['last_seen']})"
    elif row.get("still_online"):
        state, text = "still-online", f"still online after the request sent at {t['sent_at']} to {t['sent_to']}"
    elif t["sent_at"]:
        state, text = "sent", f"sent in batch {t['batch_id']} at {t['sent_at']} to {t['sent_to']} by {t['sent_by']}"
    elif t["batch_id"]:
        state, text = "batched", f"in batch {t['batch_id']}, not sent yet"
    else:
        state, text = "requested", "requested, not in a batch yet"
    return {"state": state, "text": text, "by": by}


def batches(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("select * from takedown_batches order by id desc"))


def legal_basis(lex: Lexicon, hit: dict, short: bool = False) -> list[str]:
    """Control entries of the substance in the lexicon, then the class-definition clauses the structure meets
    (``short``: the clause id and its note, without the definition's full title)."""
    out = []
    sub = lex.by_inchikey.get(hit.get("inchikey") or "")
    if sub is None:
        sub = next((s for s in lex.substances if s.name == hit["substance"]), None)
    if sub is not None:
        out += [f"{c.jurisdiction}: {c.instrument}" for c in sub.control]
    definitions = rules_data()["definitions"]
    for rule in json.loads(hit["rules"]) if isinstance(hit["rules"], str) else hit["rules"]:
        definition = rule.split("(")[0]
        title = "" if short else f"{definitions[definition]['title']}, clause "
        out.append(f"{title}{rule}: {clause_note(rule)}")
    return out


def batch_rows(db: sqlite_utils.Database, lex: Lexicon, batch_id: int) -> list[dict]:
    rows = []
    for t in db.query("select t.*, l.url, l.platform, l.title, l.seller, l.first_seen, l.last_seen from takedowns t "
                      "join listings l on l.id = t.listing_id where t.batch_id = ? order by t.id", [batch_id]):
        hits = list(db.query("select * from hits where listing_id = ? and current = 1 order by start",
                             [t["listing_id"]]))
        snap = next(db.query("select sha256, fetched_at from snapshots where listing_id = ? order by id desc limit 1",
                             [t["listing_id"]]), {"sha256": "", "fetched_at": ""})
        basis: list[str] = []
        for h in hits:
            basis += [b for b in legal_basis(lex, h) if b not in basis]
        rows.append({
            "url": t["url"], "platform": t["platform"], "title": t["title"], "seller": t["seller"],
            "substances": sorted({h["substance"] for h in hits}), "methods": sorted({h["method"] for h in hits}),
            "legal_basis": basis, "evidence_sha256": snap["sha256"], "evidence_fetched_at": snap["fetched_at"],
            "first_seen": t["first_seen"], "last_seen": t["last_seen"], "requested_by": t["requested_by"],
            "requested_at": t["requested_at"]})
    return rows


def _cell(value) -> str:
    return csv_cell("; ".join(value) if isinstance(value, list) else str(value if value is not None else ""))


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for r in rows:
        writer.writerow([_cell(r[f]) for f in CSV_FIELDS])
    return out.getvalue()


def to_json(batch: dict, rows: list[dict]) -> str:
    return json.dumps({"batch": batch, "requests": rows}, ensure_ascii=False, indent=2)
