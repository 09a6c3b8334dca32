"""The platform API's logic (the routes are in views/api.py): settings, reading and checking request bodies, the
verdict, per-token rate limits and the shared detector.

Bad input is answered with a 4xx JSON error that names the field (``listings[3].title``) and stores nothing.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import queue
import threading
import time
import tomllib
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib.resources import files

import sqlite_utils

from detect.engine import DETECTOR_VERSION, Detector
from detect.opsin import Opsin
from store import additions, submissions, tokens
from store.db import connect

from .api_audit import AuditQueue, audit_queue

SETTINGS_FILE = files(__package__) / "data" / "api.toml"  # importlib.resources: also from a zip
logger = logging.getLogger(__name__)


_local = threading.local()


def thread_store(path: str) -> sqlite_utils.Database:
    """This server thread's own connection to the store, kept across requests (waitress's threads live as long as
    the server): an API call pays no connect (the connection's settings are store.db.connect's)."""
    conns = _local.__dict__.setdefault("conns", {})
    if path not in conns:
        conns[path] = connect(path)
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


class TokenCache:
    """Active tokens looked up in the store, kept in memory for ``seconds`` (``[auth] token_cache_seconds``, 1 s) under
    their SHA-256 (the token itself is not kept): a call of a known token does not query the store, so its thread
    does not hand the GIL to the other threads and wait to get it back. A token revoked (by `fentwatch tokens
    revoke`, another process) is refused within ``seconds``; an unknown or revoked token is never kept, so it is
    looked up on every call and a new token works at once."""

    def __init__(self, max_entries: int = 10000):
        self.max_entries = max_entries
        self._rows: dict[str, tuple[tokens.Token, float]] = {}
        self._lock = threading.Lock()

    def get(self, db: sqlite_utils.Database, token: str | None, seconds: float) -> tokens.Token | None:
        if not token:
            return None
        key, t = tokens.digest(token), time.monotonic()
        hit = self._rows.get(key)
        if hit is not None and t < hit[1]:
            return hit[0]
        row = tokens.token_for(db, token)
        with self._lock:
            if row is None:
                self._rows.pop(key, None)
            elif seconds > 0:
                if len(self._rows) >= self.max_entries:
                    self._rows.clear()
                self._rows[key] = (row, t + seconds)
        return row


def _size(listing: dict) -> int:
    return sum(len(listing.get(k) or "") for k in ("title", "text", "html"))


_worker_detector: Detector | None = None
_worker_key: tuple = ()


def _init_scan_worker(detector: Detector, key: tuple) -> None:
    global _worker_detector, _worker_key
    _worker_detector, _worker_key = detector, key  # inherited by fork; its OPSIN JVM is the worker's own, started now
    detector.opsin.prewarm()


def _scan_in_worker(listings: list[dict], key: tuple = ()) -> tuple[tuple, list[dict]]:
    """(the additions key scanned with, the results)."""
    global _worker_detector, _worker_key
    if key != _worker_key:  # the store's lexicon additions changed: a new detector, the same OPSIN process
        _worker_detector, _worker_key = _rebuilt(_worker_detector, key), key
    return key, [r.to_json() for r in _worker_detector.scan_many(listings, batch_size=len(listings))]


def _rebuilt(detector: Detector, key: tuple) -> Detector:
    """A detector for the shipped lexicon plus the additions of ``key`` (store.additions.version_key), sharing
    ``detector``'s settings and OPSIN process (about 0.3 s)."""
    return Detector(additions.lexicon_of(key), detector.settings, opsin=detector.opsin, prewarm=False)


