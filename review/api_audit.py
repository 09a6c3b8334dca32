"""The API's audit writer: every request's line (token, time, method, path, listings, status, outcome) is queued
by the request and written to the store's ``api_requests`` by one writer thread, many lines to a commit.

A request only queues its line (microseconds) instead of taking the store's write lock for a transaction of its
own, and the writer wakes once per ``[audit] flush_ms`` (20 ms) at most rather than once per request: a line is in
the store about ``flush_ms`` after its answer went out, together with the lines of the other requests of those
milliseconds, in one commit.

What can be lost: nothing at shutdown (``close`` writes every queued line; `fentwatch review` calls it after
waitress has finished the requests in flight, on Ctrl-C or SIGTERM, and at interpreter exit). On a crash of the
server process (SIGKILL, a segfault) the lines not yet committed: those of the requests
answered in the last ``flush_ms`` plus the commit's own time, and never more than ``[audit] max_pending`` (1,000)
lines. (A power loss can also take the last commits, as for every write of the store: synchronous=NORMAL.) When
that many lines are waiting (a store that cannot be written), the next request waits for room: a line is never
dropped.
"""

from __future__ import annotations

import atexit
import logging
import queue
import sqlite3
import threading

from store.db import connect, now
from store.tokens import record_requests

logger = logging.getLogger(__name__)
_STOP = object()


class AuditQueue:
    """The queue of audit lines of one store, and its writer thread (started by the first line). ``lock`` is
    held around each commit: the process's writes to the store take turns on it (review/api.py write_lock)."""

    def __init__(self, path: str, lock: threading.Lock, max_pending: int = 1000, flush_seconds: float = 0.02,
                 max_rows: int = 500, retry_seconds: float = 1.0):
        self.path, self.lock = path, lock
        self.flush_seconds, self.max_rows, self.retry_seconds = flush_seconds, max_rows, retry_seconds
        self._stopping = threading.Event()
        self._queue: queue.Queue = queue.Queue(maxsize=max_pending)
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None

    def put(self, token_id: int | None, method: str, endpoint: str, listings: int, status: int,
            outcome: str) -> None:
        """Queue one request's line (waits for room when ``max_pending`` lines are waiting)."""
        self._ensure_writer()
        self._queue.put((token_id, now(), method, endpoint, listings, status, outcome))

    def flush(self) -> None:
        """Return when every line queued before the call is committed."""
        if self._thread is not None:
            self._queue.join()

    def close(self, timeout: float | None = 60) -> None:
        """Write every queued line, then stop the writer (later lines start it again). A store that cannot be
        written for ``timeout`` seconds is given up on, with an error naming how many lines were not written."""
        with self._start:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._stopping.set()
            self._queue.put(_STOP)
            thread.join(timeout)
            if thread.is_alive():
                logger.error("API audit: %d line(s) could not be written before shutdown", self._queue.qsize())
        self._stopping.clear()

    def _ensure_writer(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="fentwatch-api-audit", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        db = connect(self.path)
        try:
            stop = False
            while not stop:
                rows, item = [], self._queue.get()
                if item is not _STOP:  # the lines of the next moments go into the same commit
                    self._stopping.wait(self.flush_seconds)
                while True:
                    if item is _STOP:  # every line queued before it is in this batch
                        stop = True
                        break
                    rows.append(item)
                    if len(rows) >= self.max_rows:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                self._write(db, rows)
                for _ in range(len(rows) + stop):
                    self._queue.task_done()
        finally:
            db.close()

    def _write(self, db, rows: list[tuple]) -> None:
        """Commit ``rows``, retrying while the store cannot be written (the lines are kept meanwhile)."""
        while rows:
            try:
                with self.lock:
                    record_requests(db, rows)
                return
            except sqlite3.Error as exc:
                logger.error("API audit: %d line(s) not written yet (%s); retrying", len(rows), exc)
            except Exception:  # a bug must not end the writer (the queue would fill and stop the API)
                logger.exception("API audit: %d line(s) not written yet; retrying", len(rows))
            threading.Event().wait(self.retry_seconds)


_queues: dict[str, AuditQueue] = {}
_queues_lock = threading.Lock()


def audit_queue(path: str, lock: threading.Lock, max_pending: int = 1000, flush_seconds: float = 0.02) -> AuditQueue:
    """The process's audit queue of the store at ``path`` (one writer per store)."""
    with _queues_lock:
        if path not in _queues:
            _queues[path] = AuditQueue(path, lock, max_pending, flush_seconds)
        return _queues[path]


@atexit.register
def close_all() -> None:
    """Write every queued line of every store (at shutdown)."""
    with _queues_lock:
        queues = list(_queues.values())
    for q in queues:
        q.close()
