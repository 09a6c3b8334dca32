"""The platform API against the real `fentwatch review` server (waitress) on loopback, called over real HTTP
(urllib), with a real webhook receiver on loopback and a decision made in a real headless Chromium.

Covers: token scopes, revocation and the rate limit; the scan verdict; idempotent submit and versions with the
JSON as received kept as evidence; every bad-input case answered with a JSON error naming the field and nothing
stored; the decisions feed resuming from a cursor; a signed webhook retried after the receiver answers 500; the
callback address guard; the OpenAPI document against the real routes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from store.db import open_store
from review_app import ROOT, ReviewServer, open_signed_in
from warmrun import WARM_FENTWATCH

OFFER = {"id": "shop-1", "url": "https://shop.example.com/item/1", "title": "Fentanyl powder 99% in stock",
         "text": "Fentanyl HCl 99% purity, 10g bags, fast shipping. Contact +00 000 0000", "seller": "Example Co.",
         "price": "USD 100/g"}
PRECURSOR = {"id": "shop-2", "title": "4-ANPP factory price", "text": "4-ANPP 99%, MOQ 1kg, sample 10g."}
CLEAN = {"id": "shop-3", "title": "Sodium chloride 99%", "text": "Food grade salt, 25kg bags."}


def run_cli(*args, env=None, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(WARM_FENTWATCH + list(args), capture_output=True, text=True, cwd=ROOT, env=env)
    if check and done.returncode != 0:
        raise AssertionError(done.stdout + done.stderr)
    return done


def new_token(db: Path, name: str, *extra: str, env=None) -> tuple[str, str | None]:
    """(token, webhook secret or None) from `fentwatch tokens add`: the token is the last word of the output."""
    out = run_cli("tokens", "add", name, "--db", str(db), *extra, env=env).stdout
    secret = next((line.split()[-1] for line in out.splitlines() if line.startswith("webhook secret")), None)
    return out.split()[-1], secret


def call(base: str, method: str, path: str, token: str | None = None, body=None, raw: bytes | None = None,
         headers: dict | None = None) -> tuple[int, dict, dict]:
    """One HTTP request: (status, headers, JSON answer)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = {"Content-Type": "application/json", **(headers or {})}
    if token:
        h["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


class Receiver:
    """A webhook receiver on loopback: answers 500 to the first ``fail_first`` POSTs, then 200; keeps every one."""

    def __init__(self, fail_first: int = 1):
        self.got: list[tuple[dict, bytes, int]] = []
        self.fail_first = fail_first
        self.arrived = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with outer.arrived:
                    code = 500 if len(outer.got) < outer.fail_first else 200
                    outer.got.append((dict(self.headers), body, code))
                    outer.arrived.notify_all()
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, n: int, timeout: float = 60) -> list[tuple[dict, bytes, int]]:
        """The POSTs received, once there are ``n`` (woken by each arrival), or after ``timeout``."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.got) >= n, timeout)
            return list(self.got)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def Server(db: Path, env: dict, warm: bool = True) -> ReviewServer:
    """`fentwatch review` in its own process with the given API settings file: forked from the worker's warm
    process, or (``warm=False``) a fresh Python where the process itself is the subject (a signal)."""
    return ReviewServer(db, warm=warm, env=env, ready="/api/v1/openapi.json")


@pytest.fixture(scope="module")
def api(tmp_path_factory, account_stores):
    tmp = tmp_path_factory.mktemp("api")
    settings = (ROOT / "review" / "data" / "api.toml").read_text(encoding="utf-8")
    settings = settings.replace("allowed_networks = []", 'allowed_networks = ["127.0.0.1/32"]')
    settings = settings.replace("backoff_seconds = 2 ", "backoff_seconds = 0.3 ")
    settings = settings.replace("max_body_bytes = 1048576", "max_body_bytes = 65536")
    settings = settings.replace("max_batch = 100", "max_batch = 5")
    settings = settings.replace("token_cache_seconds = 1 ", "token_cache_seconds = 0 ")  # revocation at once here
    (tmp / "api.toml").write_text(settings, encoding="utf-8")
    env = dict(os.environ, FENTWATCH_API_SETTINGS=str(tmp / "api.toml"), PYTHONPATH=str(ROOT))
    db = tmp / "store.db"
    db.write_bytes(account_stores({"alice": "lead"}))  # conftest.py: the account, hashed once per session
    receiver = Receiver(fail_first=1)
    tokens = {"all": new_token(db, "all", "--platform", "shop", "--callback", receiver.url, env=env),
              "scan": new_token(db, "scan-only", "--platform", "shop", "--scope", "scan", env=env)[0],
              "other": new_token(db, "other", "--platform", "market", env=env)[0],
              "slow": new_token(db, "slow", "--platform", "shop", "--scope", "scan", "--rate", "3", env=env)[0],
              "gone": new_token(db, "gone", "--platform", "shop", env=env)[0]}
    server = Server(db, env)
    yield {"url": server.url, "db": db, "tokens": tokens, "receiver": receiver, "env": env, "tmp": tmp}
    server.close()
    receiver.close()


def count(db: Path, sql: str, params=()) -> int:
    conn = open_store(db)
    try:
        return conn.execute(sql, list(params)).fetchone()[0]
    finally:
        conn.close()


def audited(db: Path, sql: str, at_least: int, timeout: float = 30) -> int:
    """``count`` of audit lines once it reaches ``at_least``: the audit writer commits a request's line a few ms
    after its answer (review/api_audit.py), so it is polled for, up to ``timeout``. Also for other rows written
    after an answer (the webhook sender records an attempt once the receiver has answered)."""
    deadline = time.monotonic() + timeout
    while (n := count(db, sql)) < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
    return n


def test_token_is_printed_once_and_only_its_hash_is_stored(api):
    token, secret = api["tokens"]["all"]
    assert token.startswith("fw_") and secret.startswith("whsec_")
    stored = [r["token_sha256"] for r in open_store(api["db"]).query("select token_sha256 from api_tokens")]
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in json.dumps(stored)
    listed = run_cli("tokens", "list", "--db", str(api["db"])).stdout
    assert "all" in listed and token not in listed and "webhook http://127.0.0.1" in listed


def test_scan_answers_with_the_scan_result_and_a_verdict_and_stores_nothing(api):
    token = api["tokens"]["scan"]
    offer = dict(OFFER, id="scan-1", url="https://shop.example.com/scan/1")
    code, _, one = call(api["url"], "POST", "/api/v1/scan", token, offer)
    assert code == 200 and one["verdict"] == "block" and one["flagged"] and one["id"] == "scan-1"
    assert {h["substance"] for h in one["hits"]} == {"Fentanyl"}
    code, _, batch = call(api["url"], "POST", "/api/v1/scan", token, {"listings": [PRECURSOR, CLEAN]})
    assert code == 200 and [r["id"] for r in batch["results"]] == ["shop-2", "shop-3"]
    assert [r["verdict"] for r in batch["results"]] == ["hold", "allow"]  # a precursor holds, it does not block
    assert count(api["db"], "select count(*) from listings where url = ?", [offer["url"]]) == 0
    assert count(api["db"], "select count(*) from api_listings where external_id in ('scan-1', 'shop-2')") == 0


def test_a_batch_mixing_a_big_listing_with_small_ones_keeps_input_order(api):
    big = {"id": "big", "title": "Sodium chloride", "text": "Food grade salt, 25kg bags. " * 2200}  # 61,600 chars
    body = {"listings": [dict(OFFER, id="s1"), big, dict(CLEAN, id="s2")]}  # the big one is scanned in its own lane
    code, _, out = call(api["url"], "POST", "/api/v1/scan", api["tokens"]["scan"], body)
    assert code == 200 and [(r["id"], r["verdict"]) for r in out["results"]] == \
        [("s1", "block"), ("big", "allow"), ("s2", "allow")]


def test_scopes_and_revocation(api):
    base, t = api["url"], api["tokens"]
    refused = "select count(*) from api_requests where token_id is null and status = 401"
    before = audited(api["db"], refused, 0)
    code, _, err = call(base, "POST", "/api/v1/listings", t["scan"], OFFER)
    assert code == 403 and "submit" in err["error"] and err["field"] == "Authorization"
    code, _, err = call(base, "GET", "/api/v1/decisions", t["scan"])
    assert code == 403 and "read" in err["error"]
    assert call(base, "POST", "/api/v1/scan", None, OFFER)[0] == 401
    assert call(base, "POST", "/api/v1/scan", "fw_not-a-token", OFFER)[0] == 401
    assert call(base, "POST", "/api/v1/scan", t["gone"], OFFER)[0] == 200
    run_cli("tokens", "revoke", "gone", "--db", str(api["db"]))
    code, _, err = call(base, "POST", "/api/v1/scan", t["gone"], OFFER)
    assert code == 401 and "revoked" in err["error"]
    assert audited(api["db"], refused, before + 3) >= before + 3
    lines = list(open_store(api["db"]).query(  # lines are written in the order of the answers: the 401s came last
        "select r.status, r.listings, r.outcome from api_requests r join api_tokens k on k.id = r.token_id "
        "where k.name = 'gone' order by r.id"))
    assert [(r["status"], r["listings"]) for r in lines] == [(200, 1)]  # a revoked token is no token: unaudited as it


def test_rate_limit_answers_429_with_retry_after(api):
    token = api["tokens"]["slow"]  # 3 a minute
    codes = [call(api["url"], "POST", "/api/v1/scan", token, CLEAN)[0] for _ in range(3)]
    code, headers, err = call(api["url"], "POST", "/api/v1/scan", token, CLEAN)
    assert codes == [200, 200, 200] and code == 429
    assert 1 <= int(headers["Retry-After"]) <= 20 and "rate limit" in err["error"]
    assert audited(api["db"], "select count(*) from api_requests where status = 429", 1) >= 1


BAD = [
    # (body bytes, status, field): one row per kind of bad input
    (b'{"id": "x", "title": ', 400, "body"),                              # malformed JSON
    (b'[1, 2]', 400, "body"),                                             # not an object
    (b'{"title": "Fentanyl 99%"}', 400, "id"),                            # missing id
    (b'{"id": "", "title": "Fentanyl"}', 400, "id"),                      # empty id
    (b'{"id": true}', 400, "id"),                                         # id of the wrong type
    (b'{"id": "x", "title": 5}', 400, "title"),                           # wrong type
    (b'{"id": "x", "text": ["Fentanyl"]}', 400, "text"),                  # wrong type
    (b'{"id": "x", "price": {"usd": 1}}', 400, "price"),                  # wrong type
    (b'{"id": "x", "text": "Fentanyl \xff\xfe 99%"}', 400, "body"),       # invalid UTF-8
    (b'{"id": "x", "text": "' + b"a" * 70000 + b'"}', 413, "body"),       # body over max_body_bytes (64 KiB here)
]


@pytest.mark.parametrize("raw,status,field", BAD)
def test_bad_input_is_a_json_error_naming_the_field_and_stores_nothing(api, raw, status, field):
    token = api["tokens"]["all"][0]
    before = count(api["db"], "select count(*) from snapshots")
    for path in ("/api/v1/scan", "/api/v1/listings"):
        code, _, err = call(api["url"], "POST", path, token, raw=raw)
        assert (code, err["field"]) == (status, field), err
        assert err["error"]
    assert count(api["db"], "select count(*) from snapshots") == before


@pytest.mark.parametrize("body,status,field", [
    ({"listings": [CLEAN] * 6}, 413, "listings"),                                 # over max_batch (5 here)
    ({"listings": []}, 400, "listings"),
    ({"listings": "abc"}, 400, "listings"),
    ({"listings": [CLEAN, {"id": "y", "html": 7}]}, 400, "listings[1].html"),    # the faulty listing is named
])
def test_bad_batches_name_the_listing(api, body, status, field):
    code, _, err = call(api["url"], "POST", "/api/v1/scan", api["tokens"]["all"][0], body)
    assert (code, err["field"]) == (status, field)


def test_bad_cursor_and_unknown_listing(api):
    token = api["tokens"]["all"][0]
    assert call(api["url"], "GET", "/api/v1/decisions?since=-1", token)[2]["field"] == "since"
    assert call(api["url"], "GET", "/api/v1/decisions?limit=0", token)[2]["field"] == "limit"
    code, _, err = call(api["url"], "GET", "/api/v1/listings/nope", token)
    assert code == 404 and err["field"] == "id"
    code, _, err = call(api["url"], "GET", "/api/v1/nothing-here", token)
    assert code == 404 and "error" in err


def test_submit_is_idempotent_and_a_change_is_a_new_version(api):
    base, db, token = api["url"], api["db"], api["tokens"]["all"][0]
    raw = json.dumps(OFFER, indent=1).encode()
    code, _, first = call(base, "POST", "/api/v1/listings", token, raw=raw)
    assert code == 201 and first["outcome"] == "new" and first["status"] == "open" and first["verdict"] == "block"
    assert first["review_url"].endswith(f"/listing/{first['fentwatch_id']}")
    lid = first["fentwatch_id"]
    (snap,) = open_store(db).query("select sha256, body_gz from snapshots where listing_id = ?", [lid])
    assert snap["sha256"] == hashlib.sha256(raw).hexdigest()  # the evidence is the JSON as received
    # the same content, in another key order and spacing: nothing changes
    code, _, again = call(base, "POST", "/api/v1/listings", token, dict(reversed(list(OFFER.items()))))
    assert code == 200 and again["outcome"] == "unchanged" and again["version"] == 1
    assert count(db, "select count(*) from snapshots where listing_id = ?", [lid]) == 1
    code, _, changed = call(base, "POST", "/api/v1/listings", token, dict(OFFER, price="USD 90/g"))
    assert code == 200 and changed["outcome"] == "changed" and changed["version"] == 2
    assert changed["fentwatch_id"] == lid and count(db, "select count(*) from snapshots where listing_id = ?", [lid]) == 2
    code, _, state = call(base, "GET", "/api/v1/listings/shop-1", token)
    assert code == 200 and state["status"] == "open" and state["version"] == 2 and state["decision"] is None
    assert call(base, "GET", "/api/v1/listings/shop-1", api["tokens"]["other"])[0] == 404  # another platform's id
    row = next(open_store(db).query("select platform, url from listings where id = ?", [lid]))
    assert row == {"platform": "shop", "url": OFFER["url"]}


def test_decisions_reach_the_feed_and_a_signed_webhook_retried_after_a_500(api, browser):
    base, db = api["url"], api["db"]
    token, secret = api["tokens"]["all"]
    ids = {}
    for listing in (dict(OFFER, id="dec-1", url="https://shop.example.com/item/d1"),
                    dict(PRECURSOR, id="dec-2", url="https://shop.example.com/item/d2")):
        ids[listing["id"]] = call(base, "POST", "/api/v1/listings", token, listing)[2]["fentwatch_id"]
    _, _, start = call(base, "GET", "/api/v1/decisions", token)
    cursor = start["cursor"]
    context, page = open_signed_in(browser, base, "alice", f"/listing/{ids['dec-1']}")
    page.click("#decide button.takedown")
    page.wait_for_load_state()
    context.close()
    _, _, feed = call(base, "GET", f"/api/v1/decisions?since={cursor}", token)
    assert [(d["listing"]["id"], d["action"], d["status"]) for d in feed["decisions"]] == \
        [("dec-1", "takedown", "takedown-requested")]
    # a second decision; the feed resumed from the last cursor gives only it
    add_decision(db, ids["dec-2"])
    _, _, more = call(base, "GET", f"/api/v1/decisions?since={feed['cursor']}", token)
    assert [d["listing"]["id"] for d in more["decisions"]] == ["dec-2"] and more["cursor"] > feed["cursor"]
    assert call(base, "GET", f"/api/v1/decisions?since={more['cursor']}", token)[2]["decisions"] == []
    assert call(base, "GET", "/api/v1/decisions?since=0", api["tokens"]["other"])[2]["decisions"] == []
    _, _, state = call(base, "GET", "/api/v1/listings/dec-1", token)
    assert state["status"] == "takedown-requested" and state["decision"]["action"] == "takedown"
    # the webhook: the first POST got a 500, the retry delivered; every POST is signed over its exact body
    got = api["receiver"].wait_for(3)
    events = [json.loads(body) for _, body, _ in got]
    # per listing in order (the retry of dec-1 and the first delivery of dec-2 may come in either order)
    by_listing = {}
    for e, (_, _, code) in zip(events, got):
        by_listing.setdefault(e["listing"]["id"], []).append(code)
    assert by_listing == {"dec-1": [500, 200], "dec-2": [200]}
    for headers, body, _ in got:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Fentwatch-Signature"], expected)
    retried = [headers["X-Fentwatch-Delivery"] for (headers, _, _), e in zip(got, events) if e["listing"]["id"] == "dec-1"]
    assert len(retried) == 2 and retried[0] == retried[1]  # the retry is the same delivery
    assert audited(db, "select count(*) from webhook_attempts", 3) == 3  # recorded once the answer is read
    attempts = list(open_store(db).query(
        "select a.http_status, d.state from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id "
        "order by a.id"))
    assert sorted(a["http_status"] for a in attempts) == [200, 200, 500]
    assert {a["state"] for a in attempts} == {"delivered"}


def test_ingest_and_submit_share_one_path(api, tmp_path):
    base, db, token = api["url"], api["db"], api["tokens"]["all"][0]
    first = dict(PRECURSOR, id="ing-1")
    assert call(base, "POST", "/api/v1/listings", token, first)[2]["outcome"] == "new"
    src = tmp_path / "export.jsonl"
    src.write_text(json.dumps(first) + "\n" + json.dumps(dict(OFFER, id="ing-2", url=None)) + "\n", encoding="utf-8")
    done = run_cli("ingest", str(src), "--platform", "shop", "--db", str(db), env=api["env"])
    assert "2 read, 1 new, 0 changed, 1 unchanged, 1 flagged, 0 errors" in done.stdout
    code, _, state = call(base, "GET", "/api/v1/listings/ing-2", token)
    assert code == 200 and state["status"] == "open" and state["version"] == 1
    url = open_store(db).execute("select url from listings where id = ?", [state["fentwatch_id"]]).fetchone()[0]
    assert url == "api://shop/ing-2"


def add_decision(db: Path, listing_id: int) -> None:
    """A moderator's decision through the review logic (what the form calls)."""
    from review.auth import Session
    from review.queue import decide

    conn = open_store(db)
    session = Session(token_sha256="t", user="alice", role="lead", csrf="c")
    assert decide(conn, session, listing_id, "escalate").ok
    conn.close()


