"""What every blueprint of the review app uses: the store connection of the request, one-shot messages, the lexicon,
and the guards on links and redirects built from hostile listing content."""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from urllib.parse import urlsplit

import sqlite_utils
from flask import abort, current_app, g, redirect, request, url_for

from detect.normalize import normalize
from lexicon import load_lexicon
from store.db import connect

from . import auth
from .config import review_settings


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
    (``//host``, ``/\\host``, absolute URLs and control characters are all refused)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):  # CR/LF would split the Location header
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


def normalized_segments(full: str, hits: list[dict]) -> list[tuple[str, dict | None]]:
    """The text as detection's name matching read it (NFKC, homoglyphs folded, lowercased, leetspeak and spaced
    letters undone: ``detect.normalize``), cut into (text, hit or None) segments: a normalized character is marked
    when the original character it came from lies inside a hit, so the marks match the raw text's."""
    view = normalize(full).words
    at: list[dict | None] = [None] * len(full)  # the hit marking each original character (the first one wins)
    for h in sorted(hits, key=lambda h: (h["start"], -h["end"])):
        for i in range(max(h["start"], 0), min(h["end"], len(full))):
            at[i] = at[i] or h
    segments: list[tuple[str, dict | None]] = []
    for j, ch in enumerate(view.text):
        orig = view.index[j] if view.index is not None else j
        hit = at[orig] if orig < len(at) else None
        if segments and segments[-1][1] is hit:
            segments[-1] = (segments[-1][0] + ch, hit)
        else:
            segments.append((ch, hit))
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


def db() -> sqlite_utils.Database:
    """The store, opened once per request (closed by the app's teardown)."""
    if "db" not in g:
        g.db = connect(current_app.config["FENTWATCH_DB"])  # busy timeout, BEGIN IMMEDIATE writes
    return g.db


lex = functools.cache(load_lexicon)


def cookie() -> str:
    return review_settings()["sessions"]["cookie"]


def messages() -> Messages:
    return current_app.extensions["fentwatch_messages"]


def say(kind: str, text: str) -> None:
    """A one-shot message for the signed-in moderator's next page."""
    messages().add(g.session, kind, text)


def back(default: str):
    return redirect(local_path(request.form.get("next"), default))


DRAFT_FIELDS = ("action", "reason", "note", "seq", "then")


def kept_work() -> str | None:
    """For a decision form posted with an expired session: the listing's path with the decision as a draft in the
    query (``draft_action``, ``draft_reason``, ...), to come back to after sign-in. The draft only fills the form
    in again; it is applied when the moderator submits it with the fresh session and its CSRF token."""
    if request.endpoint != "listing.decide_one" or not request.view_args:
        return None
    draft = {f"draft_{k}": request.form.get(k, "")[:2000] for k in DRAFT_FIELDS if request.form.get(k)}
    return url_for("listing.listing_view", listing_id=request.view_args["listing_id"], **draft)


def draft_from(args) -> dict | None:
    """The decision kept from before sign-in, read back from the query of the listing page."""
    draft = {k: args.get(f"draft_{k}", "") for k in DRAFT_FIELDS}
    if not draft["action"]:
        return None
    draft["seq"] = int(draft["seq"]) if draft["seq"].isdigit() else None
    return draft


def listing_or_404(listing_id: int) -> dict:
    row = next(db().query("select * from listings where id = ?", [listing_id]), None)
    if row is None:
        abort(404, "no such listing")
    return row
