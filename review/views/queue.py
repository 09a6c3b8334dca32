"""The queue: open work with its facets, and decisions on several listings at once."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from .. import queue
from ..config import review_settings
from ..edge import int_arg, int_list
from ..shared import back, db, say

FILTERS = ("status", "platform", "substance", "category", "method", "still_online", "seller", "group", "q", "manual")

bp = Blueprint("queue", __name__)


@bp.get("/")
def home():
    return redirect(url_for("queue.queue_view"))


@bp.get("/queue")
def queue_view():
    filters = {k: request.args.get(k, "") for k in FILTERS}
    filters["status"] = filters["status"] or "open"
    int_arg(request.args, "seller")  # a seller id is a whole number in SQLite's range, or 400
    page = int_arg(request.args, "page", 1, low=1)
    rows, total = queue.queue(db(), filters, page)
    return render_template("queue.html", rows=rows, total=total, page=page, filters=filters,
                           facets=queue.facets(db(), filters), page_size=review_settings()["queue"]["page_size"],
                           statuses=queue.STATUSES)


@bp.post("/queue/decide")
def decide_bulk():
    ids = int_list(request.form, "ids")
    if not ids:
        say("error", "select at least one listing")
        return back("/queue")
    decisions = [(i, int_arg(request.form, f"seq_{i}")) for i in ids]
    outcomes = queue.decide_many(db(), g.session, decisions, request.form.get("action", ""),
                                 request.form.get("reason", ""), request.form.get("note", ""))
    done = [o for o in outcomes if o.ok]
    if done:
        say("ok", f"{request.form.get('action')}: {len(done)} listing(s)")
    for o in outcomes:
        if not o.ok:
            say("error", f"listing {o.listing_id}: {o.message}")
    return back("/queue")
