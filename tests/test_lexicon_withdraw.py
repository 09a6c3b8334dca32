"""Withdrawing a lexicon addition, on a real store file with the real detector: from the command line
(`fentwatch lexicon withdraw`) and from the review app's lexicon page. A withdrawn addition stays in the store with
who withdrew it, when and why, is audited like the adding, and no detector of the store uses it any more (the
store's detector for crawls and re-scans, `fentwatch ingest`, `fentwatch rescan`, the export). The platform API's
side is in test_api_lexicon.py."""

import json

import pytest

from clirun import fentwatch
from review import auth
from review.web import create_app
from store import additions
from store.db import open_store, save_page

PASSWORD = "correct horse battery"
ROLES = {"alice": "lead", "dave": "lead", "bob": "moderator"}
CODE_WORD = "Marmot Blue"  # a made-up code word: no lexicon name, no fentanyl stem
OFFER = "Marmot Blue 99% white powder in stock, 10g bags. Contact: +00 000 0000"


def lead(name="alice"):
    return auth.Session(name, "lead", "csrf", "token")


@pytest.fixture
def path(accounts_store):
    return accounts_store  # conftest.py: a store with the accounts of ROLES


@pytest.fixture
def db(path):
    store = open_store(path)
    yield store
    store.close()


def teach(db, text=CODE_WORD, kind="synonym"):
    extra = {"substance_id": "fentanyl", "name_kind": "codes"} if kind == "synonym" else {}
    return additions.add(db, lead(), {"kind": kind, "text": text, "why": "seen on a shop page", **extra})


def stored_offer(db, path, n=1, text=OFFER):
    """A listing saved the way a crawl saves it, scanned with the store's detector (shipped lexicon + additions)."""
    det = additions.detector_for(path)
    result = det.scan({"id": str(n), "title": f"Offer {n}", "text": text}).to_json()
    page = {"url": f"http://127.0.0.1:8000/p/{n}.html", "platform": "b2b", "seller": "Example Co.",
            "title": f"Offer {n}", "text": text, "price": "USD 1", "body": f"<p>{text}</p>".encode(),
            "http_status": 200, "headers": {}, "fetched_at": "2026-11-22T10:00:00+00:00"}
    return save_page(db, page, result, det.version, det.lex.version).listing_id, result


def test_withdraw_from_the_command_line_is_recorded_and_audited_and_the_store_stops_using_it(db, path, tmp_path):
    row = teach(db)
    lid, result = stored_offer(db, path)
    assert result["flagged"]
    done = fentwatch("lexicon", "withdraw", "marmot blue", "--by", "alice", "--why", "a paint colour, not a code word",
                     "--db", path)
    assert done.exit_code == 0, done.output
    assert f"would unflag 1 stored listing(s): [{lid}]" in done.stdout and "fentwatch rescan" in done.stdout
    got = db["lexicon_additions"].get(row["id"])
    assert (got["status"], got["active"], got["withdrawn_by"], got["withdrawn_why"]) == \
        ("withdrawn", 0, "alice", "a paint colour, not a code word")
    assert got["withdrawn_at"] and got["by"] == "alice" and got["text"] == CODE_WORD  # the row itself stays
    (audit,) = db.query("select * from audit where action = 'lexicon-withdraw'")
    note = json.loads(audit["note"])
    assert (audit["actor"], audit["outcome"], audit["reason"]) == ("alice", "applied", "synonym")
    assert note == {"addition": row["id"], "text": CODE_WORD, "substance_id": "fentanyl",
                    "why": "a paint colour, not a code word", "was": "active", "would_unflag": [lid]}
    # no detector of the store uses it any more
    assert not additions.detector_for(path).scan({"title": "x", "text": OFFER}).flagged
    assert additions.additions(db) == []
    export = fentwatch("lexicon", "export", "--db", path)
    assert export.exit_code == 0 and CODE_WORD not in export.stdout
    rescan = fentwatch("rescan", "--db", path)
    assert rescan.exit_code == 0, rescan.output
    assert db["listings"].get(lid)["flagged"] == 0
    assert [r["retracted"] for r in db.query("select retracted from hits where listing_id = ?", [lid])] != [None]


