"""Distributed crawling on Redis: any number of crawler processes, on any number of machines, share one frontier.

Turned on by configuration only: the ``FENTWATCH_REDIS`` setting or environment variable (``redis://HOST:PORT/N``;
``fentwatch crawl --redis URL`` sets it). ``RedisAddon`` (in ``ADDONS``, crawler/settings.py) then swaps in

- ``FrontierScheduler``: scrapy-redis's scheduler and priority queue, keyed by crawl (spider + start URLs), with a
  pop that records the request in this process's in-flight hash in the same atomic step; a request leaves the hash
  only once Scrapy has finished with it (downloaded, parsed, its items pushed, its links queued), and the in-flight
  requests of a process that died (no heartbeat) go back to the queue, so a SIGKILL loses nothing. The heartbeat is
  set by a thread of its own (``Heartbeat``), not by the event loop, so a process whose loop is blocked (a long
  parse, a JVM start, a loaded host) is not taken for dead; one that was (stopped longer than the heartbeat, then
  continued) pushes nothing for the requests taken from it, joins again, and cannot record the crawl;
- ``BloomDupeFilter``: the seen-request filter as a Bloom filter in Redis, of fixed size (docs/scaling-out.md);
- ``RedisItemPipeline`` in place of the store pipeline: scanned listings, and at the end the crawl's figures, go
  onto a Redis list that ``fentwatch store-worker`` drains into the SQLite store (crawler/ops/worker.py). A listing
  is pushed only while its request is in this process's in-flight hash, and counted in the same atomic step; the
  crawl is recorded by the one process whose close clears the frontier (one Lua script), so exactly once.

Redis unreachable (refused, or no answer) for ``FENTWATCH_REDIS_TIMEOUT`` seconds: the crawl stops with reason
``redis-unavailable`` (a failed run, exit status 1) and one error line; what was stored stays stored, and the
requests in flight stay recorded in Redis for the next run.

Without the setting nothing here runs and redis is never imported.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import threading
import time
import uuid

from itemadapter import ItemAdapter
from scrapy import signals


def redis_url(settings) -> str | None:
    return settings.get("FENTWATCH_REDIS") or os.environ.get("FENTWATCH_REDIS") or None


class RedisAddon:
    """Distributed mode when FENTWATCH_REDIS is set; otherwise it changes nothing."""

    def update_settings(self, settings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set("REDIS_URL", url, priority="addon")
        # every Redis call answers within FENTWATCH_REDIS_TIMEOUT: a quarter of it per try, redis-py tries 4 times
        tries = settings.getfloat("FENTWATCH_REDIS_TIMEOUT", 20.0) / 4
        settings.set("REDIS_PARAMS", {"socket_timeout": tries, "socket_connect_timeout": tries,
                                      "retry_on_timeout": True, **settings.getdict("REDIS_PARAMS")}, priority="addon")
        settings.set("SCHEDULER", "crawler.distributed.FrontierScheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "crawler.distributed.BloomDupeFilter", priority="addon")
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        at = pipelines.pop("crawler.pipelines.StorePipeline", 800)
        pipelines["crawler.distributed.RedisItemPipeline"] = at
        settings.set("ITEM_PIPELINES", pipelines, priority=settings.getpriority("ITEM_PIPELINES"))
        # a request is done once its last item has left the pipelines: with one item at a time, that is when the
        # engine lets go of the request (FrontierScheduler relies on it)
        settings.set("CONCURRENT_ITEMS", 1, priority=max(settings.getpriority("CONCURRENT_ITEMS") or 0, 40))


def crawl_name(spider) -> str:
    """One frontier per target: ``FENTWATCH_CRAWL_NAME``, else the spider and a digest of its start URLs, so the
    processes of one crawl find each other and two targets never share a queue."""
    explicit = spider.settings.get("FENTWATCH_CRAWL_NAME")
    if explicit:
        return explicit
    urls = ",".join(sorted(getattr(spider, "start_urls", [])))
    return f"{spider.name}-{hashlib.sha1(urls.encode('utf-8')).hexdigest()[:12]}"


class Keys:
    def __init__(self, prefix: str, crawl: str):
        base = f"{prefix}:crawl:{crawl}"
        self.base = base
        self.requests = f"{base}:requests"
        self.seen = f"{base}:seen"
        self.seen_count = f"{base}:seen-count"
        self.workers = f"{base}:workers"
        self.run = f"{base}:run"        # this run's id: set by the process that opens a fresh frontier
        self.pushed = f"{base}:pushed"  # recovered requests whose listing the process taken for dead had pushed

    def stats(self, run: str) -> str:
        return f"{self.base}:stats:{run}"

    def alive(self, wid: str) -> str:
        return f"{self.base}:alive:{wid}"

    def inflight(self, wid: str) -> str:
        return f"{self.base}:inflight:{wid}"

    def crawl_keys(self) -> list[str]:
        return [self.requests, self.seen, self.seen_count, self.workers, self.pushed, self.run]  # stats: the pipeline


# ZPOPMIN the best request and record it in this worker's in-flight hash, in one step: a kill in between loses nothing;
# nothing for a process whose run is over (KEYS[3] no longer holds its run id)
_POP = """
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return false end
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], r[1], r[2])
return r[1]
"""

# a dead worker's in-flight requests back onto the queue, with their priorities (an entry's value is its priority,
# with "|p" once a listing of it was pushed: those are remembered, so the process that fetches it again pushes nothing)
_RECOVER = """
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  local score, pushed = string.match(entries[i + 1], '^([^|]+)(.*)$')
  redis.call('ZADD', KEYS[1], score, entries[i])
  if pushed ~= '' then redis.call('SADD', KEYS[3], entries[i]) end
