"""Distributed mode's liveness, with real parts: a real redis-server, real crawler processes sharing one frontier
against the demo marketplace on 127.0.0.1, a real store worker writing a real SQLite store.

What must hold (crawler/distributed.py, docs/scaling-out.md):
1. a crawler whose event loop is blocked longer than its heartbeat is not taken for dead (the heartbeat is a thread);
2. a crawler that was taken for dead (SIGSTOP longer than the heartbeat, then SIGCONT) sends nothing for the requests
   taken from it, and the crawl is recorded once, with the site's listings;
3. Redis killed mid-crawl: the crawler stops with one clear error line and exit status 1; what was stored stays.

No test waits on the machine's speed: the site server holds answers at a barrier that knows which process asks (by
its User-Agent), the stall is a hook that blocks the event loop until the test says so, and the SIGSTOPped process
is continued only once its requests have been seen recovered in Redis. No test waits a fixed span either: the
blocked loop is released once the other process, idle, has checked the subject's heartbeat after the time its key
would have lapsed had the loop been what beats it (Redis's count of EXISTS commands: only a crawler's check of
another's heartbeat sends one)."""

import functools
import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer, _Handler
from crawler.demo.site import LABELS, build_site, corpus_listings
from gates import Gate, deep
from warmrun import WARM_FENTWATCH, command_pid, warm_with_pid

# the subject's heartbeat is short (its requests would be recovered 2 s after its last beat; 3 s where it must not
# lapse: its thread beats every second, independently of the blocked event loop, so a lapse needs the whole process
# (or Redis) to get no turn for 2 s, which a loaded machine does not cause; the blocked loop lasts only until the
# other process has checked the subject after those 3 s). The other process is not the subject: a long heartbeat,
# as in test_distributed.py. Both are forked warm (warmrun.py): a real process each, the subject's own pid signalled.
SUBJECT_HEARTBEAT, STALLED_HEARTBEAT, OTHER_HEARTBEAT = 2, 3, 30
SHARED = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS=2", "--set", "LOG_LEVEL=INFO",
          "--set", "DOWNLOAD_TIMEOUT=600"]
WAIT = 240  # the longest any step may take before the test fails (it never decides an outcome)


# -- the site, its server, and a barrier that knows who asks ----------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    listings = corpus_listings(12)
    root = tmp_path_factory.mktemp("lsite")
    build_site(root, listings, oversized_mb=6)
    labels = {json.loads(x)["id"]: json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines()}
    return root, {x["id"]: labels[x["id"]]["flag"] for x in listings}


class AgentGate(Gate):
    """``allow(path, agent)``: the barrier of tests/gates.py, told which crawler asks (its User-Agent)."""

    def wait(self, path: str, agent: str = "") -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.allow(path, agent):
                    return
            time.sleep(0.02)


class _AgentHandler(_Handler):
    def do_GET(self):  # noqa: N802
        self.server.gate.wait(self.path, self.headers.get("User-Agent", ""))
        super().do_GET()


def agent_server(root, gate: AgentGate) -> DemoServer:
    server = DemoServer(root)
    server.httpd.RequestHandlerClass = functools.partial(_AgentHandler, directory=str(root))
    server.httpd.gate = gate
    return server


class Crawl:
    """The crawl's state in Redis, as the tests observe it."""

    def __init__(self, url: str):
        import redis

        self.r = redis.Redis.from_url(url)

    def base(self) -> str | None:
        keys = list(self.r.scan_iter("fentwatch:crawl:*:run"))
        return keys[0].decode().rsplit(":", 1)[0] if keys else None

    def workers(self) -> set[str]:
        return {w.decode() for key in self.r.scan_iter("fentwatch:crawl:*:workers") for w in self.r.smembers(key)}

    def worker_of(self, pid: int) -> str | None:
        return next((w for w in self.workers() if f"-{pid}-" in w), None)

    def alive(self, wid: str) -> bool:  # (GET, not EXISTS: see checks)
        return self.r.get(f"{self.base()}:alive:{wid}") is not None

    def checks(self) -> int:
        """EXISTS commands Redis has run: a crawler sends one for each other worker whose heartbeat it checks
        (``FrontierScheduler.recover``), and nothing else of the crawl, nor this class, sends any."""
        return int(self.r.info("commandstats").get("cmdstat_exists", {}).get("calls", 0))

    def inflight(self, wid: str) -> int:
        return self.r.hlen(f"{self.base()}:inflight:{wid}")

    def queued(self) -> int:
        return self.r.zcard(f"{self.base()}:requests")


