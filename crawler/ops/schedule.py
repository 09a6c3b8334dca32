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
from urllib.parse import urlsplit

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


TOP_KEYS = {"db": str, "target": list}
TARGET_KEYS = {"name": str, "urls": list, "cron": str, "spider": str, "settings": dict, "render": bool}
REQUIRED = ("name", "urls", "cron")
TYPE_NAMES = {str: "a string", list: "a list", dict: "a table", bool: "true or false"}


def load_config(path: Path) -> tuple[str | None, list[Target]]:
    """The config, checked against its schema: known keys only, each of its type, start URLs with http(s) and a
    host, a valid cron expression, a known spider; a message names the target and the key."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    _check_keys(data, TOP_KEYS, f"{path}")
    targets = []
    for i, t in enumerate(data.get("target", [])):
        where = f"{path}: target {i + 1}"
        if not isinstance(t, dict):
            raise ConfigError(f"{where}: expected a [[target]] table")
        if isinstance(t.get("name"), str) and t["name"]:
            where = f"{path}: target {t['name']!r}"
        missing = [k for k in REQUIRED if not t.get(k)]
        if missing:
            raise ConfigError(f"{where} needs name, urls and cron (missing: {', '.join(missing)})")
        _check_keys(t, TARGET_KEYS, where)
        for url in t["urls"]:
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigError(f"{where}: key 'urls': {url!r} is not a web address (http:// or https://)")
        if not croniter.is_valid(t["cron"]):
            raise ConfigError(f"{where}: key 'cron': invalid cron expression {t['cron']!r}")
        if t.get("spider", "generic") not in SPIDERS:
            raise ConfigError(f"{where}: key 'spider': spider must be one of {', '.join(SPIDERS)}")
        for k, v in t.get("settings", {}).items():
            if not isinstance(v, (str, int, float, bool)):
                raise ConfigError(f"{where}: key 'settings.{k}': expected a string, number or true/false")
        targets.append(Target(t["name"], list(t["urls"]), t["cron"], t.get("spider", "generic"),
                              {str(k): str(v) for k, v in t.get("settings", {}).items()}
                              | ({"FENTWATCH_RENDER": "True"} if t.get("render") else {})))
    if not targets:
        raise ConfigError(f"{path}: no [[target]] tables")
    if len({t.name for t in targets}) != len(targets):
        raise ConfigError(f"{path}: target names must be unique")
    return data.get("db"), targets


def _check_keys(table: dict, schema: dict, where: str) -> None:
    for key, value in table.items():
        if key not in schema:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(schema)})")
        if not isinstance(value, schema[key]):
            raise ConfigError(f"{where}: key {key!r} must be {TYPE_NAMES[schema[key]]}, not {value!r}")
        if schema[key] is list and key == "urls" and not all(isinstance(u, str) for u in value):
            raise ConfigError(f"{where}: key 'urls' must be a list of strings")


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


def _last_line(path: str | None) -> str | None:
    """The last line of a run's log: a failed crawl ends with its one-line error."""
    try:
        lines = [x.strip() for x in Path(path).read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
    except (OSError, TypeError):
        return None
    return lines[-1][:500] if lines else None


def _stamp(at: dt.datetime) -> str:
    return at.isoformat(timespec="seconds")


class Scheduler:
    """Runs what is due: a target is due when one of its cron times has passed since the last check, whatever the
    check interval. Cron times missed while the scheduler was not running are recorded as missed, and one
    catch-up run starts. Each run's output goes to its own log file (its path in ``schedule_runs.log_path``); a
    run that could not be started (scrapyd out of reach) is recorded as failed and tried again ``retry_after``
    seconds later. ``clock`` gives the current time (injectable for tests; the runs themselves are real)."""

    def __init__(self, targets: list[Target], db_file: str, launcher=None, log=print, clock=None,
                 log_dir: str | Path | None = None, retry_after: float = 60.0):
        self.targets = {t.name: t for t in targets}
        self.db_file = db_file
        self.db = open_store(db_file)  # migration m008 makes schedule_state and schedule_runs
        self.launcher = launcher or self.launch
        self.running: dict[str, tuple[subprocess.Popen, int]] = {}
        self.log = log
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.log_dir = Path(log_dir) if log_dir else Path(db_file).resolve().parent / "schedule-logs"
        self.retry_after = retry_after
        self.log_path: str | None = None

    def launch(self, target: Target) -> subprocess.Popen:
        args = [sys.executable, "-m", "fentwatch", "crawl", *target.urls, "--db", self.db_file,
                "--spider", target.spider]
        for k, v in target.settings.items():
            args += ["--set", f"{k}={v}"]
        if self.log_path is None:  # launched outside start() (a direct call): a log file of its own all the same
            self.log_dir.mkdir(parents=True, exist_ok=True)
            self.log_path = str(self.log_dir / f"{target.name}-{self.clock().strftime('%Y%m%dT%H%M%S')}.log")
        with open(self.log_path, "w", encoding="utf-8") as out:
            return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def state(self, name: str) -> dict:
        rows = list(self.db.query("select * from schedule_state where target = ?", [name]))
        return rows[0] if rows else {"target": name, "last_started": None, "pid": None, "last_check": None,
                                     "retry_at": None}

    def cron_times(self, target: Target, at: dt.datetime) -> list[dt.datetime]:
        """The target's cron times since the last check, up to ``at`` (the last check: when the scheduler last
        looked; a first look sees only a cron time within the second before it)."""
        st = self.state(target.name)
        last = st["last_check"] or st["last_started"]
        base = dt.datetime.fromisoformat(last) if last else at - dt.timedelta(seconds=1)
        times, it = [], croniter(target.cron, base)
        while len(times) < 10000:
            t = it.get_next(dt.datetime)
            if t > at:
                break
            times.append(t)
        return times

    def due(self, target: Target, at: dt.datetime) -> bool:
        return bool(self.cron_times(target, at))

    def reap(self) -> None:
        for name, (proc, run_id) in list(self.running.items()):
            try:
                code = proc.poll()
            except OSError as exc:  # scrapyd out of reach while a job runs: ask again at the next check
                self.log(f"{name}: cannot ask about run {run_id} ({exc}); asking again later")
                continue
            if code is None:
                continue
            row = self.db["schedule_runs"].get(run_id)
            outcome = {0: "finished", 130: "interrupted"}.get(code, "failed")
            self.db["schedule_runs"].update(run_id, {
                "finished_at": now(), "exit_code": code, "outcome": outcome,
                "reason": None if code == 0 else _last_line(row["log_path"]) or f"exit code {code}"})
            self.log(f"{name}: run {run_id} {outcome} (exit code {code})"
                     + (f": {_last_line(row['log_path'])}" if code and row["log_path"] else "")
                     + (f"; log: {row['log_path']}" if row["log_path"] else ""))
            del self.running[name]

    def tick(self, at: dt.datetime | None = None) -> list[str]:
        """Start every due target that is not running; returns the names started."""
        at = at or self.clock()
        self.reap()
        started = []
        for name, target in self.targets.items():
            st = self.state(name)
            times = self.cron_times(target, at)
            retry = bool(st.get("retry_at")) and dt.datetime.fromisoformat(st["retry_at"]) <= at
            self.db["schedule_state"].upsert({"target": name, "last_check": _stamp(at)}, pk="target")
            if len(times) > 1:
                self.db["schedule_runs"].insert({
                    "target": name, "started_at": _stamp(times[0]), "finished_at": _stamp(times[-2]),
                    "outcome": "missed", "reason": f"{len(times) - 1} cron time(s) from {_stamp(times[0])} to "
                                                   f"{_stamp(times[-2])} passed while the scheduler was not running; "
                                                   f"one catch-up run instead"})
                self.log(f"{name}: {len(times) - 1} run(s) missed while the scheduler was not running; catching up "
                         "with one")
            if not times and not retry:
                continue
            if name in self.running or _pid_alive(st["pid"]):
                # never two runs of one target: the missed slot is recorded, the next one is tried again
                self.db["schedule_runs"].insert({"target": name, "started_at": _stamp(at), "finished_at": _stamp(at),
                                                 "outcome": "skipped: previous run still running"})
                self.db["schedule_state"].upsert({"target": name, "last_started": at.isoformat(), "retry_at": None},
                                                 pk="target")
                self.log(f"{name}: due, but the previous run is still running: skipped")
                continue
            if self.start(target, at):
                started.append(name)
        return started

    def start(self, target: Target, at: dt.datetime) -> bool:
        name = target.name
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = str(self.log_dir / f"{name}-{at.strftime('%Y%m%dT%H%M%S')}.log")
        run_id = self.db["schedule_runs"].insert({"target": name, "started_at": _stamp(at), "outcome": "running",
                                                  "log_path": self.log_path}).last_pk
        try:
            proc = self.launcher(target)
        except Exception as exc:  # noqa: BLE001 - scrapyd out of reach, no such program: recorded, tried again
            retry_at = at + dt.timedelta(seconds=self.retry_after)
            self.db["schedule_runs"].update(run_id, {"finished_at": _stamp(at), "outcome": "failed",
                                                     "reason": f"could not start: {exc}", "log_path": None})
            self.db["schedule_state"].upsert({"target": name, "retry_at": _stamp(retry_at)}, pk="target")
            self.log(f"{name}: could not start run {run_id} ({exc}); trying again at {_stamp(retry_at)}")
            return False
        self.db["schedule_state"].upsert({"target": name, "last_started": at.isoformat(), "pid": proc.pid,
                                          "retry_at": None}, pk="target")
        self.running[name] = (proc, run_id)
        self.log(f"{name}: started run {run_id} (pid {proc.pid}); log: {self.log_path}")
        return True

    def run_forever(self, interval: float = 30.0) -> None:
        while True:
            self.tick()
            time.sleep(interval)
