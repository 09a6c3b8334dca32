"""Investigations on a real store with the real detector: seller linking, seller-wide takedowns, lexicon additions
made by leads, and re-scans of stored listings."""

import pytest
import yaml

from clirun import fentwatch
from detect.engine import default_detector
from review import auth, queue
from store import additions, rescan, sellers
from store.config import store_settings
from store.db import open_store, save_page

LEAD = auth.Session("alice", "lead", "csrf-alice", "token-alice")
MODERATOR = auth.Session("bob", "moderator", "csrf-bob", "token-bob")
CODE_WORD = "bluecastle"  # a made-up code word the shipped lexicon does not know


def listing(n, title, text, platform="b2b"):
    return {"id": str(n), "url": f"http://127.0.0.1:8000/{platform}/{n}.html", "platform": platform,
            "title": title, "text": text}


def store_listing(db, item, detector=None):
    det = detector or default_detector()
    result = det.scan(item).to_json()
    page = {"url": item["url"], "platform": item["platform"], "seller": None, "title": item["title"],
            "text": item["text"], "price": None, "body": f"<p>{item['text']}</p>".encode(), "http_status": 200,
            "headers": {}, "fetched_at": "2026-11-22T10:00:00+00:00"}
    return save_page(db, page, result, det.version, det.lex.version), result


@pytest.fixture
def db(tmp_path):
    return open_store(tmp_path / "store.db")


def seller_of(db, lid):
    return db["listings"].get(lid)["seller_id"]


def test_one_seller_on_two_platforms_under_two_company_names_with_one_phone(db):
    a, ra = store_listing(db, listing(1, "Fentanyl powder 99%", "Fentanyl 99% in stock, 10g.\n"
                                      "Supplier: Hubei Alder Chemical Co., Ltd.\nWhatsApp: +00 000 555 1234"))
    b, rb = store_listing(db, listing(2, "4-ANPP factory price", "4-ANPP 99% white powder, MOQ 1kg.\n"
                                      "Supplier: Wuhan Birchwood Trading Co., Ltd.\nWhatsApp: +00 000 555 1234",
                                      platform="catalog"))
    c, _ = store_listing(db, listing(3, "Fentanyl citrate", "Fentanyl citrate in stock.\n"
                                     "Supplier: Other Lab Co., Ltd.\nTelegram: @example_other_lab"))
    assert {"kind": "whatsapp", "value": "000005551234"} in ra["contacts"]  # digits only
    assert {"kind": "whatsapp", "value": "000005551234"} in rb["contacts"]
    assert seller_of(db, a.listing_id) == seller_of(db, b.listing_id) == a.listing_id
    assert seller_of(db, c.listing_id) == c.listing_id
    sid = seller_of(db, a.listing_id)
    names = sellers.companies(db, sid)
    assert any("alder" in n for n in names) and any("birchwood" in n for n in names)
    link = next(x for x in sellers.seller_contacts(db, sid) if x["kind"] == "whatsapp")
    assert link["links"] and link["listing_ids"] == [a.listing_id, b.listing_id]
    (top,) = sellers.sellers(db, min_listings=2)
    assert top["listings"] == 2 and set(top["platforms"].split(",")) == {"b2b", "catalog"}
    out = fentwatch("sellers", "--db", db.conn.execute("pragma database_list").fetchone()[2], check=True)
    line = out.stdout.splitlines()[1].split()
    assert line[:2] == [str(sid), "2"]