def until(condition, what: str, every: float = 0.05):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up waiting: {what}")


def agent(name: str) -> list[str]:
    return ["--set", f"USER_AGENT=fentwatch-test {name} (+https://example.com/)"]


def subject(url, redis_url, pid_file, extra=(), heartbeat=SUBJECT_HEARTBEAT):
    """The crawler the test stops or stalls, forked warm with its own pid (SIGSTOP and SIGCONT go to the crawl
    process itself, not the client): (client, crawl process's pid). The stall hook is importable there (the zygote
    runs from tests/)."""
    proc = subprocess.Popen(warm_with_pid(pid_file) + ["crawl", url, "--redis", redis_url] + SHARED
                            + agent("subject") + ["--set", f"FENTWATCH_REDIS_HEARTBEAT={heartbeat}"] + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, command_pid(pid_file, proc)


def other(url, redis_url, extra=(), heartbeat=OTHER_HEARTBEAT):
    return subprocess.Popen(WARM_FENTWATCH + ["crawl", url, "--redis", redis_url] + SHARED + agent("other")
                            + ["--set", f"FENTWATCH_REDIS_HEARTBEAT={heartbeat}"] + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def store_worker(redis_url, db, idle=None):
    args = WARM_FENTWATCH + ["store-worker", "--redis", redis_url, "--db", str(db), "--batch", "5"]
    if idle is not None:
        args += ["--exit-when-idle", str(idle)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def reaped():
    """The crawlers a test starts (appended here): those still running when it ends (an assertion failed while one
    was blocked or stopped) are killed, so nothing is left behind (a warm command's zygote would wait on it)."""
    procs = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()  # a warm client: its zygote then kills the command, stopped or not
            proc.communicate(timeout=60)


def finish(proc, timeout=WAIT):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    return out, err


def recorded_once(db_file, truth):
    """The store after the crawl: every listing once, the crawl recorded once with the site's listings."""
    db = sqlite_utils.Database(db_file)
    rows = list(db.query("select url, flagged, times_seen from listings"))
    stems = [Path(r["url"]).stem for r in rows]
    assert sorted(stems) == sorted(truth), f"missing {sorted(set(truth) - set(stems))}, twice {Counter(stems)}"
    assert {Path(r["url"]).stem: bool(r["flagged"]) for r in rows} == truth
    assert [r["url"] for r in rows if r["times_seen"] != 1] == []  # no listing sent twice
    assert db["snapshots"].count == len(truth)
    runs = list(db.query("select * from crawl_runs"))
    assert len(runs) == 1, runs
    assert runs[0]["status"] == "finished" and runs[0]["listings"] == len(truth), runs[0]
    assert runs[0]["flagged"] == sum(truth.values())


# -- the stall hook: a downloader middleware that blocks the event loop -----------------------------------------------

class StallOnce:
    """Test-only (``LIVENESS_STALL_DIR``): on the first listing page's response, write ``stalled`` there and block the
    event loop (a synchronous wait, as a long parse or a JVM start would) until the test writes ``go``."""

    def __init__(self, folder: str):
        self.folder, self.done = Path(folder), False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("LIVENESS_STALL_DIR"))

    def process_response(self, request, response):
        if not self.done and deep(urlsplit(request.url).path):
            self.done = True
            (self.folder / "stalled").write_text(request.url)
            while not (self.folder / "go").exists():
                time.sleep(0.05)  # blocks the event loop: nothing else of this process's crawl runs
        return response


def stall_settings(folder: Path) -> list[str]:
    from crawler.settings import DOWNLOADER_MIDDLEWARES

    middlewares = {**DOWNLOADER_MIDDLEWARES, "test_distributed_liveness.StallOnce": 950}
    return ["--set", f"DOWNLOADER_MIDDLEWARES={json.dumps(middlewares)}", "--set", f"LIVENESS_STALL_DIR={folder}"]


def test_a_crawler_whose_event_loop_is_blocked_longer_than_its_heartbeat_is_not_taken_for_dead(site, redis_url,
                                                                                                tmp_path, reaped):
    root, truth = site
    crawl = Crawl(redis_url)
    joined = [False]
    hook = tmp_path / "hook"
    hook.mkdir()

    def allow(path, agent):  # nothing is answered before both processes have registered
        joined[0] = joined[0] or len(crawl.workers()) >= 2
        # and the other process gets no listing page before the subject has one and is blocked on it: else the
        # other could take every listing page first, and the subject would never block (one run of 20 waited in vain)
        return joined[0] and not ("other" in agent and deep(urlsplit(path).path) and not (hook / "stalled").exists())

    with agent_server(root, AgentGate(allow, timeout=WAIT)) as server:
        url = f"{server.url}/index.html"
        a, a_pid = subject(url, redis_url, tmp_path / "a.pid", stall_settings(hook), heartbeat=STALLED_HEARTBEAT)
        b = other(url, redis_url)
        reaped += [a, b]
        until(lambda: (hook / "stalled").exists(), "the subject's event loop blocked")
        wid = until(lambda: crawl.worker_of(a_pid), "the subject registered")
        # the loop was blocked before this moment: had it been what beats, the subject's alive key would be gone a
        # heartbeat from now. It stays blocked until the other process has done all the rest and, idle, waiting on
        # the subject, has checked the subject's heartbeat after that (an EXISTS counted after ``mark``):
        # meanwhile the subject is alive all along
        lapsed = time.monotonic() + STALLED_HEARTBEAT
        mark = None
        while True:
            assert crawl.alive(wid) and wid in crawl.workers(), "a process with a blocked event loop taken for dead"
            assert crawl.inflight(wid) >= 1  # its request is still its own
            if mark is not None and crawl.checks() > mark:
                break
            others = crawl.workers() - {wid}
            idle = crawl.queued() == 0 and len(others) == 1 and crawl.inflight(others.pop()) == 0
            if mark is None and idle and time.monotonic() > lapsed:
                mark = crawl.checks()
            assert time.monotonic() < lapsed + WAIT, "the other process never became idle, or never checked"
            time.sleep(0.05)
        assert crawl.alive(wid) and crawl.inflight(wid) >= 1  # after that check too
        (hook / "go").touch()
        (out_a, err_a), (out_b, err_b) = finish(a), finish(b)
        requested = list(server.requests)
    counts = Counter(p for p in requested if p != "/robots.txt")  # robots.txt: once per process, by design
    assert [p for p, n in counts.items() if n > 1] == []  # every page fetched once: nothing was recovered
    assert "stopped answering" not in err_a + err_b and "taken for dead" not in err_a
    db_file = tmp_path / "stall.db"
    finish(store_worker(redis_url, db_file, idle=0.5))
    recorded_once(db_file, truth)


def test_a_crawler_taken_for_dead_and_continued_sends_nothing_twice_and_the_crawl_is_recorded_once(site, redis_url,
                                                                                                   tmp_path, reaped):
    root, truth = site
    crawl = Crawl(redis_url)
    state = {"joined": False, "served": 0, "held": set(), "released": False}

    def allow(path, agent):
        state["joined"] = state["joined"] or len(crawl.workers()) >= 2
        if not state["joined"]:
            return False
        if "subject" not in agent or Path(path).stem not in truth or state["released"]:
            return True
        if state["served"] < 2:  # the subject sends two listings of its own, then its listing pages are held
            state["served"] += 1
            return True
        state["held"].add(path)
        return False

    gate = AgentGate(allow, timeout=WAIT)
    with agent_server(root, gate) as server:
        url = f"{server.url}/index.html"
        a, a_pid = subject(url, redis_url, tmp_path / "a.pid")
        b = other(url, redis_url)
        reaped += [a, b]
        until(lambda: state["held"], "a request of the subject held at the site")
        wid = until(lambda: crawl.worker_of(a_pid), "the subject registered")
        os.kill(a_pid, signal.SIGSTOP)  # longer than its heartbeat: the other process takes it for dead ...
        until(lambda: wid not in crawl.workers() and crawl.inflight(wid) == 0, "the subject's requests recovered")
        with gate.lock:
            held = set(state["held"])
        # ... and fetches the subject's held pages itself; then the subject is continued, and its pages answered
        until(lambda: all(server.requests.count(p) >= 1 for p in held), "the held pages fetched by the other")
        os.kill(a_pid, signal.SIGCONT)
        with gate.lock:
            state["released"] = True
        (out_a, err_a), (out_b, err_b) = finish(a), finish(b)
        requested = list(server.requests)
    assert held and all(requested.count(p) == 2 for p in held)  # fetched by both: the stale one and the other
    assert "taken for dead" in err_a and "not sent: " in err_a
    assert "stopped answering" in err_b
    db_file = tmp_path / "stop.db"
    finish(store_worker(redis_url, db_file, idle=0.5))
    recorded_once(db_file, truth)
    assert crawl.r.keys("fentwatch:crawl:*") == []  # nothing of the crawl left behind, by either process


# -- Redis gone -------------------------------------------------------------------------------------------------------

@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, to kill mid-crawl."""
    import redis

    from conftest import _install_redis
    from ports import serve_on_free_port

    binary = _install_redis()

    def launch(port):
        return subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
                                 "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    proc, port = serve_on_free_port(launch, lambda port: redis.Redis(port=port).ping(), "redis-server")
    yield proc, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=20)


# FENTWATCH_REDIS_TIMEOUT for this test: the crawler must stop well within a minute. Its Redis calls get a quarter of
# it per try (0.75 s, four tries): a local redis-server answers in well under a millisecond, and even on a machine
# loaded ten times over its cores a process waits tens of milliseconds for its turn, not most of a second
REDIS_TIMEOUT = 3


def test_redis_killed_mid_crawl_stops_the_crawler_with_one_clear_error_and_keeps_what_was_stored(site, own_redis,
                                                                                                   tmp_path):
    root, truth = site
    proc, redis_url = own_redis
    crawl = Crawl(redis_url)
    state = {"served": 0, "held": set(), "released": False}

    def allow(path, agent):  # five listing pages, then no listing page until Redis is gone
        if Path(path).stem not in truth or state["released"]:
            return True
        if state["served"] < 5:
            state["served"] += 1
            return True
        state["held"].add(path)
        return False

    gate = AgentGate(allow, timeout=WAIT)
    db_file = tmp_path / "gone.db"
    with agent_server(root, gate) as server:
        a = other(f"{server.url}/index.html", redis_url, ["--set", f"FENTWATCH_REDIS_TIMEOUT={REDIS_TIMEOUT}"],
                  heartbeat=SUBJECT_HEARTBEAT)
        w = store_worker(redis_url, db_file)

        def stored():
            if not db_file.exists() or "listings" not in sqlite_utils.Database(db_file).table_names():
                return 0
            return sqlite_utils.Database(db_file)["listings"].count

        until(lambda: stored() >= 5, "five listings stored")
        until(lambda: state["held"], "the crawl under way, a request held at the site")
        before = {r["url"] for r in sqlite_utils.Database(db_file).query("select url from listings")}
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)
        killed = time.monotonic()
        try:
            out, err = a.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            a.kill()
            raise AssertionError("the crawler did not stop: " + a.communicate()[1][-4000:]) from None
        took = time.monotonic() - killed
        with gate.lock:
            state["released"] = True
        w.communicate(timeout=WAIT)  # the store worker ends too (Redis is gone)
    assert a.returncode == 1, err[-3000:]
    lines = [line for line in err.splitlines() if "Redis at 127.0.0.1:" in line]
    assert len(lines) == 1 and "ERROR" in lines[0] and "stopping the crawl" in lines[0], err[-3000:]
    assert "crawl failed" in err and "redis-unavailable" in err
    assert took < 2 * REDIS_TIMEOUT + 30, took  # stopped within its bound (and the process's exit), not minutes
    after = {r["url"] for r in sqlite_utils.Database(db_file).query("select url from listings")}
    assert before <= after and len(before) >= 5  # nothing already stored was lost


# -- the Lua steps themselves, on a real redis-server ------------------------------------------------------------------

def test_a_listing_pushed_before_its_process_was_taken_for_dead_is_not_sent_again_by_the_next(redis_url):
    """The one window the SIGSTOP test cannot open on purpose: the listing pushed, the request not yet settled, then
    the process taken for dead. The request goes back on the queue remembered as pushed; whoever fetches it again
    sends nothing, and the run counts the listing once."""
    import redis

    from crawler.distributed import _PUSH, _RECOVER, Keys

    r = redis.Redis.from_url(redis_url)
    k, run, entry = Keys("fentwatch", "t"), "run-1", b"request-entry"
    r.set(k.run, run)
    push, recover = r.register_script(_PUSH), r.register_script(_RECOVER)

    def send(wid, listing=1):
        return push(keys=[k.inflight(wid), "items", k.stats(run), k.pushed, k.run],
                    args=[entry, run, "msg", listing, listing])

    assert send("a") == 0  # not in a's hash: not sent
    r.hset(k.inflight("a"), entry, 5)
    assert send("a", listing=0) == 1 and r.hget(k.inflight("a"), entry) == b"5"  # a page issue: not marked
    assert send("a") == 1 and r.hget(k.inflight("a"), entry) == b"5|p"  # the listing: marked as pushed
    assert send("a") == 2  # one listing a page: the same request fetched again here (it came back) sends nothing
    assert recover(keys=[k.requests, k.inflight("a"), k.pushed]) == 1  # a taken for dead
    assert r.zscore(k.requests, entry) == 5 and r.sismember(k.pushed, entry)
    r.zrem(k.requests, entry)
    r.hset(k.inflight("b"), entry, 5)  # b takes it
    assert send("b") == 2 and r.llen("items") == 2  # its listing is not sent again ...
    assert send("b", listing=0) == 1  # ... its page issue is (a log line more; no listing held back)
    assert send("a") == 0  # a, continued, no longer holds it
    assert r.hget(k.stats(run), "fentwatch/listings") == b"1"  # the listing counted once
    r.set(k.run, "run-2")  # a new run of the target: nothing of the old one is sent into it
    r.hset(k.inflight("b"), entry, 5)
    assert send("b") == 0


def test_of_two_processes_that_each_believe_they_are_last_only_one_records_the_crawl(redis_url):
    import redis

    from crawler.distributed import _CLOSE, Keys

    r = redis.Redis.from_url(redis_url)
    k, run = Keys("fentwatch", "t"), "run-1"
    r.set(k.run, run)
    close = r.register_script(_CLOSE)
    keys = [k.run, k.stats(run), k.inflight("a"), k.alive("a"), k.workers, k.requests, k.seen, k.seen_count, k.pushed]

    def finish(wid):
        ks = list(keys)
        ks[2], ks[3] = k.inflight(wid), k.alive(wid)
        return close(keys=ks, args=[run, wid, 1, "2026-01-01T00:00:00", "", "response_received_count", "3"])

    r.sadd(k.workers, "b")  # b still registered when a closes: a is not last
    assert finish("a") == 0
    assert finish("b") == 1  # b is, and clears the frontier and the run id
    assert r.hget(k.stats(run), "response_received_count") == b"6"
    assert finish("a") == 0  # a, taken for dead and closing again later, finds the run over
    assert r.hget(k.stats(run), "response_received_count") == b"6"  # and adds nothing to it
    assert not r.exists(k.run, k.workers, k.requests)