def test_callback_urls_go_through_the_address_guard(api, tmp_path):
    db = tmp_path / "s.db"
    done = run_cli("tokens", "add", "hook", "--platform", "shop", "--callback", "http://127.0.0.1:9/hook", "--db",
                   str(db), check=False, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 1 and "internal address" in done.stderr
    done = run_cli("tokens", "add", "hook", "--platform", "shop", "--callback", "http://169.254.169.254/", "--db",
                   str(db), check=False, env=api["env"])  # only 127.0.0.1/32 is allowed there
    assert done.returncode == 1 and "169.254.169.254" in done.stderr
    from crawler.guard import url_refusal

    assert url_refusal("http://10.1.2.3/x") and url_refusal("ftp://example.com/") and \
        url_refusal("http://127.0.0.1:5/x", ["127.0.0.1/32"]) is None


def test_openapi_document_describes_the_real_routes(api):
    from review.web import create_app

    code, _, doc = call(api["url"], "GET", "/api/v1/openapi.json")
    assert code == 200 and doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    app = create_app(api["tmp"] / "openapi.db")
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1").replace("<path:listing_id>", "{id}")
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routes
    for path, ops in doc["paths"].items():
        for op in ops.values():
            for ref in _refs(op):
                assert ref.removeprefix("#/components/schemas/") in doc["components"]["schemas"], ref


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)
