"""Helpers shared by the browser tests and the README screenshot script: a real store filled by the real detector,
the real `fentwatch review` server on loopback, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from detect.engine import default_detector
from store.db import open_store, save_page

sys.path.insert(0, str(Path(__file__).resolve().parent))  # ports.py, also for the screenshot script
from ports import owns_port, serve_on_free_port  # noqa: E402
from warmrun import WARM_FENTWATCH  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FENTWATCH = [sys.executable, "-m", "fentwatch"]
CORPUS = ROOT / "tests" / "data" / "corpus"
PASSWORD = "correct horse battery"
CHROMIUM = "/usr/bin/chromium"
# the flags this sandbox needs: no background connections (the network is closed) and no setuid sandbox as root
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]

# Listings written the way a hostile seller would: every field that the app shows carries a script payload, and
# each listing also offers fentanyl, so it is flagged and lands in the queue.
PAYLOADS = [
    {"url": "javascript:window.__pwned=1;alert(1)//http://127.0.0.1:8000/evil/1.html",
     "title": "<script>window.__pwned=1;alert('title')</script>Fentanyl 99% in stock",
     "text": "Fentanyl powder 99% purity, 10g bags. <img src=x onerror=\"window.__pwned=1;alert('text')\">",
     "seller": "<svg/onload=\"window.__pwned=1;alert('seller')\">Evil Co., Ltd.", "platform": "b2b"},
    {"url": "http://127.0.0.1:8000/evil/2.html\"><script>window.__pwned=1</script>",
     "title": "Carfentanil <iframe src=\"javascript:alert('frame')\"></iframe> sample",
     "text": "Carfentanil 99% white powder in stock. <a href=\"javascript:alert('link')\">order</a> "
             "<svg><script>window.__pwned=1</script></svg> Contact: +00 000 0000",
     "seller": "\"><img src=x onerror=alert('attr')>", "platform": "b2b"},
]


# One seller on two platforms under two company names, linked by one shared phone number.
SELLER_PAIR = [
    {"url": "http://127.0.0.1:8000/b2b/offer/pair-1.html", "platform": "b2b", "seller": "Hubei Alder Chemical",
     "title": "Fentanyl powder 99% in stock", "text": "Fentanyl 99% white powder, 10g bags.\n"
     "Supplier: Hubei Alder Chemical Co., Ltd.\nWhatsApp: +00 000 555 1234"},
    {"url": "http://127.0.0.1:8000/catalog/product/pair-2.html", "platform": "catalog",
     "seller": "Wuhan Birchwood Trading", "title": "4-ANPP factory price", "text": "4-ANPP 99%, MOQ 1kg.\n"
     "Supplier: Wuhan Birchwood Trading Co., Ltd.\nWhatsApp: +00 000 555 1234"},
]


def ensure_chromium() -> str:
    """Debian's chromium package, installed when missing (the test command runs on fresh machines). Where it cannot
    be installed: RuntimeError with one line saying what is missing and how to get it."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    how = f"Chromium is missing at {CHROMIUM} and could not be installed"
    fix = "install it: sudo apt-get install chromium (Debian/Ubuntu)"
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise RuntimeError(f"{how} ({'not root' if shutil.which('apt-get') else 'no apt-get'}); {fix}")
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    done = subprocess.run(["apt-get", *lock, "install", "-y", "-q", "chromium"], capture_output=True, text=True)
    if done.returncode != 0:  # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", *lock, "update", "-q"], capture_output=True, text=True)
        done = subprocess.run(["apt-get", *lock, "install", "-y", "-q", "chromium"], capture_output=True, text=True)
    if done.returncode != 0 or not Path(CHROMIUM).exists():
        last = (done.stderr.strip() or done.stdout.strip() or "?").splitlines()[-1]
        raise RuntimeError(f"{how} (apt-get: {last}); {fix}")
    return CHROMIUM


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_store(path: Path, positives: int = 12, negatives: int = 4, payloads: bool = True) -> dict[str, int]:
    """Scan labeled corpus listings (and the payload listings) with the real detector and store them.
    Returns listing ids by corpus id ("evil-1", "evil-2" for the payloads)."""
    labels = {r["id"]: r for r in read_jsonl(CORPUS / "labels.jsonl")}
    listings = read_jsonl(CORPUS / "listings.jsonl")
    chosen = [x for x in listings if labels[x["id"]]["flag"]][:positives]
    chosen += [x for x in listings if not labels[x["id"]]["flag"]][:negatives]
    if payloads:
        chosen += [dict(p, id=f"evil-{i}") for i, p in enumerate(PAYLOADS, 1)]
        chosen += [dict(p, id=f"pair-{i}") for i, p in enumerate(SELLER_PAIR, 1)]
    det = default_detector()
    db = open_store(path)
    ids = {}
    for listing, result in zip(chosen, det.scan_many(chosen)):
        body = (f"<html><body><h1>{listing['title']}</h1><p>{listing['text']}</p>"
                f"<script>window.__pwned=1;alert('evidence')</script></body></html>").encode()
        page = {"url": listing["url"], "platform": listing.get("platform"), "seller": listing.get("seller"),
                "title": listing["title"], "text": listing["text"], "price": listing.get("price"), "body": body,
                "http_status": 200, "headers": {"Content-Type": "text/html"}}
        ids[listing["id"]] = save_page(db, page, result.to_json(), det.version, det.lex.version).listing_id
    db.close()
    return ids


