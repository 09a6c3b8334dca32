"""The moderator web app (Flask + Jinja2, served by waitress): sign-in, the queue, the listing view, decisions,
takedown batches, sellers, lexicon additions, the audit log and the dashboard, one blueprint each (review/views/).

Listing content is written by the people fentwatch catches, so it is treated as hostile: Jinja2 autoescaping on
every template, no stored HTML ever rendered as HTML (evidence is shown as escaped text or downloaded as an
attachment under a sandbox CSP), links only for http(s) URLs, a strict Content-Security-Policy with no inline
script or style, every state change a POST with the session's CSRF token, and cookies HttpOnly + SameSite=Strict.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, url_for

from store.db import db_path, open_store

from . import edge, queue
from .shared import Messages, highlight, local_path, safe_href  # noqa: F401 (the app's helpers, used by the tests)
from .views import BLUEPRINTS


def create_app(db_file: str | Path | None = None, host: str | None = None) -> Flask:
    path = db_path(db_file)
    open_store(path).close()  # create and migrate once, at start
    app = Flask(__name__)
    edge.guard(app, host)  # request limits, allowed hosts, trusted proxies, bounded <int:> (before the routes)
    app.config["FENTWATCH_DB"] = str(path)
    app.extensions["fentwatch_messages"] = Messages()
    app.jinja_env.finalize = lambda value: "" if value is None else value  # no literal "None" on any page
    app.jinja_env.filters["safe_href"] = safe_href
    app.jinja_env.globals["dismiss_reasons"] = queue.dismiss_reasons
    app.jinja_env.globals["queue_url"] = lambda filters, **change: url_for(
        "queue.queue_view", **{k: v for k, v in (filters | change).items() if v})
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    return app


def serve(db_file: str | None, host: str, port: int, threads: int = 8, url_guard=None) -> None:
    """Serve the app with waitress, and send the API's webhooks from a background thread (``url_guard``: the
    address guard callback URLs go through, see review/webhooks.py)."""
    from waitress import serve as waitress_serve

    from .webhooks import start_sender

    from .api import api_settings, scanner
    from .api_audit import close_all

    app = create_app(db_file, host)
    if api_settings().get("server", {}).get("scan_worker", False):
        scanner.start_worker()  # forked now, while this is the process's only thread
    start_sender(app.config["FENTWATCH_DB"], url_guard)
    stop_on_sigterm()
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="fentwatch", **edge.waitress_limits())
    finally:  # waitress has finished the requests in flight: their audit lines are written before the process ends
        close_all()
        scanner.stop_worker()


def stop_on_sigterm() -> None:
    """SIGTERM stops the server as Ctrl-C does (waitress finishes the requests in flight), not at once."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
