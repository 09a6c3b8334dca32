"""A moderator's day (issue 21) on a real SQLite file: search, manual flags, dashboard counts that match the queue,
takedown states, account roles and removal, export fields and filters, seller link strength."""

import pytest

from review import auth, queue
from store.db import open_store, save_page

HIT = {"substance": "Fentanyl", "category": "fentanyl-like", "inchikey": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",
       "method": "name", "matched": "fentanyl", "start": 0, "end": 8, "rules": [], "score": 0.9}
CAS_HIT = dict(HIT, method="cas", matched="437-38-7", start=9, end=17)
PASSWORD = "correct horse battery"
ROLES = {"alice": "lead", "bob": "moderator"}


def page(n=1, text="fentanyl 99%", **kw):
    return dict({"url": f"http://127.0.0.1:8000/p/{n}.html", "platform": "b2b", "seller": "Acme Co., Ltd.",
                 "title": f"Offer {n}", "text": text, "price": "USD 1", "body": f"<p>{text}</p>".encode(),
                 "http_status": 200, "headers": {}, "fetched_at": "2026-11-22T10:00:00+00:00"}, **kw)


def result(*hits, contacts=()):
    return {"flagged": bool(hits), "score": max((h["score"] for h in hits), default=0.0), "hits": list(hits),
            "contacts": list(contacts)}


@pytest.fixture
def accounts(account_stores):
    return account_stores(ROLES)  # conftest.py: made once per session


@pytest.fixture
def db(accounts_store):
    return open_store(accounts_store)


def session(name):
    return auth.Session(name, ROLES[name], f"csrf-{name}", f"token-{name}")


def ids(db, **filters):
    rows, total = queue.queue(db, {"status": "all"} | filters)
    assert total == len(rows)
    return sorted(r["id"] for r in rows)


# -- search -----------------------------------------------------------------------------------------------------

def test_search_finds_text_url_seller_contact_cas_and_substance(db):
    a = save_page(db, page(1, text="fentanyl 437-38-7 white powder"), result(HIT, CAS_HIT)).listing_id
    b = save_page(db, page(2, text="芬太尼 粉末 现货", seller="Birch Trading",
                           url="http://127.0.0.1:8000/shop/zz-77.html"),
                  result(HIT, contacts=[{"kind": "telegram", "value": "birch_sales"}])).listing_id
    c = save_page(db, page(3, text="plain lab glassware"), result()).listing_id
    assert ids(db, q="white powder") == [a]          # free text (FTS5)
    assert ids(db, q="芬太尼") == [b]                 # Chinese text (trigram tokens)
    assert ids(db, q="zz-77") == [b]                  # part of the URL
    assert ids(db, q="birch trad") == [b]             # the seller, any case
    assert ids(db, q="birch_sales") == [b]            # a contact
    assert ids(db, q="４３７－３８－７") == [a]         # a full-width CAS number reads as the ASCII one
    assert ids(db, q="glassware") == [c]
    assert ids(db, q="fentanyl") == [a, b]            # the substance name on b's hit, the text on a
    assert ids(db, q='"; drop table listings; --') == []  # no FTS or SQL syntax from the search box
    assert db["listings"].count == 3


def test_facets_count_the_search_results(db):
    save_page(db, page(1, text="fentanyl white powder"), result(HIT))
    save_page(db, page(2, text="fentanyl white powder", platform="catalog"), result(HIT))
    save_page(db, page(3, text="fentanyl in bags"), result(HIT))
    f = queue.facets(db, {"status": "open", "q": "white powder"})
    assert dict(f["platform"]) == {"b2b": 1, "catalog": 1}
    assert dict(f["substance"]) == {"Fentanyl": 2} and dict(f["status"]) == {"open": 2}
    assert ids(db, q="white powder", platform="catalog") == [2]


# -- manual flags -----------------------------------------------------------------------------------------------

