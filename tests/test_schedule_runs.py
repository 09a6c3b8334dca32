"""The scheduler for real: a one-minute cron against a demo site on 127.0.0.1, real `fentwatch crawl` processes,
each run's log kept, failures told with their reason, missed runs recorded with one catch-up, an unreachable
scrapyd recorded and retried, and the config checked against its schema. The clock is injected so that the test
does not wait a real minute; the runs are real."""

import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest

from crawler.demo.server import DemoServer
from crawler.demo.site import build_site, corpus_listings
from crawler.ops.schedule import ConfigError, Scheduler, ScrapydLauncher, Target, load_config
from clirun import fentwatch
from ports import refused_port
from warmrun import WARM_FENTWATCH, warm_launches

FENTWATCH = WARM_FENTWATCH  # forked from a warm process (warmrun.py): the command's start-up is not the subject
T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.timezone.utc)
FAST = {"AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    listings = corpus_listings(30)
    root = tmp_path_factory.mktemp("site")
    build_site(root, listings)
    return root


@pytest.fixture
def warm_crawls(monkeypatch):
    """The scheduler's own ``launch`` (its command line, log file and process), the crawl forked from a warm process."""
    import crawler.ops.schedule as schedule

    return warm_launches(monkeypatch, schedule)


def wait_for_runs(s: Scheduler) -> None:
    """Reap until every started crawl process has ended (the crawls are real processes)."""
    deadline = time.monotonic() + 600
    while s.running:
        assert time.monotonic() < deadline, "the scheduled crawls did not end"
        time.sleep(0.05)
        s.reap()


def outcomes(s: Scheduler) -> list[tuple[str, str]]:
    return [(r["target"], r["outcome"]) for r in s.db.query("select * from schedule_runs order by id")]


def test_a_one_minute_cron_runs_real_crawls_whatever_the_check_interval(site, tmp_path, warm_crawls):
    db = str(tmp_path / "s.db")
    with DemoServer(site) as server, refused_port() as gone:
        good = Target("catalogue", [f"{server.url}/catalog/page-1.html"], "* * * * *", "catalog", FAST)
        bad = Target("gone", [f"http://127.0.0.1:{gone}/"], "* * * * *", "generic", {"RETRY_TIMES": "0"})
        s = Scheduler([good, bad], db, log=lambda m: None, log_dir=tmp_path / "logs")
        assert s.tick(T0 - dt.timedelta(seconds=30)) == []  # the first look: nothing due yet
        # 25 s after the cron time (a 30 s check interval): due, although no check fell on the minute
        assert s.tick(T0 + dt.timedelta(seconds=25)) == ["catalogue", "gone"]
        wait_for_runs(s)
        runs = {r["target"]: r for r in s.db.query("select * from schedule_runs")}
        assert runs["catalogue"]["outcome"] == "finished" and runs["catalogue"]["exit_code"] == 0
        log = Path(runs["catalogue"]["log_path"]).read_text()
        assert "crawled" in log and "listings" in log  # the crawl's own output, kept per run
        assert runs["gone"]["outcome"] == "failed" and runs["gone"]["exit_code"] == 1
        assert runs["gone"]["reason"].startswith("Error: crawl failed: no page fetched: the start URLs failed (")
        assert "DownloadConnectionRefusedError" in runs["gone"]["reason"]
        assert runs["gone"]["log_path"] != runs["catalogue"]["log_path"]
        assert s.tick(T0 + dt.timedelta(seconds=50)) == []  # not due again within the minute
        # the scheduler was down for three minutes: two cron times are recorded as missed, one catch-up run starts
        s2 = Scheduler([good], db, log=lambda m: None, log_dir=tmp_path / "logs")
        assert s2.tick(T0 + dt.timedelta(minutes=3, seconds=25)) == ["catalogue"]
        wait_for_runs(s2)
    missed = list(s2.db.query("select * from schedule_runs where outcome = 'missed'"))
    assert len(missed) == 1 and missed[0]["reason"].startswith("2 cron time(s) from 2026-11-30T02:01:00+00:00 to "
                                                                "2026-11-30T02:02:00+00:00")
    assert outcomes(s2)[-1] == ("catalogue", "finished")
    crawl_runs = list(s2.db.query("select spider, status from crawl_runs order by id"))
    assert sorted(r["status"] for r in crawl_runs) == ["failed", "finished", "finished"]
    assert len(warm_crawls) == 3  # the three runs were the scheduler's own command lines
    listed = fentwatch("crawls", "--failed", "--db", db)
    assert "start URLs failed" in listed.stdout and "missed" in listed.stdout and "log:" in listed.stdout


def test_an_unreachable_scrapyd_is_recorded_and_retried_not_fatal(tmp_path):
    with refused_port() as port:  # nothing listens there
        s = Scheduler([Target("nightly", ["http://127.0.0.1:9/"], "0 2 * * *")], str(tmp_path / "s.db"),
                      launcher=ScrapydLauncher(f"http://127.0.0.1:{port}", str(tmp_path / "s.db")), log=lambda m: None,
                      log_dir=tmp_path / "logs", retry_after=60)
        s.tick(T0 - dt.timedelta(minutes=1))
        assert s.tick(T0) == []  # due, but scrapyd does not answer: recorded, the scheduler goes on
        (run,) = s.db.query("select * from schedule_runs")
        assert run["outcome"] == "failed" and run["reason"].startswith("could not start: <urlopen error")
        assert "Connection refused" in run["reason"]
        assert s.tick(T0 + dt.timedelta(seconds=30)) == []
        assert s.db["schedule_runs"].count == 1  # not tried again before retry_after
        assert s.tick(T0 + dt.timedelta(seconds=61)) == []
        assert outcomes(s) == [("nightly", "failed"), ("nightly", "failed")]  # tried again, recorded again


@pytest.mark.parametrize("text, message", [
    ("[[target]]\nname = 'a'\nurls = 'http://x.example/'\ncron = '* * * * *'\n",
     "target 'a': key 'urls' must be a list"),
    ("[[target]]\nname = 'a'\nurls = ['x.example/shop']\ncron = '* * * * *'\n",
     "target 'a': key 'urls': 'x.example/shop' is not a web address"),
    ("[[target]]\nname = 'a'\nurls = ['http://x.example/']\ncron = '* * * * *'\nsetings = {A = '1'}\n",
     "target 'a': unknown key 'setings'"),
    ("dbb = 'x.db'\n[[target]]\nname = 'a'\nurls = ['http://x.example/']\ncron = '* * * * *'\n", "unknown key 'dbb'"),
    ("[[target]]\nname = 'a'\nurls = ['http://x.example/']\ncron = 5\n", "target 'a': key 'cron' must be a string"),
    ("[[target]]\nname = 'a'\nurls = ['http://x.example/']\ncron = '* * * * *'\nsettings = {A = [1]}\n",
     "target 'a': key 'settings.A'"),
])
def test_the_config_is_checked_against_its_schema_naming_target_and_key(tmp_path, text, message):
    path = tmp_path / "crawls.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_config(path)
    proc = subprocess.run(FENTWATCH + ["schedule", "--config", str(path), "--db", str(tmp_path / "s.db")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr
