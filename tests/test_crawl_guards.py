"""Crawl budgets, the trap guard, the address guard's gaps, robots.txt that does not answer, and Scrapy's
remote-control endpoint (issue 16, items 3, 6 and 7): real crawls of pages served on 127.0.0.1."""

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlite_utils

from crawler.budgets import CrawlBudget, url_pattern
from crawler.middlewares import AddressGuard, internal, resolve
from crawler.ops.schedule import Scheduler, load_config
from warmrun import WARM_FENTWATCH, warm_launches

FENTWATCH = WARM_FENTWATCH  # forked from a warm process (warmrun.py)
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set",
        "LOG_LEVEL=WARNING"]
CRAWL_TIMEOUT = 300  # test-side bound: today's code crawls the calendar until this kills it
OFFER = ("<h1>{title}</h1><table><tr><td>Purity</td><td>99%</td></tr><tr><td>Package</td><td>1 kg foil bag</td></tr>"
         "</table><p>Contact: +00 000 0000, sales@example.com</p>")
ORDERS = ("price", "name", "date", "popularity")


def page(body: str, title: str = "Page") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def send(self, body: bytes, status: int = 200, ctype: str = "text/html; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def do_GET(self):  # noqa: N802
        self.server.requests.append(self.path)
        self.serve(urlsplit(self.path).path, dict(parse_qsl(urlsplit(self.path).query)))


class Traps(Handler):
    """A shop whose URL space never ends: a calendar, session ids, sort orders, a relative-link loop."""

    def serve(self, path, q):
        if path == "/robots.txt":
            return self.send(b"User-agent: *\nAllow: /\n", ctype="text/plain")
        if path == "/index.html":
            links = ["/calendar?month=2026-11", "/shop?sid=1", "/list?page=1", "/loop/", "/offer.html",
                     f"http://127.0.0.1:{self.server.other_port}/internal-admin.html"]  # the start host, other port
            return self.send(page("".join(f"<a href='{u}'>{u}</a> " for u in links)))
        if path == "/go-invalid":  # a start URL that redirects to a host that does not resolve (RFC 6761)
            self.send_response(302)
            self.send_header("Location", "http://fentwatch-test-host.invalid/offer.html")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if path == "/calendar":  # every month links the next and the previous one, each with offer text
            y, m = map(int, q["month"].split("-"))
            prev = f"{y - (m == 1)}-{12 if m == 1 else m - 1:02d}"
            nxt = f"{y + (m == 12)}-{1 if m == 12 else m + 1:02d}"
            return self.send(page(OFFER.format(title=f"Fentanyl citrate, events of {y}-{m:02d}")
                                  + f"<a href='/calendar?month={prev}'>prev</a> <a href='/calendar?month={nxt}'>next</a>"))
        if path == "/shop":  # the same page again and again under a new session id
            sid = int(q["sid"])
            return self.send(page(f"<a href='/shop?sid={sid + 1}'>shop</a> <a href='/offer.html'>offer</a>"))
        if path == "/list":  # every list page linked in every sort order
            n = int(q["page"])
            links = [f"/list?page={p}&sort={o}" for p in (n, n + 1) if p <= 3 for o in ORDERS]
            return self.send(page("".join(f"<a href='{u}'>{u}</a> " for u in links)))
        if path.startswith("/loop/"):  # a relative link that grows the path forever
            return self.send(page("<a href='more/'>more</a>"))
        if path == "/offer.html":
            return self.send(page(OFFER.format(title="Fentanyl citrate, in stock"), "Fentanyl citrate"))
        return self.send(b"not found", status=404)


class Internal(Handler):
    def serve(self, path, q):
        self.send(b"internal admin")


class Robots(Handler):
    """robots.txt answers ``robots`` (a status, or "hang" for no answer); every other page is an offer."""

    def serve(self, path, q):
        if path == "/robots.txt":
            if self.server.robots == "hang":
                self.server.release.wait(20)
                return self.send(b"User-agent: *\nAllow: /\n", ctype="text/plain")
            return self.send(b"Service unavailable", status=self.server.robots, ctype="text/plain")
        return self.send(page(OFFER.format(title="Fentanyl citrate, in stock"), "Fentanyl citrate"))


class Server:
    def __init__(self, handler, **attrs):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.httpd.handle_error = lambda *a: None
        for k, v in attrs.items():
            setattr(self.httpd, k, v)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def paths(self, prefix=""):
        return [p for p in self.httpd.requests if p.startswith(prefix)]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def crawl(args, db_file, timeout=CRAWL_TIMEOUT):
    return subprocess.run(FENTWATCH + ["crawl", *args, "--db", str(db_file)] + FAST, capture_output=True, text=True,
                          timeout=timeout)


def issues(db_file):
    out = {}
    for r in sqlite_utils.Database(db_file).query("select url, reason, detail from page_issues"):
        out.setdefault(r["reason"], []).append((r["url"], r["detail"]))
    return out


def run_stats(db_file):
    (row,) = sqlite_utils.Database(db_file).query("select stats from crawl_runs")
    return json.loads(row["stats"])


# --- the trap crawl ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory):
    other = Server(Internal)
    site = Server(Traps, other_port=other.httpd.server_address[1])
    db_file = tmp_path_factory.mktemp("traps") / "traps.db"
    try:
        proc = crawl([f"{site.url}/index.html", f"{site.url}/go-invalid"], db_file)
    finally:
        site.close()
        other.close()
    return proc, db_file, site, other


def test_the_trap_crawl_ends_by_itself(trap_crawl):
    proc, db_file, site, _ = trap_crawl
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    offer = list(sqlite_utils.Database(db_file).query("select flagged from listings where url like '%/offer.html'"))
    assert offer == [{"flagged": 1}]  # the real listing is still found


def test_a_calendar_is_cut_after_its_pattern_repeats_and_the_cut_is_recorded(trap_crawl):
    _, db_file, site, _ = trap_crawl
    months = site.paths("/calendar")
    assert 50 <= len(months) <= 2 * 50 + 1  # 50 repeats forward and back from the first month
    cut = issues(db_file)["url-pattern-repeats"]
    assert cut and all("/calendar?month=" in url for url, _ in cut)
    assert "repeats more than FENTWATCH_TRAP_MAX_REPEATS (50)" in cut[0][1]
    assert run_stats(db_file)["fentwatch/cut/url-pattern-repeats"] >= 2


def test_session_ids_and_sort_orders_are_followed_once(trap_crawl):
    _, db_file, site, _ = trap_crawl
    assert site.paths("/shop") == ["/shop?sid=1"]
    lists = site.paths("/list")
    pages = [dict(parse_qsl(urlsplit(p).query))["page"] for p in lists]
    assert sorted(pages) == ["1", "2", "3"]  # each list page once, in one sort order
    found = issues(db_file)
    assert found["session-id"] and found["sort-order"]
    stats = run_stats(db_file)
    assert stats["fentwatch/cut/session-id"] >= 1 and stats["fentwatch/cut/sort-order"] >= 4


def test_a_relative_link_loop_is_cut(trap_crawl):
    _, db_file, site, _ = trap_crawl
    assert max(p.count("more") for p in site.paths("/loop/")) == 3
    assert issues(db_file)["repeated-path-segment"]


def test_the_start_hosts_other_ports_and_unresolvable_hosts_are_refused(trap_crawl):
    _, db_file, _, other = trap_crawl
    assert other.httpd.requests == []  # /internal-admin.html on the start host's other port was not fetched
    blocked = {url: detail for url, detail in issues(db_file)["blocked-address"]}
    admin = next(d for u, d in blocked.items() if u.endswith("/internal-admin.html"))
    assert "not a start URL's host and port" in admin
    assert blocked["http://fentwatch-test-host.invalid/offer.html"] == "fentwatch-test-host.invalid does not resolve"


# --- budgets per scheduler target ----------------------------------------------------------------------------------

def test_a_scheduler_targets_settings_set_the_budget(tmp_path, monkeypatch):
    import crawler.ops.schedule as schedule

    launched = warm_launches(monkeypatch, schedule)  # the scheduler's own launch, the crawl forked from a warm process
    other = Server(Internal)
    site = Server(Traps, other_port=other.httpd.server_address[1])
    config = tmp_path / "crawls.toml"
    config.write_text(f"[[target]]\nname = 'traps'\nurls = ['{site.url}/index.html']\ncron = '* * * * *'\n"
                      "settings = { FENTWATCH_MAX_PAGES = 6, DEPTH_LIMIT = 3, AUTOTHROTTLE_ENABLED = false }\n")
    _, targets = load_config(config)
    db_file = tmp_path / "budget.db"
    try:
        proc = Scheduler(targets, str(db_file), log=lambda m: None).launch(targets[0])
        assert proc.wait(timeout=CRAWL_TIMEOUT) == 0 and len(launched) == 1
    finally:
        site.close()
        other.close()
    assert len([p for p in site.httpd.requests if p != "/robots.txt"]) <= 6
    found = issues(db_file)
    assert found["page-budget"] and "reached FENTWATCH_MAX_PAGES (6) pages" in found["page-budget"][0][1]
    assert run_stats(db_file)["fentwatch/cut/page-budget"] >= 1


def budget(**settings):
    from scrapy.utils.test import get_crawler

    base = {"FENTWATCH_TRAP_SESSION_PARAMS": ["sid", "aspsessionid*"], "FENTWATCH_TRAP_ORDER_PARAMS": ["sort"]}
    crawler = get_crawler(settings_dict={**base, **settings})
    return CrawlBudget(crawler, crawler.settings)


def test_budget_rules_table():
    b = budget(DEPTH_LIMIT=2, FENTWATCH_MAX_PAGES_PER_HOST=2, FENTWATCH_MAX_PAGES=3,
               FENTWATCH_TRAP_MAX_SEGMENT_REPEATS=3)
    assert b.check("http://a.test/1", 3, {}) == "depth-limit"
    assert b.check("http://a.test/1", 2, {}) is None
    assert b.check("http://a.test/1#top", 2, {}) is None  # a duplicate is left to Scrapy's filter, not counted
    assert b.check("http://a.test/1;jsessionid=ABC", 1, {}) == "session-id"
    assert b.check("http://a.test/1?ASPSESSIONIDQQGGQGPC=XYZ", 1, {}) == "session-id"
    assert b.check("http://a.test/x/y/x/y/x/y/x/", 1, {}) == "repeated-path-segment"
    assert b.check("http://a.test/2?sort=asc", 1, {}) is None  # the first sort order of a page is followed
    assert b.check("http://a.test/2?sort=desc", 1, {}) == "sort-order"
    assert b.check("http://a.test/2", 1, {}) is None  # the plain URL is a duplicate of what was followed
    assert b.check("http://a.test/3", 1, {}) == "host-budget"
    assert b.check("http://b.test/1", 1, {}) is None
    assert b.check("http://c.test/1", 1, {}) == "page-budget"
    assert b.pages == 3


def test_url_patterns():
    assert url_pattern("http://a.test/calendar?month=2026-11") == url_pattern("http://a.test/calendar?month=2031-02")
    assert url_pattern("http://a.test/events/november-2026/") == url_pattern("http://a.test/events/dec-2027/")
    assert url_pattern("http://a.test/list?b=2&a=1") == url_pattern("http://a.test/list?a=7&b=9")
    assert url_pattern("http://a.test/product/12.html") != url_pattern("http://a.test/list/12.html")


# --- the address guard's gaps --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, blocked", [
    ("http://[2002:7f00:1::]/", "internal address"),             # 6to4 wrapping 127.0.0.1
    ("http://[2002:5db8:d70e::1]/", "internal address"),         # 6to4 wrapping a public address: still a tunnel
    ("http://[64:ff9b::7f00:1]/", "internal address"),           # NAT64 (RFC 6052) wrapping 127.0.0.1
    ("http://[64:ff9b::a00:5]:8080/", "internal address"),       # NAT64 wrapping 10.0.0.5
    ("http://[64:ff9b:1::1]/", "internal address"),              # local-use NAT64 (RFC 8215)
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "internal address"),  # Teredo
    ("http://[::127.0.0.1]/", "internal address"),               # IPv4-compatible (deprecated)
    ("http://[100::1]/", "internal address"),                    # discard-only
    ("http://[3fff::1]/", "internal address"),                   # documentation (RFC 9637)
    ("http://192.88.99.1/", "internal address"),                 # the deprecated 6to4 relay anycast
    ("http://198.18.0.1/", "internal address"),                  # benchmarking
    ("http://192.0.2.10/", "internal address"),                  # documentation
    ("http://255.255.255.255/", "internal address"),             # broadcast
    ("http://fentwatch-test-host.invalid/", "does not resolve"),  # RFC 6761: never resolves
    ("http://127.0.0.1:99999/", "invalid port"),
    ("http://127.0.0.1:8000/", None),                            # the start URL's host and port
    ("http://127.0.0.1/", "not a start URL's host and port (80)"),  # ... not its other ports
    ("http://[::ffff:93.184.215.14]/", None),                    # a public IPv4 address written as IPv6
    ("http://[2a00:1450:4001:82a::200e]/", None),                # a public IPv6 address
])
def test_address_guard_gaps(url, blocked):
    from scrapy.utils.test import get_crawler

    guard = AddressGuard.from_crawler(get_crawler())
    guard.allow_start_urls(["http://127.0.0.1:8000/index.html"])
    why = guard.refusal(url)
    assert (why is None) if blocked is None else (why is not None and blocked in why), why


