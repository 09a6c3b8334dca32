"""Sellers for investigators: the linked sellers (see ``links``), their listings, their contacts with the links
each makes, and how strong those links are. (A lead's takedown of all of a seller's open
listings is a review decision: ``review.queue.takedown_all``.)"""

from __future__ import annotations

import sqlite_utils

from .config import store_settings


def sellers(db: sqlite_utils.Database, min_listings: int = 2, limit: int = 50) -> list[dict]:
    """The largest linked sellers: listings, flagged and open counts, platforms and company names."""
    rows = list(db.query(
        "select seller_id, count(*) as listings, sum(flagged) as flagged, sum(status = 'open') as open, "
        "group_concat(distinct platform) as platforms, min(first_seen) as first_seen, max(last_seen) as last_seen "
        "from listings where seller_id is not null group by seller_id having count(*) >= ? "
        "order by listings desc, flagged desc limit ?", [min_listings, limit]))
    names: dict[int, list[str]] = {r["seller_id"]: [] for r in rows}
    if names:  # every shown seller's company names in one query
        for sid, value in db.execute(
                f"select distinct l.seller_id, c.value from contacts c join listing_contacts lc on lc.contact_id = c.id "
                f"join listings l on l.id = lc.listing_id where c.kind = 'company' and l.seller_id in "
                f"({','.join('?' * len(names))}) order by c.value", list(names)):
            names[sid].append(value)
    for r in rows:
        r["companies"] = names[r["seller_id"]]
    return rows


def companies(db: sqlite_utils.Database, seller_id: int) -> list[str]:
    return [r[0] for r in db.execute(
        "select distinct c.value from contacts c join listing_contacts lc on lc.contact_id = c.id "
        "join listings l on l.id = lc.listing_id where l.seller_id = ? and c.kind = 'company' order by c.value",
        [seller_id])]


def seller_listings(db: sqlite_utils.Database, seller_id: int) -> list[dict]:
    return list(db.query(
        "select l.*, (select group_concat(distinct h.substance) from hits h where h.listing_id = l.id "
        "and h.current = 1) as substances from listings l where l.seller_id = ? order by l.first_seen, l.id",
        [seller_id]))


def seller_contacts(db: sqlite_utils.Database, seller_id: int) -> list[dict]:
    """Each contact of the seller with the listings that carry it: the explanation of every link."""
    rows = list(db.query(
        "select c.id, c.kind, c.value, group_concat(l.id) as listing_ids, count(*) as n, "
        "(select count(*) from listing_contacts x where x.contact_id = c.id) as everywhere "
        "from contacts c join listing_contacts lc on lc.contact_id = c.id join listings l on l.id = lc.listing_id "
        "where l.seller_id = ? group by c.id order by n desc, c.kind, c.value", [seller_id]))
    hub = store_settings()["sellers"]["hub_listings"]
    for r in rows:
        r["listing_ids"] = sorted(int(i) for i in r["listing_ids"].split(","))
        r["links"] = r["n"] > 1 and r["everywhere"] <= hub
        r["hub"] = r["everywhere"] > hub
    return rows


def link_strength(db: sqlite_utils.Database, seller_id: int) -> dict:
    """How well a seller's listings hang together: the distinct contacts that link them, and the listings held to
    the rest by one shared contact only. ``weak`` when the whole seller rests on one contact, or some listings do:
    one shared (or mistyped, or stolen) email should not carry a takedown of everything."""
    contacts = seller_contacts(db, seller_id)
    linking = [c for c in contacts if c["links"]]
    per_listing: dict[int, int] = {}
    for c in linking:
        for i in c["listing_ids"]:
            per_listing[i] = per_listing.get(i, 0) + 1
    listings = [r[0] for r in db.execute("select id from listings where seller_id = ?", [seller_id])]
    single = sorted(i for i in listings if per_listing.get(i, 0) == 1)
    names = len(companies(db, seller_id))
    weak = len(listings) > 1 and (len(linking) <= 1 or bool(single))
    if len(listings) <= 1:
        why = "one listing: nothing is linked"
    elif len(linking) == 1:
        c = linking[0]
        why = f"every link rests on one shared contact ({c['kind']} {c['value']})"
    elif single:
        why = f"{len(single)} of {len(listings)} listings are linked by a single shared contact each"
    else:
        why = f"every listing shares at least two contacts with the others ({len(linking)} linking contacts)"
    return {"listings": len(listings), "linking_contacts": len(linking), "single_contact_listings": single,
            "company_names": names, "weak": weak, "why": why,
            "per_contact": [(c["kind"], c["value"], c["n"]) for c in linking]}