end
redis.call('DEL', KEYS[2])
return #entries / 2
"""

# queue one request, through the seen filter when ARGV[2] is 1, in one step (a process stopped or killed between the
# filter and the queue would leave a URL seen but never queued: lost); nothing once this process's run is over
_ENQUEUE = """
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return -1 end
if ARGV[2] == '1' then
  local seen = 1
  for i = 5, #ARGV do
    if redis.call('SETBIT', KEYS[1], ARGV[i], 1) == 0 then seen = 0 end
  end
  if seen == 1 then return 0 end
  redis.call('INCR', KEYS[2])
end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return 1
"""

# push one item for an in-flight request, in one step: 0 if the request is no longer this process's (taken for dead:
# another process has it now), 2 for a listing of a request whose listing was pushed already (a page has one listing;
# by this process, or by one taken for dead before the request was recovered), else 1: the message
# is on the items list and, for a listing, counted in the run's stats and its request marked as pushed (page issues
# and gone pages are not marked: so no listing of the page is held back; an issue sent twice is one more line in the
# page-issue log, a gone page saved twice changes nothing)
_PUSH = """
if redis.call('GET', KEYS[5]) ~= ARGV[2] then return 0 end
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
if ARGV[4] == '1' then
  if string.find(v, '|', 1, true) or redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return 2 end
  redis.call('HSET', KEYS[1], ARGV[1], v .. '|p')
  redis.call('HINCRBY', KEYS[3], 'fentwatch/listings', 1)
  if ARGV[5] == '1' then redis.call('HINCRBY', KEYS[3], 'fentwatch/flagged', 1) end
end
redis.call('RPUSH', KEYS[2], ARGV[3])
return 1
"""

# a process closes, in one step: its figures added to its run's (if the run is still on), its registration gone; and
# if it finished, the run is still on, no process is left and the queue is empty, the frontier is cleared and 1 is
# returned: that process, and only it, records the crawl (a second one finds the run id gone)
_CLOSE = """
local current = redis.call('GET', KEYS[1]) == ARGV[1]
if current then
  for i = 6, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[2], ARGV[i], ARGV[i + 1]) end
  redis.call('HSETNX', KEYS[2], '_started_at', ARGV[4])
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[2], '_finish_reason', ARGV[5]) end
end
if ARGV[3] == '1' then redis.call('DEL', KEYS[3]) end
redis.call('DEL', KEYS[4])
redis.call('SREM', KEYS[5], ARGV[2])
if current and ARGV[3] == '1' and redis.call('SCARD', KEYS[5]) == 0 and redis.call('ZCARD', KEYS[6]) == 0 then
  for i = 6, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('DEL', KEYS[5], KEYS[1])
  return 1
