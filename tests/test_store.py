"""The store on a real SQLite file: migrations, idempotence, change detection, takedown verification, export."""

import gzip
import hashlib

import pytest

from store.db import export_rows, migrations, open_store, save_page

HIT = {"substance": "Fentanyl", "category": "fentanyl-like", "inchikey": "PJMPHNIQZUBGLI-UHFFFAOYSA-N",
       "method": "name", "matched": "fentanyl", "start": 0, "end": 8, "rules": [], "score": 0.9}
CAS_HIT = dict(HIT, method="cas", matched="437-38-7", start=20, end=28, score=0.95)


def page(text="fentanyl 99%", body=b"<html>fentanyl</html>", **kw):
    return dict({"url": "http://127.0.0.1:8000/p/1.html", "platform": "b2b", "seller": "Acme Co., Ltd.",
                 "title": "Offer", "text": text, "price": "USD 1", "body": body, "http_status": 200,
                 "headers": {"Content-Type": "text/html"}, "fetched_at": "2026-11-22T10:00:00+00:00"}, **kw)


def result(*hits):
    return {"flagged": bool(hits), "score": max((h["score"] for h in hits), default=0.0), "hits": list(hits)}


@pytest.fixture
def db(tmp_path):
    return open_store(tmp_path / "store.db")


def test_same_page_twice_is_one_listing_seen_twice(db):
    first = save_page(db, page(), result(HIT))
    second = save_page(db, page(fetched_at="2026-11-23T10:00:00+00:00"), result(HIT))
    assert (first.outcome, second.outcome) == ("new", "unchanged")
    (row,) = db.query("select * from listings")
    assert row["times_seen"] == 2 and row["last_seen"].startswith("2026-11-23") and row["status"] == "open"
    assert db["snapshots"].count == 1 and db["hits"].count == 1


def test_evidence_snapshot_keeps_the_body_and_its_hash(db):
    save_page(db, page(), result(HIT))
    (snap,) = db.query("select * from snapshots")
    assert gzip.decompress(snap["body_gz"]) == b"<html>fentanyl</html>"
    assert snap["sha256"] == hashlib.sha256(b"<html>fentanyl</html>").hexdigest()
    assert snap["http_status"] == 200 and "text/html" in snap["headers"]


def test_changed_page_with_the_same_hits_keeps_its_review_state(db):
    saved = save_page(db, page(), result(HIT))
    db["listings"].update(saved.listing_id, {"status": "dismissed"})
    again = save_page(db, page(text="fentanyl 99% now 10% off"), result(HIT))
    assert again.outcome == "changed" and not again.queued
    assert db["listings"].get(saved.listing_id)["status"] == "dismissed"
    assert db["snapshots"].count == 2


def test_changed_page_with_new_hits_goes_back_to_the_queue(db):
    saved = save_page(db, page(), result(HIT))
    db["listings"].update(saved.listing_id, {"status": "dismissed"})
    again = save_page(db, page(text="fentanyl 99%, CAS 437-38-7"), result(HIT, CAS_HIT))
    assert again.outcome == "changed" and again.queued
    assert db["listings"].get(saved.listing_id)["status"] == "open"
    current = [h["method"] for h in db.query("select method from hits where current = 1 order by id")]
    assert current == ["name", "cas"] and db["hits"].count == 3  # the superseded hit is kept, not deleted


def test_gone_after_takedown_request_is_marked_removed(db):
    saved = save_page(db, page(), result(HIT))
    assert save_page(db, page(http_status=404), None).outcome == "not-found"  # no takedown asked yet
    db["listings"].update(saved.listing_id, {"status": "takedown-requested"})
    assert save_page(db, page(http_status=404), None).outcome == "removed"
    assert db["listings"].get(saved.listing_id)["status"] == "removed"


def test_reopening_applies_no_migration_twice(tmp_path):
    open_store(tmp_path / "s.db").close()
    db = open_store(tmp_path / "s.db")
    names = [r["name"] for r in db.query("select name from _sqlite_migrations")]
    assert sorted(names) == sorted(m.name for m in migrations._migrations) and len(names) == len(set(names))
    assert db.journal_mode == "wal"


def test_export_rows_follow_the_schema(db):
    save_page(db, page(), result(HIT))
    save_page(db, page(url="http://127.0.0.1:8000/p/2.html", text="glycine"), result())
    flagged = list(export_rows(db))
    assert [r["url"] for r in flagged] == ["http://127.0.0.1:8000/p/1.html"]
    assert set(flagged[0]) == {"id", "url", "platform", "seller", "price", "title", "flagged", "score", "status",
                               "first_seen", "last_seen", "evidence_sha256", "decided_by", "decided_at",
                               "manual_flag", "hits"}
    assert flagged[0]["hits"] == [HIT]
    assert len(list(export_rows(db, everything=True))) == 2
