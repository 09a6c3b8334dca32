"""The dashboard: queue health, hits per day, flagged listings per platform and per substance."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import dashboard
from ..shared import db

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
def dashboard_view():
    d = db()
    return render_template("dashboard.html", health=dashboard.queue_health(d),
                           per_day=dashboard.columns(dashboard.hits_per_day(d)),
                           per_platform=dashboard.bars(dashboard.open_per(d, "platform")),
                           per_substance=dashboard.bars(dashboard.open_per(d, "substance")))
