"""The platform API follows the store's lexicon additions without a restart: the real `fentwatch review` server on
loopback, called over real HTTP, while a lead adds a name to the real store file from another process (and
withdraws it with the real `fentwatch lexicon withdraw`).

The test server reads the additions on every call ([lexicon] check_seconds = 0); the shipped setting (1 s) only
spaces the reads out. Both ways of scanning are tried: in the server's process, and in its scan worker process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from store import additions
from store.db import open_store
from review_app import ROOT
from test_api import Server, call, new_token, run_cli

# a made-up code word (no fentanyl stem, no lexicon name) in an advertisement
CODE_WORD = "Marmot Blue"
OFFER = {"id": "mb-1", "title": "Marmot Blue 99% in stock", "text": "Marmot Blue powder, 10g bags, fast shipping. "
         "Contact +00 000 0000"}


@dataclass
class Lead:
    user: str
    is_lead: bool = True


@pytest.fixture(scope="module", params=[False, True], ids=["in-process", "scan-worker"])
def api(request, tmp_path_factory, account_stores):
    tmp = tmp_path_factory.mktemp("api-lexicon")
    settings = (ROOT / "review" / "data" / "api.toml").read_text(encoding="utf-8")
    assert "check_seconds = 1 " in settings and "scan_worker = false " in settings
    settings = settings.replace("check_seconds = 1 ", "check_seconds = 0 ")
    if request.param:  # the first lane scans in a worker process forked at start: it rebuilds its own detector
        settings = settings.replace("scan_worker = false ", "scan_worker = true ")
    (tmp / "api.toml").write_text(settings, encoding="utf-8")
    env = dict(os.environ, FENTWATCH_API_SETTINGS=str(tmp / "api.toml"), PYTHONPATH=str(ROOT))
    db = tmp / "store.db"
    db.write_bytes(account_stores({"alice": "lead"}))  # conftest.py: the account, hashed once per session
    token = new_token(db, "scan", "--platform", "shop", "--scope", "scan,submit,read", env=env)[0]
    server = Server(db, env)
    yield {"url": server.url, "db": db, "token": token, "env": env}
    server.close()


def scan(api, listing) -> dict:
    code, _, out = call(api["url"], "POST", "/api/v1/scan", api["token"], listing)
    assert code == 200, out
    return out


def test_an_addition_reaches_the_running_api_and_a_withdrawal_leaves_it(api):
    before = scan(api, OFFER)
    assert not before["flagged"] and before["verdict"] == "allow"
    store = open_store(api["db"])
    row = additions.add(store, Lead("alice"), {"kind": "synonym", "text": CODE_WORD, "substance_id": "fentanyl",
                                               "name_kind": "codes", "why": "seen in listing mb-1"})
    assert row["status"] == "active"
    after = scan(api, OFFER)  # the same server process, no restart
    assert after["flagged"] and after["verdict"] == "block"
    assert {(h["substance"], h["matched"]) for h in after["hits"]} == {("Fentanyl", CODE_WORD)}  # title and text
    # a submitted listing is stored with the lexicon version it was scanned with (the shipped one plus the addition)
    code, _, sub = call(api["url"], "POST", "/api/v1/listings", api["token"], dict(OFFER, id="mb-2"))
    assert code == 201 and sub["flagged"]
    (version,) = {r["lexicon_version"] for r in store.query("select lexicon_version from hits")}
    assert "+local." in version
    run_cli("lexicon", "withdraw", str(row["id"]), "--by", "alice", "--why", "a paint colour, not a code word",
            "--db", str(api["db"]), env=api["env"])
    gone = scan(api, OFFER)
    assert not gone["flagged"] and gone["verdict"] == "allow"
    store.close()
