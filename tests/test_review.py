"""The review side on a real SQLite file: accounts and sessions, decisions and their audit trail, role rules,
claims, suppression of dismissed false positives, takedown verification and takedown batches."""

import csv
import io
import json
import sqlite3
import threading

import pytest

from lexicon import load_lexicon
from review import auth, queue, takedowns
from store.db import open_store, save_page

HIT = {"substance": "Fentanyl", "category": "fentanyl-like", "inchikey": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",
       "method": "name", "matched": "fentanyl", "start": 0, "end": 8, "rules": [], "score": 0.9}
ANALOG = {"substance": "unlisted fentanyl analog (C22H27FN2O2)", "category": "fentanyl-like",
          "inchikey": "KDXSBALZECTNCT-UHFFFAOYSA-N", "method": "class-rule", "matched": "N-(4-fluorophenyl)-...",
          "start": 10, "end": 30, "rules": ["CN-2019(1)", "US-FRS(E)"], "score": 0.9}
PASSWORD = "correct horse battery"


def page(n=1, text="fentanyl 99%", **kw):
    return dict({"url": f"http://127.0.0.1:8000/p/{n}.html", "platform": "b2b", "seller": "Acme Co., Ltd.",
                 "title": f"Offer {n}", "text": text, "price": "USD 1", "body": f"<p>{text}</p>".encode(),
                 "http_status": 200, "headers": {}, "fetched_at": "2026-11-22T10:00:00+00:00"}, **kw)


def result(*hits):
    return {"flagged": bool(hits), "score": max((h["score"] for h in hits), default=0.0), "hits": list(hits)}


ROLES = {"alice": "lead", "bob": "moderator", "carol": "moderator"}


@pytest.fixture
def db(accounts_store):
    return open_store(accounts_store)  # conftest.py: a store with the accounts of ROLES, made once per session


def session(db, name):
    """A signed-in moderator for the decision tests (sign-in itself is tested on its own above them)."""
    return auth.Session(name, ROLES[name], f"csrf-{name}", f"token-{name}")


def listing(db, n=1, *hits):
    return save_page(db, page(n), result(*(hits or (HIT,)))).listing_id


def seq(db, lid):
    return db["listings"].get(lid)["decision_seq"]


# -- accounts and sessions --------------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2id_hashes_and_checked(db):
    row = db["users"].get("bob")
    assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
    token, s = auth.sign_in(db, "bob", PASSWORD)
    assert auth.session_for(db, token) == s and s.role == "moderator"
    with pytest.raises(auth.AuthError, match="wrong user name or password"):
        auth.sign_in(db, "bob", "not the password")
    with pytest.raises(auth.AuthError, match="wrong user name or password"):
        auth.sign_in(db, "nobody", PASSWORD)
    outcomes = [r["outcome"] for r in db.query("select outcome from audit where action = 'sign-in' order by id")]
    assert outcomes == ["applied", "refused", "refused"]


def test_weak_passwords_bad_names_and_roles_are_refused(db):
    with pytest.raises(auth.AuthError, match="at least 10"):
        auth.add_user(db, "dave", "moderator", "short")
    with pytest.raises(auth.AuthError, match="role"):
        auth.add_user(db, "dave", "admin", PASSWORD)
    with pytest.raises(auth.AuthError, match="letters, digits"):
        auth.add_user(db, "<script>", "moderator", PASSWORD)
    with pytest.raises(auth.AuthError, match="exists already"):
        auth.add_user(db, "bob", "moderator", PASSWORD)


def test_repeated_failures_lock_the_account_even_for_the_right_password(db):
    for _ in range(5):
        with pytest.raises(auth.AuthError):
            auth.sign_in(db, "carol", "wrong password!")
    with pytest.raises(auth.AuthError, match="too many failed sign-ins"):
        auth.sign_in(db, "carol", PASSWORD)
    last = next(db.query("select reason from audit where action = 'sign-in' order by id desc limit 1"))
    assert last["reason"] == "locked"