end
return 0
"""

# set the k bits of one fingerprint; 1 if all were set already (seen), else 0
_BLOOM_ADD = """
local seen = 1
for i = 1, #ARGV do
  if redis.call('SETBIT', KEYS[1], ARGV[i], 1) == 0 then seen = 0 end
end
if seen == 0 then redis.call('INCR', KEYS[2]) end
return seen
"""


def bloom_size(capacity: int, error_rate: float) -> tuple[int, int]:
    """Bits and hash functions of a Bloom filter holding ``capacity`` items at ``error_rate`` false positives."""
    bits = math.ceil(-capacity * math.log(error_rate) / math.log(2) ** 2)
    return bits, max(1, round(bits / capacity * math.log(2)))


class BloomDupeFilter:
    """The seen-request filter: a Bloom filter in one Redis string, ``FENTWATCH_REDIS_SEEN_CAPACITY`` URLs at
    ``FENTWATCH_REDIS_SEEN_ERROR_RATE`` false positives, so its memory is fixed (1 bit per 1.44 log2(1/p) per URL)
    however long the crawl; Scrapy's request fingerprint, k positions by double hashing, set in one Lua call. A
    false positive is a page not fetched: at the default rate of one in a million, about one page in a
    million-page crawl. Past the capacity the error rate climbs; a warning says so."""

    def __init__(self, server, key: str, count_key: str, capacity: int, error_rate: float, fingerprinter, stats=None,
                 logger=None):
        self.server, self.key, self.count_key = server, key, count_key
        self.capacity = capacity
        self.bits, self.k = bloom_size(capacity, error_rate)
        if self.bits > 2 ** 32:
            raise ValueError(f"seen filter of {self.bits} bits is over Redis's 512 MB string limit: lower "
                             "FENTWATCH_REDIS_SEEN_CAPACITY or raise FENTWATCH_REDIS_SEEN_ERROR_RATE")
        self.add = server.register_script(_BLOOM_ADD)
        self.fingerprinter = fingerprinter
        self.stats, self.logger = stats, logger
        self.warned = False

    def positions(self, fingerprint: bytes) -> list[int]:
        h1 = int.from_bytes(fingerprint[:8], "big")
        h2 = int.from_bytes(fingerprint[8:16], "big") | 1
        return [(h1 + i * h2) % self.bits for i in range(self.k)]

    def open(self):
        pass

    def close(self, reason=""):
        pass

    def request_seen(self, request) -> bool:
        seen = bool(self.add(keys=[self.key, self.count_key],
                             args=self.positions(self.fingerprinter.fingerprint(request))))
        if not seen:
            self.added()
        return seen

    def added(self) -> None:
        """A new URL went into the filter: warn once when the filter is past its capacity."""
        if not self.warned and self.logger is not None:
            n = int(self.server.get(self.count_key) or 0)
            if n > self.capacity:
                self.warned = True
                self.logger.warning("seen filter holds %d URLs, over its capacity of %d: raise "
                                    "FENTWATCH_REDIS_SEEN_CAPACITY for crawls this size", n, self.capacity)

    def log(self, request, spider):
        if self.stats is not None:
            self.stats.inc_value("dupefilter/filtered")

    def clear(self):
        self.server.delete(self.key, self.count_key)


def _redis_down(exc: BaseException) -> bool:
    """Redis refused the connection or did not answer (redis-py has already tried again)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return isinstance(exc, (RedisConnectionError, RedisTimeoutError))