def test_a_later_listing_merges_two_sellers_and_a_hub_contact_links_nothing(db, monkeypatch):
    x, _ = store_listing(db, listing(1, "Fentanyl", "Fentanyl 99%. Email: one@example.com"))
    y, _ = store_listing(db, listing(2, "Carfentanil", "Carfentanil 99%. Email: two@example.com"))
    assert seller_of(db, x.listing_id) != seller_of(db, y.listing_id)
    z, _ = store_listing(db, listing(3, "Sufentanil", "Sufentanil. Email: one@example.com, two@example.com"))
    assert seller_of(db, x.listing_id) == seller_of(db, y.listing_id) == seller_of(db, z.listing_id) == x.listing_id
    monkeypatch.setitem(store_settings()["sellers"], "hub_listings", 2)
    h1, _ = store_listing(db, listing(4, "Fentanyl", "Fentanyl. Email: hub@example.com"))
    h2, _ = store_listing(db, listing(5, "Fentanyl", "Fentanyl. Email: hub@example.com"))
    h3, _ = store_listing(db, listing(6, "Fentanyl", "Fentanyl. Email: hub@example.com"))
    assert seller_of(db, h1.listing_id) == seller_of(db, h2.listing_id) != seller_of(db, h3.listing_id)


def test_a_seller_wide_takedown_writes_one_audit_entry_per_listing(db):
    ids = [store_listing(db, listing(n, "Fentanyl 99%", f"Fentanyl 99% lot {n}. Wickr: example_shared_seller"))[0]
           .listing_id for n in (1, 2, 3)]
    sid = seller_of(db, ids[0])
    assert {seller_of(db, i) for i in ids} == {sid}
    with pytest.raises(PermissionError):
        queue.takedown_all(db, MODERATOR, sid)
    with pytest.raises(queue.WeakLink, match="one shared contact"):  # one Wickr handle holds the seller together
        queue.takedown_all(db, LEAD, sid)
    assert not db["audit"].count_where("action = 'takedown'")
    outcomes = queue.takedown_all(db, LEAD, sid, weak_link_checked=True)
    assert [o.ok for o in outcomes] == [True, True, True]
    entries = list(db.query("select listing_id, actor, action, note from audit where action = 'takedown'"))
    assert sorted(e["listing_id"] for e in entries) == sorted(ids)
    assert all(e["actor"] == "alice" and f"seller {sid}" in e["note"] for e in entries)


def test_a_leads_synonym_and_a_rescan_flag_a_missed_listing_and_a_second_rescan_changes_nothing(db):
    missed, result = store_listing(db, listing(1, f"{CODE_WORD.title()} 99% in stock",
                                               f"{CODE_WORD.title()} white powder, 99% purity, 10g bags. "
                                               "Price USD 50/g. Contact: +00 000 0000"))
    assert not result["flagged"] and db["listings"].get(missed.listing_id)["status"] == "clean"
    with pytest.raises(additions.AdditionError, match="only a lead"):
        additions.add(db, MODERATOR, {"kind": "synonym", "text": CODE_WORD, "substance_id": "fentanyl",
                                      "name_kind": "codes", "why": "seen in listing 1"})
    additions.add(db, LEAD, {"kind": "synonym", "text": CODE_WORD, "substance_id": "fentanyl", "name_kind": "codes",
                             "why": "seen in listing 1"}, listing_id=missed.listing_id)
    det = additions.detector_for(db.conn.execute("pragma database_list").fetchone()[2])
    assert det.version != default_detector().version
    first = rescan.rescan(db, det)
    assert (first.newly_flagged, first.changed) == (1, 1)
    row = db["listings"].get(missed.listing_id)
    assert (row["status"], row["requeue_reason"]) == ("open", "found on re-scan")
    hit = next(db.query("select * from hits where listing_id = ? and current = 1", [missed.listing_id]))
    assert hit["substance"] == "Fentanyl" and hit["lexicon_version"] == det.lex.version
    snapshot = db.execute("select count(*), sum(current) from hits").fetchone()
    second = rescan.rescan(db, det)
    assert (second.listings, second.changed, second.newly_flagged, second.retracted) == (0, 0, 0, 0)
    assert db.execute("select count(*), sum(current) from hits").fetchone() == snapshot
    assert queue.audit_for(db, missed.listing_id)[-1]["actor"] == "rescan"


