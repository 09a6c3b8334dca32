"""Teaching the lexicon: the store's additions, a lead adding one, a second lead approving one that would
unflag stored listings, and a lead withdrawing one."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request, url_for

from store import additions

from ..edge import int_arg
from ..shared import back, db, say

bp = Blueprint("lexicon", __name__)


@bp.get("/lexicon")
def lexicon_view():
    return render_template("lexicon.html", additions=additions.additions(db()), pending=additions.pending(db()),
                           withdrawn=additions.withdrawn(db()))


@bp.post("/lexicon/add")
def lexicon_add():
    listing_id = int_arg(request.form, "listing_id")
    try:
        row = additions.add(db(), g.session, {k: request.form.get(k, "") for k in
                                              ("kind", "text", "substance_id", "name_kind", "why")}, listing_id)
    except additions.AdditionError as exc:
        if "only a lead" in str(exc):
            abort(403, str(exc))
        say("error", f"not added: {exc}")
        return back(url_for("lexicon.lexicon_view"))
    if row["status"] == "pending":
        say("error", f"'{row['text']}' would unflag {len(row['would_unflag'])} stored listing(s) "
                     f"({row['would_unflag'][:20]}): it waits for a second lead's approval on the lexicon page")
    else:
        say("ok", f"added '{row['text']}' to the local lexicon (it unflags no stored listing); "
                  "run 'fentwatch rescan' to apply it to stored listings")
    return back(url_for("lexicon.lexicon_view"))


@bp.post("/lexicon/preview")
def lexicon_preview():
    addition = {k: request.form.get(k, "") for k in ("kind", "text", "substance_id", "name_kind", "why")}
    if not g.session.is_lead:
        abort(403, "only a lead can change the lexicon")
    try:
        affected = additions.preview(db(), addition)
    except additions.AdditionError as exc:
        say("error", f"not added: {exc}")
        return back(url_for("lexicon.lexicon_view"))
    return render_template("lexicon_preview.html", addition=addition, affected=affected,
                           listing_id=int_arg(request.form, "listing_id"))


@bp.post("/lexicon/<int:addition_id>/review")
def lexicon_review(addition_id: int):
    try:
        row = additions.review(db(), g.session, addition_id, request.form.get("decision") == "approve")
    except additions.AdditionError as exc:
        if "only a lead" in str(exc):
            abort(403, str(exc))
        say("error", str(exc))
    else:
        say("ok", f"'{row['text']}': {'approved' if row['status'] == 'active' else 'rejected'}")
    return back(url_for("lexicon.lexicon_view"))


@bp.post("/lexicon/<int:addition_id>/withdraw")
def lexicon_withdraw(addition_id: int):
    try:
        row = additions.withdraw(db(), g.session, addition_id, request.form.get("why", ""))
    except additions.AdditionError as exc:
        if "only a lead" in str(exc):
            abort(403, str(exc))
        say("error", f"not withdrawn: {exc}")
    else:
        say("ok", f"withdrew '{row['text']}'; a re-scan will unflag {len(row['would_unflag'])} stored listing(s): "
                  "run 'fentwatch rescan' to apply it to stored listings")
    return back(url_for("lexicon.lexicon_view"))