def _where(url: str) -> str:
    """The Redis server of a URL, without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.hostname}:{parts.port or 6379}" if parts.hostname else (url or "?")


class Heartbeat(threading.Thread):
    """A crawler process's heartbeat, from a daemon thread with its own Redis connection rather than from the event
    loop: it goes on while the loop is blocked (a long parse, a JVM start, a slow disk), and stops with the process
    (SIGKILL, or SIGSTOP: a stopped process is dead to the others until it is continued). Each beat sets the alive
    key for ``ttl`` seconds and registers the process in the crawl's worker set; a beat that finds the process gone
    from the set (it was taken for dead) calls ``on_rejoin``. Redis unanswered for ``give_up`` seconds: ``on_lost``."""

    def __init__(self, url: str, keys: Keys, wid: str, ttl: float, give_up: float, on_rejoin, on_lost):
        import redis

        super().__init__(name="fentwatch-heartbeat", daemon=True)
        per_try = max(0.1, give_up / 4)
        self.server = redis.Redis.from_url(url, socket_timeout=per_try, socket_connect_timeout=per_try)
        self.alive, self.workers, self.wid = keys.alive(wid), keys.workers, wid
        self.ttl, self.give_up = ttl, give_up
        self.interval = min(1.0, ttl / 3)
        self.on_rejoin, self.on_lost = on_rejoin, on_lost
        self.stopped = threading.Event()

    def beat(self) -> bool:
        """Set the alive key and register; True when the process had been taken off the worker set."""
        pipe = self.server.pipeline(transaction=True)
        pipe.set(self.alive, self.wid, px=int(self.ttl * 1000))
        pipe.sadd(self.workers, self.wid)
        return bool(pipe.execute()[1])

    def run(self) -> None:
        answered = time.monotonic()
        while not self.stopped.wait(self.interval):
            try:
                rejoined = self.beat()
            except Exception as exc:  # noqa: BLE001 - Redis gone is handled; anything else ends the beat, logged
                if not _redis_down(exc) or time.monotonic() - answered >= self.give_up:
                    self.on_lost(exc)
                    return
                continue
            answered = time.monotonic()
            if rejoined and not self.stopped.is_set():
                self.on_rejoin()

    def stop(self) -> None:
        self.stopped.set()
        if self.is_alive():
            self.join(timeout=self.give_up)


class FrontierScheduler:
    """scrapy-redis's scheduler (its PriorityQueue and Redis connection) with crash-safe pops, crawl-scoped keys and
    an end that waits for the other processes: a process stays open while the queue has requests or another live
    process still has requests in flight (which may queue more), so all of them finish together."""

    def __init__(self, crawler):
        from scrapy_redis import connection

        self.crawler = crawler
        s = crawler.settings
        self.server = connection.from_settings(s)
        self.server.ping()
        self.url = s.get("REDIS_URL") or redis_url(s)
        self.prefix = s.get("FENTWATCH_REDIS_PREFIX", "fentwatch")
        self.ttl = s.getfloat("FENTWATCH_REDIS_HEARTBEAT", 10.0)
        self.timeout = s.getfloat("FENTWATCH_REDIS_TIMEOUT", 20.0)
        self.wid = f"{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.tracked: dict[bytes, object] = {}  # in-flight entry -> the request object the engine holds
        self.by_url: dict[str, bytes] = {}  # a tracked request's URL -> its entry (an item carries its page's URL)
        self.loop = self.heart = None
        self.lost: str | None = None  # why Redis is taken for gone; then the crawl stops
        self.closing = self.last = False
        self.pop_script = self.server.register_script(_POP)
        self.recover_script = self.server.register_script(_RECOVER)
        self.enqueue_script = self.server.register_script(_ENQUEUE)
        self.push_script = self.server.register_script(_PUSH)
        self.close_script = self.server.register_script(_CLOSE)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # --- Scrapy's scheduler interface -------------------------------------------------------------------------
    def open(self, spider):
        from scrapy_redis.queue import PriorityQueue
        from twisted.internet import task

        from store.db import now

        self.spider = spider
        self.stats = self.crawler.stats
        self.started = now()
        self.keys = Keys(self.prefix, crawl_name(spider))
        self.queue = PriorityQueue(self.server, spider, self.keys.requests)
        s = self.crawler.settings
        self.df = BloomDupeFilter(self.server, self.keys.seen, self.keys.seen_count,
                                  s.getint("FENTWATCH_REDIS_SEEN_CAPACITY", 10_000_000),
                                  s.getfloat("FENTWATCH_REDIS_SEEN_ERROR_RATE", 1e-6),
                                  self.crawler.request_fingerprinter, self.stats, spider.logger)
        self.inflight = self.keys.inflight(self.wid)
        self.run = None
        while self.run is None:  # the first process of a fresh frontier names the run; the others join it
            self.server.set(self.keys.run, uuid.uuid4().hex, nx=True)
            self.run = self.server.get(self.keys.run)
        self.run = self.run.decode()
        self.heart = Heartbeat(self.url, self.keys, self.wid, self.ttl, self.timeout, self.rejoined,
                               self.lost_from_thread)
        self.heart.beat()
        recovered = self.recover()
        spider.logger.info("distributed crawl %s: worker %s; %d requests queued%s", self.keys.base, self.wid,
                           len(self.queue), f", {recovered} recovered from dead workers" if recovered else "")
        self.heart.start()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(min(1.0, self.ttl / 3), now=False)

    def close(self, reason):
        self.closing = True
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.heart is not None:
            self.heart.stop()  # before leaving the worker set: a beat would register the process again
        if self.lost:
            return
        try:
            self.settle()
            self.recover()
            done = reason == "finished" and not self.tracked
            figures = []
            for k, v in self.stats.get_stats().items():
                if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in PUSH_COUNTED | {
                        "elapsed_time_seconds"}:
                    figures += [k, repr(v)]
            k = self.keys
            self.last = bool(self.close_script(
                keys=[k.run, k.stats(self.run), self.inflight, k.alive(self.wid), k.workers, k.requests, k.seen,
                      k.seen_count, k.pushed],
                args=[self.run, self.wid, int(done), self.started, "" if reason == "finished" else str(reason),
                      *figures]))
        except Exception as exc:
            if not _redis_down(exc):
                raise
            self.lose(exc)

    def has_pending_requests(self) -> bool:
        if self.lost:
            return False
        try:
            if self.run_over():
                return False
            if len(self.queue) > 0:
                return True
            return self.others_busy()
        except Exception as exc:
            if not _redis_down(exc):
                raise
            self.lose(exc)
            return False

    def enqueue_request(self, request) -> bool:
        if self.lost:
            self.stats.inc_value("fentwatch/redis_lost/requests")
            return False
        try:
            # start requests go through the filter too: every process of the crawl yields the same start URLs
            filtered = bool(not request.dont_filter or request.meta.get("is_start_request"))
            positions = self.df.positions(self.crawler.request_fingerprinter.fingerprint(request)) if filtered else []
            k = self.keys
            queued = int(self.enqueue_script(keys=[k.seen, k.seen_count, k.requests, k.run],
                                             args=[self.run, int(filtered), -request.priority,
                                                   self.queue._encode_request(request), *positions]))
            if queued == 0:
                self.df.log(request, self.spider)
                return False
            if queued < 0:  # the run this process joined is over (it was taken for dead meanwhile)
                return False
            if filtered:
                self.df.added()
        except Exception as exc:
            if not _redis_down(exc):
                raise
            self.lose(exc)
            self.stats.inc_value("fentwatch/redis_lost/requests")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        if self.lost:
            return None
        try:
            # a request taken from this process while it was stopped may come back to it: the new request replaces
            # the stale one here, and whichever of the two pushes the page's listing first sends it (_PUSH)
            entry = self.pop_script(keys=[self.keys.requests, self.inflight, self.keys.run], args=[self.run])
            if entry is None:
                return None
        except Exception as exc:
            if not _redis_down(exc):
                raise
            self.lose(exc)
            return None
        request = self.queue._decode_request(entry)
        self.tracked[entry] = request
        self.by_url[request.url] = entry
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # --- bookkeeping ------------------------------------------------------------------------------------------
    def settle(self) -> None:
        """Drop from the in-flight hash every request the engine has let go of (fully processed)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        live = {id(r) for r in getattr(slot, "inprogress", ())}
        done = [e for e, r in self.tracked.items() if id(r) not in live]
        if done:
            self.server.hdel(self.inflight, *done)
            for e in done:
                url = self.tracked.pop(e).url
                if self.by_url.get(url) == e:
                    del self.by_url[url]

    def tick(self) -> None:
        """On the event loop, every heartbeat interval: settle and, holding no request, look for work: a request
        another process queued is taken now, and a process that waits on the others notices a dead one (its
        requests recovered) or the crawl's end within one interval, not at the engine's 5 s idle check."""
        if self.lost or self.closing or getattr(self, "spider", None) is None or self.crawler.engine is None:
            return
        try:
            self.settle()
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None and not self.tracked:
                slot.nextcall.schedule()
        except Exception as exc:
            if not _redis_down(exc):
                raise
            self.lose(exc)

    def push(self, url: str, items_key: str, message: str, listing: bool, flagged: bool) -> int:
        """Push one item found on ``url`` if its request is still this process's (``_PUSH``): 1 pushed, 0 taken
        from this process, 2 pushed already by a process taken for dead."""
        entry = self.by_url.get(url)
        if entry is None:
            return 0
        k = self.keys
        return int(self.push_script(keys=[self.inflight, items_key, k.stats(self.run), k.pushed, k.run],
                                    args=[entry, self.run, message, int(listing), int(flagged)]))

    def run_over(self) -> bool:
        """The run this process joined was recorded by another (it was taken for dead meanwhile)."""
        current = self.server.get(self.keys.run)
        return current is None or current.decode() != self.run

    def rejoined(self) -> None:
        """From the heartbeat thread: this process had been taken for dead and is registered again."""
        self.spider.logger.warning(
            "this process was taken for dead (no heartbeat for %s s: stopped or frozen?) and has joined the crawl "
            "again: the requests it had in flight went to other processes, and what it finds on them is not sent",
            self.ttl)

    def lost_from_thread(self, exc: BaseException) -> None:
        from twisted.internet import reactor

        reactor.callFromThread(self.lose, exc)

    def lose(self, exc: BaseException) -> None:
        """Redis is gone: one error line, and the crawl stops (reason ``redis-unavailable``, a failed run)."""
        if self.lost:
            return
        self.lost = f"{type(exc).__name__}: {exc}"
        self.spider.logger.error(
            "Redis at %s unreachable for up to %s s (%s): stopping the crawl; what was sent is kept, and the "
            "requests in flight stay recorded in Redis for the next run", _where(self.url), self.timeout, self.lost)
        self.stats.set_value("fentwatch/redis_lost", 1)
        self.stats.set_value("finish_reason", "redis-unavailable")  # also if the close below has to be cut short
        if self.heart is not None:
            self.heart.stopped.set()
        if not self.closing and self.crawler.engine is not None:
            from scrapy.utils.defer import deferred_from_coro
            from twisted.internet import reactor

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis-unavailable"))
            # Scrapy's close waits for the downloads in flight (up to DOWNLOAD_TIMEOUT): their results could not be
            # sent anyway, so after FENTWATCH_REDIS_TIMEOUT more the process stops without them
            reactor.callLater(self.timeout, self.stop_now)

    def stop_now(self) -> None:
        from twisted.internet import reactor

        if reactor.running:
            self.spider.logger.info("closing took over %s s (downloads in flight): stopping without them", self.timeout)
            # not reactor.stop(): Scrapy's shutdown trigger would wait for those downloads again
            pool = getattr(reactor, "threadpool", None)
            reactor.crash()
            if pool is not None:
                pool.stop()

    def recover(self) -> int:
        """Put the in-flight requests of registered workers without a heartbeat back on the queue."""
        n = 0
        for wid in self.server.smembers(self.keys.workers):
            wid = wid.decode() if isinstance(wid, bytes) else wid
            if wid == self.wid or self.server.exists(self.keys.alive(wid)):
                continue
            moved = int(self.recover_script(keys=[self.keys.requests, self.keys.inflight(wid), self.keys.pushed]))
            self.server.srem(self.keys.workers, wid)
            if moved:
                self.spider.logger.warning("worker %s stopped answering: %d of its requests queued again", wid, moved)
                self.stats.inc_value("fentwatch/recovered", moved)
            n += moved
        return n

    def others_busy(self) -> bool:
        """Another process has requests in flight (a dead one's are recovered first)."""
        if self.recover():
            return True
        workers = [w.decode() if isinstance(w, bytes) else w for w in self.server.smembers(self.keys.workers)]
        pipe = self.server.pipeline(transaction=True)
        for w in workers:
            if w != self.wid:
                pipe.hlen(self.keys.inflight(w))
        pipe.zcard(self.keys.requests)
        *lengths, queued = pipe.execute()
        return queued > 0 or any(lengths)


