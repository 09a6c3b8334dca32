"""The platform API's logic (the routes are in views/api.py): settings, reading and checking request bodies, the
verdict, per-token rate limits and the shared detector.

Bad input is answered with a 4xx JSON error that names the field (``listings[3].title``) and stores nothing.
"""

from __future__ import annotations

import functools
import json
import math
import os
import threading
import time
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files

import sqlite_utils

from detect.engine import Detector
from detect.opsin import Opsin
from store import submissions

SETTINGS_FILE = files(__package__) / "data" / "api.toml"  # importlib.resources: also from a zip


_local = threading.local()


def thread_store(path: str) -> sqlite_utils.Database:
    """This server thread's own connection to the store, kept across requests (waitress's threads live as long as
    the server), with the store's commit mode (synchronous=NORMAL, as ``open_store`` sets): an API call pays
    neither a connect nor a WAL fsync."""
    conns = _local.__dict__.setdefault("conns", {})
    if path not in conns:
        conn = sqlite_utils.Database(path)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA synchronous = NORMAL")
        conns[path] = conn
    return conns[path]


@functools.cache
def api_settings() -> dict:
    """``review/data/api.toml``, or the file ``FENTWATCH_API_SETTINGS`` names."""
    named = os.environ.get("FENTWATCH_API_SETTINGS")
    with open(named, "rb") if named else SETTINGS_FILE.open("rb") as f:
        return tomllib.load(f)


@dataclass
class ApiError(Exception):
    status: int
    message: str
    field: str | None = None
    headers: dict | None = None

    def body(self) -> dict:
        out = {"error": self.message, "status": self.status}
        if self.field is not None:
            out["field"] = self.field
        return out


def read_json(raw: bytes) -> object:
    """The request body as JSON; 400 naming the byte or line and column of the fault."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the body is not valid UTF-8 (byte {exc.start})", "body") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", "body") from None


def check_listing(obj: object, where: str = "") -> dict:
    """One listing object in the ``fentwatch scan`` input format, checked field by field."""
    try:
        return submissions.check_listing(obj, where)
    except submissions.BadListing as exc:
        raise ApiError(400, str(exc), exc.field) from None


def listings_of(obj: object) -> tuple[list[dict], bool]:
    """A single listing or ``{"listings": [...]}`` (at most [limits] max_batch): (checked listings, was a batch)."""
    if isinstance(obj, dict) and "listings" in obj and "id" not in obj:
        batch = obj["listings"]
        if not isinstance(batch, list):
            raise ApiError(400, f"'listings' must be an array, got {type(batch).__name__}", "listings")
        limit = api_settings()["limits"]["max_batch"]
        if len(batch) > limit:
            raise ApiError(413, f"{len(batch)} listings in one request; at most {limit}", "listings")
        if not batch:
            raise ApiError(400, "'listings' is empty", "listings")
        return [check_listing(x, f"listings[{i}]") for i, x in enumerate(batch)], True
    return [check_listing(obj)], False


def verdict(result: dict) -> str:
    """allow | hold | block, from the result's score and the categories of its hits ([verdict] settings)."""
    v = api_settings()["verdict"]
    if result.get("error"):  # the scan failed (a bug, not the listing): a person looks before it is published
        return "hold"
    score = result.get("score") or 0.0
    if score >= v["block_score"] and any(h.get("category") in v["block_categories"] for h in result.get("hits", [])):
        return "block"
    return "hold" if result.get("flagged") or score >= v["hold_score"] else "allow"


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class RateLimiter:
    """A token bucket per API token: ``per_minute`` requests a minute, bursts up to that many."""
    buckets: dict[int, _Bucket] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, token_id: int, per_minute: int) -> int:
        """0 when the request may go ahead (and it is counted), else the seconds to wait."""
        rate = per_minute / 60.0
        t = time.monotonic()
        with self.lock:
            b = self.buckets.get(token_id) or _Bucket(float(per_minute), t)
            b.tokens = min(float(per_minute), b.tokens + (t - b.at) * rate)
            b.at = t
            self.buckets[token_id] = b
            if b.tokens >= 1:
                b.tokens -= 1
                return 0
            return max(1, math.ceil((1 - b.tokens) / rate))


def _size(listing: dict) -> int:
    return sum(len(listing.get(k) or "") for k in ("title", "text", "html"))


class Scanner:
    """The server's detector, in two lanes that each scan one listing at a time (a detector's OPSIN process speaks
    over one pipe): listings over [limits] big_listing_chars go to the second lane, so one huge listing (up to
    1.6 s of scanning at the detector's caps) never holds up the ordinary ones. The second lane's detector is made
    when the first big listing comes (it shares only the read-only lexicon) and starts its OPSIN when it needs it."""

    def __init__(self):
        self._init = threading.Lock()
        self._lanes: list[tuple[threading.Lock, Detector]] = []

    @property
    def detector(self) -> Detector:
        return self._lane(0)[1]

    def _lane(self, i: int) -> tuple[threading.Lock, Detector]:
        with self._init:
            if not self._lanes:
                self._lanes.append((threading.Lock(), Detector()))
            if i and len(self._lanes) == 1:  # its own pipeline, prefilter and OPSIN: nothing mutable is shared
                first = self._lanes[0][1]
                self._lanes.append((threading.Lock(), Detector(first.lex, first.settings, prewarm=False,
                                                               opsin=Opsin(first.settings["opsin"]["timeout_s"]))))
            return self._lanes[i]

    def scan(self, listings: list[dict]) -> list[dict]:
        limit = api_settings()["limits"]["big_listing_chars"]
        lanes = [[], []]
        for n, x in enumerate(listings):
            lanes[_size(x) > limit].append(n)
        out: list[dict] = [{}] * len(listings)
        for i, members in enumerate(lanes):
            if members:
                lock, det = self._lane(i)
                with lock:
                    for n, r in zip(members, det.scan_many([listings[n] for n in members], batch_size=len(members))):
                        out[n] = r.to_json()
        return out


limiter = RateLimiter()
scanner = Scanner()
# The API's writes from this server's threads take turns here rather than in SQLite's busy handler, which sleeps
# and polls (up to 100 ms a time) while another connection holds the write lock: that made the p99 latency.
write_lock = threading.Lock()
