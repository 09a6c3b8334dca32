"""Seller linking: listings that share a contact (phone or messenger number, email, wallet, handle, company name)
belong to one seller. Sellers are the connected components of the listing - contact - listing graph, kept
incrementally as pages are saved: a listing's contacts merge the components they touch, named by their smallest
listing id. Links only ever merge; each is explained by the contact that made it and the listings that carry it.
A contact on more than ``[sellers] hub_listings`` listings (a platform's service number, a placeholder) is kept but
links nothing.
"""

from __future__ import annotations

from .config import store_settings


def link_contacts(conn, listing_id: int, contacts: list[dict], at: str) -> int | None:
    """Record the listing's contacts and merge its seller with every seller sharing one; returns its seller id.

    Runs inside save_page's transaction for every page with contacts, so each step is an indexed lookup: a new
    contact costs two statements, a known one adds a count and a lookup of the sellers carrying it."""
    if not contacts:
        return None
    hub = store_settings()["sellers"]["hub_listings"]
    own = conn.execute("select coalesce(seller_id, id) from listings where id = ?", [listing_id]).fetchone()[0]
    roots = {own}
    for c in contacts:
        found = conn.execute("select id from contacts where kind = ? and value = ?", [c["kind"], c["value"]]).fetchone()
        if found is None:
            cid = conn.execute("insert into contacts (kind, value, first_seen) values (?, ?, ?)",
                               [c["kind"], c["value"], at]).lastrowid
        else:
            cid = found[0]
        conn.execute("insert or ignore into listing_contacts (listing_id, contact_id, first_seen) values (?, ?, ?)",
                     [listing_id, cid, at])
        if found is None:
            continue  # a contact seen for the first time links nothing yet
        n = conn.execute("select count(*) from listing_contacts where contact_id = ?", [cid]).fetchone()[0]
        if 1 < n <= hub:
            roots.update(r[0] for r in conn.execute(
                "select distinct coalesce(l.seller_id, l.id) from listing_contacts lc join listings l "
                "on l.id = lc.listing_id where lc.contact_id = ?", [cid]))
    root = min(roots)
    for other in roots - {root}:
        conn.execute("update listings set seller_id = ? where seller_id = ?", [root, other])
    conn.execute("update listings set seller_id = ? where id = ?", [root, listing_id])
    return root
