"""Screenshots of the review app for the README: the demo crawl's store, a few decisions, Debian's Chromium.

    .venv/bin/python docs/make_screenshots.py        # or: make screenshots

Writes docs/queue.png, docs/listing.png and docs/dashboard.png. Chinese titles need a CJK font
(Debian: apt-get install fonts-wqy-microhei; docs/reviewing.md), else they show as boxes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from review_app import CHROMIUM_ARGS, FENTWATCH, ReviewServer, add_user, ensure_chromium, sign_in  # noqa: E402

from review.auth import Session  # noqa: E402
from review.queue import decide  # noqa: E402
from store.db import open_store  # noqa: E402


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fentwatch-shots-"))
    db = work / "demo.db"
    subprocess.run(FENTWATCH + ["demo", "--db", str(db)], check=True, cwd=ROOT, capture_output=True)
    add_user(db, "alice", "lead")
    add_user(db, "bob", "moderator")
    store = open_store(db)
    bob = Session("bob", "moderator", "", "")
    rows = list(store.query("select id, decision_seq from listings where status = 'open' order by score desc, id"))
    for (lid, seq), action in zip([(r["id"], r["decision_seq"]) for r in rows[3:9]],
                                  ["takedown", "takedown", "escalate", "takedown", "takedown", "escalate"]):
        decide(store, bob, lid, action, seq)
    analog = next(store.query("select l.id from listings l join hits h on h.listing_id = l.id "
                              "where h.method = 'class-rule' and l.status = 'open' order by l.id limit 1"))["id"]
    store.close()
    server = ReviewServer(db)
    out = ROOT / "docs"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
            _, page = sign_in(browser, server.url, "alice")
            page.keyboard.press("j")
            page.screenshot(path=str(out / "queue.png"))
            page.goto(f"{server.url}/listing/{analog}")
            page.set_viewport_size({"width": 1400, "height": 1250})
            page.screenshot(path=str(out / "listing.png"))
            page.goto(f"{server.url}/dashboard")
            page.screenshot(path=str(out / "dashboard.png"), full_page=True)
            browser.close()
    finally:
        server.close()
    print(f"wrote {out / 'queue.png'}, {out / 'listing.png'}, {out / 'dashboard.png'}")


if __name__ == "__main__":
    main()
