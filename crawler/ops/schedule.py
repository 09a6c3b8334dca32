"""`fentwatch schedule`: run each configured crawl target on its cron expression, never two runs of one target at
once, every run recorded in the store, and the schedule's state kept there so that a restarted scheduler picks
up where it stopped.

Config (TOML)::

    db = "nightly.db"                      # optional; else --db, FENTWATCH_DB, ./fentwatch.db

    [[target]]
    name = "example-catalogue"
    urls = ["https://marketplace.example/catalog/"]
    spider = "generic"                     # generic, sitemap, catalog, b2b, board
    cron = "0 2 * * *"                     # minute hour day month weekday (croniter)
    settings = { DOWNLOAD_DELAY = "2" }    # optional Scrapy settings
    render = true                          # optional: render pages with Chromium (crawl --render)

Each run is its own `fentwatch crawl` process (a Scrapy reactor cannot be restarted in one process), or, with
``--scrapyd URL``, a job submitted to a scrapyd server that has the project deployed (``ScrapydLauncher``).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from croniter import croniter

from store.db import now, open_store

SPIDERS = ("generic", "sitemap", "catalog", "b2b", "board")


class ConfigError(ValueError):
    pass


@dataclass
class Target:
    name: str
    urls: list[str]
    cron: str
    spider: str = "generic"
    settings: dict = field(default_factory=dict)


def load_config(path: Path) -> tuple[str | None, list[Target]]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    targets = []
    for i, t in enumerate(data.get("target", [])):
        where = f"{path}: target {i + 1}"
        if not isinstance(t, dict) or not t.get("name") or not t.get("urls") or not t.get("cron"):
            raise ConfigError(f"{where} needs name, urls and cron")
        if not croniter.is_valid(t["cron"]):
            raise ConfigError(f"{where} ({t['name']}): invalid cron expression {t['cron']!r}")
        if t.get("spider", "generic") not in SPIDERS:
            raise ConfigError(f"{where} ({t['name']}): spider must be one of {', '.join(SPIDERS)}")
        targets.append(Target(t["name"], list(t["urls"]), t["cron"], t.get("spider", "generic"),
                              {str(k): str(v) for k, v in t.get("settings", {}).items()}
                              | ({"FENTWATCH_RENDER": "True"} if t.get("render") else {})))
    if not targets:
        raise ConfigError(f"{path}: no [[target]] tables")
    if len({t.name for t in targets}) != len(targets):
        raise ConfigError(f"{path}: target names must be unique")
    return data.get("db"), targets


class ScrapydJob:
    """A run submitted to scrapyd, polled through its API like a process: ``poll()`` is None until the job is
    finished, then 0 (scrapyd does not report a spider's exit status; the crawl-run record and its monitor do)."""

    pid = None  # the crawl runs on the scrapyd host

    def __init__(self, base: str, project: str, jobid: str):
        self.base, self.project, self.jobid = base, project, jobid

    def poll(self) -> int | None:
        import json
        import urllib.parse
        import urllib.request

        query = urllib.parse.urlencode({"project": self.project})
        with urllib.request.urlopen(f"{self.base}/listjobs.json?{query}", timeout=30) as r:
            jobs = json.load(r)
        return 0 if any(j["id"] == self.jobid for j in jobs.get("finished", [])) else None

    def kill(self) -> None:
        _scrapyd_post(self.base, "cancel.json", [("project", self.project), ("job", self.jobid)])


def _scrapyd_post(base: str, endpoint: str, fields: list[tuple[str, str]]) -> dict:
    import json
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode(fields).encode("utf-8")
    with urllib.request.urlopen(urllib.request.Request(f"{base}/{endpoint}", data=data), timeout=30) as r:
        answer = json.load(r)
    if answer.get("status") != "ok":
        raise RuntimeError(f"scrapyd {endpoint}: {answer.get('message', answer)}")
    return answer


class ScrapydLauncher:
    """Submit each run to scrapyd (schedule.json) instead of starting a crawl here. The project must be deployed
    there (`scrapyd-deploy`); the store path and the target's settings travel as Scrapy settings."""

    def __init__(self, url: str, db_file: str | None, project: str = "fentwatch", extra: dict | None = None):
        self.base, self.db_file, self.project, self.extra = url.rstrip("/"), db_file, project, extra or {}

    def __call__(self, target: Target) -> ScrapydJob:
        fields = [("project", self.project), ("spider", target.spider), ("start_url", ",".join(target.urls))]
        settings = {**self.extra, **target.settings}
        if self.db_file:
            settings.setdefault("FENTWATCH_DB", str(Path(self.db_file).resolve()))  # scrapyd runs elsewhere
        fields += [("setting", f"{k}={v}") for k, v in settings.items()]
        return ScrapydJob(self.base, self.project, _scrapyd_post(self.base, "schedule.json", fields)["jobid"])


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


class Scheduler:
    def __init__(self, targets: list[Target], db_file: str, launcher=None, log=print):
        self.targets = {t.name: t for t in targets}
        self.db_file = db_file
        self.db = open_store(db_file)
        self.db["schedule_state"].create({"target": str, "last_started": str, "pid": int}, pk="target",
                                         if_not_exists=True)
        self.db["schedule_runs"].create({"id": int, "target": str, "started_at": str, "finished_at": str,
                                         "exit_code": int, "outcome": str}, pk="id", if_not_exists=True)
        self.launcher = launcher or self.launch
        self.running: dict[str, tuple[subprocess.Popen, int]] = {}
        self.log = log

    def launch(self, target: Target) -> subprocess.Popen:
        args = [sys.executable, "-m", "fentwatch", "crawl", *target.urls, "--db", self.db_file,
                "--spider", target.spider]
        for k, v in target.settings.items():
            args += ["--set", f"{k}={v}"]
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def state(self, name: str) -> dict:
        rows = list(self.db.query("select * from schedule_state where target = ?", [name]))
        return rows[0] if rows else {"target": name, "last_started": None, "pid": None}

    def due(self, target: Target, at: dt.datetime) -> bool:
        last = self.state(target.name)["last_started"]
        base = dt.datetime.fromisoformat(last) if last else at - dt.timedelta(seconds=1)
        return croniter(target.cron, base).get_next(dt.datetime) <= at

    def reap(self) -> None:
        for name, (proc, run_id) in list(self.running.items()):
            code = proc.poll()
            if code is not None:
                self.db["schedule_runs"].update(run_id, {"finished_at": now(), "exit_code": code,
                                                         "outcome": "finished" if code == 0 else "failed"})
                self.log(f"{name}: run finished with exit code {code}")
                del self.running[name]

    def tick(self, at: dt.datetime | None = None) -> list[str]:
        """Start every due target that is not running; returns the names started."""
        at = at or dt.datetime.now(dt.timezone.utc)
        self.reap()
        started = []
        for name, target in self.targets.items():
            if not self.due(target, at):
                continue
            st = self.state(name)
            if name in self.running or _pid_alive(st["pid"]):
                # never two runs of one target: the missed slot is recorded, the next one is tried again
                self.db["schedule_runs"].insert({"target": name, "started_at": at.isoformat(timespec="seconds"),
                                                 "finished_at": at.isoformat(timespec="seconds"),
                                                 "outcome": "skipped: previous run still running"})
                self.db["schedule_state"].upsert({"target": name, "last_started": at.isoformat(), "pid": st["pid"]},
                                                 pk="target")
                self.log(f"{name}: due, but the previous run is still running: skipped")
                continue
            proc = self.launcher(target)
            run_id = self.db["schedule_runs"].insert({"target": name, "started_at": at.isoformat(timespec="seconds"),
                                                      "outcome": "running"}).last_pk
            self.db["schedule_state"].upsert({"target": name, "last_started": at.isoformat(), "pid": proc.pid},
                                             pk="target")
            self.running[name] = (proc, run_id)
            started.append(name)
            self.log(f"{name}: started run {run_id} (pid {proc.pid})")
        return started

    def run_forever(self, interval: float = 30.0) -> None:
        while True:
            self.tick()
            time.sleep(interval)
