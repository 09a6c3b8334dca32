"""The review app's edge against hostile users (issue 16, items 4, 5, 7 and 8): request limits (Flask and real
waitress on 127.0.0.1), sign-in lockout, integers from the request, all-or-nothing bulk decisions, CSV cells,
trusted proxies and allowed hosts, next= with CR/LF, and look-alikes that would unflag stored listings.
Each test failed on the code before this change."""

import socket
import threading
import tomllib

import pytest
import yaml
from click.testing import CliRunner

from detect.engine import default_detector
from fentwatch.cli import main as cli
from lexicon.additions import to_yaml
from review import auth, queue, takedowns
from review.config import SETTINGS_FILE, review_settings
from review.web import create_app
from store import additions
from store.db import open_store, save_page
from store.export import csv_cell

PASSWORD = "correct horse battery"
ROLES = {"alice": "lead", "dave": "lead", "bob": "moderator", "carol": "moderator"}
BIG = "9" * 30  # far above SQLite's 64-bit integers
HIT = {"substance": "Fentanyl", "category": "fentanyl-like", "inchikey": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",
       "method": "name", "matched": "fentanyl", "start": 0, "end": 8, "rules": [], "score": 0.9}


@pytest.fixture
def path(accounts_store):
    return accounts_store  # conftest.py: a store with the accounts of ROLES, made once per session


@pytest.fixture
def db(path):
    return open_store(path)


@pytest.fixture
def app(path):
    return create_app(path)


def page(n, text="Fentanyl 99% powder in stock", seller="Acme Co., Ltd."):
    return {"url": f"http://127.0.0.1:8000/p/{n}.html", "platform": "b2b", "seller": seller, "title": f"Offer {n}",
            "text": text, "price": "USD 1", "body": f"<p>{text}</p>".encode(), "http_status": 200, "headers": {},
            "fetched_at": "2026-11-22T10:00:00+00:00"}


def listing(db, n):
    return save_page(db, page(n), {"flagged": True, "score": 0.9, "hits": [HIT]}).listing_id


def signed_in(app, db, name):
    """A test client signed in as ``name`` through the sign-in form, and its CSRF token."""
    client = app.test_client()
    resp = client.post("/login", data={"user": name, "password": PASSWORD})
    assert resp.status_code == 302, resp.text
    csrf = db.execute("select csrf from sessions where user = ? order by created_at desc, rowid desc limit 1",
                      [name]).fetchone()[0]
    return client, csrf


# -- request limits (item 4) ------------------------------------------------------------------------------------

def test_a_body_over_the_limit_is_refused_before_it_is_read(app):
    limit = review_settings()["requests"]["max_body_bytes"]
    resp = app.test_client().post("/login", data={"user": "alice", "password": "x" * (limit + 1)})
    assert resp.status_code == 413
    many = {f"f{i}": "1" for i in range(review_settings()["requests"]["max_form_parts"] + 1)}
    assert app.test_client().post("/login", data=many, content_type="multipart/form-data").status_code == 413


def test_waitress_cuts_a_chunked_body_while_it_streams(path):
    """Real waitress on 127.0.0.1 with the app's limits: a chunked 8 MiB form body gets 413, and waitress stops
    reading (the upload is refused long before all of it is sent)."""
    from waitress.server import create_server

    from review import edge

    server = create_server(create_app(path), host="127.0.0.1", port=0, threads=2, **edge.waitress_limits())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        sent, chunk = 0, b"user=a&password=" + b"x" * 65536
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as s:
            s.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
            try:
                for _ in range(128):
                    s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
            except OSError:  # waitress closed the connection after refusing the body
                pass
            answer = b""
            try:
                while b"\r\n" not in answer:
                    data = s.recv(4096)
                    if not data:
                        break
                    answer += data
            except OSError:
                pass
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    finally:
        server.close()
        thread.join(10)


# -- sign-in (item 5) -------------------------------------------------------------------------------------------

def test_unknown_and_locked_users_get_the_same_answer(app, db):
    client = app.test_client()
    for _ in range(review_settings()["sign_in"]["max_failures"]):
        client.post("/login", data={"user": "carol", "password": "wrong password!"})
        client.post("/login", data={"user": "nobody", "password": "wrong password!"})
    locked = client.post("/login", data={"user": "carol", "password": PASSWORD})
    unknown = client.post("/login", data={"user": "nobody", "password": PASSWORD})
    assert locked.status_code == unknown.status_code == 401
    assert locked.text == unknown.text
    assert db.execute("select count(*) from sessions where user = 'carol'").fetchone()[0] == 0


