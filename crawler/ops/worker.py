"""`fentwatch store-worker`: the one writer of the store in distributed mode. It drains the items list that
crawler processes fill (crawler/distributed.py) into the SQLite store, in batches, with Redis's reliable-queue
pattern: a batch is moved (LMOVE) onto a processing list, saved in one SQLite transaction, and only then trimmed
off the processing list. A worker killed mid-batch leaves the batch on the processing list; the next worker saves
it first. Saving is idempotent (store/db.py save_page), so a batch saved twice stores nothing twice.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
from dataclasses import dataclass


@dataclass
class Drained:
    pages: int = 0
    runs: int = 0
    batches: int = 0
    recovered: int = 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


class StoreWorker:
    def __init__(self, redis_url: str, db_file: str, key: str = "fentwatch:items", batch: int = 200, log=print):
        import redis

        from store.db import open_store

        self.server = redis.Redis.from_url(redis_url)
        self.server.ping()
        self.db = open_store(db_file)
        self.key, self.processing, self.lock = key, f"{key}:processing", f"{key}:writer"
        self.batch = batch
        self.log = log
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self.counts = Drained()

    def acquire(self, wait: float = 30.0) -> None:
        """One writer per items list: a lock with a lease, taken over at once from a dead process on this host."""
        deadline = time.monotonic() + wait
        while not self.server.set(self.lock, self.me, nx=True, px=15000):
            holder = (self.server.get(self.lock) or b"").decode()
            host, _, pid = holder.rpartition(":")
            if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
                self.server.delete(self.lock)  # its process is gone: no need to wait out the lease
                continue
            if time.monotonic() > deadline:
                raise RuntimeError(f"another store worker ({holder}) is draining {self.key}")
            time.sleep(0.5)

    def renew(self) -> None:
        if (self.server.get(self.lock) or b"").decode() != self.me:
            raise RuntimeError("lost the store-worker lock to another process")
        self.server.pexpire(self.lock, 15000)

    def save(self, messages: list[bytes]) -> None:
        from store.db import record_page_issue, record_run, save_page

        with self.db.atomic():
            for raw in messages:
                m = json.loads(raw)
                if m["kind"] == "page":
                    page = dict(m["page"], body=base64.b64decode(m["page"]["body"]))
                    save_page(self.db, page, m["scan"], m["detector_version"], m["lexicon_version"])
                    self.counts.pages += 1
                elif m["kind"] == "issue":
                    record_page_issue(self.db, m["url"], m["reason"], m["detail"], m["http_status"])
                elif m["kind"] == "run":
                    status = "finished" if m["reason"] == "finished" else m["reason"]
                    record_run(self.db, m["spider"], m["target"], m["started_at"], m["stats"], status, m["monitor"])
                    self.counts.runs += 1
                    self.log(f"crawl of {m['target']} ({m['spider']}) recorded: {m['stats'].get('fentwatch/listings', 0)} "
                             f"listings")

    def step(self, block: float = 1.0) -> int:
        """Save one batch; returns its size (0 when nothing came within ``block`` seconds)."""
        self.renew()
        first = self.server.blmove(self.key, self.processing, block, "LEFT", "RIGHT")
        if first is None:
            return 0
        pipe = self.server.pipeline(transaction=False)
        for _ in range(self.batch - 1):
            pipe.lmove(self.key, self.processing, "LEFT", "RIGHT")
        batch = [first] + [m for m in pipe.execute() if m is not None]
        self.save(batch)                                  # committed here ...
        self.server.ltrim(self.processing, len(batch), -1)  # ... and only then acknowledged
        self.counts.batches += 1
        return len(batch)

    def recover(self) -> int:
        """Save what a killed worker left on the processing list."""
        left = self.server.lrange(self.processing, 0, -1)
        if left:
            self.save(left)
            self.server.ltrim(self.processing, len(left), -1)
            self.counts.recovered += len(left)
            self.log(f"saved {len(left)} items a stopped worker had taken but not acknowledged")
        return len(left)

    def run(self, idle_exit: float | None = None) -> Drained:
        """Drain until stopped; with ``idle_exit``, return after that many seconds with nothing to do."""
        self.acquire()
        try:
            self.recover()
            idle_since = time.monotonic()
            while True:
                block = 1.0  # with idle_exit, no longer than what is left of it: the worker exits on time
                if idle_exit is not None:
                    block = max(0.01, min(block, idle_exit - (time.monotonic() - idle_since)))
                if self.step(block):
                    idle_since = time.monotonic()
                elif idle_exit is not None and time.monotonic() - idle_since >= idle_exit:
                    return self.counts
        finally:
            if (self.server.get(self.lock) or b"").decode() == self.me:
                self.server.delete(self.lock)