def test_special_ranges_are_internal_by_every_address_of_a_name():
    assert internal(resolve("2002:7f00:1::")[0]) and not internal(resolve("93.184.215.14")[0])


# --- robots.txt that does not answer, and the remote-control endpoint ----------------------------------------------

@pytest.fixture(scope="module")
def robots_crawl(tmp_path_factory):
    servers = {name: Server(Robots, robots=robots, release=threading.Event())
               for name, robots in (("503", 503), ("hang", "hang"), ("404", 404))}
    db_file = tmp_path_factory.mktemp("robots") / "robots.db"
    # "nothing" is a robots.txt that outlasts the download timeout, twice (one retry): 1.5 s each, the crawl's
    # longest wait. The other hosts answer at once; one of their answers slower than that (a starved machine) is
    # retried too, so the short timeout decides nothing else
    try:
        proc = subprocess.run(
            FENTWATCH + ["crawl", *(f"{s.url}/offer-{n}.html" for n, s in servers.items()), "--db", str(db_file),
                         "--set", "DOWNLOAD_TIMEOUT=1.5", "--set", "RETRY_TIMES=1", "--set",
                         "AUTOTHROTTLE_ENABLED=False", "--set", "LOG_LEVEL=INFO"],
            capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    finally:
        for s in servers.values():
            s.httpd.release.set()
            s.close()
    return proc, db_file, servers


def test_robots_txt_answering_5xx_or_nothing_disallows_the_host_and_is_recorded(robots_crawl):
    proc, db_file, servers = robots_crawl
    # the crawl runs to its end; two of its three hosts answered robots.txt with 503 or nothing, so the crawl
    # monitor judges the run failed for its error rate, and the exit status says so (issue 17)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "error rate" in proc.stdout + proc.stderr
    for name in ("503", "hang"):
        assert set(servers[name].httpd.requests) == {"/robots.txt"}, name  # retried, then nothing else
    refused = {url.rsplit("/", 1)[-1]: detail for url, detail in issues(db_file)["robots-unreachable"]}
    assert set(refused) == {"offer-503.html", "offer-hang.html"}
    assert "answered 503" in refused["offer-503.html"] and "RFC 9309" in refused["offer-503.html"]
    assert "could not be fetched" in refused["offer-hang.html"]
    assert run_stats(db_file)["fentwatch/robots/unreachable"] == 2


def test_robots_txt_answering_404_still_allows_everything(robots_crawl):
    _, db_file, servers = robots_crawl
    assert "/offer-404.html" in servers["404"].httpd.requests
    assert [r["url"] for r in sqlite_utils.Database(db_file).query("select url from listings")] == \
        [f"{servers['404'].url}/offer-404.html"]


def test_no_remote_control_endpoint_runs_during_a_crawl(robots_crawl):
    proc, _, _ = robots_crawl
    enabled = proc.stderr.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "CoreStats" in enabled  # the list is there and was read
    assert "RemoteControl" not in enabled and "TelnetConsole" not in enabled
