"""Seller linking: listings that share a contact (phone or messenger number, email, wallet, handle, company name)
belong to one seller. Sellers are the connected components of the listing - contact - listing graph, kept
incrementally as pages are saved: a listing's contacts merge the components they touch, named by their smallest
listing id. Links only ever merge; each is explained by the contact that made it and the listings that carry it.
A contact on more than ``[sellers] hub_listings`` listings (a platform's service number, a placeholder) is kept but
links nothing.
"""

from __future__ import annotations

from .config import review_settings


def link_contacts(conn, listing_id: int, contacts: list[dict], at: str) -> int | None:
    """Record the listing's contacts and merge its seller with every seller sharing one; returns its seller id."""
    if not contacts:
        return None
    hub = review_settings()["sellers"]["hub_listings"]
    ids = []
    for c in contacts:
        conn.execute("insert or ignore into contacts (kind, value, first_seen) values (?, ?, ?)",
                     [c["kind"], c["value"], at])
        cid = conn.execute("select id from contacts where kind = ? and value = ?", [c["kind"], c["value"]]).fetchone()[0]
        conn.execute("insert or ignore into listing_contacts (listing_id, contact_id, first_seen) values (?, ?, ?)",
                     [listing_id, cid, at])
        ids.append(cid)
    marks = ",".join("?" * len(ids))
    linking = [r[0] for r in conn.execute(
        f"select contact_id from listing_contacts where contact_id in ({marks}) group by contact_id "
        f"having count(*) <= ?", ids + [hub])]
    own = conn.execute("select coalesce(seller_id, id) from listings where id = ?", [listing_id]).fetchone()[0]
    roots = {own}
    if linking:
        roots |= {r[0] for r in conn.execute(
            f"select distinct coalesce(l.seller_id, l.id) from listing_contacts lc join listings l "
            f"on l.id = lc.listing_id where lc.contact_id in ({','.join('?' * len(linking))})", linking)}
    root = min(roots)
    marks = ",".join("?" * len(roots))
    conn.execute(f"update listings set seller_id = ? where seller_id in ({marks}) or id in ({marks})",
                 [root, *roots, *roots])
    return root
