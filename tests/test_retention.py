"""Sign-in attempts and API request lines are pruned by age ([retention] in store/data/store.toml) by the process
that writes them: on a real store file, through the real sign-in and audit-writing functions, and through a real
`fentwatch review` server on loopback called over HTTP."""

import datetime as dt
import os
import urllib.error
import urllib.parse
import urllib.request

import pytest

from review import auth
from store import retention, tokens
from store.db import open_store
from test_api import Server, audited, call, new_token
from review_app import ROOT

PASSWORD = "correct horse battery"
ROLES = {"alice": "lead"}


def ago(days: float) -> str:
    """``days`` before now: now when the row is written, not when the module was collected (under xdist a file can
    run many minutes after its collection, and "5 minutes ago" must stay inside a 15-minute window)."""
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")


def attempt(db, at: str, name="mallory", outcome="refused") -> int:
    return db["sign_in_attempts"].insert({"at": at, "name_sha256": auth.name_key(name), "name": name,
                                          "address": "127.0.0.1", "outcome": outcome}).last_pk


def request_line(db, token_id, at: str) -> int:
    return db["api_requests"].insert({"token_id": token_id, "at": at, "method": "POST", "endpoint": "/api/v1/scan",
                                      "listings": 1, "status": 200, "outcome": "ok"}).last_pk


def test_the_shipped_retention_keeps_more_than_the_lockout_window():
    from review.config import review_settings

    kept = retention.retention()
    assert kept["sign_in_attempts_days"] * 1440 > review_settings()["sign_in"]["window_minutes"]
    assert kept["api_requests_days"] > 0 and kept["prune_every_minutes"] > 0


def test_a_sign_in_prunes_attempts_older_than_the_retention_and_keeps_the_newer(accounts_store):
    db = open_store(accounts_store)
    old = [attempt(db, ago(91)), attempt(db, ago(400), outcome="unlocked")]
    new = [attempt(db, ago(89)), attempt(db, ago(0.001))]  # the last one is inside the lockout window
    auth.sign_in(db, "alice", PASSWORD, "127.0.0.1")  # the first write of this process to this store prunes
    ids = {r["id"] for r in db.query("select id from sign_in_attempts")}
    assert not ids & set(old) and set(new) <= ids and len(ids) == len(new) + 1  # + this sign-in
    # pruned at most once an hour: an old row written now waits for the next hour's write
    late = attempt(db, ago(200))
    auth.sign_in(db, "alice", PASSWORD, "127.0.0.1")
    assert db["sign_in_attempts"].count_where("id = ?", [late]) == 1
    assert retention.prune(db, "sign_in_attempts") == 1  # the pruning itself, called directly
    db.close()


def test_the_lockout_window_is_never_pruned(tmp_path):
    db = open_store(tmp_path / "s.db")
    inside = attempt(db, ago(5 / 1440))  # 5 minutes ago, inside the 15-minute window
    assert retention.prune(db, "sign_in_attempts", days=1 / 1440, min_minutes=15) == 0  # a 1-minute retention
    assert db["sign_in_attempts"].count_where("id = ?", [inside]) == 1
    assert retention.prune(db, "sign_in_attempts", days=0) == 0  # 0 keeps for ever
    db.close()


def test_request_lines_older_than_the_retention_go_but_each_tokens_last_use_stays(tmp_path):
    db = open_store(tmp_path / "s.db")
    a, b = 1, 2  # token ids: a is used every day, b has not been used for a year
    old_a = [request_line(db, a, ago(100)), request_line(db, a, ago(95))]
    new_a = request_line(db, a, ago(1))
    old_b = [request_line(db, b, ago(400)), request_line(db, b, ago(365))]
    tokens.record_requests(db, [(None, ago(0), "POST", "/api/v1/scan", 0, 401, "missing token")])
    left = {r["id"] for r in db.query("select id from api_requests")}
    assert not left & set(old_a) and new_a in left
    assert old_b[1] in left and old_b[0] not in left  # b's latest line is its "last use"
    db.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retention")
    settings = (ROOT / "review" / "data" / "api.toml").read_text(encoding="utf-8")
    (tmp / "api.toml").write_text(settings.replace("flush_ms = 20 ", "flush_ms = 1 "), encoding="utf-8")
    env = dict(os.environ, FENTWATCH_API_SETTINGS=str(tmp / "api.toml"), PYTHONPATH=str(ROOT))
    db = tmp / "store.db"
    open_store(db).close()
    token = new_token(db, "scan", "--platform", "shop", "--scope", "scan", env=env)[0]
    store = open_store(db)
    token_id = store.execute("select id from api_tokens").fetchone()[0]
    rows = {"old_attempt": attempt(store, ago(120)), "new_attempt": attempt(store, ago(10)),
            "old_line": request_line(store, token_id, ago(120)), "older_line": request_line(store, token_id, ago(130)),
            "new_line": request_line(store, token_id, ago(10))}
    store.close()
    srv = Server(db, env)
    yield {"url": srv.url, "db": db, "token": token, "rows": rows}
    srv.close()


def test_the_review_server_prunes_what_it_writes(server):
    rows, db = server["rows"], server["db"]
    code, _, out = call(server["url"], "POST", "/api/v1/scan", server["token"], {"id": "x", "title": "Sodium chloride"})
    assert code == 200 and out["verdict"] == "allow"
    # the audit writer commits this call's line (and the start-up probe's), and prunes in the same transaction
    assert audited(db, f"select count(*) from api_requests where endpoint = '/api/v1/scan' and at >= '{ago(0.01)}'",
                   1) == 1
    form = urllib.parse.urlencode({"user": "nobody", "password": "wrong"}).encode()
    try:  # refused, as every failed sign-in is; its attempt is recorded (and the old ones pruned) either way
        urllib.request.urlopen(urllib.request.Request(server["url"] + "/login", data=form), timeout=30).read()
    except urllib.error.HTTPError:
        pass
    store = open_store(db)
    attempts = {r["id"] for r in store.query("select id from sign_in_attempts")}
    lines = {r["id"] for r in store.query("select id from api_requests")}
    store.close()
    assert rows["old_attempt"] not in attempts and rows["new_attempt"] in attempts and len(attempts) == 2
    assert rows["old_line"] not in lines and rows["older_line"] not in lines and rows["new_line"] in lines
