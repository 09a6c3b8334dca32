"""What every request goes through: sign-in and CSRF checks, security headers, the error page, closing the store."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from werkzeug.exceptions import SecurityError

from .. import auth
from ..shared import cookie, db, kept_work, messages

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'")
PUBLIC = {"signin.sign_in", "static", "base.favicon"}
ASSETS = ("static", "base.favicon")

bp = Blueprint("base", __name__)


def _close(_exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


bp.record_once(lambda state: state.app.teardown_appcontext(_close))  # the store closes with the app context


@bp.before_app_request
def _authenticate():
    if isinstance(request.routing_exception, SecurityError):  # a Host header not in [http] allowed_hosts
        return Response("400 Bad Request: this host name is not served here (the server's operator can add it to "
                        "[http] allowed_hosts in review/data/review.toml)\n", 400, mimetype="text/plain")
    if request.endpoint in ASSETS:  # no session look-up (a write of seen_at) per asset
        g.session = None
        return None
    g.session = auth.session_for(db(), request.cookies.get(cookie()))
    if request.endpoint in PUBLIC:
        return None
    if g.session is None:
        kept = kept_work() if request.method == "POST" else None
        if kept:  # an expired session on a decision form: sign in, then back to the listing, the decision kept
            return redirect(url_for("signin.sign_in", next=kept, expired=1), code=303)
        if request.method == "GET":
            return redirect(url_for("signin.sign_in",
                                    next=request.full_path if request.query_string else request.path))
        abort(401)
    if request.method == "POST":
        token = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
        if not auth.csrf_ok(g.session, token):
            abort(403, "missing or wrong CSRF token: reload the page and try again")
    return None


@bp.after_app_request
def _headers(resp: Response) -> Response:
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "same-origin"  # never tell a seller's site where the moderator came from
    resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    resp.headers.setdefault("Cache-Control", "no-store")
    return resp


@bp.app_context_processor
def _globals():
    s = g.get("session")
    return {"me": s, "csrf_token": s.csrf if s else "", "messages": messages().pop(s) if s else []}


@bp.app_errorhandler(401)
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
@bp.app_errorhandler(400)
@bp.app_errorhandler(413)
def _error(err):
    return render_template("error.html", code=err.code, text=err.description), err.code


@bp.get("/favicon.ico")
def favicon():
    return Response(status=204)
