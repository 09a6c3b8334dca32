"""A moderator's day (issue 21) in a real headless Chromium against the real `fentwatch review` server on loopback,
over a store filled by the real detector: search, a manual flag, a session that expires on a decision form, the
takedown key's confirmation, and a takedown request going requested -> batched -> sent -> removed / still online.
"""

import pytest
from review_app import PASSWORD, ReviewServer, build_store, open_signed_in, sign_in
from store.db import open_store, save_page


ROLES = {"alice": "lead", "bob": "moderator"}


@pytest.fixture(scope="module")
def app(tmp_path_factory, account_stores):
    db = tmp_path_factory.mktemp("moderator") / "store.db"
    db.write_bytes(account_stores(ROLES))  # conftest.py: the accounts, hashed once per session
    ids = build_store(db)
    server = ReviewServer(db, warm=True)
    yield server, db, ids
    server.close()


def store_row(db, listing_id):
    d = open_store(db)
    try:
        return d["listings"].get(listing_id)
    finally:
        d.close()


def test_search_from_the_queue_with_facets_on_the_results(app, browser):
    server, _, ids = app
    context, page = sign_in(browser, server.url, "bob")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Birchwood")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shown = [r.get_attribute("data-id") for r in page.locator("tr.row").all()]
    assert shown == [str(ids["pair-2"])] and page.inner_text("#total") == "1"
    facets = page.inner_text("aside.facets")
    assert "catalog" in facets and "b2b" not in facets  # the facets count the results, not the whole queue
    page.fill("#q", "555 1234")  # the shared WhatsApp number: both listings of the pair
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert sorted(r.get_attribute("data-id") for r in page.locator("tr.row").all()) == \
        sorted(str(ids[k]) for k in ("pair-1", "pair-2"))
    context.close()


def test_a_moderator_flags_what_detection_missed_and_a_lead_sees_it(app, browser):
    server, db, _ = app
    d = open_store(db)
    clean = d.execute("select id from listings where status = 'clean' order by id limit 1").fetchone()[0]
    d.close()
    context, page = open_signed_in(browser, server.url, "bob", f"/listing/{clean}")
    assert page.inner_text("#status").startswith("clean")
    page.fill("#flag-other", "China white (unknown substance)")
    page.fill("#flag-reason", "offered as China white, 10g")
    with page.expect_navigation():
        page.click("#flag-submit")
    assert page.inner_text("#status").startswith("open") and "flagged by a moderator" in page.inner_text("#status")
    page.goto(f"{server.url}/queue?manual=1")
    assert [r.get_attribute("data-id") for r in page.locator("tr.row").all()] == [str(clean)]
    page.goto(f"{server.url}/dashboard")
    assert page.inner_text("#manual-open") == "1"
    page.goto(f"{server.url}/flags")
    assert "the list of manual flags is for leads" in page.inner_text("main")  # bob is not a lead
    context.close()
    context, page = open_signed_in(browser, server.url, "alice", "/flags")
    row = page.inner_text("#flags tbody")
    assert "bob" in row and "China white (unknown substance)" in row and "offered as China white" in row
    context.close()


def test_an_expired_session_keeps_the_decision_until_it_is_confirmed(app, browser):
    server, db, ids = app
    target = ids["L0004"]
    context, page = open_signed_in(browser, server.url, "bob", f"/listing/{target}")
    before = page.inner_text("#status")
    page.select_option("#decide select.reason", "duplicate")
    page.fill("#decide input.note", "same offer as the one handled yesterday")
    d = open_store(db)  # the session runs out while the form is open
    with d.conn:
        d.execute("update sessions set expires_at = '2000-01-01T00:00:00+00:00' where user = 'bob'")
    d.close()
    with page.expect_navigation():
        page.click("#decide button.dismiss")
    assert "/login" in page.url and "session expired" in page.inner_text("#expired")
    assert store_row(db, target)["status"] == before.split()[0]  # nothing applied without a session
    page.fill("#user", "bob")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")
    assert f"/listing/{target}" in page.url
    assert "dismiss" in page.inner_text("#draft")
    assert page.locator("#decide select.reason").input_value() == "duplicate"
    assert page.locator("#decide input.note").input_value() == "same offer as the one handled yesterday"
    assert store_row(db, target)["status"] == "open"  # still not applied: it waits for the moderator
    page.locator('#decide input[name="then"]').uncheck()
    with page.expect_navigation():
        page.click("#decide button.dismiss")  # with the fresh session and its token
    assert page.inner_text("#status").startswith("dismissed")
    row = store_row(db, target)
    assert (row["status"], row["dismiss_reason"], row["decided_by"]) == ("dismissed", "duplicate", "bob")
    context.close()