def test_lockout_counts_per_source_address_too(db, monkeypatch):
    monkeypatch.setitem(review_settings()["sign_in"], "max_failures_per_address", 3)
    for name in ("x1", "x2", "x3"):  # three names, one address: no account reaches its own limit
        with pytest.raises(auth.AuthError):
            auth.sign_in(db, name, "wrong password!", "203.0.113.7")
    with pytest.raises(auth.AuthError):
        auth.sign_in(db, "bob", PASSWORD, "203.0.113.7")
    assert auth.sign_in(db, "bob", PASSWORD, "198.51.100.1")[1].user == "bob"


@pytest.fixture
def shipped_password_cost(monkeypatch):
    """The Argon2 cost review.toml ships, instead of the tests' cheapest one (conftest.py)."""
    with SETTINGS_FILE.open("rb") as f:
        shipped = tomllib.load(f)["passwords"]
    monkeypatch.setitem(review_settings(), "passwords", shipped)
    return shipped


def test_passwords_are_hashed_at_the_shipped_cost_which_is_argon2s_default(db, shipped_password_cost):
    """The shipped cost is argon2-cffi's default profile (RFC 9106, low memory); new hashes are made at the
    configured cost and carry it; a sign-in checks them."""
    from argon2.profiles import RFC_9106_LOW_MEMORY as default

    assert shipped_password_cost == {"time_cost": default.time_cost, "memory_kib": default.memory_cost,
                                     "parallelism": default.parallelism} == {"time_cost": 3, "memory_kib": 65536,
                                                                             "parallelism": 4}
    auth.add_user(db, "erin", "moderator", PASSWORD)
    stored = db.execute("select password_hash from users where name = 'erin'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "$m=65536,t=3,p=4$" in stored
    assert auth.sign_in(db, "erin", PASSWORD)[1].user == "erin"
    with pytest.raises(auth.AuthError):
        auth.sign_in(db, "erin", "wrong password!")


def test_parallel_guesses_check_no_more_passwords_than_the_limit(path, db, shipped_password_cost):
    """At the shipped cost: the guesses overlap while their passwords are checked."""
    auth.set_password(db, "carol", PASSWORD)  # carol's hash at the shipped cost too
    limit = review_settings()["sign_in"]["max_failures"]
    barrier = threading.Barrier(12)

    def guess():
        d = open_store(path)
        d.execute("PRAGMA busy_timeout = 30000")
        barrier.wait()
        with pytest.raises(auth.AuthError):
            auth.sign_in(d, "carol", "wrong password!", "192.0.2.1")
        d.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    outcomes = [r[0] for r in db.execute("select outcome from sign_in_attempts where name = 'carol'")]
    assert outcomes.count("refused") == limit and outcomes.count("locked") == 12 - limit


def test_the_full_user_name_is_counted_not_its_first_100_characters(db):
    long_name, sibling = "a" * 100 + "x" * 20, "a" * 100 + "y" * 20
    for _ in range(review_settings()["sign_in"]["max_failures"]):
        with pytest.raises(auth.AuthError):
            auth.sign_in(db, long_name, "wrong password!")
    with pytest.raises(auth.AuthError):
        auth.sign_in(db, long_name, "wrong password!")
    with pytest.raises(auth.AuthError):
        auth.sign_in(db, sibling, "wrong password!")
    reasons = [r[0] for r in db.execute("select reason from audit where action = 'sign-in' order by id")]
    assert reasons[-2:] == ["locked", ""]  # the long name is locked; a name sharing its first 100 is not


def lock(db, name):
    for _ in range(review_settings()["sign_in"]["max_failures"]):
        with pytest.raises(auth.AuthError):
            auth.sign_in(db, name, "wrong password!")
    with pytest.raises(auth.AuthError):
        auth.sign_in(db, name, PASSWORD)


def test_another_lead_unlocks_a_locked_lead_in_the_app(app, db):
    lock(db, "alice")
    dave, csrf = signed_in(app, db, "dave")
    shown = dave.get("/audit/sign-ins").text
    assert "alice" in shown
    key = auth.name_key("alice")
    bob, bob_csrf = signed_in(app, db, "bob")
    assert bob.post("/audit/sign-ins/unlock", data={"csrf_token": bob_csrf, "name_sha256": key}).status_code == 403
    resp = dave.post("/audit/sign-ins/unlock", data={"csrf_token": csrf, "name_sha256": key, "name": "alice"})
    assert resp.status_code == 302
    assert auth.sign_in(db, "alice", PASSWORD)[1].user == "alice"
    assert db.execute("select actor, note from audit where action = 'sign-in-unlock'").fetchall() == [("dave", "alice")]


def test_fentwatch_users_unlock_lifts_the_lockout(path, db):
    lock(db, "alice")
    done = CliRunner().invoke(cli, ["users", "unlock", "alice", "--db", str(path)])
    assert done.exit_code == 0, done.output
    assert auth.sign_in(db, "alice", PASSWORD)[1].user == "alice"


def test_failed_sign_ins_do_not_push_decisions_off_the_audit_page(app, db):
    lid = listing(db, 1)
    assert queue.decide(db, auth.Session("bob", "moderator", "c", "t"), lid, "escalate").ok
    with db.conn:  # 250 failed sign-ins, as the sign-in form writes them
        db.conn.executemany("insert into audit (at, actor, listing_id, action, outcome, reason) values "
                            "('2026-11-30T00:00:00+00:00', ?, null, 'sign-in', 'refused', '')",
                            [(f"guess{i}",) for i in range(250)])
    client, _ = signed_in(app, db, "dave")
    audit = client.get("/audit").text
    assert "escalate" in audit and "guess249" not in audit
    assert "sign-ins" in audit  # a link to the sign-ins page, where the failures are shown


# -- integers, bulk decisions, CSV cells, proxies, hosts, next= (item 7) -------------------------------------------

@pytest.mark.parametrize("url, code", [
    (f"/queue?page={BIG}", 400),         # an offset SQLite cannot hold
    ("/queue?page=abc", 400),
    (f"/queue?seller={BIG}", 400),
    ("/queue?seller=%C2%B2", 400),        # '²' is a digit to str.isdigit but not to int()
    (f"/sellers?min={BIG}", 400),
    (f"/listing/{BIG}", 404),             # a path id out of range is no such listing
    (f"/listing/1/hit/{BIG}.svg", 404),
])
def test_integers_from_the_request_are_checked_at_the_edge(app, db, url, code):
    listing(db, 1)
    client, _ = signed_in(app, db, "dave")
    assert client.get(url).status_code == code


def test_a_bulk_decision_is_all_or_nothing(app, db):
    ids = [listing(db, n) for n in (1, 2, 3)]
    bob, csrf = signed_in(app, db, "bob")
    resp = bob.post("/queue/decide", data={"csrf_token": csrf, "action": "takedown", "ids": [ids[0], ids[1], BIG]})
    assert resp.status_code == 400
    assert [db["listings"].get(i)["status"] for i in ids] == ["open"] * 3
    outs = queue.decide_many(db, auth.Session("bob", "moderator", "c", "t"), [(ids[0], None), (999, None)], "takedown")
    assert [o.ok for o in outs] == [False, False]
    assert db["listings"].get(ids[0])["status"] == "open" and db["takedowns"].count == 0
    with pytest.raises(OverflowError):  # an exception half-way rolls back what was decided before it
        queue.decide_many(db, auth.Session("bob", "moderator", "c", "t"), [(ids[0], None), (10 ** 30, None)],
                          "takedown")
    assert db["listings"].get(ids[0])["status"] == "open"


@pytest.mark.parametrize("cell", [" =1+1", "\u00a0=HYPERLINK(\"http://example.com\")", "\n=1+1", "\r\n@SUM(A1)",
                                  "\x00=1", "\u200b+1", "\t-1", "  \u3000 =1"])
def test_csv_cells_are_neutralized_past_leading_whitespace_and_control_characters(cell):
    assert csv_cell(cell) == "'" + cell


def test_a_takedown_batch_csv_keeps_a_padded_seller_formula_inert(db):
    lid = save_page(db, page(1, seller=" \u00a0=HYPERLINK(\"http://example.com\")"),
                    {"flagged": True, "score": 0.9, "hits": [HIT]}).listing_id
    lead = auth.Session("alice", "lead", "c", "t")
    assert queue.decide(db, lead, lid, "takedown").ok
    batch = takedowns.create_batch(db, lead, "b2b")
    from lexicon import load_lexicon
    out = takedowns.to_csv(takedowns.batch_rows(db, load_lexicon(), batch))
    assert "' \u00a0=HYPERLINK" in out


def test_forwarded_headers_count_only_from_trusted_proxies(path, monkeypatch):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "review.example.com",
                 "X-Forwarded-For": "203.0.113.9"}
    plain = create_app(path).test_client()
    resp = plain.post("/login", data={"user": "bob", "password": PASSWORD}, headers=forwarded)
    assert "Secure" not in resp.headers["Set-Cookie"]  # not from a trusted proxy: the headers are ignored
    monkeypatch.setitem(review_settings()["http"], "trusted_proxies", ["127.0.0.1/32"])
    monkeypatch.setitem(review_settings()["http"], "allowed_hosts", ["review.example.com"])
    proxied = create_app(path).test_client()
    resp = proxied.post("/login", data={"user": "bob", "password": PASSWORD}, headers=forwarded)
    assert resp.status_code == 302 and "Secure" in resp.headers["Set-Cookie"]
    addresses = [r[0] for r in open_store(path).execute("select address from sign_in_attempts order by id")]
    assert addresses == ["127.0.0.1", "203.0.113.9"]  # lockout counts the client behind the trusted proxy


