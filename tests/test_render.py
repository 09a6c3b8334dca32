"""Rendering pages built by JavaScript (``fentwatch crawl --render``): a real crawl of a local shop whose product
block is written by a script, through scrapy-playwright and Debian's Chromium, against a plain crawl of the same
shop; the browser's own requests obey the address guard."""

from __future__ import annotations

import subprocess

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.ops.schedule import load_config

from review_app import ensure_chromium
from warmrun import WARM_FENTWATCH

BLOCK = ("<h1>Fentanyl citrate 99%</h1><p>CAS No.: 990-73-8</p><p>Price: USD 300/kg</p>"
         "<p>Contact: +00 000 0000</p><button>Add to cart</button>")


def shop(root, internal_url: str) -> None:
    (root / "index.html").write_text("<html><body><h1>Shop</h1><ul><li><a href='offer-1.html'>Offer 1</a></li>"
                                     "<li><a href='offer-2.html'>Offer 2</a></li></ul></body></html>")
    for n in (1, 2):
        (root / f"offer-{n}.html").write_text(
            "<html><head><title>Loading</title></head><body><div id='app'>Loading...</div><script>"
            f"document.getElementById('app').innerHTML = {BLOCK.replace('99%', f'99% lot {n}')!r};"
            f"fetch({internal_url!r}).catch(function () {{}});"
            "</script></body></html>", encoding="utf-8")


def crawl(url: str, db, *extra: str, expect: int = 0):
    proc = subprocess.run([*WARM_FENTWATCH, "crawl", url, "--db", str(db), "--set",
                           "AUTOTHROTTLE_ENABLED=False", *extra], capture_output=True, text=True, timeout=600)
    assert proc.returncode == expect, proc.stderr[-3000:]
    return sqlite_utils.Database(db), proc.stderr


def test_render_reads_the_offer_a_script_writes(tmp_path):
    ensure_chromium()
    internal_root = tmp_path / "internal"
    internal_root.mkdir()
    (internal_root / "secret.json").write_text("{}")
    site = tmp_path / "site"
    site.mkdir()
    with DemoServer(internal_root, host="127.0.0.2") as internal:
        shop(site, f"{internal.url}/secret.json")
        with DemoServer(site) as server:
            # the plain crawl stores no listing, and says so: the crawl monitor fails the run (exit 1)
            plain, plain_log = crawl(f"{server.url}/index.html", tmp_path / "plain.db", expect=1)
            assert "0 listings" in plain_log
            # off-site scripts allowed, so that it is the address rule that refuses 127.0.0.2
            rendered, log = crawl(f"{server.url}/index.html", tmp_path / "rendered.db", "--render", "--set",
                                  "FENTWATCH_RENDER_OFFSITE=True")
        internal_requests = list(internal.requests)
    # a plain fetch sees the empty shell: no offer stored
    assert [r["text"] for r in plain.query("select text from listings where text like '%990-73-8%'")] == []
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in rendered.query("select * from listings")}
    assert set(rows) == {"offer-1.html", "offer-2.html"}
    for n in (1, 2):
        row = rows[f"offer-{n}.html"]
        assert row["product_name"] == f"Fentanyl citrate 99% lot {n}" and row["page_kind"] == "product"
        assert "CAS No.: 990-73-8" in row["text"] and row["price"] == "USD 300/kg" and row["flagged"] == 1
    assert internal_requests == []  # the page's script could not make the browser reach an internal address
    assert f"render: blocked {internal.url}/secret.json" in log
    (run,) = rendered.query("select stats from crawl_runs")
    assert '"fentwatch/rendered"' in run["stats"]


def test_by_default_the_browser_fetches_only_from_the_start_hosts(monkeypatch):
    from types import SimpleNamespace as Request

    from crawler import render

    monkeypatch.setattr(render, "_start_hosts", {"127.0.0.1"})
    monkeypatch.setattr(render, "_offsite", [False])
    assert not render.abort_request(Request(resource_type="script", url="http://127.0.0.1:8000/app.js"))
    assert not render.abort_request(Request(resource_type="xhr", url="http://127.0.0.1:8000/api/offer.json"))
    assert render.abort_request(Request(resource_type="script", url="https://cdn.example.com/app.js"))
    assert render.abort_request(Request(resource_type="image", url="http://127.0.0.1:8000/logo.png"))
    assert render.abort_request(Request(resource_type="document", url="file:///etc/passwd"))


def test_a_scheduler_target_can_render(tmp_path):
    config = tmp_path / "schedule.toml"
    config.write_text('[[target]]\nname = "js-shop"\nurls = ["https://shop.example/"]\ncron = "0 2 * * *"\n'
                      'render = true\n\n[[target]]\nname = "plain"\nurls = ["https://b.example/"]\ncron = "0 3 * * *"\n')
    _, (js, plain) = load_config(config)
    assert js.settings == {"FENTWATCH_RENDER": "True"} and plain.settings == {}


def test_render_needs_chromium(tmp_path):
    proc = subprocess.run([*WARM_FENTWATCH, "crawl", "http://127.0.0.1:9/", "--db",
                           str(tmp_path / "x.db"), "--render", "--set", "FENTWATCH_CHROMIUM=/nonexistent/chromium"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Chromium is not installed at /nonexistent/chromium" in proc.stderr
