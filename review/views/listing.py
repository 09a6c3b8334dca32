"""One listing: its hits grouped by substance, the evidence, claims and decisions, structure pictures, snapshots."""

from __future__ import annotations

import gzip
import json

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from .. import depict, flags, queue, takedowns
from ..config import review_settings
from ..edge import int_arg
from ..shared import back, db, draft_from, highlight, lex, listing_or_404, normalized_segments, say

bp = Blueprint("listing", __name__)


def hit_groups(hits: list[dict]) -> list[dict]:
    """One row per substance found, however many times and ways it was found."""
    groups: dict[str, dict] = {}
    for h in hits:
        g_ = groups.setdefault(h["inchikey"] or h["substance"], {
            "id": h["id"], "substance": h["substance"], "category": h["category"], "inchikey": h["inchikey"],
            "methods": [], "matched": [], "score": 0.0, "rules": json.loads(h["rules"] or "[]"), "count": 0,
            "basis": takedowns.legal_basis(lex(), h, short=True)})
        g_["count"] += 1
        g_["score"] = max(g_["score"], h["score"])
        for key, value in (("methods", h["method"]), ("matched", h["matched"])):
            if value not in g_[key]:
                g_[key].append(value)
    return list(groups.values())


@bp.get("/listing/<int:listing_id>")
def listing_view(listing_id: int):
    row = listing_or_404(listing_id)
    hits = list(db().query("select * from hits where listing_id = ? and current = 1 order by start",
                           [listing_id]))
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
    return render_template("listing.html", row=row, groups=hit_groups(hits), segments=highlight(full, hits),
                           normalized=normalized_segments(full, hits),
                           snaps=snaps, evidence=evidence, evidence_cut=cut, claim=queue.active_claim(row),
                           audit=queue.audit_for(db(), listing_id), manual=flags.flags_for(db(), listing_id),
                           takedown=takedowns.takedown_state(db(), row), draft=draft_from(request.args),
                           next_id=queue.next_open(db(), g.session, listing_id),
                           substances=sorted(lex().substances, key=lambda s: s.name.casefold()))


@bp.post("/listing/<int:listing_id>/decide")
def decide_one(listing_id: int):
    outcome = queue.decide(db(), g.session, listing_id, request.form.get("action", ""),
                           int_arg(request.form, "seq"), request.form.get("reason", ""),
                           request.form.get("note", ""))
    say("ok" if outcome.ok else "error", outcome.message)
    if outcome.ok and request.form.get("then") == "next":
        nxt = queue.next_open(db(), g.session, listing_id)
        if nxt:
            return redirect(url_for("listing.listing_view", listing_id=nxt))
        return redirect(url_for("queue.queue_view"))
    return redirect(url_for("listing.listing_view", listing_id=listing_id))


@bp.post("/listing/<int:listing_id>/claim")
def claim(listing_id: int):
    outcome = queue.claim(db(), g.session, listing_id, release=request.form.get("release") == "1")
    say("ok" if outcome.ok else "error", outcome.message)
    return back(url_for("listing.listing_view", listing_id=listing_id))


@bp.get("/listing/<int:listing_id>/hit/<int:hit_id>.svg")
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


@bp.get("/listing/<int:listing_id>/snapshot/<int:snap_id>")
def snapshot(listing_id: int, snap_id: int):
    s = next(db().query("select * from snapshots where id = ? and listing_id = ?", [snap_id, listing_id]), None)
    if s is None:
        abort(404)
    resp = Response(gzip.decompress(s["body_gz"]) if s["body_gz"] else b"", mimetype="text/plain")
    resp.headers["Content-Disposition"] = (f"attachment; filename=evidence-{listing_id}-{snap_id}-"
                                           f"{s['sha256'][:12]}.txt")
    resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return resp