def test_sessions_expire_when_idle_and_end_on_sign_out_or_disable(db):
    token, s = auth.sign_in(db, "bob", PASSWORD)
    db.execute("update sessions set seen_at = '2020-01-01T00:00:00+00:00'")
    db.conn.commit()
    assert auth.session_for(db, token) is None and db["sessions"].count == 0
    token, s = auth.sign_in(db, "bob", PASSWORD)
    auth.sign_out(db, s)
    assert auth.session_for(db, token) is None
    token, _ = auth.sign_in(db, "bob", PASSWORD)
    auth.set_disabled(db, "bob", True)
    assert auth.session_for(db, token) is None
    with pytest.raises(auth.AuthError):
        auth.sign_in(db, "bob", PASSWORD)


def test_csrf_token_is_per_session_and_compared_exactly(db):
    a, b = auth.sign_in(db, "bob", PASSWORD)[1], auth.sign_in(db, "carol", PASSWORD)[1]
    assert a.csrf != b.csrf and auth.csrf_ok(a, a.csrf)
    assert not auth.csrf_ok(a, b.csrf) and not auth.csrf_ok(a, "") and not auth.csrf_ok(a, None)


# -- decisions and the audit log --------------------------------------------------------------------------------

def test_a_decision_changes_the_status_and_is_audited(db):
    lid = listing(db)
    out = queue.decide(db, session(db, "bob"), lid, "takedown", seq(db, lid))
    assert out.ok
    row = db["listings"].get(lid)
    assert (row["status"], row["decided_by"], row["decision_seq"]) == ("takedown-requested", "bob", 1)
    (entry,) = queue.audit_for(db, lid)
    assert (entry["actor"], entry["action"], entry["from_status"], entry["to_status"], entry["outcome"]) == \
        ("bob", "takedown", "open", "takedown-requested", "applied")
    assert db["takedowns"].count == 1


