"""Takedown requests by platform, batches of them, and each batch as CSV, JSON or a printable page."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from .. import takedowns
from ..shared import db, lex, say

bp = Blueprint("takedowns", __name__)


@bp.get("/takedowns")
def takedowns_view():
    return render_template("takedowns.html", pending=takedowns.pending_by_platform(db()),
                           batches=takedowns.batches(db()))


@bp.post("/takedowns/batch")
def make_batch():
    batch = takedowns.create_batch(db(), g.session, request.form.get("platform", ""))
    if batch is None:
        say("error", "no takedown requests waiting for that platform")
    else:
        say("ok", f"batch {batch} created")
    return redirect(url_for("takedowns.takedowns_view"))


@bp.post("/takedowns/<int:batch_id>/sent")
def mark_sent(batch_id: int):
    why = takedowns.mark_sent(db(), g.session, batch_id, request.form.get("sent_to", ""))
    say("error" if why else "ok", why or f"batch {batch_id} marked sent")
    return redirect(url_for("takedowns.takedowns_view"))


@bp.get("/takedowns/<int:batch_id>.<fmt>")
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