def test_a_moderator_flags_a_listing_detection_missed(db):
    from review import flags

    bob = session("bob")
    lid = save_page(db, page(1, text="China white, code name W-77, 10g"), result()).listing_id
    assert db["listings"].get(lid)["status"] == "clean"
    refused = flags.flag(db, bob, lid, "fentanyl", "Fentanyl", "  ")
    assert not refused.ok and "why" in refused.message and db["listings"].get(lid)["status"] == "clean"
    assert flags.flag(db, bob, lid, "fentanyl", "Fentanyl", "sold as China white").ok
    row = db["listings"].get(lid)
    assert (row["status"], row["manual_flag"]) == ("open", 1)
    assert ids(db, status="open", manual="1") == [lid]
    assert ids(db, q="Fentanyl") == [lid]  # the flag's substance is searchable
    assert queue.audit_for(db, lid)[-1]["action"] == "flag"
    listed = flags.manual_flags(db)
    assert [(f["listing_id"], f["by"], f["substance"], f["hits"]) for f in listed] == [(lid, "bob", "Fentanyl", 0)]
    assert queue.decide(db, bob, lid, "takedown", row["decision_seq"]).ok  # now decidable like any open listing
    assert not flags.flag(db, bob, lid, "fentanyl", "Fentanyl", "again").ok


# -- dashboard --------------------------------------------------------------------------------------------------

def test_dashboard_counts_open_listings_as_the_queue_facets_do(db):
    from review import dashboard, flags

    twice = [HIT, dict(HIT, start=20, end=28)]  # one listing, two hits of one substance
    a = save_page(db, page(1, text="fentanyl 99% ... fentanyl"), result(*twice)).listing_id
    save_page(db, page(2), result(HIT))
    c = save_page(db, page(3, platform="catalog"), result(HIT)).listing_id
    queue.decide(db, session("bob"), c, "dismiss", db["listings"].get(c)["decision_seq"], reason="not-an-offer")
    m = save_page(db, page(4, text="China white"), result()).listing_id
    flags.flag(db, session("bob"), m, "", "China white (unknown)", "sold as China white")
    assert dict(dashboard.open_per(db, "substance")) == {"Fentanyl": 2}  # listings, not the 3 hits; open only
    assert dict(dashboard.open_per(db, "substance")) == dict(queue.facets(db, {"status": "open"})["substance"])
    assert dict(dashboard.open_per(db, "platform")) == {"b2b": 3}
    health = dashboard.queue_health(db)
    assert (health["open"], health["manual_open"], health["manual_all"]) == (3, 1, 1)
    assert a


# -- takedown states --------------------------------------------------------------------------------------------

def test_takedown_states_from_requested_to_verified(db):
    from review import takedowns

    bob = session("bob")
    gone, still, unsent = (save_page(db, page(n), result(HIT)).listing_id for n in (1, 2, 3))
    for lid in (gone, still):
        assert queue.decide(db, bob, lid, "takedown", db["listings"].get(lid)["decision_seq"]).ok
    state = lambda lid: takedowns.takedown_state(db, db["listings"].get(lid))["state"]  # noqa: E731
    assert state(gone) == "requested" and takedowns.takedown_state(db, db["listings"].get(unsent)) is None
    batch = takedowns.create_batch(db, bob, "b2b")
    assert state(gone) == "batched"
    # a crawl before the batch is sent: the page is there, as expected; it does not come back as "still online"
    assert not save_page(db, page(2, fetched_at="2026-11-23T10:00:00+00:00", text="fentanyl 99%!"),
                         result(HIT)).queued
    assert db["listings"].get(still)["status"] == "takedown-requested" and state(still) == "batched"
    assert "to whom" in takedowns.mark_sent(db, bob, batch, " ")
    assert takedowns.mark_sent(db, bob, batch, "abuse@example.com") == ""
    assert "already sent" in takedowns.mark_sent(db, bob, batch, "abuse@example.com")
    assert state(gone) == "sent" and "abuse@example.com" in takedowns.takedown_state(db, db["listings"].get(gone))["text"]
    save_page(db, page(1, http_status=404), None)
    save_page(db, page(2, fetched_at="2026-11-24T10:00:00+00:00"), result(HIT))
    assert state(gone) == "removed"
    assert "verified by the crawl" in takedowns.takedown_state(db, db["listings"].get(gone))["text"]
    assert state(still) == "still-online" and db["listings"].get(still)["status"] == "open"


