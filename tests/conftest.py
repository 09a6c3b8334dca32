"""Shared fixtures and helpers.

``redis_server``: a real redis-server on 127.0.0.1 for the whole session, installed from Debian's packages when
missing (CI starts from a fresh machine), stopped at the end. Where it cannot be installed (not root, no apt-get,
apt failing), the session stops at once with one line naming what is missing and how to get it.

Server processes start on free ports through ``ports.serve_on_free_port`` (a port taken in between: retried).

Expensive things are made once and shared: ``demo_run`` (one real `fentwatch demo` per test run, also across
pytest-xdist workers), ``account_stores`` (stores with Argon2-hashed accounts, once per set of roles), ``browser``
(Chromium per worker). Tests that call a command whose process is not their subject use ``clirun.fentwatch``
(in-process); the detector tests share ``detect.engine.default_detector()``.
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys

import pytest

try:
    from ports import free_port, serve_on_free_port  # noqa: F401 - free_port: bench/ imports it from here
except ImportError:  # imported as tests.conftest (bench/)
    from tests.ports import free_port, serve_on_free_port  # noqa: F401


FILE_SECONDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "file_seconds.json")


def pytest_collection_modifyitems(config, items):
    """Test files in order of their measured seconds, longest first (tests/data/file_seconds.json, written by
    tests/file_seconds.py); tests within a file keep their order. With ``--dist loadfile --no-loadscope-reorder``
    (pyproject.toml) the workers take the files in this order, so no long file is left to start when the other
    worker has nothing more to do."""
    try:
        with open(FILE_SECONDS, encoding="utf-8") as f:
            seconds = json.load(f)["seconds"]
    except (OSError, ValueError, KeyError):
        return
    items[:] = in_file_order(items, seconds, lambda item: item.nodeid.split("::")[0])


def in_file_order(items: list, seconds: dict[str, float], file_of) -> list:
    """``items`` with their files longest first by ``seconds``, the tests of a file in their order. Files not in
    ``seconds`` yet (new ones) go first, in collection order: their length is unknown, and one that turns out long
    must not be the last file of one worker while the other has nothing left."""
    first = {}
    for i, item in enumerate(items):
        first.setdefault(file_of(item), i)
    return sorted(items, key=lambda item: (-seconds.get(file_of(item), float("inf")), first[file_of(item)]))


def missing(what: str, how: str, detail: str = "") -> None:
    """Stop the whole session with one line: what is missing and how to get it."""
    pytest.exit(f"fentwatch tests: {what} is missing and could not be installed{detail}; {how}", returncode=4)


def apt_install(package: str, binary: str) -> str | None:
    """Debian's ``package`` via apt-get, when run as root; the path of ``binary`` afterwards, or None."""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return None
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q", "--no-install-recommends", package]
    if subprocess.run(install, capture_output=True).returncode != 0:  # a fresh machine may have no package lists
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-q"], capture_output=True)
        if subprocess.run(install, capture_output=True).returncode != 0:
            return None
    return shutil.which(binary) or (binary if os.path.isabs(binary) and os.path.exists(binary) else None)


def _install_redis() -> str:
    path = shutil.which("redis-server") or apt_install("redis-server", "redis-server")
    if not path:
        why = " (not root)" if os.geteuid() != 0 else " (apt-get failed or is missing)"
        missing("redis-server", "install it: sudo apt-get install redis-server (Debian/Ubuntu), "
                "sudo dnf install redis (Fedora), brew install redis (macOS)", why)
    return path


