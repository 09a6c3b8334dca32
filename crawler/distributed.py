"""Distributed crawling on Redis: any number of crawler processes, on any number of machines, share one frontier.

Turned on by configuration only: the ``FENTWATCH_REDIS`` setting or environment variable (``redis://HOST:PORT/N``;
``fentwatch crawl --redis URL`` sets it). ``RedisAddon`` (in ``ADDONS``, crawler/settings.py) then swaps in

- ``FrontierScheduler``: scrapy-redis's scheduler and priority queue, keyed by crawl (spider + start URLs), with a
  pop that records the request in this process's in-flight hash in the same atomic step; a request leaves the hash
  only once Scrapy has finished with it (downloaded, parsed, its items pushed, its links queued), and the in-flight
  requests of a process that died (no heartbeat) go back to the queue, so a SIGKILL loses nothing;
- ``BloomDupeFilter``: the seen-request filter as a Bloom filter in Redis, of fixed size (docs/scaling-out.md);
- ``RedisItemPipeline`` in place of the store pipeline: scanned listings, and at the end the crawl's figures, go
  onto a Redis list that ``fentwatch store-worker`` drains into the SQLite store (crawler/ops/worker.py).

Without the setting nothing here runs and redis is never imported.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
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
        self.stats = f"{base}:stats"

    def alive(self, wid: str) -> str:
        return f"{self.base}:alive:{wid}"

    def inflight(self, wid: str) -> str:
        return f"{self.base}:inflight:{wid}"

    def crawl_keys(self) -> list[str]:
        return [self.requests, self.seen, self.seen_count, self.workers]  # stats: read and cleared by the pipeline


# ZPOPMIN the best request and record it in this worker's in-flight hash, in one step: a kill in between loses nothing
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], r[1], r[2])
return r[1]
"""