class Scanner:
    """The server's detector, in two lanes that each scan one listing at a time (a detector's OPSIN process speaks
    over one pipe): listings over [limits] big_listing_chars go to the second lane, so one huge listing (up to
    1.6 s of scanning at the detector's caps) never holds up the ordinary ones. The second lane's detector is made
    when the first big listing comes (it shares only the read-only lexicon) and starts its OPSIN when it needs it.

    With ``start_worker`` (``fentwatch review``, [server] scan_worker = true) the first lane scans in a worker
    process forked from the server before it serves: the server's own process (one GIL) then only speaks HTTP,
    and scanning gets the machine's other core. If the worker dies, the lane scans in the server's process
    from then on (logged), so no call is lost to it.

    The store's lexicon additions (made by leads in the review app, withdrawn by `fentwatch lexicon withdraw`) are
    followed without a restart: ``follow(db)`` reads the store's generation number at most once every [lexicon]
    check_seconds (1 s), and when the additions changed, the next call of each lane builds the lane's new detector
    (0.3 s on a quiet machine, 1-2.5 s under load 20; it shares the OPSIN process) and scans with it, while the
    lane's other calls go on with the old one until it is built; the worker process rebuilds its own."""

    def __init__(self):
        self._init = threading.Lock()
        self._lanes: list[list] = []  # [scan lock, detector, additions key, rebuild lock] per lane
        self._pool = None
        self._key: tuple = ()  # the store's additions (store.additions.version_key) the lanes scan with
        self._generation: int | None = None
        self._next_check = 0.0
        self._check = threading.Lock()
        self._used = threading.local()  # per server thread: the additions key of its last scan (``versions``)

    def follow(self, db: sqlite_utils.Database) -> None:
        """Take up the store's current lexicon additions when they changed (checked at most once every [lexicon]
        check_seconds; 0: on every call)."""
        t = time.monotonic()
        if t < self._next_check:
            return
        with self._check:
            if t < self._next_check:
                return
            self._next_check = t + api_settings().get("lexicon", {}).get("check_seconds", 1.0)
            gen = additions.generation(db)
            if gen != self._generation or gen < 0:
                self._key, self._generation = additions.version_key(db), gen

    def versions(self) -> tuple[str, str]:
        """(detector version, lexicon version) of this thread's last scan (the lexicon additions it scanned with,
        which around a change may still be the old ones)."""
        lex = additions.lexicon_of(getattr(self._used, "key", self._key))
        return f"{DETECTOR_VERSION}+lex.{lex.version}", lex.version

    @property
    def detector(self) -> Detector:
        return self._lane(0)[1]

    def _lane(self, i: int) -> list:
        with self._init:
            if not self._lanes:
                lex = additions.lexicon_of(self._key)
                self._lanes.append([threading.Lock(), Detector(lex, prewarm=self._pool is None), self._key,
                                    threading.Lock()])
            if i and len(self._lanes) == 1:  # its own pipeline, prefilter and OPSIN: nothing mutable is shared
                first, key = self._lanes[0][1:3]
                self._lanes.append([threading.Lock(), Detector(first.lex, first.settings, prewarm=False,
                                                               opsin=Opsin(first.settings["opsin"]["timeout_s"])),
                                    key, threading.Lock()])
            return self._lanes[i]

    def start_worker(self) -> None:
        """Fork the first lane's worker process (call it before the server starts its threads: a fork copies only
        the calling thread). The detector is made here, before the fork, and its OPSIN is left unstarted."""
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        with self._init:
            if self._lanes:
                raise RuntimeError("start_worker must come before the first scan")
            lex = additions.lexicon_of(self._key)
            self._lanes.append([threading.Lock(), Detector(lex, opsin=Opsin(), prewarm=False), self._key,
                                threading.Lock()])
            self._pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"), initializer=_init_scan_worker,
                                             initargs=(self._lanes[0][1], self._key))
        self._pool.submit(_scan_in_worker, [{"id": "warm", "title": "methane"}]).result()  # forks now
        self._pending: queue.Queue = queue.Queue()
        self._in_flight = threading.BoundedSemaphore(2)  # one batch scanning, the next one on its way
        threading.Thread(target=self._dispatch, name="fentwatch-scan-dispatch", daemon=True).start()

    def stop_worker(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _dispatch(self) -> None:
        """Send the listings of the calls waiting for the worker to it together, one round trip for all of them
        (the cost of a round trip is then shared, and the worker does not idle between calls)."""
        while True:
            waiting = [self._pending.get()]
            self._in_flight.acquire()
            while True:
                try:
                    waiting.append(self._pending.get_nowait())
                except queue.Empty:
                    break
            pool = self._pool
            try:
                if pool is None:
                    raise BrokenProcessPool("no scan worker")
                future = pool.submit(_scan_in_worker, [x for listings, _ in waiting for x in listings], self._key)
            except Exception as exc:  # noqa: BLE001 - the callers fall back to scanning in the process
                self._in_flight.release()
                for _, f in waiting:
                    f.set_exception(exc)
                continue
            future.add_done_callback(functools.partial(self._answer, waiting))

    def _answer(self, waiting: list, future) -> None:
        self._in_flight.release()
        exc = future.exception()
        if exc is not None:
            for _, f in waiting:
                f.set_exception(exc)
            return
        key, found = future.result()
        results = iter(found)
        for listings, f in waiting:
            f.set_result((key, [next(results) for _ in listings]))

    def _scan_lane(self, i: int, listings: list[dict]) -> tuple[tuple, list[dict]]:
        """(the additions key scanned with, the results)."""
        if i == 0 and self._pool is not None:
            answer: Future = Future()
            self._pending.put((listings, answer))
            try:
                return answer.result()
            except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, or the worker's own failure
                logger.error("the scan worker process failed (%s); scanning in the server's process from now on",
                             exc)
                self._pool = None
        lane = self._lane(i)
        if lane[2] != self._key:
            self._rebuild(lane, self._key)
        with lane[0]:
            return lane[2], [r.to_json() for r in lane[1].scan_many(listings, batch_size=len(listings))]

    @staticmethod
    def _rebuild(lane: list, key: tuple) -> None:
        """The store's lexicon additions changed since this lane's last scan: the first call to see it builds the
        lane's new detector (outside the scan lock: the lane's other calls go on scanning with the old one
        meanwhile, and do not wait for the build) and scans with it; the calls after it find it built."""
        if not lane[3].acquire(blocking=False):
            return  # another call is building it
        try:
            if lane[2] != key:
                new = _rebuilt(lane[1], key)
                with lane[0]:
                    lane[1], lane[2] = new, key
        finally:
            lane[3].release()

    def scan(self, listings: list[dict], db: sqlite_utils.Database | None = None) -> list[dict]:
        """Results in input order; with ``db``, the store's lexicon additions are followed first (``follow``)."""
        if db is not None:
            self.follow(db)
        limit = api_settings()["limits"]["big_listing_chars"]
        lanes = [[], []]
        for n, x in enumerate(listings):
            lanes[_size(x) > limit].append(n)
        out: list[dict] = [{}] * len(listings)
        for i, members in enumerate(lanes):
            if members:
                self._used.key, results = self._scan_lane(i, [listings[n] for n in members])
                for n, r in zip(members, results):
                    out[n] = r
        return out


limiter = RateLimiter()
token_cache = TokenCache()
scanner = Scanner()
# The API's writes from this server's threads take turns here rather than in SQLite's busy handler, which sleeps
# and polls (up to 100 ms a time) while another connection holds the write lock: that made the p99 latency.
write_lock = threading.Lock()


def audit(path: str) -> AuditQueue:
    """The queue of the API's audit lines for the store at ``path`` (review/api_audit.py)."""
    cfg = api_settings().get("audit", {})
    return audit_queue(path, write_lock, cfg.get("max_pending", 1000), cfg.get("flush_ms", 20) / 1000)
