"""The audit log: every decision and refusal, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import queue
from ..shared import db

bp = Blueprint("audit", __name__)


@bp.get("/audit")
def audit_view():
    return render_template("audit.html", entries=queue.recent_audit(db()))
