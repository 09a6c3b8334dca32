"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from .. import auth
from ..edge import client_address
from ..shared import cookie, db, local_path

bp = Blueprint("signin", __name__)


@bp.route("/login", methods=["GET", "POST"])
def sign_in():
    error = ""
    nxt = request.values.get("next") or "/queue"
    if request.method == "POST":
        origin = request.headers.get("Origin")
        if origin and urlsplit(origin).netloc != request.host:
            abort(403, "sign-in from another site")
        try:
            token, session = auth.sign_in(db(), request.form.get("user", ""), request.form.get("password", ""),
                                          client_address())
        except auth.AuthError as exc:
            error = str(exc)
        else:
            resp = redirect(local_path(nxt, "/queue"))
            resp.set_cookie(cookie(), token, httponly=True, samesite="Strict", secure=request.is_secure, path="/")
            return resp
    return render_template("login.html", error=error, next=nxt), (401 if error else 200)


@bp.post("/logout")
def sign_out():
    auth.sign_out(db(), g.session)
    resp = redirect(url_for("signin.sign_in"))
    resp.delete_cookie(cookie(), path="/")
    return resp
