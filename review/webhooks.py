"""The webhook sender: a background thread of the review server that POSTs each decision to the platform's
callback URL, signed, and retries with backoff (store/outbox.py keeps the queue and every attempt).

It runs beside the request threads, never inside a moderator's request, so a slow or dead receiver delays nobody
but itself. Each event is the JSON body of one POST with these headers:

- ``X-Fentwatch-Signature: sha256=<hex>``: HMAC-SHA256 of the exact body with the token's webhook secret;
- ``X-Fentwatch-Delivery``: the delivery id (the same on every retry of one event, for de-duplication).

Before each attempt the callback URL goes through the address guard the command line hands in (the crawler's:
no loopback, private or link-local targets unless [webhooks] allowed_networks lists them).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import sqlite_utils

from store.outbox import due_deliveries, enqueue_decisions, record_attempt

from .api import api_settings

logger = logging.getLogger(__name__)
Guard = Callable[[str, list[str]], "str | None"]  # (url, allowed networks) -> why it is refused, or None


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _refuse_all(url: str, allowed: list[str]) -> str:
    return "no address guard configured"


def _post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str | None]:
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as resp:
            resp.read(65536)
            return resp.status, None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed (it could lead past the address guard); it counts as a failed attempt."""

    def redirect_request(self, *args, **kwargs):
        return None


def deliver_due(db: sqlite_utils.Database, guard: Guard) -> int:
    """Queue new decisions, then attempt every due delivery once; returns the number of attempts."""
    cfg = api_settings()["webhooks"]
    enqueue_decisions(db)
    attempts = 0
    for d in due_deliveries(db):
        body = d["event"].encode("utf-8")
        why = guard(d["callback_url"], list(cfg["allowed_networks"]))
        t0 = time.monotonic()
        status, error = (None, f"refused by the address guard: {why}") if why else _post(
            d["callback_url"], body, {"Content-Type": "application/json", "User-Agent": "fentwatch-webhook/1",
                                      "X-Fentwatch-Signature": sign(d["webhook_secret"], body),
                                      "X-Fentwatch-Delivery": str(d["id"])}, cfg["timeout_seconds"])
        record_attempt(db, d, d["callback_url"], status, error, int((time.monotonic() - t0) * 1000),
                       cfg["max_attempts"], cfg["backoff_seconds"], cfg["max_backoff_seconds"])
        attempts += 1
    return attempts


def start_sender(db_file: str, guard: Guard | None) -> threading.Event:
    """Start the sender thread (a daemon); set the returned event to stop it."""
    stop = threading.Event()

    def run():
        db = sqlite_utils.Database(db_file)
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA synchronous = NORMAL")
        while not stop.is_set():
            try:
                deliver_due(db, guard or _refuse_all)
            except sqlite3.OperationalError as exc:  # the store was busy: try again at the next poll
                logger.warning("webhook sender: %s", exc)
            except Exception:  # a bug must not end the sender: it is logged and the next poll goes on
                logger.exception("webhook sender failed")
            stop.wait(api_settings()["webhooks"]["poll_seconds"])

    threading.Thread(target=run, name="fentwatch-webhooks", daemon=True).start()
    return stop