def test_the_audit_log_cannot_be_edited_or_deleted(db):
    lid = listing(db)
    queue.decide(db, session(db, "bob"), lid, "escalate", seq(db, lid))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("update audit set actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("delete from audit")


def test_a_stale_form_is_refused_and_the_attempt_is_logged(db):
    lid = listing(db)
    opened = seq(db, lid)
    assert queue.decide(db, session(db, "bob"), lid, "takedown", opened).ok
    late = queue.decide(db, session(db, "carol"), lid, "dismiss", opened, reason="false-positive")
    assert not late.ok and "changed since you opened it" in late.message
    assert db["listings"].get(lid)["status"] == "takedown-requested"
    assert [(a["actor"], a["outcome"]) for a in queue.audit_for(db, lid)] == [("bob", "applied"), ("carol", "refused")]


def test_two_moderators_deciding_at_once_end_with_one_decision(tmp_path, db):
    lid = listing(db)
    opened = seq(db, lid)
    path = tmp_path / "store.db"
    outcomes, barrier = {}, threading.Barrier(2)

    def work(name, action, reason):
        own = open_store(path)  # each moderator's request has its own connection, as in the web app
        own.execute("PRAGMA busy_timeout = 10000")
        s = auth.sign_in(own, name, PASSWORD)[1]
        barrier.wait()
        outcomes[name] = queue.decide(own, s, lid, action, opened, reason=reason)

    threads = [threading.Thread(target=work, args=("bob", "takedown", "")),
               threading.Thread(target=work, args=("carol", "dismiss", "false-positive"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.ok for o in outcomes.values()) == [False, True]
    winner = next(n for n, o in outcomes.items() if o.ok)
    row = open_store(path)["listings"].get(lid)
    assert row["decided_by"] == winner and row["decision_seq"] == opened + 1
    trail = [(a["actor"], a["outcome"]) for a in queue.audit_for(open_store(path), lid)]
    assert sorted(trail) == sorted([("bob", "applied" if winner == "bob" else "refused"),
                                    ("carol", "applied" if winner == "carol" else "refused")])


def test_role_rules(db):
    bob, carol, alice = session(db, "bob"), session(db, "carol"), session(db, "alice")
    lid = listing(db)
    assert queue.decide(db, bob, lid, "dismiss", seq(db, lid), reason="not-an-offer").ok
    refused = queue.decide(db, carol, lid, "takedown", seq(db, lid))
    assert not refused.ok and "only a lead can change bob's decision" in refused.message
    assert not queue.decide(db, bob, lid, "reopen", seq(db, lid)).ok  # not even their own dismissal
    assert queue.decide(db, alice, lid, "reopen", seq(db, lid)).ok
    assert queue.decide(db, bob, lid, "escalate", seq(db, lid)).ok
    assert "waits for a lead" in queue.decide(db, bob, lid, "takedown", seq(db, lid)).message
    assert queue.decide(db, alice, lid, "takedown", seq(db, lid)).ok


def test_dismissing_needs_a_known_reason(db):
    bob = session(db, "bob")
    lid = listing(db)
    assert "choose a reason" in queue.decide(db, bob, lid, "dismiss", seq(db, lid), reason="").message
    assert "say why" in queue.decide(db, bob, lid, "dismiss", seq(db, lid), reason="other").message
    assert queue.decide(db, bob, lid, "dismiss", seq(db, lid), reason="other", note="test listing").ok


def test_a_claimed_listing_is_left_to_its_moderator_until_the_claim_lapses(db):
    bob, carol = session(db, "bob"), session(db, "carol")
    lid = listing(db)
    assert queue.claim(db, bob, lid).ok
    assert not queue.claim(db, carol, lid).ok
    assert "bob is working on this listing" in queue.decide(db, carol, lid, "takedown", seq(db, lid)).message
    db.execute("update listings set claimed_at = '2020-01-01T00:00:00+00:00' where id = ?", [lid])
    db.conn.commit()
    assert queue.decide(db, carol, lid, "takedown", seq(db, lid)).ok


def test_bulk_decisions_are_audited_per_listing(db):
    bob = session(db, "bob")
    ids = [listing(db, n) for n in (1, 2, 3)]
    outs = queue.decide_many(db, bob, [(i, seq(db, i)) for i in ids], "takedown")
    assert all(o.ok for o in outs)
    assert db.execute("select count(*) from audit where action = 'takedown' and outcome = 'applied'").fetchone()[0] == 3


# -- the queue --------------------------------------------------------------------------------------------------

def test_queue_order_filters_and_facets(db):
    a = save_page(db, page(1), result(dict(HIT, score=0.6))).listing_id
    b = save_page(db, page(2, platform="catalog"), result(ANALOG)).listing_id
    c = save_page(db, page(3, fetched_at="2026-11-21T10:00:00+00:00"), result(dict(HIT, score=0.6))).listing_id
    save_page(db, page(4, text="nothing"), result())
    rows, total = queue.queue(db, {"status": "open"})
    assert [r["id"] for r in rows] == [b, c, a] and total == 3  # score first, then the longest waiting
    rows, total = queue.queue(db, {"status": "open", "method": "class-rule"})
    assert [r["id"] for r in rows] == [b]
    f = queue.facets(db, {"status": "open", "platform": "b2b"})
    assert dict(f["platform"]) == {"b2b": 2, "catalog": 1}  # a facet is counted without its own filter
    assert dict(f["method"]) == {"name": 2} and dict(f["status"]) == {"open": 2, "clean": 1}


# -- crawls after decisions -------------------------------------------------------------------------------------

def test_a_dismissed_false_positive_does_not_come_back_while_unchanged(db):
    bob = session(db, "bob")
    lid = listing(db)
    assert queue.decide(db, bob, lid, "dismiss", seq(db, lid), reason="false-positive").ok
    assert save_page(db, page(fetched_at="2026-11-23T10:00:00+00:00"), result(HIT)).queued is False
    other = dict(HIT, substance="Carfentanil", inchikey="YDSDEBIZUNNPOB-UHFFFAOYSA-N", matched="carfentanil")
    changed = save_page(db, page(text="carfentanil 99%"), result(other))
    assert changed.queued and db["listings"].get(lid)["status"] == "open"  # new content: back in the queue
    queue.decide(db, bob, lid, "dismiss", seq(db, lid), reason="not-an-offer")
    back = save_page(db, page(), result(HIT))  # the dismissed content again, with changed hits
    assert not back.queued and db["listings"].get(lid)["status"] == "dismissed"


def test_the_next_crawl_verifies_a_takedown_both_ways(db):
    bob = session(db, "bob")
    gone, still = listing(db, 1), listing(db, 2)
    for lid in (gone, still):
        assert queue.decide(db, bob, lid, "takedown", seq(db, lid)).ok
    batch = takedowns.create_batch(db, bob, "b2b")
    assert takedowns.mark_sent(db, bob, batch, "abuse@example.com") == ""  # still online counts only once sent
    stale = seq(db, still)
    assert save_page(db, page(1, http_status=404), None).outcome == "removed"
    saved = save_page(db, page(2, fetched_at="2026-11-24T10:00:00+00:00"), result(HIT))
    assert saved.queued
    assert db["listings"].get(gone)["status"] == "removed"
    row = db["listings"].get(still)
    assert (row["status"], row["still_online"]) == ("open", 1)
    assert queue.audit_for(db, still)[-1]["actor"] == "crawler"
    assert "changed since you opened it" in queue.decide(db, bob, still, "dismiss", stale,
                                                          reason="duplicate").message


# -- takedown batches -------------------------------------------------------------------------------------------

def test_a_takedown_batch_carries_the_legal_basis_and_the_evidence(db):
    bob = session(db, "bob")
    evil = save_page(db, page(1, title="=HYPERLINK(\"http://example.com\")"), result(HIT, ANALOG)).listing_id
    other = save_page(db, page(2, platform="catalog"), result(HIT)).listing_id
    for lid in (evil, other):
        queue.decide(db, bob, lid, "takedown", seq(db, lid))
    assert dict(takedowns.pending_by_platform(db)) == {"b2b": 1, "catalog": 1}
    batch = takedowns.create_batch(db, bob, "b2b")
    assert takedowns.create_batch(db, bob, "b2b") is None  # nothing left to send for b2b
    (row,) = takedowns.batch_rows(db, load_lexicon(), batch)
    assert row["url"].endswith("/p/1.html") and row["requested_by"] == "bob"
    assert row["evidence_sha256"] == db["snapshots"].rows_where("listing_id = ?", [evil]).__next__()["sha256"]
    basis = " | ".join(row["legal_basis"])
    assert "US: 21 CFR 1308.12(c)" in basis and "CN-2019(1)" in basis and "US-FRS(E)" in basis
    cells = list(csv.DictReader(io.StringIO(takedowns.to_csv([row]))))
    assert cells[0]["title"].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    assert json.loads(takedowns.to_json({"id": batch}, [row]))["requests"][0]["substances"] == sorted(
        [HIT["substance"], ANALOG["substance"]])


# -- rendering helpers ------------------------------------------------------------------------------------------

def test_redirect_targets_stay_on_the_site_and_links_are_http_only():
    from review.web import local_path, safe_href

    for evil in ("//evil.example.com/x", "/\\evil.example.com", "https://evil.example.com", "javascript:alert(1)", ""):
        assert local_path(evil, "/queue") == "/queue"
    assert local_path("/listing/3?x=1", "/queue") == "/listing/3?x=1"
    for evil in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "vbscript:x", "//x"):
        assert safe_href(evil) == ""
    assert safe_href("https://example.com/a") == "https://example.com/a"


def test_highlight_cuts_the_text_at_hit_offsets_and_marks_overlaps_once():
    from review.web import highlight

    text = "buy fentanyl citrate now"
    hits = [{"start": 4, "end": 12, "id": 1}, {"start": 4, "end": 20, "id": 2}, {"start": 13, "end": 20, "id": 3}]
    segments = highlight(text, hits)
    assert "".join(t for t, _ in segments) == text
    assert [(t, h["id"]) for t, h in segments if h] == [("fentanyl citrate", 2)]