def add_user(db: Path, name: str, role: str, password: str = PASSWORD) -> None:
    """`fentwatch users add`, in this process (click's CliRunner): the real command without a Python start-up."""
    from click.testing import CliRunner

    from fentwatch.cli import main

    done = CliRunner().invoke(main, ["users", "add", name, "--role", role, "--db", str(db)], input=password + "\n")
    assert done.exit_code == 0, done.output


def _descendants(root: int) -> set[int]:
    """The pids of ``root``'s descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


class WarmServer:
    """``fentwatch review`` forked from this worker's warm process (tests/warmrun.py): a real process of its own,
    without the 3 s of CPU a fresh one spends importing the detector and Scrapy. ``client`` is the warmrun client
    (its Popen); ``pid`` is the command's own process, the one that holds the listening socket, found among this
    test process's descendants (so ``ports.owns_port`` still tells our server from a stranger that took the port)."""

    def __init__(self, client: subprocess.Popen, port: int):
        self.client, self.port, self._pid = client, port, None

    @property
    def pid(self) -> int:
        if self._pid is None:
            for pid in _descendants(os.getpid()):
                if owns_port(pid, self.port):
                    self._pid = pid
                    break
        return self._pid if self._pid is not None else self.client.pid

    def poll(self):
        return self.client.poll()

    def wait(self, timeout=None):
        return self.client.wait(timeout)

    def send_signal(self, sig: int) -> None:
        self.client.send_signal(sig)  # forwarded to the command by the client

    def terminate(self) -> None:
        self.client.terminate()  # forwarded to the command: SIGTERM, the server stops as on Ctrl-C

    def kill(self) -> None:
        """SIGKILL to the server process itself (the client then exits as killed by it)."""
        os.kill(self.pid, signal.SIGKILL)


class ReviewServer:
    """`fentwatch review` in its own process on a free loopback port; ``warm``: forked from the worker's warm
    process (``WarmServer``) instead of a fresh Python, where how a process starts is not the test's subject."""

    def __init__(self, db: Path, warm: bool = False, env: dict | None = None, ready: str = "/login"):
        def launch(port):
            command = (WARM_FENTWATCH if warm else FENTWATCH) + ["review", "--db", str(db), "--port", str(port)]
            proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return WarmServer(proc, port) if warm else proc

        self.proc, self.port = serve_on_free_port(
            launch, lambda port: urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=10).read(),
            "fentwatch review")
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def sign_in(browser, base: str, name: str, password: str = PASSWORD):
    """A new browser context signed in as ``name``; returns (context, page) on the queue."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#user", name)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_url("**/queue")
    return context, page


def open_signed_in(browser, base: str, name: str, path: str = "/queue", password: str = PASSWORD):
    """A new browser context signed in as ``name``, with a page opened at ``path``: (context, page). The sign-in
    form's POST is sent by the context's own HTTP client (Playwright's ``context.request``: its cookie jar is the
    context's), so the session cookie is the one the form would get, without loading the sign-in page and the queue
    on the way. For tests whose subject comes after the sign-in; ``sign_in`` drives the form itself."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    answer = context.request.post(base + "/login", form={"user": name, "password": password}, max_redirects=0)
    assert answer.status == 302 and "/login" not in answer.headers["location"], (answer.status, answer.headers)
    page = context.new_page()
    page.goto(base + path)
    return context, page