@pytest.fixture(scope="session", autouse=True)
def warm_fentwatch(tmp_path_factory):
    """The zygote of ``warmrun.WARM_FENTWATCH`` for this worker, started with the session: it imports while the first
    tests run (a command asked for meanwhile waits for it)."""
    import tempfile

    from warmrun import ENV_OWNER, ENV_SOCKET, start_zygote, stop_zygote

    folder = tempfile.mkdtemp(prefix="fw-zygote-")  # short: a Unix socket path has at most 107 bytes
    path = os.path.join(folder, "zygote.sock")
    os.environ[ENV_SOCKET], os.environ[ENV_OWNER] = path, str(os.getpid())
    proc = start_zygote(path)
    yield
    stop_zygote(proc)
    del os.environ[ENV_SOCKET], os.environ[ENV_OWNER]
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    binary = _install_redis()
    workdir = tmp_path_factory.mktemp("redis")
    import redis

    def launch(port):
        return subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
                                 "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    proc, port = serve_on_free_port(launch, lambda port: redis.Redis(port=port).ping(), "redis-server")
    yield f"redis://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def redis_url(redis_server):
    """A Redis database emptied for this test."""
    import redis

    url = f"{redis_server}/0"
    redis.Redis.from_url(url).flushdb()
    return url


def run_once(tmp_path_factory, name: str, make):
    """``make()`` -> a JSON-able value, computed once per test run: under pytest-xdist the first worker to ask makes
    it and the others wait for it and read it (a lock file in the run's shared tmp folder)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make()
    shared = tmp_path_factory.getbasetemp().parent  # pytest-N/, shared by this run's workers (popen-gw0, ...)
    done = shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            done.write_text(json.dumps(make()), encoding="utf-8")
        return json.loads(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """One real `fentwatch demo` (the whole demo site crawled into a new store) for the test run: the tests of its
    result and of its output read the same run instead of running the demo each."""
    def demo():
        db = tmp_path_factory.mktemp("demo") / "demo.db"
        proc = subprocess.run([sys.executable, "-m", "fentwatch", "demo", "--db", str(db)], capture_output=True,
                              text=True, timeout=900)
        return [proc.returncode, proc.stdout, proc.stderr]

    code, out, err = run_once(tmp_path_factory, "demo", demo)
    return subprocess.CompletedProcess(["fentwatch", "demo"], code, out, err)


# -- review stores and the browser: shared by the review, moderator and browser tests ----------------------------

PASSWORD = "correct horse battery"  # every test account's password (review_app.PASSWORD too)


# Argon2id at its lowest cost for the passwords hashed and checked in the test processes (accounts, sign-ins, `users
# add` in-process): how slow a hash is, is not those tests' subject. A stored hash carries its parameters, so the
# review servers the tests start verify these accounts as cheaply. The shipped cost (review/data/review.toml) is
# checked and used by test_review_web.py's password-cost and parallel-guesses tests.
CHEAP_PASSWORDS = {"time_cost": 1, "memory_kib": 8, "parallelism": 1}


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    from review.config import review_settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(review_settings(), "passwords", dict(CHEAP_PASSWORDS))
        yield


@pytest.fixture(scope="session")
def account_stores(tmp_path_factory):
    """``account_stores(roles)``: the bytes of a store holding the accounts ``roles`` (name -> role), made once per
    set of roles for the whole session (Argon2 hashing is slow by design). Write them to a test's own file."""
    from review import auth
    from store.db import open_store

    made = {}

    def make(roles: dict[str, str]) -> bytes:
        key = tuple(sorted(roles.items()))
        if key not in made:
            path = tmp_path_factory.mktemp("accounts") / "store.db"
            db = open_store(path)
            for name, role in roles.items():
                auth.add_user(db, name, role, PASSWORD)
            db.close()
            made[key] = path.read_bytes()
        return made[key]

    return make


@pytest.fixture
def accounts_store(request, tmp_path, account_stores):
    """``tmp_path/store.db``: this test's own store file, holding the accounts of its module's ``ROLES``."""
    path = tmp_path / "store.db"
    path.write_bytes(account_stores(request.module.ROLES))
    return path


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless through Playwright, started once per pytest worker for every test that asks (each
    test opens its own contexts: cookies and pages are never shared); the session stops with one line when Chromium
    is missing and cannot be installed."""
    from playwright.sync_api import sync_playwright

    from review_app import CHROMIUM_ARGS, ensure_chromium

    try:
        path = ensure_chromium()
    except RuntimeError as e:
        pytest.exit(f"fentwatch tests: {e}", returncode=4)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()