def test_the_takedown_key_asks_for_enter_and_the_request_goes_through_its_states(app, browser):
    server, db, ids = app
    gone, still = ids["L0005"], ids["L0006"]
    context, page = open_signed_in(browser, server.url, "alice", f"/listing/{gone}")
    for lid in (gone, still):
        if lid != gone:
            page.goto(f"{server.url}/listing/{lid}")
        page.locator('#decide input[name="then"]').uncheck()
        page.keyboard.press("t")
        assert page.locator("#confirm").is_visible() and "Enter" in page.inner_text("#confirm")
        page.keyboard.press("Escape")  # cancelled: nothing requested
        assert page.locator("#confirm").is_hidden() and page.inner_text("#status").startswith("open")
        page.keyboard.press("t")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.inner_text("#status").startswith("takedown-requested")
        assert page.locator("#takedown").get_attribute("data-state") == "requested"
    platforms = {store_row(db, lid)["platform"] for lid in (gone, still)}
    for platform in platforms:
        page.goto(server.url + "/takedowns")
        with page.expect_navigation():
            page.locator(f'tr[data-platform="{platform}"] button.make-batch').click()
    page.goto(f"{server.url}/listing/{gone}")
    assert page.locator("#takedown").get_attribute("data-state") == "batched"
    page.goto(server.url + "/takedowns")
    while page.locator("button.mark-sent").count():
        form = page.locator("button.mark-sent").first.locator("xpath=..")
        form.locator('input[name="sent_to"]').fill("abuse@example.com")
        with page.expect_navigation():
            form.locator("button.mark-sent").click()
    page.goto(f"{server.url}/listing/{gone}")
    assert page.locator("#takedown").get_attribute("data-state") == "sent"
    assert "abuse@example.com" in page.inner_text("#takedown")
    # the next crawl: one page answers 404, the other is still there
    d = open_store(db)
    for lid, alive in ((gone, False), (still, True)):
        row = d["listings"].get(lid)
        page_ = {"url": row["url"], "platform": row["platform"], "seller": row["seller"], "title": row["title"],
                 "text": row["text"], "price": row["price"], "body": b"<p>...</p>",
                 "http_status": 200 if alive else 404, "headers": {}}
        save_page(d, page_, {"flagged": True, "score": row["score"], "hits": []} if alive else None)
    d.close()
    page.goto(f"{server.url}/listing/{gone}")
    assert page.inner_text("#status").startswith("removed (verified by the crawl)")
    assert page.locator("#takedown").get_attribute("data-state") == "removed"
    assert "by alice" not in page.inner_text("#status")  # the crawl verified it, not a moderator
    page.goto(f"{server.url}/listing/{still}")
    assert page.locator("#takedown").get_attribute("data-state") == "still-online"
    assert "still online" in page.inner_text("#status")
    context.close()


def test_no_page_shows_a_literal_none(app, browser):
    import re

    server, db, ids = app
    d = open_store(db)
    bare = d.execute("select id from listings where price is null order by id limit 1").fetchone()[0]
    d.close()
    context, page = open_signed_in(browser, server.url, "alice", "/queue?status=all")
    for path in ("/queue?status=all", "/dashboard", "/audit", "/takedowns", "/sellers", "/lexicon", "/flags",
                 f"/listing/{bare}", f"/listing/{ids['pair-1']}"):
        if page.url != server.url + path:  # the first is open already
            page.goto(server.url + path)
        assert not re.search(r"\bNone\b", page.inner_text("main")), path
    page.goto(f"{server.url}/listing/{bare}")
    assert page.inner_text("#price") == "not given"
    context.close()