# -- the normalized text ----------------------------------------------------------------------------------------

def test_the_normalized_text_marks_the_same_hits_as_the_raw_text():
    from review.shared import highlight, normalized_segments

    full = "Offer\nＦｅｎｔａｎｙｌ CAS １６０９－６６－１ in stock, f3nt@nyl too"
    a = full.index("Ｆ")
    c = full.index("１")
    d = full.index("f3nt")
    hits = [{"id": 1, "substance": "Fentanyl", "method": "name", "score": 0.9, "start": a, "end": a + 8},
            {"id": 2, "substance": "X", "method": "cas", "score": 0.9, "start": c, "end": c + 9},
            {"id": 3, "substance": "Fentanyl", "method": "name", "score": 0.9, "start": d, "end": d + 8}]
    raw = [(t, h["id"]) for t, h in highlight(full, hits) if h]
    norm = [(t, h["id"]) for t, h in normalized_segments(full, hits) if h]
    assert raw == [("Ｆｅｎｔａｎｙｌ", 1), ("１６０９－６６－１", 2), ("f3nt@nyl", 3)]
    assert norm == [("fentanyl", 1), ("1609-66-1", 2), ("fentanyl", 3)]
    assert "".join(t for t, _ in normalized_segments(full, [])).startswith("offer\nfentanyl cas 1609-66-1")


# -- accounts ---------------------------------------------------------------------------------------------------

def test_users_role_and_remove_from_the_command_line(tmp_path, accounts):
    from click.testing import CliRunner

    from fentwatch.cli import main

    path = tmp_path / "store.db"
    path.write_bytes(accounts)
    run = lambda *a: CliRunner().invoke(main, [*a, "--db", str(path)])  # noqa: E731
    d = open_store(path)
    lid = save_page(d, page(1), result(HIT)).listing_id
    queue.claim(d, session("bob"), lid)
    assert queue.decide(d, session("bob"), lid, "escalate", d["listings"].get(lid)["decision_seq"]).ok
    d.close()
    out = run("users", "role", "alice", "moderator")
    assert out.exit_code == 1 and "last active lead" in out.output
    out = run("users", "role", "bob", "lead")
    assert out.exit_code == 0 and "moderator -> lead" in out.output
    assert run("users", "role", "alice", "moderator").exit_code == 0  # bob is a lead now
    token, _ = auth.sign_in(open_store(path), "bob", PASSWORD)
    out = run("users", "remove", "bob")
    assert out.exit_code == 1 and "last active lead" in out.output
    assert run("users", "role", "alice", "lead").exit_code == 0
    assert run("users", "remove", "bob").exit_code == 0
    d = open_store(path)
    assert auth.session_for(d, token) is None and not d["users"].count_where("name = 'bob'")
    assert [a["actor"] for a in queue.audit_for(d, lid)] == ["bob", "bob"]  # the decisions stay
    assert run("users", "remove", "nobody").exit_code == 1


# -- export -----------------------------------------------------------------------------------------------------

def test_export_has_the_listing_fields_and_filters(tmp_path, db):
    import csv
    import hashlib
    import io
    import json

    from store.export import export

    bob = session("bob")
    a = save_page(db, page(1), result(HIT)).listing_id
    b = save_page(db, page(2, platform="catalog", fetched_at="2026-11-25T10:00:00+00:00"),
                  result(dict(HIT, substance="Carfentanil"))).listing_id
    save_page(db, page(3, text="glassware"), result())
    assert queue.decide(db, bob, a, "takedown", db["listings"].get(a)["decision_seq"]).ok
    path = db.conn.execute("pragma database_list").fetchone()[2]

    def rows(fmt="jsonl", **filters):
        out = io.StringIO()
        export(path, False, fmt, out, filters)
        text = out.getvalue()
        return [json.loads(x) for x in text.splitlines()] if fmt == "jsonl" else list(csv.DictReader(io.StringIO(text)))

    (first,) = rows(status="takedown-requested")
    assert (first["id"], first["seller"], first["price"], first["decided_by"]) == (a, "Acme Co., Ltd.", "USD 1", "bob")
    assert first["evidence_sha256"] == hashlib.sha256(b"<p>fentanyl 99%</p>").hexdigest() and first["decided_at"]
    assert [r["id"] for r in rows(platform="catalog")] == [b]
    assert [r["id"] for r in rows(substance="carfentanil")] == [b]
    assert [r["id"] for r in rows(since="2026-11-24")] == [b]
    assert [r["id"] for r in rows(until="2026-11-22")] == [a]
    assert sorted(r["id"] for r in rows()) == [a, b]  # flagged only, without filters
    assert len(rows(status="clean")) == 1
    (c,) = rows("csv", platform="catalog")
    assert (c["id"], c["hits"], c["substances"], c["seller"], c["price"]) == (str(b), "1", "Carfentanil",
                                                                               "Acme Co., Ltd.", "USD 1")
    assert c["evidence_sha256"] and c["decided_by"] == ""


