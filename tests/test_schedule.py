"""The scheduler: cron due times, never two runs of one target at once, state that survives a restart."""

import datetime as dt
import subprocess
import sys

import pytest

from crawler.ops.schedule import ConfigError, Scheduler, Target, load_config

T0 = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.timezone.utc)
NIGHTLY = Target("nightly", ["http://127.0.0.1:9/"], "*/5 * * * *")


def sleeper(seconds: float):
    """A stand-in crawl: a real process that runs for a while."""
    return lambda target: subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])


STILL_GOING = 3600  # a run that is still going when the test looks again, however slow the machine: killed by the test


def test_never_two_runs_of_one_target_at_once(tmp_path):
    s = Scheduler([NIGHTLY], str(tmp_path / "s.db"), launcher=sleeper(STILL_GOING), log=lambda m: None)
    assert s.tick(T0) == ["nightly"]
    assert s.tick(T0 + dt.timedelta(minutes=5)) == []  # due again, but the first run is still going
    outcomes = [r["outcome"] for r in s.db.query("select outcome from schedule_runs order by id")]
    assert outcomes == ["running", "skipped: previous run still running"]
    s.running["nightly"][0].kill()
    s.running["nightly"][0].wait()
    assert s.tick(T0 + dt.timedelta(minutes=10)) == ["nightly"]  # finished (killed): the next slot runs
    assert [r["outcome"] for r in s.db.query("select outcome from schedule_runs order by id")] == [
        "failed", "skipped: previous run still running", "running"]  # the killed run is recorded as failed
    s.running["nightly"][0].kill()


def test_not_due_before_the_next_cron_time(tmp_path):
    s = Scheduler([NIGHTLY], str(tmp_path / "s.db"), launcher=sleeper(0), log=lambda m: None)
    assert s.tick(T0) == ["nightly"]
    assert s.tick(T0 + dt.timedelta(minutes=4)) == []


def test_restarted_scheduler_keeps_state_and_respects_a_run_still_going(tmp_path):
    db = str(tmp_path / "s.db")
    first = Scheduler([NIGHTLY], db, launcher=sleeper(STILL_GOING), log=lambda m: None)
    first.tick(T0)
    proc = first.running["nightly"][0]
    second = Scheduler([NIGHTLY], db, launcher=sleeper(0), log=lambda m: None)  # a restart: no memory of procs
    assert second.tick(T0 + dt.timedelta(minutes=2)) == []  # not due: last start is read from the store
    assert second.tick(T0 + dt.timedelta(minutes=5)) == []  # due, but the recorded pid is alive
    proc.kill()
    proc.wait()
    assert second.tick(T0 + dt.timedelta(minutes=10)) == ["nightly"]


@pytest.mark.parametrize("text, message", [
    ("[[target]]\nname = 'a'\nurls = ['http://x/']\ncron = '61 * * * *'\n", "invalid cron"),
    ("[[target]]\nname = 'a'\nurls = ['http://x/']\n", "needs name, urls and cron"),
    ("[[target]]\nname = 'a'\nurls = ['http://x/']\ncron = '* * * * *'\nspider = 'nope'\n", "spider must be"),
    ("db = 'x.db'\n", "no [[target]]"),
])
def test_bad_config_is_refused_with_a_clear_message(tmp_path, text, message):
    path = tmp_path / "crawls.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(path)
