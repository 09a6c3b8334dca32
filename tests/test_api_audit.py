"""The API's audit writer and token cache (review/api_audit.py, review/api.py): every request's line reaches the
store, many lines to a commit, none lost when the server stops; a revoked token is refused within the cache's time.

The writer runs against real SQLite files; the server tests run the real `fentwatch review` process on loopback.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time

from review.api_audit import AuditQueue
from store.db import connect, open_store
from test_api import OFFER, Server, call, new_token, run_cli
from review_app import ROOT


def audit_lines(db, where: str = "1") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"select count(*) from api_requests where {where}").fetchone()[0]
    finally:
        conn.close()


def eventually(check, timeout: float = 30):
    """``check()`` once it is true, polled until ``timeout`` (then its last, false, value)."""
    deadline = time.monotonic() + timeout
    while not (value := check()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def test_lines_of_many_threads_are_all_written_in_order_of_queueing(tmp_path):
    db = tmp_path / "store.db"
    open_store(db).close()
    q = AuditQueue(str(db), threading.Lock(), flush_seconds=0.005)

    def client(n):
        for i in range(100):
            q.put(n, "POST", f"/api/v1/scan#{n}-{i}", 1, 200, "ok")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q.flush()
    assert audit_lines(db) == 800  # flush: every line queued before it is committed, visible to another connection
    rows = sqlite3.connect(db).execute("select token_id, endpoint from api_requests order by id").fetchall()
    for n in range(8):  # each thread's lines in the order it queued them
        assert [e for t, e in rows if t == n] == [f"/api/v1/scan#{n}-{i}" for i in range(100)]
    q.close()
    q.put(None, "GET", "/api/v1/decisions", 0, 401, "missing token")  # a line after close starts the writer again
    q.close()
    assert audit_lines(db) == 801


def test_lines_wait_for_a_locked_store_and_none_is_lost(tmp_path):
    db = tmp_path / "store.db"
    open_store(db).close()
    holder = connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    q = AuditQueue(str(db), threading.Lock(), flush_seconds=0)
    for i in range(5):
        q.put(1, "POST", "/api/v1/listings", 1, 201, "ok")
    assert audit_lines(db) == 0
    holder.execute("COMMIT")
    holder.close()
    q.close()
    assert audit_lines(db) == 5


def settings(tmp_path, **changes) -> dict:
    """The environment of a server whose API settings differ from review/data/api.toml by ``changes``."""
    text = (ROOT / "review" / "data" / "api.toml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "api.toml"
    path.write_text(text, encoding="utf-8")
    return dict(os.environ, FENTWATCH_API_SETTINGS=str(path), PYTHONPATH=str(ROOT))


def test_every_answered_request_is_in_the_audit_after_sigterm(tmp_path):
    # lines wait a minute for their commit here: only the shutdown can have written them
    env = settings(tmp_path, **{"flush_ms = 20 ": "flush_ms = 60000 "})
    db = tmp_path / "store.db"
    open_store(db).close()
    token, _ = new_token(db, "shop", "--platform", "shop", env=env)
    server = Server(db, env)  # forked warm: the real command in a process of its own, SIGTERMed itself below
    try:
        codes = [call(server.url, "POST", "/api/v1/scan", token, dict(OFFER, id=f"a{i}"))[0] for i in range(6)]
        codes += [call(server.url, "POST", "/api/v1/listings", token, dict(OFFER, id=f"b{i}"))[0] for i in range(3)]
        codes.append(call(server.url, "POST", "/api/v1/scan", "fw_unknown", OFFER)[0])
        assert codes == [200] * 6 + [201] * 3 + [401]
        assert audit_lines(db, "endpoint != '/api/v1/openapi.json'") == 0  # still queued
    finally:
        os.kill(server.proc.pid, signal.SIGTERM)  # to the server process itself (WarmServer.pid), not its client
        assert server.proc.wait(60) == 0
    assert audit_lines(db, "endpoint = '/api/v1/scan' and status = 200 and listings = 1") == 6
    assert audit_lines(db, "endpoint = '/api/v1/listings' and status = 201") == 3
    assert audit_lines(db, "token_id is null and status = 401") == 1


def test_a_revoked_token_is_refused_within_the_cache_time_and_a_new_one_works_at_once(tmp_path):
    # the shipped cache time, 1 s (asserted by the replacement): the test waits it out once
    env = settings(tmp_path, **{"token_cache_seconds = 1 ": "token_cache_seconds = 1 "})
    db = tmp_path / "store.db"
    open_store(db).close()
    token, _ = new_token(db, "shop", "--platform", "shop", env=env)
    server = Server(db, env)
    try:
        assert call(server.url, "POST", "/api/v1/scan", token, OFFER)[0] == 200  # now in the cache
        later, _ = new_token(db, "later", "--platform", "shop", env=env)
        assert call(server.url, "POST", "/api/v1/scan", later, OFFER)[0] == 200  # unknown ones are never cached
        run_cli("tokens", "revoke", "shop", "--db", str(db), env=env)
        revoked_at = time.monotonic()
        assert eventually(lambda: call(server.url, "POST", "/api/v1/scan", token, OFFER)[0] == 401)
        refused_after = time.monotonic() - revoked_at
        assert [call(server.url, "POST", "/api/v1/scan", token, OFFER)[0] for _ in range(3)] == [401] * 3
        assert call(server.url, "POST", "/api/v1/scan", later, OFFER)[0] == 200
    finally:
        server.close()
    print(f"revoked token refused after {refused_after:.2f} s")


def test_the_scan_worker_answers_as_the_server_itself_does(tmp_path):
    from test_api import CLEAN, PRECURSOR

    env = settings(tmp_path, **{"scan_worker = false": "scan_worker = true"})
    db = tmp_path / "store.db"
    open_store(db).close()
    token, _ = new_token(db, "shop", "--platform", "shop", env=env)
    server = Server(db, env)
    try:
        children = [int(c) for task in os.listdir(f"/proc/{server.proc.pid}/task")
                    for c in open(f"/proc/{server.proc.pid}/task/{task}/children").read().split()]
        assert any(open(f"/proc/{c}/comm").read().strip().startswith("python") for c in children)  # the worker
        big = {"id": "big", "title": "Sodium chloride", "text": "Food grade salt, 25kg bags. " * 2200}  # second lane
        code, _, out = call(server.url, "POST", "/api/v1/scan", token,
                            {"listings": [dict(OFFER, id="w1"), big, PRECURSOR, CLEAN]})
        assert code == 200
        assert [(r["id"], r["verdict"]) for r in out["results"]] == \
            [("w1", "block"), ("big", "allow"), ("shop-2", "hold"), ("shop-3", "allow")]
        assert {h["substance"] for h in out["results"][0]["hits"]} == {"Fentanyl"}
        code, _, one = call(server.url, "POST", "/api/v1/listings", token, dict(OFFER, id="w2"))
        assert code == 201 and one["verdict"] == "block" and one["flagged"]
    finally:
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(60) == 0