def test_a_host_that_is_not_allowed_is_a_400(app):
    client = app.test_client()
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_cr_lf_in_next_never_gives_a_500(app):
    resp = app.test_client().post("/login", data={"user": "bob", "password": PASSWORD,
                                                  "next": "/queue\r\nSet-Cookie: x=1"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/queue"
    assert "x=1" not in resp.headers.get("Set-Cookie", "")


# -- a lead can silence detection (item 8) --------------------------------------------------------------------------

def stored(db, n, text):
    det = default_detector()
    item = {"id": str(n), "title": f"Offer {n}", "text": text}
    result = det.scan(item).to_json()
    return save_page(db, page(n, text), result, det.version, det.lex.version).listing_id, result


def test_a_lookalike_that_would_unflag_a_stored_offer_waits_for_a_second_lead(app, db, path):
    # a brand name with no fentanyl stem: a name with the stem ("fentanyl citrate") is read by the nomenclature parser,
    # which no look-alike silences
    lid, result = stored(db, 1, "Sublimaze injection 99% in stock, 10 vials. Contact: +00 000 0000")
    assert result["flagged"]
    alice, csrf = signed_in(app, db, "alice")
    shown = alice.post("/lexicon/preview", data={"csrf_token": csrf, "kind": "lookalike", "text": "sublimaze injection",
                                                 "why": "looks harmless", "listing_id": str(lid)})
    assert shown.status_code == 200 and f"/listing/{lid}" in shown.text and 'id="affected-count">1<' in shown.text
    assert db["lexicon_additions"].count == 0  # the preview changes nothing
    resp = alice.post("/lexicon/add", data={"csrf_token": csrf, "kind": "lookalike", "text": "sublimaze injection",
                                            "why": "looks harmless", "listing_id": str(lid)})
    assert resp.status_code == 302
    (row,) = db.query("select * from lexicon_additions")
    assert (row["status"], row["active"], row["would_unflag"]) == ("pending", 0, f"[{lid}]")
    assert additions.detector_for(path).scan({"title": "x", "text": "Sublimaze injection 99% in stock"}).flagged
    shown = alice.get("/lexicon").text
    assert f"/listing/{lid}" in shown and "Approve" not in shown  # the adder sees the effect, cannot approve
    alice.post(f"/lexicon/{row['id']}/review", data={"csrf_token": csrf, "decision": "approve"})
    assert db["lexicon_additions"].get(row["id"])["status"] == "pending"
    dave, dave_csrf = signed_in(app, db, "dave")
    assert "Approve" in dave.get("/lexicon").text
    dave.post(f"/lexicon/{row['id']}/review", data={"csrf_token": dave_csrf, "decision": "approve"})
    approved = db["lexicon_additions"].get(row["id"])
    assert (approved["status"], approved["approved_by"]) == ("active", "dave")
    assert not additions.detector_for(path).scan({"title": "x", "text": "Sublimaze injection 99% in stock"}).flagged


def test_a_lookalike_that_unflags_nothing_applies_at_once(db):
    stored(db, 1, "Fentanyl 99% white powder in stock, 10g bags.")
    row = additions.add(db, auth.Session("alice", "lead", "c", "t"),
                        {"kind": "lookalike", "text": "Fentoxyl cleaner", "why": "a floor cleaner brand"})
    assert (row["status"], row["active"], row["would_unflag"]) == ("active", 1, "[]")


@pytest.mark.parametrize("newline", ["\n", "\r", "\u0085", "\u2028"])
def test_a_reason_cannot_inject_yaml_into_the_export(newline):
    why = f"seen{newline}lookalikes: [{{name: fentanyl}}]{newline}substances: {{fentanyl: {{names: {{}}}}}}"
    out = to_yaml([{"kind": "lookalike", "text": "Fentoxyl cleaner", "why": why, "by": "alice",
                    "at": "2026-11-30T00:00:00+00:00"}])
    data = yaml.safe_load(out)
    body = [line for line in out.split("\n") if not line.startswith("#")]
    assert body == yaml.safe_dump(data, allow_unicode=True, sort_keys=False).split("\n")  # nothing but comments
    assert [la["name"] for la in data["lookalikes"]] == ["Fentoxyl cleaner"]
    assert data["lookalikes"][0]["why"] == why.replace(newline, "\n") and data["substances"] == {}
