"""The review app driven in a real headless Chromium (Debian's package, through Playwright) against the real
`fentwatch review` server on loopback, over a store filled by the real detector.

Covers: sign-in and nothing reachable without it; working the queue with the keyboard; the audit entry; the
takedown batch export; hostile listing content that never runs; CSRF and role refusals; two moderators deciding
the same listing at once.
"""

import csv
import http.client
import io
import json
import urllib.parse

import pytest

from store.db import open_store
from review_app import PASSWORD, PAYLOADS, ReviewServer, build_store, open_signed_in, sign_in


ROLES = {"alice": "lead", "bob": "moderator", "carol": "moderator"}


@pytest.fixture(scope="module")
def app(tmp_path_factory, account_stores):
    db = tmp_path_factory.mktemp("review") / "store.db"
    db.write_bytes(account_stores(ROLES))  # conftest.py: the accounts, hashed once per session
    ids = build_store(db)
    server = ReviewServer(db, warm=True)
    yield server, db, ids
    server.close()


def request(base, method, path, body=None, cookie=None):
    """One HTTP request without following redirects: (status, headers, text)."""
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=urllib.parse.urlencode(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    return r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")


def status_of(page, base, listing_id):
    page.goto(f"{base}/listing/{listing_id}")
    return page.inner_text("#status")


def test_nothing_but_the_sign_in_page_is_reachable_without_signing_in(app):
    server, _, ids = app
    for path in ("/queue", f"/listing/{ids['L0001']}", "/takedowns", "/audit", "/dashboard", "/takedowns/1.csv",
                 f"/listing/{ids['L0001']}/snapshot/1"):
        code, headers, _ = request(server.url, "GET", path)
        assert code == 302 and headers["Location"].startswith("/login"), path
    code, headers, _ = request(server.url, "POST", f"/listing/{ids['L0001']}/decide", {"action": "dismiss"})
    assert code == 303 and headers["Location"].startswith("/login")  # sign in first; the decision is only kept
    code, _, _ = request(server.url, "POST", "/takedowns/batch", {"platform": "b2b"})
    assert code == 401
    code, headers, text = request(server.url, "GET", "/login")
    assert code == 200 and 'name="password"' in text
    assert "script-src 'self'" in headers["Content-Security-Policy"] and "unsafe-inline" not in \
        headers["Content-Security-Policy"]


def test_session_cookie_is_httponly_and_samesite_strict(app, browser):
    server, _, _ = app
    context, page = sign_in(browser, server.url, "carol")
    (cookie,) = context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # scripts cannot read it
    page.click("text=Sign out")
    page.wait_for_url("**/login")
    page.goto(server.url + "/queue")
    assert "/login" in page.url
    context.close()


def test_a_moderator_works_the_queue_with_the_keyboard(app, browser):
    server, _, _ = app
    context, page = sign_in(browser, server.url, "bob")
    rows = page.locator("tr.row")
    assert rows.count() >= 10
    second = rows.nth(1).get_attribute("data-id")
    page.keyboard.press("j")  # focus the second row
    assert page.locator("tr.row.focus").get_attribute("data-id") == second
    page.keyboard.press("t")  # request takedown of the focused row: asks first
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "takedown: 1 listing(s)" in page.inner_text("main")
    assert page.locator(f'tr.row[data-id="{second}"]').count() == 0  # it left the open queue
    assert "takedown-requested" in status_of(page, server.url, second)
    trail = page.inner_text("#audit")
    assert "bob" in trail and "takedown" in trail and "applied" in trail

    # open the first open listing with the keyboard, and dismiss it choosing the reason with the keyboard
    page.goto(server.url + "/queue")
    first = page.locator("tr.row.focus").get_attribute("data-id")
    page.keyboard.press("o")
    page.wait_for_url(f"**/listing/{first}")
    page.locator('#decide input[name="then"]').uncheck()
    page.keyboard.press("d")
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.press("ArrowDown")  # the first reason: false positive
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("#status").startswith("dismissed")
    assert "false-positive" in page.inner_text("#audit")
    context.close()


def test_a_lead_exports_the_takedown_batch(app, browser):
    server, _, ids = app
    target = ids["L0001"]
    context, page = open_signed_in(browser, server.url, "alice", f"/listing/{target}")
    if "takedown-requested" not in page.inner_text("#status"):
        page.locator('#decide input[name="then"]').uncheck()
        page.keyboard.press("t")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    url, platform = page.inner_text("#url"), page.inner_text("#platform")
    page.goto(server.url + "/takedowns")
    with page.expect_navigation():
        page.locator(f'tr[data-platform="{platform}"] button.make-batch').click()
    assert "created" in page.inner_text("main")
    batch = page.locator(f'#batches tr[data-platform="{platform}"]').first
    with page.expect_download() as got:
        batch.locator("a.csv").click()
    rows = list(csv.DictReader(io.StringIO(open(got.value.path(), encoding="utf-8").read())))
    mine = [r for r in rows if r["url"] == url]
    assert mine and mine[0]["legal_basis"] and len(mine[0]["evidence_sha256"]) == 64
    assert mine[0]["requested_by"] in ("alice", "bob")
    with page.expect_download() as got:
        batch.locator("a.json").click()
    data = json.loads(open(got.value.path(), encoding="utf-8").read())
    assert any(r["url"] == url for r in data["requests"])
    with page.expect_navigation():
        batch.locator("a.html").click()
    assert url in page.inner_text("body") and "Legal basis" in page.inner_text("body")
    context.close()


def test_script_payloads_in_listings_never_run(app, browser):
    server, _, ids = app
    context, page = sign_in(browser, server.url, "alice")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = [ids["evil-1"], ids["evil-2"]]
    visited = ["/queue", "/queue?status=all", "/dashboard", "/audit"] + [f"/listing/{i}" for i in evil]
    for path in visited:
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
    page.goto(f"{server.url}/listing/{evil[0]}")
    body = page.inner_text("main")
    for field in ("title", "seller"):
        assert PAYLOADS[0][field].split(">")[0] in body  # shown as text, literally
    assert page.locator("#url a").count() == 0  # a javascript: URL is not a link
    assert "<script>window.__pwned=1;alert('evidence')</script>" in page.inner_text("#evidence")
    page.locator("#listing-text").click()
    page.locator("#url").click()
    page.goto(f"{server.url}/listing/{evil[1]}")
    assert page.locator("main iframe, main svg script, main img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    context.close()


def test_requests_without_csrf_or_from_the_wrong_role_are_refused(app, browser):
    server, _, ids = app
    target = ids["L0003"]
    context, page = open_signed_in(browser, server.url, "carol", f"/listing/{target}")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    seq = page.locator('#decide input[name="seq"]').get_attribute("value")
    token = page.locator('#decide input[name="csrf_token"]').get_attribute("value")
    before = page.inner_text("#status")
    form = {"action": "escalate", "seq": seq}
    assert request(server.url, "POST", f"/listing/{target}/decide", form, cookie)[0] == 403
    assert request(server.url, "POST", f"/listing/{target}/decide", form | {"csrf_token": "forged"}, cookie)[0] == 403
    assert status_of(page, server.url, target) == before
    # a moderator may not reopen: a valid request from the wrong role is refused and logged
    code, _, _ = request(server.url, "POST", f"/listing/{target}/decide",
                         {"action": "reopen", "seq": seq, "csrf_token": token}, cookie)
    assert code == 302
    assert status_of(page, server.url, target) == before
    assert "only a lead can reopen" in page.inner_text("#audit")
    context.close()


def test_two_moderators_deciding_at_once_leave_one_decision_and_both_attempts(app, browser):
    server, _, ids = app
    target = ids["L0004"]
    ctx_b, bob = open_signed_in(browser, server.url, "bob", f"/listing/{target}")
    ctx_c, carol = open_signed_in(browser, server.url, "carol", f"/listing/{target}")
    for page in (bob, carol):
        page.locator('#decide input[name="then"]').uncheck()
    bob.locator("select.reason").select_option("not-an-offer")
    with bob.expect_navigation():
        bob.click("button.dismiss")
    with carol.expect_navigation():
        carol.click("button.takedown")  # on the page she opened before bob decided
    assert "changed since you opened it" in carol.inner_text("main")
    assert carol.inner_text("#status").startswith("dismissed")
    trail = carol.inner_text("#audit")
    assert "bob\tdismiss" in trail and "carol\ttakedown" in trail and "refused" in trail
    ctx_b.close()
    ctx_c.close()


def test_the_seller_view_links_two_platforms_and_a_lead_takes_the_seller_down(app, browser):
    server, _, ids = app
    context, page = open_signed_in(browser, server.url, "alice", f"/listing/{ids['pair-2']}")
    with page.expect_navigation():
        page.click("#seller-link")
    rows = page.locator("#seller-listings tbody tr")
    assert sorted(rows.nth(i).get_attribute("data-id") for i in range(rows.count())) == sorted(
        [str(ids["pair-1"]), str(ids["pair-2"])])
    companies = page.inner_text("#companies")
    assert "hubei alder chemical co., ltd." in companies and "wuhan birchwood trading co., ltd." in companies
    assert "000005551234" in page.inner_text("#seller-contacts") and "links 2 listings" in \
        page.inner_text("#seller-contacts")
    assert "one shared contact (whatsapp 000005551234)" in page.inner_text("#weak-link")  # one phone links them
    with page.expect_navigation():
        page.click("#seller-takedown button")
    assert "nothing requested: the link is weak" in page.inner_text("main")
    assert [c.inner_text() for c in page.locator("#seller-listings td.status").all()] == ["open"] * 2
    page.check("#weak-link-checked")
    with page.expect_navigation():
        page.click("#seller-takedown button")
    assert "takedown requested for 2 listing(s)" in page.inner_text("main")
    assert [c.inner_text() for c in page.locator("#seller-listings td.status").all()] == ["takedown-requested"] * 2
    page.goto(server.url + "/queue?status=all&group=seller")
    assert page.locator("tr.group").count() >= 2
    context.close()
    # a moderator sees the seller view but cannot take the seller down
    context, page = open_signed_in(browser, server.url, "bob", f"/listing/{ids['pair-1']}")
    page.click("#seller-link")
    page.wait_for_load_state()
    assert page.locator("#seller-takedown").count() == 0
    context.close()


def test_a_decision_survives_the_server_being_killed_before_the_page_reloads(tmp_path, account_stores):
    db = tmp_path / "store.db"
    db.write_bytes(account_stores(ROLES))
    ids = build_store(db, positives=2, negatives=0, payloads=False)
    server = ReviewServer(db, warm=True)
    code, headers, _ = request(server.url, "POST", "/login", {"user": "bob", "password": PASSWORD})
    cookie = headers["Set-Cookie"].split(";")[0]
    target = ids["L0001"]
    _, _, html = request(server.url, "GET", f"/listing/{target}", cookie=cookie)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    code, headers, _ = request(server.url, "POST", f"/listing/{target}/decide",
                               {"action": "takedown", "seq": "0", "csrf_token": token}, cookie)
    assert code == 302
    server.proc.kill()  # SIGKILL: the redirect was answered, the reload never happens
    server.proc.wait(10)
    store = open_store(db)
    assert store.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert store["listings"].get(target)["status"] == "takedown-requested"
    trail = [(a["actor"], a["action"], a["outcome"]) for a in store.query(
        "select * from audit where listing_id = ?", [target])]
    assert trail == [("bob", "takedown", "applied")]
    store.close()
    again = ReviewServer(db, warm=True)  # and the restarted app shows it
    try:
        _, _, html = request(again.url, "GET", f"/listing/{target}", cookie=cookie)
        assert "takedown-requested" in html.split('id="status"')[1][:200]
    finally:
        again.close()
