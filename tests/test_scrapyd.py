"""Deployment to a real scrapyd on loopback: the egg scrapyd-client builds from scrapy.cfg and setup.py is accepted
(addversion.json), and `fentwatch schedule --scrapyd` submits a run that scrapyd crawls to completion."""

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demo.server import DemoServer
from crawler.demo.site import build_site, corpus_listings
from crawler.ops.schedule import ScrapydLauncher, Scheduler, Target

from ports import serve_on_free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture
def scrapyd(tmp_path):
    import urllib.request

    def launch(port):
        (tmp_path / "scrapyd.conf").write_text(
            f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {tmp_path / 'eggs'}\n"
            f"logs_dir = {tmp_path / 'logs'}\ndbs_dir = {tmp_path / 'dbs'}\nitems_dir =\npoll_interval = 0.5\n"
            "max_proc = 1\n")
        return subprocess.Popen([str(BIN / "scrapyd")], cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    proc, port = serve_on_free_port(
        launch, lambda port: urllib.request.urlopen(f"http://127.0.0.1:{port}/daemonstatus.json", timeout=2).read(),
        "scrapyd")
    base = f"http://127.0.0.1:{port}"
    yield base, tmp_path
    proc.terminate()
    proc.wait(timeout=30)


def test_deployed_project_runs_a_scheduled_crawl_to_completion(scrapyd, tmp_path):
    import requests

    base, home = scrapyd
    egg = tmp_path / "fentwatch.egg"
    subprocess.run([str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    with egg.open("rb") as f:
        answer = requests.post(f"{base}/addversion.json", data={"project": "fentwatch", "version": "1"},
                               files={"egg": f}, timeout=60).json()
    assert answer["status"] == "ok", answer
    spiders = requests.get(f"{base}/listspiders.json", params={"project": "fentwatch"}, timeout=60).json()
    assert set(spiders["spiders"]) == {"generic", "sitemap", "catalog", "b2b", "board"}

    listings = corpus_listings(6)  # a crawl to completion: a few listings show it as well as many
    build_site(tmp_path / "site", listings, oversized_mb=6)
    db_file = tmp_path / "scheduled.db"
    with DemoServer(tmp_path / "site") as server:
        launcher = ScrapydLauncher(base, str(db_file), extra={"AUTOTHROTTLE_ENABLED": "False"})
        target = Target("demo", [f"{server.url}/index.html"], "*/5 * * * *")
        s = Scheduler([target], str(db_file), launcher=launcher, log=lambda m: None)
        assert s.tick(dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.timezone.utc)) == ["demo"]
        deadline = time.monotonic() + 240
        while s.running and time.monotonic() < deadline:
            time.sleep(0.2)  # scrapyd polls its queue every 0.5 s (poll_interval): a job's end is seen soon after
            s.reap()
    assert not s.running, "scrapyd did not finish the job"
    (run,) = s.db.query("select * from schedule_runs")
    assert run["outcome"] == "finished"
    db = sqlite_utils.Database(db_file)
    (crawl,) = db.query("select * from crawl_runs")  # written by the spider scrapyd ran
    assert crawl["status"] == "finished" and crawl["listings"] == db["listings"].count == len(listings)
