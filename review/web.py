"""The moderator web app (Flask + Jinja2, served by waitress): sign-in, the queue, the listing view, decisions,
takedown batches, the audit log and the dashboard.

Listing content is written by the people fentwatch catches, so it is treated as hostile: Jinja2 autoescaping on
every template, no stored HTML ever rendered as HTML (evidence is shown as escaped text or downloaded as an
attachment under a sandbox CSP), links only for http(s) URLs, a strict Content-Security-Policy with no inline
script or style, every state change a POST with the session's CSRF token, and cookies HttpOnly + SameSite=Strict.
"""

from __future__ import annotations

import functools
import gzip
import re
import json
import threading
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils
from flask import Flask, Response, abort, g, redirect, render_template, request, url_for

from lexicon import load_lexicon

from . import additions, auth, dashboard, depict, queue, sellers, takedowns
from .config import review_settings
from .store import db_path, open_store

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'")
PUBLIC = {"sign_in", "static", "favicon"}
FILTERS = ("status", "platform", "severity", "substance", "category", "method", "still_online", "seller", "group")


def safe_href(url: str | None) -> str:
    """The URL if it is http(s), else '' (a javascript: or data: URL from a listing never becomes a link)."""
    if not url:
        return ""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


def local_path(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``: no open redirect through next= parameters
    (``//host``, ``/\\host`` and absolute URLs are all refused)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def highlight(full: str, hits: list[dict]) -> list[tuple[str, dict | None]]:
    """The listing text cut into (text, hit or None) segments at the hits' offsets; overlapping hits mark once."""
    segments, pos = [], 0
    for h in sorted(hits, key=lambda h: (h["start"], -h["end"])):
        s, e = max(h["start"], 0), min(h["end"], len(full))
        if s < pos or s >= e:
            continue
        if s > pos:
            segments.append((full[pos:s], None))
        segments.append((full[s:e], h))
        pos = e
    if pos < len(full):
        segments.append((full[pos:], None))
    return segments


class Messages:
    """One-shot messages shown after a redirect, kept per session in memory (no signed client cookie)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_session: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add(self, session: auth.Session, kind: str, text: str) -> None:
        with self._lock:
            self._by_session[session.token_sha256].append((kind, text))

    def pop(self, session: auth.Session) -> list[tuple[str, str]]:
        with self._lock:
            return self._by_session.pop(session.token_sha256, [])


def create_app(db_file: str | Path | None = None) -> Flask:
    path = db_path(db_file)
    open_store(path).close()  # create and migrate once, at start
    app = Flask(__name__)
    app.config["FENTWATCH_DB"] = str(path)
    app.jinja_env.filters["safe_href"] = safe_href
    app.jinja_env.globals["dismiss_reasons"] = queue.dismiss_reasons
    app.jinja_env.globals["queue_url"] = lambda filters, **change: url_for(
        "queue_view", **{k: v for k, v in (filters | change).items() if v})
    messages = Messages()
    cookie = review_settings()["sessions"]["cookie"]
    lex = functools.cache(load_lexicon)

    def db() -> sqlite_utils.Database:
        if "db" not in g:
            g.db = sqlite_utils.Database(app.config["FENTWATCH_DB"])
            g.db.execute("PRAGMA busy_timeout = 10000")
        return g.db

    @app.teardown_appcontext
    def _close(_exc):
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    @app.before_request
    def _authenticate():
        if request.endpoint in ("static", "favicon"):  # no session look-up (a write of seen_at) per asset
            g.session = None
            return None
        g.session = auth.session_for(db(), request.cookies.get(cookie))
        if request.endpoint in PUBLIC:
            return None
        if g.session is None:
            if request.method == "GET":
                return redirect(url_for("sign_in", next=request.full_path if request.query_string else request.path))
            abort(401)
        if request.method == "POST":
            token = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
            if not auth.csrf_ok(g.session, token):
                abort(403, "missing or wrong CSRF token: reload the page and try again")
        return None

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "same-origin"  # never tell a seller's site where the moderator came from
        resp.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.context_processor
    def _globals():
        s = g.get("session")
        return {"me": s, "csrf_token": s.csrf if s else "", "messages": messages.pop(s) if s else []}

    @app.errorhandler(401)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(400)
    def _error(err):
        return render_template("error.html", code=err.code, text=err.description), err.code

    def back(default: str) -> Response:
        return redirect(local_path(request.form.get("next"), default))

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    # -- sign-in ------------------------------------------------------------------------------------------------
    @app.route("/login", methods=["GET", "POST"])
    def sign_in():
        error = ""
        nxt = request.values.get("next") or "/queue"
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and urlsplit(origin).netloc != request.host:
                abort(403, "sign-in from another site")
            try:
                token, session = auth.sign_in(db(), request.form.get("user", ""), request.form.get("password", ""))
            except auth.AuthError as exc:
                error = str(exc)
            else:
                resp = redirect(local_path(nxt, "/queue"))
                resp.set_cookie(cookie, token, httponly=True, samesite="Strict", secure=request.is_secure, path="/")
                return resp
        return render_template("login.html", error=error, next=nxt), (401 if error else 200)

    @app.post("/logout")
    def sign_out():
        auth.sign_out(db(), g.session)
        resp = redirect(url_for("sign_in"))
        resp.delete_cookie(cookie, path="/")
        return resp

    # -- the queue ----------------------------------------------------------------------------------------------
    @app.get("/")
    def home():
        return redirect(url_for("queue_view"))

    @app.get("/queue")
    def queue_view():
        filters = {k: request.args.get(k, "") for k in FILTERS}
        filters["status"] = filters["status"] or "open"
        page = max(1, request.args.get("page", 1, type=int))
        rows, total = queue.queue(db(), filters, page)
        return render_template("queue.html", rows=rows, total=total, page=page, filters=filters,
                               facets=queue.facets(db(), filters), page_size=review_settings()["queue"]["page_size"],
                               statuses=queue.STATUSES)

    @app.post("/queue/decide")
    def decide_bulk():
        ids = request.form.getlist("ids", type=int)
        if not ids:
            messages.add(g.session, "error", "select at least one listing")
            return back("/queue")
        decisions = [(i, request.form.get(f"seq_{i}", type=int)) for i in ids]
        outcomes = queue.decide_many(db(), g.session, decisions, request.form.get("action", ""),
                                     request.form.get("reason", ""), request.form.get("note", ""))
        done = [o for o in outcomes if o.ok]
        if done:
            messages.add(g.session, "ok", f"{request.form.get('action')}: {len(done)} listing(s)")
        for o in outcomes:
            if not o.ok:
                messages.add(g.session, "error", f"listing {o.listing_id}: {o.message}")
        return back("/queue")

    # -- one listing --------------------------------------------------------------------------------------------
    def listing_or_404(listing_id: int) -> dict:
        row = next(db().query("select * from listings where id = ?", [listing_id]), None)
        if row is None:
            abort(404, "no such listing")
        return row

    @app.get("/listing/<int:listing_id>")
    def listing_view(listing_id: int):
        row = listing_or_404(listing_id)
        hits = list(db().query("select * from hits where listing_id = ? and current = 1 order by start",
                               [listing_id]))
        groups: dict[str, dict] = {}
        for h in hits:  # one row per substance found, however many times and ways it was found
            g_ = groups.setdefault(h["inchikey"] or h["substance"], {
                "id": h["id"], "substance": h["substance"], "category": h["category"], "inchikey": h["inchikey"],
                "methods": [], "matched": [], "score": 0.0, "rules": json.loads(h["rules"] or "[]"), "count": 0,
                "basis": takedowns.legal_basis(lex(), h, short=True), "severity": h.get("severity")})
            g_["count"] += 1
            g_["score"] = max(g_["score"], h["score"])
            for key, value in (("methods", h["method"]), ("matched", h["matched"])):
                if value not in g_[key]:
                    g_[key].append(value)
        full = f"{row['title'] or ''}\n{row['text'] or ''}"
        snaps = list(db().query("select id, sha256, fetched_at, http_status, size from snapshots "
                                "where listing_id = ? order by id desc", [listing_id]))
        evidence, cut = "", False
        if snaps:
            body = next(db().query("select body_gz from snapshots where id = ?", [snaps[0]["id"]]))["body_gz"]
            raw = gzip.decompress(body) if body else b""
            limit = review_settings()["evidence"]["max_inline_bytes"]
            cut = len(raw) > limit
            evidence = raw[:limit].decode("utf-8", errors="replace")
        why = json.loads(row.get("why") or "[]")
        jurisdictions = sorted({b["jurisdiction"] for h in hits for b in json.loads(h.get("legal") or "[]")})
        return render_template("listing.html", row=row, groups=list(groups.values()), segments=highlight(full, hits), snaps=snaps,
                               why=why, jurisdictions=jurisdictions,
                               evidence=evidence, evidence_cut=cut, claim=queue.active_claim(row),
                               audit=queue.audit_for(db(), listing_id),
                               next_id=queue.next_open(db(), g.session, listing_id),
                               substances=sorted(lex().substances, key=lambda s: s.name.casefold()))

    @app.post("/listing/<int:listing_id>/decide")
    def decide_one(listing_id: int):
        outcome = queue.decide(db(), g.session, listing_id, request.form.get("action", ""),
                               request.form.get("seq", type=int), request.form.get("reason", ""),
                               request.form.get("note", ""))
        messages.add(g.session, "ok" if outcome.ok else "error", outcome.message)
        if outcome.ok and request.form.get("then") == "next":
            nxt = queue.next_open(db(), g.session, listing_id)
            if nxt:
                return redirect(url_for("listing_view", listing_id=nxt))
            return redirect(url_for("queue_view"))
        return redirect(url_for("listing_view", listing_id=listing_id))

    @app.post("/listing/<int:listing_id>/claim")
    def claim(listing_id: int):
        outcome = queue.claim(db(), g.session, listing_id, release=request.form.get("release") == "1")
        messages.add(g.session, "ok" if outcome.ok else "error", outcome.message)
        return back(url_for("listing_view", listing_id=listing_id))

    @app.get("/listing/<int:listing_id>/hit/<int:hit_id>.svg")
    def depiction(listing_id: int, hit_id: int):
        h = next(db().query("select * from hits where id = ? and listing_id = ?", [hit_id, listing_id]), None)
        if h is None:
            abort(404)
        st = depict.hit_structure(lex(), h["inchikey"], h["matched"])
        if st is None:
            abort(404, "no structure could be recovered for this hit")
        resp = Response(depict.svg(st.smiles, tuple(json.loads(h["rules"] or "[]"))), mimetype="image/svg+xml")
        resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return resp

    @app.get("/listing/<int:listing_id>/snapshot/<int:snap_id>")
    def snapshot(listing_id: int, snap_id: int):
        s = next(db().query("select * from snapshots where id = ? and listing_id = ?", [snap_id, listing_id]), None)
        if s is None:
            abort(404)
        resp = Response(gzip.decompress(s["body_gz"]) if s["body_gz"] else b"", mimetype="text/plain")
        resp.headers["Content-Disposition"] = f"attachment; filename=evidence-{listing_id}-{snap_id}-{s['sha256'][:12]}.txt"
        resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return resp

    # -- sellers ------------------------------------------------------------------------------------------------
    @app.get("/sellers")
    def sellers_view():
        return render_template("sellers.html", sellers=sellers.sellers(db(), request.args.get("min", 2, type=int)))

    @app.get("/seller/<int:seller_id>")
    def seller_view(seller_id: int):
        listings = sellers.seller_listings(db(), seller_id)
        if not listings:
            abort(404, "no such seller")
        ids = [r["id"] for r in listings]
        audit = list(db().query(f"select * from audit where listing_id in ({','.join('?' * len(ids))}) "
                                f"order by id desc limit 200", ids))
        return render_template("seller.html", seller_id=seller_id, listings=listings, audit=audit,
                               contacts=sellers.seller_contacts(db(), seller_id),
                               companies=sellers.companies(db(), seller_id))

    @app.post("/seller/<int:seller_id>/takedown")
    def seller_takedown(seller_id: int):
        try:
            outcomes = sellers.takedown_all(db(), g.session, seller_id)
        except PermissionError as exc:
            abort(403, str(exc))
        messages.add(g.session, "ok", f"takedown requested for {sum(o.ok for o in outcomes)} listing(s)")
        for o in outcomes:
            if not o.ok:
                messages.add(g.session, "error", f"listing {o.listing_id}: {o.message}")
        return redirect(url_for("seller_view", seller_id=seller_id))

    # -- teaching the lexicon -----------------------------------------------------------------------------------
    @app.get("/lexicon")
    def lexicon_view():
        return render_template("lexicon.html", additions=additions.additions(db()))

    @app.post("/lexicon/add")
    def lexicon_add():
        listing_id = request.form.get("listing_id", type=int)
        try:
            additions.add(db(), g.session, {k: request.form.get(k, "") for k in
                                            ("kind", "text", "substance_id", "name_kind", "why")}, listing_id)
        except additions.AdditionError as exc:
            if "only a lead" in str(exc):
                abort(403, str(exc))
            messages.add(g.session, "error", f"not added: {exc}")
        else:
            messages.add(g.session, "ok", f"added '{request.form.get('text', '').strip()}' to the local lexicon; "
                                          "run 'fentwatch rescan' to apply it to stored listings")
        return back(url_for("lexicon_view"))

    # -- takedowns ----------------------------------------------------------------------------------------------
    @app.get("/takedowns")
    def takedowns_view():
        return render_template("takedowns.html", pending=takedowns.pending_by_platform(db()),
                               batches=takedowns.batches(db()))

    @app.post("/takedowns/batch")
    def make_batch():
        batch = takedowns.create_batch(db(), g.session, request.form.get("platform", ""))
        if batch is None:
            messages.add(g.session, "error", "no takedown requests waiting for that platform")
        else:
            messages.add(g.session, "ok", f"batch {batch} created")
        return redirect(url_for("takedowns_view"))

    @app.get("/takedowns/<int:batch_id>.<fmt>")
    def batch_export(batch_id: int, fmt: str):
        batch = next(db().query("select * from takedown_batches where id = ?", [batch_id]), None)
        if batch is None or fmt not in ("csv", "json", "html"):
            abort(404)
        rows = takedowns.batch_rows(db(), lex(), batch_id)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", f"takedowns-{batch_id}-{batch['platform']}")
        if fmt == "html":
            return render_template("batch.html", batch=batch, rows=rows)
        body, mime = ((takedowns.to_csv(rows), "text/csv") if fmt == "csv"
                      else (takedowns.to_json(batch, rows), "application/json"))
        resp = Response(body, mimetype=mime)
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return resp

    # -- audit log and dashboard --------------------------------------------------------------------------------
    @app.get("/audit")
    def audit_view():
        return render_template("audit.html", entries=queue.recent_audit(db()))

    @app.get("/dashboard")
    def dashboard_view():
        d = db()
        return render_template("dashboard.html", health=dashboard.queue_health(d),
                               per_day=dashboard.columns(dashboard.hits_per_day(d)),
                               per_platform=dashboard.bars(dashboard.flagged_per_platform(d)),
                               per_substance=dashboard.bars(dashboard.listings_per_substance(d)))

    return app


def serve(db_file: str | None, host: str, port: int, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(create_app(db_file), host=host, port=port, threads=threads, ident="fentwatch")
