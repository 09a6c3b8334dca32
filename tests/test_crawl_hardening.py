"""Real crawls against hostile pages served on 127.0.0.1: each bad page is recorded with its reason and the crawl
goes on; the address guard; SIGKILL at random points and resume; a store that cannot be written; payloads."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.demo.site import build_site, corpus_listings
from crawler.middlewares import AddressGuard, internal, resolve
from clirun import fentwatch
from gates import Gate, deep, gated_server
from warmrun import WARM_FENTWATCH, command_pid, warm_with_pid

FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set",
        "LOG_LEVEL=WARNING"]
LISTING = ("<html><head><title>{title}</title></head><body><h1>{title}</h1><table><tr><td>CAS No.</td><td>{cas}</td>"
           "</tr><tr><td>Purity</td><td>99%</td></tr><tr><td>Package</td><td>1 kg foil bag</td></tr></table>"
           "<p>Contact: +00 000 0000, sales@example.com</p></body></html>")
GBK = ("<html><head><meta charset='utf-8'><title>芬太尼 现货</title></head><body><h1>芬太尼 现货</h1><p>纯度: 99%</p>"
       "<p>CAS号: 437-38-7</p><p>包装: 1公斤 铝箔袋</p><p>价格: 面议</p></body></html>").encode("gbk")
HUGE = 50 * 1024 * 1024


class Hostile(BaseHTTPRequestHandler):
    """Pages built to make a crawler fail. Big pages are generated while they are sent, never written to disk."""

    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def send(self, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200, length: bool = True):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream(self, total: int, length: bool):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        chunk = b"<p>" + b"a" * 1017 + b"</p>\n"
        try:
            for _ in range(total // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass  # the crawler hung up: what it should do

    def do_GET(self):  # noqa: N802
        self.server.requests.append(self.path)
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self.send(b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/index.html":
            pages = ["ok-1", "ok-2", "empty", "binary", "image", "gbk", "huge", "huge-stream", "deep", "links", "go",
                     "payload"]
            return self.send("".join(f"<a href='/{p}.html'>{p}</a> " for p in pages).encode())
        if path in ("/ok-1.html", "/ok-2.html"):
            cas = "437-38-7" if path == "/ok-1.html" else "73-31-4"
            title = "Fentanyl citrate, in stock" if path == "/ok-1.html" else "Melatonin powder"
            return self.send(LISTING.format(title=title, cas=cas).encode())
        if path == "/empty.html":
            return self.send(b"")
        if path == "/binary.html":
            return self.send(random.Random(1).randbytes(20000))
        if path == "/image.html":
            return self.send(b"\x89PNG\r\n\x1a\n" + bytes(5000), "image/png")
        if path == "/gbk.html":
            return self.send(GBK)
        if path == "/huge.html":
            return self.stream(HUGE, length=True)
        if path == "/huge-stream.html":
            return self.stream(HUGE, length=False)
        if path == "/deep.html":
            inner = LISTING.format(title="Carfentanil 99%", cas="59708-52-0")
            page = "<html><body>" + "<div>" * 100_000 + inner + "</div>" * 100_000 + "</body></html>"
            return self.send(page.encode())
        if path == "/links.html":
            return self.send(("<html><body>" + "".join(f"<a href='/trap/{i}.html'>{i}</a>" for i in range(100_000))
                              + "</body></html>").encode())
        if path == "/go.html":  # a redirect into the internal network
            return self.redirect(f"http://127.0.0.2:{self.server.internal_port}/secret")
        if path == "/payload.html":
            return self.send(LISTING.format(title=payload_title(self.server.marker), cas="437-38-7").encode())
        return self.send(b"not found", status=404)

    def redirect(self, where: str):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()


def payload_title(marker: Path) -> str:
    """A title that would create ``marker`` if any part of the crawl ran it through a shell (a file of this run's
    own tmp folder: never a leftover of an earlier run, nor another run's)."""
    return f"Fentanyl'); DROP TABLE listings; -- $(touch {marker}) `id` {{{{7*7}}}} &lt;script&gt;x&lt;/script&gt; %s ?"


class Server:
    def __init__(self, host: str, handler, **attrs):
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        for k, v in attrs.items():
            setattr(self.httpd, k, v)
        self.httpd.handle_error = lambda *a: None
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://{self.httpd.server_address[0]}:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Internal(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.server.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"internal secret")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    internal_server = Server("127.0.0.2", Internal)
    folder = tmp_path_factory.mktemp("hostile")
    db_file, marker = folder / "hostile.db", folder / "fw-pwned"
    site = Server("127.0.0.1", Hostile, internal_port=internal_server.httpd.server_address[1], marker=marker)
    try:
        proc = subprocess.run(WARM_FENTWATCH + ["crawl", f"{site.url}/index.html", f"{site.url}/go.html", "--db",
                                           str(db_file), "--set", "FENTWATCH_MAX_LINKS_PER_PAGE=25"] + FAST,
                              capture_output=True, text=True, timeout=600)
    finally:
        site.close()
        internal_server.close()
    return proc, sqlite_utils.Database(db_file), site, internal_server, marker


def test_each_hostile_page_is_recorded_with_its_reason_and_the_crawl_goes_on(hostile_crawl):
    proc, db, site, _, _ = hostile_crawl
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    issues = {}
    for row in db.query("select url, reason, detail from page_issues"):
        issues.setdefault(row["url"].split("/", 3)[-1], []).append((row["reason"], row["detail"]))
    assert issues["empty.html"][0][0] == "empty"
    assert issues["binary.html"][0][0] == "binary"
    assert issues["image.html"][0] == ("not-text", "content type image/png, 5008 bytes")
    assert issues["huge.html"][0][0] == "too-large" and "52428800" in issues["huge.html"][0][1]
    assert issues["huge-stream.html"][0][0] == "too-large"
    # (a link page is also recorded as not-a-listing: the page classifier's verdict)
    assert ("links-capped", "followed the first 25 of about 100000 links") in issues["links.html"]
    assert len([p for p in site.httpd.requests if p.startswith("/trap/")]) <= 25
    listings = {r["url"].split("/", 3)[-1]: r for r in db.query("select * from listings")}
    assert set(listings) == {"ok-1.html", "ok-2.html", "gbk.html", "deep.html", "payload.html"}
    gbk = listings["gbk.html"]  # GBK bytes labelled UTF-8: read as what they are, flagged, and the guess recorded
    assert "芬太尼" in gbk["title"] and gbk["flagged"] == 1
    assert "read as gb18030" in json.loads(gbk["scan_warnings"])[0]
    deep = listings["deep.html"]  # 100,000 nested divs: read as plain text, still scanned
    # 100,000 divs and the page's own elements
    assert deep["flagged"] == 1 and json.loads(deep["scan_warnings"])[0].startswith("html nested 1000")
    assert listings["ok-1.html"]["flagged"] == 1 and listings["ok-2.html"]["flagged"] == 0
    assert listings["ok-1.html"]["scan_warnings"] is None
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_redirects_into_the_internal_network_are_refused(hostile_crawl):
    proc, db, _, internal_server, _ = hostile_crawl
    assert internal_server.httpd.requests == []  # neither the start URL's redirect nor a linked page's reached it
    blocked = list(db.query("select url, detail from page_issues where reason = 'blocked-address'"))
    assert blocked and all(r["url"].startswith("http://127.0.0.2:") for r in blocked)
    assert "internal address (127.0.0.2), not a start URL's host" in blocked[0]["detail"]


def test_payload_listing_is_stored_as_data(hostile_crawl):
    """Listing text never reaches a shell or SQL formatting: stored byte for byte, tables intact, nothing run."""
    _, db, _, _, marker = hostile_crawl
    (row,) = db.query("select * from listings where url like '%payload.html'")
    assert row["title"] == payload_title(marker).replace("&lt;", "<").replace("&gt;", ">")
    assert row["flagged"] == 1 and db["listings"].count == 5 and not marker.exists()
    out = fentwatch("export", "--db", db.conn.execute("pragma database_list").fetchone()[2], "--format", "csv",
                    check=True).stdout
    assert "DROP TABLE" in out


def test_csv_export_does_not_turn_listing_text_into_formulas(tmp_path):
    from store.db import open_store, save_page

    db = open_store(tmp_path / "csv.db")
    title = '=HYPERLINK("http://example.com/x","Fentanyl")'
    save_page(db, {"url": "http://127.0.0.1/f", "platform": "t", "title": title, "text": "", "body": b""},
              {"flagged": True, "score": 0.9, "hits": []})
    out = fentwatch("export", "--db", tmp_path / "csv.db", "--format", "csv", check=True).stdout
    assert "\"'=HYPERLINK(" in out and ",=HYPERLINK" not in out


@pytest.mark.parametrize("url, blocked", [
    ("file:///etc/passwd", "scheme file"),
    ("ftp://127.0.0.1/x", "scheme ftp"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme gopher"),
    ("http://169.254.169.254/latest/meta-data/", "internal address (169.254.169.254)"),  # cloud metadata
    ("http://[fd00:ec2::254]/latest/", "internal address"),
    ("http://100.100.100.200/latest/meta-data/", "internal address"),  # carrier-grade NAT range (Alibaba metadata)
    ("http://10.1.2.3/admin", "internal address"),
    ("http://192.168.0.1/", "internal address"),
    ("http://127.0.0.2:8080/", "internal address"),
    ("http://[::1]:8080/", "internal address"),
    ("http://[::ffff:127.0.0.2]/", "internal address"),  # IPv4 written as IPv6
    ("http://0.0.0.0:8080/", "internal address"),
    ("http://127.0.0.1:8000/any", None),  # a start URL's host and port
    ("http://localhost:8000/", None),  # resolves to 127.0.0.1, the start URL's address, on its port
    ("http://127.0.0.1:9/any", "not a start URL's host and port (9)"),  # the start host's other services: not
    ("http://93.184.215.14/", None),  # a public address
])
def test_address_guard_table(url, blocked):
    from scrapy.utils.test import get_crawler

    guard = AddressGuard.from_crawler(get_crawler(settings_dict={
        "FENTWATCH_BLOCKED_NETWORKS": ["100.64.0.0/10", "192.0.0.0/24", "fd00:ec2::254/128"]}))
    guard.allow_start_urls(["http://127.0.0.1:8000/index.html"])
    why = guard.refusal(url)
    assert (why is None) if blocked is None else (blocked in why), why


def test_a_name_is_internal_when_it_resolves_to_an_internal_address():
    assert resolve("localhost") and all(internal(a) for a in resolve("localhost"))
    guard = AddressGuard.from_crawler(__import__("scrapy.utils.test", fromlist=["x"]).get_crawler())
    guard.allow_start_urls(["http://203.0.113.9/"])  # a public start host: localhost is not its address
    assert "localhost is an internal address" in guard.refusal("http://localhost/")


# --- crash safety --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site_40(tmp_path_factory):
    listings = corpus_listings(40)
    root = tmp_path_factory.mktemp("site40")
    build_site(root, listings)
    return root


def snapshot(db_file: Path) -> tuple[dict, set]:
    db = sqlite_utils.Database(db_file)
    rows = {r["url"].split("/", 3)[-1]: (r["flagged"], r["score"]) for r in db.query("select * from listings")}
    hits = {(h["url"].split("/", 3)[-1], h["substance"], h["method"], h["matched"], h["start"], h["end"])
            for h in db.query("select l.url, h.* from hits h join listings l on l.id = h.listing_id where current = 1")}
    return rows, hits


def test_sigkill_at_random_points_then_resume_ends_like_an_uninterrupted_crawl(site_40, tmp_path):
    runs = int(os.environ.get("FENTWATCH_KILL_RUNS", "2"))
    rng = random.Random(int(os.environ.get("FENTWATCH_KILL_SEED", "8")))
    # each run's crawl cannot reach its end before the kill, however fast the machine: the site answers listing pages
    # only while fewer than the run's target are stored, and nothing once the target is reached. (Counting pages
    # served instead stalled: a crawl resumed after a kill starts again from the start URLs and fetches listings
    # already stored, so the page budget ran out short of the target and the run waited for its 300 s deadline.)
    gate = Gate(timeout=600)
    with gated_server(site_40, gate) as server:
        url = f"{server.url}/index.html"
        ref = tmp_path / "ref.db"
        subprocess.run(WARM_FENTWATCH + ["crawl", url, "--db", str(ref)] + FAST, capture_output=True, check=True,
                       timeout=600)
        reference = snapshot(ref)
        assert len(reference[0]) == 40
        db_file, jobdir = tmp_path / "killed.db", tmp_path / "job"
        slow = ["--set", "DOWNLOAD_DELAY=0.02", "--set", "CONCURRENT_REQUESTS=2"]
        acknowledged: set = set()
        for run in range(runs):
            target = rng.randint(2, 30)  # listings stored before the kill
            with gate.lock:
                gate.allow = lambda path, target=target: not deep(path) or count(db_file) < target
            # the crawl is a process of its own forked from a warm one: the SIGKILL goes to that crawl process itself
            # (its start-up is not the subject, what a kill leaves in the store and the job folder is)
            pid_file = tmp_path / f"crawl-{run}.pid"
            proc = subprocess.Popen(warm_with_pid(pid_file) + ["crawl", url, "--db", str(db_file), "--jobdir",
                                                               str(jobdir)] + FAST + slow,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            crawl_pid = command_pid(pid_file, proc)
            deadline = time.monotonic() + 300
            while proc.poll() is None and time.monotonic() < deadline:
                if count(db_file) >= target:
                    with gate.lock:
                        gate.allow = lambda path: False
                    time.sleep(rng.random() * 0.3)  # not always right after a commit
                    break
                time.sleep(0.02)
            assert proc.poll() is None and count(db_file) >= target, "the crawl ended or stalled before its target"
            os.kill(crawl_pid, signal.SIGKILL)
            assert proc.wait() == -signal.SIGKILL  # the client ends when the crawl is dead and reaped
            db = sqlite3.connect(db_file)
            assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
            acknowledged |= {r[0] for r in db.execute("select url from listings")}
            db.close()
            assert (jobdir / "fentwatch-running").exists()
        with gate.lock:
            gate.allow = lambda path: True
        done = subprocess.run(WARM_FENTWATCH + ["crawl", url, "--db", str(db_file), "--jobdir", str(jobdir)] + FAST,
                              capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "did not stop cleanly" in done.stderr
    assert snapshot(db_file) == reference  # the same listings, flags, scores and hits
    db = sqlite_utils.Database(db_file)
    assert acknowledged <= {r["url"] for r in db.query("select url from listings")}
    assert [r["n"] for r in db.query("select count(*) n from snapshots group by listing_id having n > 1")] == []
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert not (jobdir / "fentwatch-running").exists()  # this one stopped cleanly


def count(db_file: Path) -> int:
    if not db_file.exists():  # (connecting would create it)
        return 0
    try:
        with sqlite3.connect(db_file, timeout=0.1) as db:
            return db.execute("select count(*) from listings").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_read_only_store_is_a_clear_error(tmp_path):
    """The store file cannot be written: file permissions for a normal user; root ignores those, so as root the
    folder is bind-mounted read-only instead (the same error from SQLite either way)."""
    store = tmp_path / "store"
    store.mkdir()
    sqlite_utils.Database(store / "ro.db")["x"].insert({"a": 1})
    target = store
    if os.geteuid() == 0:
        target = tmp_path / "ro-mount"
        target.mkdir()
        subprocess.run(["mount", "--bind", str(store), str(target)], check=True)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], check=True)
    else:
        (store / "ro.db").chmod(0o444)
        store.chmod(0o555)  # no -wal/-shm files can be created either
    try:
        proc = subprocess.run(WARM_FENTWATCH + ["crawl", "http://127.0.0.1:9/", "--db", str(target / "ro.db")],
                              capture_output=True, text=True, timeout=300)
    finally:
        if target != store:
            subprocess.run(["umount", str(target)], check=True)
        store.chmod(0o755)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"Error: cannot write the store {target / 'ro.db'}" in proc.stderr
    assert "readonly" in proc.stderr or "read-only" in proc.stderr


def test_a_full_store_stops_the_crawl_with_a_clear_error_and_loses_nothing(site_40, tmp_path):
    """A full disk, simulated with SQLite's max_page_count (FENTWATCH_DB_MAX_MB): the crawl stops with exit 1
    and one clear line; run again with room and the same --jobdir, and every listing is there."""
    db_file, jobdir = tmp_path / "full.db", tmp_path / "job"
    # the cap: the empty store (its size grows with every migration) plus 50 pages, about half of what the 40
    # listings take (100 pages), so some listings always fit and never all, whichever is crawled first
    from store.db import open_store

    open_store(db_file).close()
    with sqlite3.connect(db_file) as db:
        pages, page_size = (db.execute(f"pragma {p}").fetchone()[0] for p in ("page_count", "page_size"))
    cap_mb = (pages + 50) * page_size / (1024 * 1024)
    with DemoServer(site_40) as server:
        url = f"{server.url}/index.html"
        full = subprocess.run(WARM_FENTWATCH + ["crawl", url, "--db", str(db_file), "--jobdir", str(jobdir), "--set",
                                           f"FENTWATCH_DB_MAX_MB={cap_mb:.6f}"] + FAST, capture_output=True,
                              text=True, timeout=600)
        assert full.returncode == 1
        assert "Traceback" not in full.stderr
        assert "could not be written" in full.stderr and "database or disk is full" in full.stderr
        partial = count(db_file)
        again = subprocess.run(WARM_FENTWATCH + ["crawl", url, "--db", str(db_file), "--jobdir", str(jobdir)] + FAST,
                               capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert 0 < partial < 40 and count(db_file) == 40


def test_no_listing_text_can_reach_a_shell_or_sql_formatting():
    """A static check beside the payload crawl: no shell anywhere, and the few SQL statements built with
    f-strings interpolate only fixed column lists, integers or a fixed clause, never a value."""
    import re

    root = Path(__file__).resolve().parents[1]
    allowed = {"max(1, int(max_bytes) // page_size)", "', '.join(f'[{c}]' for c in _HIT_COLUMNS)",
               "', '.join('?' * len(_HIT_COLUMNS))", "', '.join(_LISTING_FIELDS)",
               "', '.join('?' * len(_LISTING_FIELDS))", "assignments", "where", "f",
               "facet",                       # review/queue.py: a column name from the fixed facet tuples
               "','.join('?' * len(ids))",   # placeholders, one per id
               "BATCH"}                       # store/rescan.py: the batch size constant
    found = set()
    for path in [p for d in ("crawler", "detect", "fentwatch", "lexicon", "review", "store") for p in (root / d).rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"shell\s*=\s*True|os\.system\(|os\.popen\(|\beval\(|\bexec\(", source), path
        for m in re.finditer(r'f"(?:PRAGMA|insert|update|select|delete)[^"]*"', source, re.IGNORECASE):
            found |= set(re.findall(r"\{([^{}]*(?:\{[^{}]*\}[^{}]*)?)\}", m.group()))
    assert found and found <= allowed, found - allowed