# -- contacts written with the app's name before them -----------------------------------------------------------

APP_NAMED = [  # (text, expected contacts); fake handles and numbers only
    ("telegram @fent_seller", {("telegram", "fent_seller")}),
    ("TG @fentseller", {("telegram", "fentseller")}),              # the short name, no colon
    ("tg: fentseller", {("telegram", "fentseller")}),
    ("Telegram @fent_seller.", {("telegram", "fent_seller")}),      # the sentence's full stop is not part of it
    ("微信/WeChat: abc12345", {("wechat", "abc12345")}),
    ("微信 abc12345", {("wechat", "abc12345")}),                     # Chinese app name, no colon
    ("微信号：abc12345", {("wechat", "abc12345")}),                  # "WeChat ID", full-width colon
    ("加微信abc12345", {("wechat", "abc12345")}),                    # no space at all
    ("电报 @abc_def", {("telegram", "abc_def")}),                    # Telegram in Chinese
    ("WhatsApp: +00 000 555 1234", {("whatsapp", "000005551234")}),
    ("whatsapp +00 000 555 1234", {("whatsapp", "000005551234")}),   # a number, not a bare phone
    ("телеграм @abc_def", {("telegram", "abc_def")}),               # Russian
    ("ватсап +00 000 555 1234", {("whatsapp", "000005551234")}),
    ("wsp: +00 000 555 1234", {("whatsapp", "000005551234")}),       # Spanish/Portuguese shorthand
    ("Signal @abc_def", {("signal", "abc_def")}),
    ("telegram @fent_seller or fent_seller@example.com", {("telegram", "fent_seller"),
                                                          ("email", "fent_seller@example.com")}),
    ("price @ 10 usd", set()),                                      # an "@" with no app name is nothing
    ("微信支付 accepted", set()),                                     # "WeChat Pay" is not a handle
    ("photo @home", set()),
]


@pytest.mark.parametrize("text,expected", APP_NAMED)
def test_contacts_with_the_app_name_before_them(text, expected):
    from detect.contacts import extract_contacts

    assert {(c.kind, c.value) for c in extract_contacts(text)} == expected


# -- seller link strength ---------------------------------------------------------------------------------------

def test_seller_link_strength_and_the_weak_link_warning(db):
    from store.sellers import link_strength

    phone, mail = {"kind": "phone", "value": "0000005551234"}, {"kind": "email", "value": "sales@example.com"}
    a = save_page(db, page(1), result(HIT, contacts=[phone, mail])).listing_id
    b = save_page(db, page(2), result(HIT, contacts=[phone, mail])).listing_id
    sid = db["listings"].get(a)["seller_id"]
    strong = link_strength(db, sid)
    assert (strong["listings"], strong["linking_contacts"], strong["weak"]) == (2, 2, False)
    c = save_page(db, page(3), result(HIT, contacts=[mail])).listing_id  # joins through the email alone
    weak = link_strength(db, sid)
    assert weak["weak"] and weak["single_contact_listings"] == [c] and "1 of 3" in weak["why"]
    with pytest.raises(queue.WeakLink):
        queue.takedown_all(db, session("alice"), sid)
    assert [o.ok for o in queue.takedown_all(db, session("alice"), sid, weak_link_checked=True)] == [True] * 3
    assert b
