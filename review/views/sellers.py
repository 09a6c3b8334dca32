"""Linked sellers for investigators, and a lead's takedown of all of a seller's open listings."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from store import sellers

from .. import queue
from ..edge import int_arg
from ..shared import db, say

bp = Blueprint("sellers", __name__)


@bp.get("/sellers")
def sellers_view():
    return render_template("sellers.html", sellers=sellers.sellers(db(), int_arg(request.args, "min", 2)))


@bp.get("/seller/<int:seller_id>")
def seller_view(seller_id: int):
    listings = sellers.seller_listings(db(), seller_id)
    if not listings:
        abort(404, "no such seller")
    ids = [r["id"] for r in listings]
    audit = list(db().query(f"select * from audit where listing_id in ({','.join('?' * len(ids))}) "
                            f"order by id desc limit 200", ids))
    return render_template("seller.html", seller_id=seller_id, listings=listings, audit=audit,
                           contacts=sellers.seller_contacts(db(), seller_id),
                           companies=sellers.companies(db(), seller_id),
                           strength=sellers.link_strength(db(), seller_id))


@bp.post("/seller/<int:seller_id>/takedown")
def seller_takedown(seller_id: int):
    try:
        outcomes = queue.takedown_all(db(), g.session, seller_id, request.form.get("weak_link_checked") == "1")
    except PermissionError as exc:
        abort(403, str(exc))
    except queue.WeakLink as exc:
        say("error", f"nothing requested: {exc}")
        return redirect(url_for("sellers.seller_view", seller_id=seller_id))
    say("ok", f"takedown requested for {sum(o.ok for o in outcomes)} listing(s)")
    for o in outcomes:
        if not o.ok:
            say("error", f"listing {o.listing_id}: {o.message}")
    return redirect(url_for("sellers.seller_view", seller_id=seller_id))