def test_hits_that_no_longer_hold_are_retracted_not_deleted(db):
    det = default_detector()
    item = listing(1, "Lab notes", "Ordinary solvent, acetone 99%, 25 L drums.")
    page = {"url": item["url"], "platform": "b2b", "seller": None, "title": item["title"], "text": item["text"],
            "price": None, "body": b"<p>x</p>", "http_status": 200, "headers": {}}
    old_hit = {"substance": "Fentanyl", "category": "fentanyl-like", "inchikey": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",
               "method": "fuzzy-name", "matched": "acetone", "start": 28, "end": 35, "rules": [], "score": 0.8}
    lid = save_page(db, page, {"flagged": True, "score": 0.8, "hits": [old_hit]}, "0.0.1-old", "old").listing_id
    s = rescan.rescan(db, det)
    assert (s.changed, s.retracted) == (1, 1)
    (kept,) = db.query("select * from hits where listing_id = ?", [lid])
    assert kept["current"] == 0 and "no longer holds on re-scan" in kept["retracted"]
    assert db["listings"].get(lid)["status"] == "clean"


def test_an_interrupted_rescan_resumes_where_it_stopped(db, monkeypatch):
    for n in range(7):
        store_listing(db, listing(n, f"{CODE_WORD} lot {n}", f"{CODE_WORD.title()} 99% powder in stock, lot {n}."))
    additions.add(db, LEAD, {"kind": "synonym", "text": CODE_WORD, "substance_id": "fentanyl", "name_kind": "codes",
                             "why": "test"})
    det = additions.detector_for(db.conn.execute("pragma database_list").fetchone()[2])
    monkeypatch.setattr(rescan, "BATCH", 2)

    def stop_after_two_batches(done, total):
        if done >= 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rescan.rescan(db, det, progress=stop_after_two_batches)
    resumed = rescan.rescan(db, det)
    assert resumed.resumed and resumed.listings == 7 and resumed.newly_flagged == 7
    assert db.execute("select count(*) from hits where current = 1").fetchone()[0] >= 7
    assert db.execute("select count(*) from audit where actor = 'rescan'").fetchone()[0] == 7


def test_additions_are_validated_like_the_shipped_lexicon_and_exported_in_its_format(db):
    bad = [({"kind": "synonym", "text": "carfentanil", "substance_id": "fentanyl", "why": "x"}, "several substances"),
           ({"kind": "synonym", "text": "fentanil", "substance_id": "fentanyl", "why": "x"}, "already a name"),
           ({"kind": "synonym", "text": "ab", "substance_id": "fentanyl", "why": "x"}, "3 to 200"),
           ({"kind": "synonym", "text": "new word", "substance_id": "fentanyl", "why": ""}, "say why"),
           ({"kind": "lookalike", "text": "Fentanyl", "why": "x"}, "name of controlled substance fentanyl")]
    for addition, message in bad:
        with pytest.raises(additions.AdditionError, match=message):
            additions.add(db, LEAD, addition)
    additions.add(db, LEAD, {"kind": "synonym", "text": CODE_WORD, "substance_id": "fentanyl", "name_kind": "codes",
                             "why": "seen in listing 7"})
    additions.add(db, LEAD, {"kind": "lookalike", "text": "Fentoxyl cleaner", "why": "a floor cleaner brand"})
    out = fentwatch("lexicon", "export", "--db", db.conn.execute("pragma database_list").fetchone()[2],
                    check=True).stdout
    data = yaml.safe_load(out)
    assert data["substances"]["fentanyl"]["names"]["codes"] == [CODE_WORD]
    assert data["lookalikes"][0]["name"] == "Fentoxyl cleaner"
    assert "alice" in out and "seen in listing 7" in out
    trail = [r["action"] for r in db.query("select action from audit where actor = 'alice'")]
    assert trail == ["lexicon-add", "lexicon-add"]