# counted in Redis when the listing is pushed (``_PUSH``), so a listing fetched again after its process was taken for
# dead is counted once; the process's other figures are added when it closes (``_CLOSE``)
PUSH_COUNTED = frozenset({"fentwatch/listings", "fentwatch/flagged"})


def _encode(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


class RedisItemPipeline:
    """In distributed mode, in place of the store pipeline: each scanned listing becomes one JSON message on the
    items list (``FENTWATCH_REDIS_ITEMS``), if its request is still this process's; at the end the process that
    closes the run adds the crawl's figures. ``fentwatch store-worker`` is the one writer of the store."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.key = crawler.settings.get("FENTWATCH_REDIS_ITEMS", "fentwatch:items")
        self.monitor = crawler.settings.getdict("FENTWATCH_MONITOR")
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider):
        import os

        from store.additions import detector_for

        # the detector DetectPipeline scans with (cached): the store's lexicon additions when the store is local
        self.detector = detector_for(self.crawler.settings.get("FENTWATCH_DB") or os.environ.get("FENTWATCH_DB"))
        self.scheduler = self.crawler.engine._slot.scheduler
        self.server = self.scheduler.server

    def process_item(self, item):
        from scrapy.exceptions import DropItem

        from .items import PageIssue

        scheduler, stats = self.scheduler, self.crawler.stats
        if isinstance(item, PageIssue):  # a page that did not become a listing: the worker records why
            url, listing, flagged = item.url, False, False
            message = {"kind": "issue", "url": item.url, "reason": item.reason, "detail": item.detail,
                       "http_status": item.http_status}
        else:
            a = ItemAdapter(item)
            page = {k: a[k] for k in ("url", "platform", "seller", "title", "text", "price", "http_status", "headers",
                                      "fetched_at", "warnings", "page_kind", "product_name")}
            page["body"] = base64.b64encode(a["body"] or b"").decode("ascii")
            scan = None if a["gone"] else a["scan"]
            url, listing, flagged = a["url"], scan is not None, bool(scan and scan.get("flagged"))
            message = {"kind": "page", "page": page, "scan": scan, "detector_version": self.detector.version,
                       "lexicon_version": self.detector.lex.version}
        if scheduler.lost:
            raise DropItem(f"not sent (no Redis): {url}")
        try:
            sent = scheduler.push(url, self.key, _encode(message), listing, flagged)
        except Exception as exc:
            if not _redis_down(exc):
                raise
            scheduler.lose(exc)
            raise DropItem(f"not sent (no Redis): {url}") from None
        if sent != 1:  # its request was taken from this process (taken for dead): another process sends it
            stats.inc_value("fentwatch/not_sent/" + ("taken-for-dead" if sent == 0 else "sent-before"))
            for key, counted in (("fentwatch/listings", listing), ("fentwatch/flagged", flagged)):
                if counted:
                    stats.inc_value(key, -1)
            spider = self.crawler.spider
            spider.logger.info("not sent: %s (its request went to another process while this one was taken for "
                               "dead)", url)
        return item

    def closed(self, spider, reason):
        """The process whose close ended the run (the scheduler's ``last``) sends the crawl-run record: every
        process's figures added up, the listings as counted when pushed."""
        scheduler = getattr(self, "scheduler", None)
        if scheduler is None or not scheduler.last:
            return
        key = scheduler.keys.stats(scheduler.run)
        try:
            raw = {k.decode(): v.decode() for k, v in self.server.hgetall(key).items()}
            started, reason = raw.pop("_started_at", scheduler.started), raw.pop("_finish_reason", "finished")
            merged = {k: (int(float(v)) if float(v).is_integer() else float(v)) for k, v in raw.items()}
            for k in PUSH_COUNTED:
                merged.setdefault(k, 0)
            pipe = self.server.pipeline(transaction=True)
            pipe.rpush(self.key, _encode({"kind": "run", "spider": spider.name,
                                          "target": ",".join(getattr(spider, "start_urls", [])),
                                          "started_at": started, "stats": merged, "reason": reason,
                                          "monitor": self.monitor}))
            pipe.delete(key)
            pipe.execute()
        except Exception as exc:
            if not _redis_down(exc):
                raise
            spider.logger.error("the crawl's record was not sent: Redis at %s unreachable (%s)",
                                _where(scheduler.url), exc)