def test_ingest_no_longer_finds_a_withdrawn_code_word(db, path, tmp_path):
    row = teach(db)
    src = tmp_path / "export.jsonl"
    src.write_text(json.dumps({"id": "B1", "title": "Offer", "text": OFFER}) + "\n", encoding="utf-8")
    additions.withdraw(db, lead("dave"), row["id"], "not a code word after all")
    done = fentwatch("ingest", src, "--platform", "shop", "--db", path)
    assert done.exit_code == 0, done.output
    assert "0 flagged" in done.stdout
    assert db.execute("select flagged from listings").fetchone()[0] == 0


@pytest.mark.parametrize("args, message", [
    # (command-line arguments after the addition, the error it must give)
    (["--by", "bob", "--why", "x"], "only a lead"),                 # a moderator cannot withdraw
    (["--by", "mallory", "--why", "x"], "no active review account"),  # nor someone without an account
    (["--by", "alice", "--why", "   "], "say why"),                 # a reason is required
])
def test_withdraw_is_refused_without_a_lead_or_a_reason(db, path, args, message):
    row = teach(db)
    done = fentwatch("lexicon", "withdraw", str(row["id"]), *args, "--db", path)
    assert done.exit_code == 1 and message in done.stderr
    assert db["lexicon_additions"].get(row["id"])["status"] == "active"
    assert db["audit"].count_where("action = 'lexicon-withdraw'") == 0


def test_an_addition_is_withdrawn_once_and_an_unknown_one_is_named(db, path):
    row = teach(db)
    assert fentwatch("lexicon", "withdraw", str(row["id"]), "--by", "alice", "--why", "x", "--db", path).exit_code == 0
    again = fentwatch("lexicon", "withdraw", str(row["id"]), "--by", "alice", "--why", "x", "--db", path)
    assert again.exit_code == 1 and "no active or pending lexicon addition" in again.stderr
    unknown = fentwatch("lexicon", "withdraw", "no such name", "--by", "alice", "--why", "x", "--db", path)
    assert unknown.exit_code == 1 and "'no such name'" in unknown.stderr
    assert db["audit"].count_where("action = 'lexicon-withdraw'") == 1


def test_a_pending_lookalike_can_be_withdrawn_before_a_second_lead_sees_it(db, path):
    lid, result = stored_offer(db, path, 1, "Sublimaze injection 99% in stock, 10 vials. Contact: +00 000 0000")
    assert result["flagged"]
    row = teach(db, "sublimaze injection", kind="lookalike")
    assert row["status"] == "pending"
    done = additions.withdraw(db, lead(), row["id"], "added by mistake")
    assert (done["status"], done["would_unflag"]) == ("withdrawn", [])
    assert additions.pending(db) == []
    with pytest.raises(additions.AdditionError, match="no such pending addition"):
        additions.review(db, lead("dave"), row["id"], approve=True)


def signed_in(app, db, name):
    client = app.test_client()
    assert client.post("/login", data={"user": name, "password": PASSWORD}).status_code == 302
    csrf = db.execute("select csrf from sessions where user = ? order by created_at desc, rowid desc limit 1",
                      [name]).fetchone()[0]
    return client, csrf


def test_a_lead_withdraws_on_the_lexicon_page_and_a_moderator_cannot(db, path):
    row = teach(db)
    app = create_app(path)
    bob, bob_csrf = signed_in(app, db, "bob")
    assert "Withdraw</button>" not in bob.get("/lexicon").text
    assert bob.post(f"/lexicon/{row['id']}/withdraw", data={"csrf_token": bob_csrf, "why": "x"}).status_code == 403
    assert db["lexicon_additions"].get(row["id"])["status"] == "active"
    dave, csrf = signed_in(app, db, "dave")
    assert dave.post(f"/lexicon/{row['id']}/withdraw", data={"csrf_token": csrf, "why": ""}).status_code == 302
    assert db["lexicon_additions"].get(row["id"])["status"] == "active"  # no reason, no withdrawal
    resp = dave.post(f"/lexicon/{row['id']}/withdraw", data={"csrf_token": csrf, "why": "a paint colour"})
    assert resp.status_code == 302
    got = db["lexicon_additions"].get(row["id"])
    assert (got["status"], got["withdrawn_by"], got["withdrawn_why"]) == ("withdrawn", "dave", "a paint colour")
    page = dave.get("/lexicon").text
    assert 'id="withdrawn"' in page and "a paint colour" in page and "No additions yet." in page
