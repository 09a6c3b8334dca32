"""Teaching the lexicon: the store's additions, and a lead adding one."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request, url_for

from store import additions

from ..shared import back, db, say

bp = Blueprint("lexicon", __name__)


@bp.get("/lexicon")
def lexicon_view():
    return render_template("lexicon.html", additions=additions.additions(db()))


@bp.post("/lexicon/add")
def lexicon_add():
    listing_id = request.form.get("listing_id", type=int)
    try:
        additions.add(db(), g.session, {k: request.form.get(k, "") for k in
                                        ("kind", "text", "substance_id", "name_kind", "why")}, listing_id)
    except additions.AdditionError as exc:
        if "only a lead" in str(exc):
            abort(403, str(exc))
        say("error", f"not added: {exc}")
    else:
        say("ok", f"added '{request.form.get('text', '').strip()}' to the local lexicon; "
                  "run 'fentwatch rescan' to apply it to stored listings")
    return back(url_for("lexicon.lexicon_view"))