# a dead worker's in-flight requests back onto the queue, with their priorities
_RECOVER = """
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do redis.call('ZADD', KEYS[1], entries[i + 1], entries[i]) end
redis.call('DEL', KEYS[2])
return #entries / 2
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
        if not seen and not self.warned and self.logger is not None:
            n = int(self.server.get(self.count_key) or 0)
            if n > self.capacity:
                self.warned = True
                self.logger.warning("seen filter holds %d URLs, over its capacity of %d: raise "
                                    "FENTWATCH_REDIS_SEEN_CAPACITY for crawls this size", n, self.capacity)
        return seen

    def log(self, request, spider):
        if self.stats is not None:
            self.stats.inc_value("dupefilter/filtered")

    def clear(self):
        self.server.delete(self.key, self.count_key)


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
        self.prefix = s.get("FENTWATCH_REDIS_PREFIX", "fentwatch")
        self.ttl = s.getfloat("FENTWATCH_REDIS_HEARTBEAT", 10.0)
        self.wid = f"{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.tracked: dict[bytes, object] = {}  # in-flight entry -> the request object the engine holds
        self.loop = None
        self.pop_script = self.server.register_script(_POP)
        self.recover_script = self.server.register_script(_RECOVER)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # --- Scrapy's scheduler interface -------------------------------------------------------------------------
    def open(self, spider):
        from scrapy_redis.queue import PriorityQueue
        from twisted.internet import task

        self.spider = spider
        self.stats = self.crawler.stats
        self.keys = Keys(self.prefix, crawl_name(spider))
        self.queue = PriorityQueue(self.server, spider, self.keys.requests)
        s = self.crawler.settings
        self.df = BloomDupeFilter(self.server, self.keys.seen, self.keys.seen_count,
                                  s.getint("FENTWATCH_REDIS_SEEN_CAPACITY", 10_000_000),
                                  s.getfloat("FENTWATCH_REDIS_SEEN_ERROR_RATE", 1e-6),
                                  self.crawler.request_fingerprinter, self.stats, spider.logger)
        self.inflight = self.keys.inflight(self.wid)
        self.server.sadd(self.keys.workers, self.wid)
        self.beat()
        recovered = self.recover()
        spider.logger.info("distributed crawl %s: worker %s; %d requests queued%s", self.keys.base, self.wid,
                           len(self.queue), f", {recovered} recovered from dead workers" if recovered else "")
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(min(1.0, self.ttl / 3), now=False)

    def close(self, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.settle()
        self.recover()
        done = reason == "finished" and not self.tracked
        pipe = self.server.pipeline(transaction=True)
        if done:
            pipe.delete(self.inflight)
        pipe.delete(self.keys.alive(self.wid))
        pipe.srem(self.keys.workers, self.wid)
        pipe.scard(self.keys.workers)
        pipe.zcard(self.keys.requests)
        *_, others, queued = pipe.execute()
        # the last process of a finished crawl clears its frontier: the next run of the target starts afresh
        self.last = done and others == 0 and queued == 0
        if self.last:
            self.server.delete(*self.keys.crawl_keys())

    def has_pending_requests(self) -> bool:
        if len(self.queue) > 0:
            return True
        return self.others_busy()

    def enqueue_request(self, request) -> bool:
        # start requests go through the filter too: every process of the crawl yields the same start URLs
        filtered = not request.dont_filter or request.meta.get("is_start_request")
        if filtered and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        entry = self.pop_script(keys=[self.keys.requests, self.inflight])
        if entry is None:
            return None
        request = self.queue._decode_request(entry)
        self.tracked[entry] = request
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
                del self.tracked[e]

    def beat(self) -> None:
        self.server.set(self.keys.alive(self.wid), self.wid, px=int(self.ttl * 1000))
        if getattr(self, "spider", None) is None or self.crawler.engine is None:
            return
        self.settle()
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and not self.tracked and len(self.queue):
            slot.nextcall.schedule()  # work queued by another process: take it now, not at the engine's 5 s tick

    def recover(self) -> int:
        """Put the in-flight requests of registered workers without a heartbeat back on the queue."""
        n = 0
        for wid in self.server.smembers(self.keys.workers):
            wid = wid.decode() if isinstance(wid, bytes) else wid
            if wid == self.wid or self.server.exists(self.keys.alive(wid)):
                continue
            moved = int(self.recover_script(keys=[self.keys.requests, self.keys.inflight(wid)]))
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


def _encode(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


class RedisItemPipeline:
    """In distributed mode, in place of the store pipeline: each scanned listing becomes one JSON message on the
    items list (``FENTWATCH_REDIS_ITEMS``); at the end the last process of the crawl adds the crawl's figures.
    ``fentwatch store-worker`` is the one writer of the store."""

    def __init__(self, crawler):
        from scrapy_redis import connection

        self.crawler = crawler
        self.server = connection.from_settings(crawler.settings)
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
        from store.db import now

        self.started = now()
        # the detector DetectPipeline scans with (cached): the store's lexicon additions when the store is local
        self.detector = detector_for(self.crawler.settings.get("FENTWATCH_DB") or os.environ.get("FENTWATCH_DB"))
        self.scheduler = self.crawler.engine._slot.scheduler

    def process_item(self, item):
        from .items import PageIssue

        if isinstance(item, PageIssue):  # a page that did not become a listing: the worker records why
            self.server.rpush(self.key, _encode({"kind": "issue", "url": item.url, "reason": item.reason,
                                                 "detail": item.detail, "http_status": item.http_status}))
            return item
        a = ItemAdapter(item)
        page = {k: a[k] for k in ("url", "platform", "seller", "title", "text", "price", "http_status", "headers",
                                  "fetched_at", "warnings", "page_kind", "product_name")}
        page["body"] = base64.b64encode(a["body"] or b"").decode("ascii")
        detector = self.detector
        self.server.rpush(self.key, _encode({"kind": "page", "page": page, "scan": None if a["gone"] else a["scan"],
                                             "detector_version": detector.version,
                                             "lexicon_version": detector.lex.version}))
        return item

    def closed(self, spider, reason):
        """Add this process's figures to the crawl's (after the scheduler has closed, so it knows whether this was
        the last process of the crawl); the last one sends the crawl-run record."""
        keys = getattr(self.scheduler, "keys", None)
        if keys is None:
            return
        stats = self.crawler.stats.get_stats()
        pipe = self.server.pipeline(transaction=True)
        for k, v in stats.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "elapsed_time_seconds":
                pipe.hincrbyfloat(keys.stats, k, v)
        pipe.hsetnx(keys.stats, "_started_at", self.started)
        if reason != "finished":
            pipe.hset(keys.stats, "_finish_reason", str(reason))
        pipe.execute()
        if not getattr(self.scheduler, "last", False):
            return
        raw = {k.decode(): v.decode() for k, v in self.server.hgetall(keys.stats).items()}
        self.server.delete(keys.stats)
        started, reason = raw.pop("_started_at", self.started), raw.pop("_finish_reason", "finished")
        merged = {k: (int(float(v)) if float(v).is_integer() else float(v)) for k, v in raw.items()}
        self.server.rpush(self.key, _encode({"kind": "run", "spider": spider.name,
                                             "target": ",".join(getattr(spider, "start_urls", [])),
                                             "started_at": started, "stats": merged, "reason": reason,
                                             "monitor": self.monitor}))
