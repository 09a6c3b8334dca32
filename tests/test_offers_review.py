"""Severity, jurisdictions and `why` on the review side (issue 15): stored with each hit and listing (migration
m006), in the listing view, as a queue facet, in the export and in the takedown batch. Real detector, real SQLite
file, Flask's test client; advertisement text only, fake contacts."""

import json

import pytest

from detect.engine import default_detector
from lexicon import load_lexicon
from review import auth, queue, takedowns
from review.config import review_settings
from store.db import export_rows, open_store, save_page
from review.web import create_app

PASSWORD = "correct horse battery"
LISTINGS = {
    "controlled": {"id": "c", "title": "4-ANPP 99% in stock", "text": "Price: ask. Contact: sales@example.com"},
    "regulated": {"id": "r", "title": "Piperidone ketal 99%, 25 kg drum",
                  "text": "SMILES: CC(C)(C)OC(=O)N1CCC2(CC1)OCCO2\nPrice: ask. Contact: sales@example.com"},
}


def page(n, listing):
    return {"url": f"http://127.0.0.1:8000/p/{n}.html", "platform": "b2b", "seller": "Acme", "title": listing["title"],
            "text": listing["text"], "price": "", "body": listing["text"].encode(), "http_status": 200, "headers": {},
            "fetched_at": "2026-11-22T10:00:00+00:00"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("offers") / "store.db"
    db = open_store(path)
    det = default_detector()
    ids = {}
    for n, (kind, listing) in enumerate(LISTINGS.items(), 1):
        ids[kind] = save_page(db, page(n, listing), det.scan(listing).to_json(), det.version, det.lex.version).listing_id
    auth.add_user(db, "alice", "lead", PASSWORD)
    db.close()
    return path, ids


def test_hits_and_listings_keep_severity_legal_basis_and_why(store):
    path, ids = store
    db = open_store(path)
    rows = {r["id"]: r for r in db.query("select id, severity, why from listings")}
    assert rows[ids["controlled"]]["severity"] == "controlled"
    assert rows[ids["regulated"]]["severity"] == "regulated"
    assert json.loads(rows[ids["regulated"]]["why"])[-1].startswith("score ")
    legal = json.loads(next(db.query("select legal from hits where listing_id = ?", [ids["controlled"]]))["legal"])
    assert {b["jurisdiction"] for b in legal} == {"CN", "UN", "US"}


def test_queue_has_a_severity_facet_and_filter(store):
    path, ids = store
    db = open_store(path)
    filters = {"status": "open", "severity": "regulated"}
    assert dict(queue.facets(db, {"status": "open"})["severity"]) == {"controlled": 1, "regulated": 1}
    rows, total = queue.queue(db, filters, 1)
    assert total == 1 and rows[0]["id"] == ids["regulated"]


def test_export_carries_the_legal_basis_per_jurisdiction(store):
    path, ids = store
    rows = {r["url"]: r for r in export_rows(open_store(path))}
    r = rows["http://127.0.0.1:8000/p/2.html"]
    assert r["severity"] == "regulated" and r["why"]
    assert r["hits"][0]["legal"] == [{"jurisdiction": "US", "severity": "regulated",
                                      "basis": r["hits"][0]["legal"][0]["basis"]}]
    assert "US-ListI-4piperidone(acetal)(carbamate)" in r["hits"][0]["legal"][0]["basis"]


def test_takedown_batch_names_each_jurisdiction(store):
    path, ids = store
    db = open_store(path)
    hit = next(db.query("select * from hits where listing_id = ?", [ids["controlled"]]))
    basis = takedowns.legal_basis(load_lexicon(), hit)
    assert {b.split(" ", 1)[0] for b in basis} == {"CN", "UN", "US"}
    assert all("(controlled)" in b for b in basis)


def test_listing_view_shows_severity_jurisdictions_and_why(store):
    path, ids = store
    app = create_app(path)
    db = open_store(path)
    token, _ = auth.sign_in(db, "alice", PASSWORD)
    client = app.test_client()
    client.set_cookie(review_settings()["sessions"]["cookie"], token)
    html = client.get(f"/listing/{ids['regulated']}").get_data(as_text=True)
    assert 'id="severity">regulated' in html and "jurisdictions: <span id=\"jurisdictions\">US</span>" in html
    assert 'id="why"' in html and "regulated only" in html
    assert client.get("/queue?severity=controlled").status_code == 200
    # the structure depiction draws the precursor clause parts like the fentanyl clauses
    hit_id = next(db.query("select id from hits where listing_id = ?", [ids["regulated"]]))["id"]
    svg = client.get(f"/listing/{ids['regulated']}/hit/{hit_id}.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
