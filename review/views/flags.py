"""Manual flags: any moderator flags a listing detection missed; leads read the list as lexicon candidates."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from .. import flags
from ..shared import db, lex, say

bp = Blueprint("flags", __name__)


@bp.post("/listing/<int:listing_id>/flag")
def flag(listing_id: int):
    sid = request.form.get("substance_id", "")
    known = {s.id: s.name for s in lex().substances}
    name = known.get(sid) or request.form.get("substance_other", "")
    outcome = flags.flag(db(), g.session, listing_id, sid if sid in known else "", name,
                         request.form.get("reason", ""))
    say("ok" if outcome.ok else "error", outcome.message)
    return redirect(url_for("listing.listing_view", listing_id=listing_id))


@bp.get("/flags")
def flags_view():
    if not g.session.is_lead:
        abort(403, "the list of manual flags is for leads")
    return render_template("flags.html", flags=flags.manual_flags(db()))
