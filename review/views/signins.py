"""Sign-in attempts, apart from the decisions of the audit log, and a lead unlocking a locked account."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from .. import auth
from ..shared import db, say

bp = Blueprint("signins", __name__)


@bp.get("/audit/sign-ins")
def sign_ins_view():
    return render_template("signins.html", attempts=auth.recent_sign_ins(db()), locked=auth.locked_accounts(db()))


@bp.post("/audit/sign-ins/unlock")
def unlock():
    if not g.session.is_lead:
        abort(403, "only a lead can unlock an account")
    key = request.form.get("name_sha256", "")
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        abort(400, "name_sha256 must be the 64 hex digits shown on the sign-ins page")
    auth.unlock(db(), key, g.session.user, request.form.get("name", ""))
    say("ok", f"unlocked {request.form.get('name', '')[:100]}")
    return redirect(url_for("signins.sign_ins_view"))
