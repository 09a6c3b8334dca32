"""Shared fixtures and helpers.

``redis_server``: a real redis-server on 127.0.0.1 for the whole session, installed from Debian's packages when
missing (CI starts from a fresh machine), stopped at the end. Where it cannot be installed (not root, no apt-get,
apt failing), the session stops at once with one line naming what is missing and how to get it.

Server processes start on free ports through ``ports.serve_on_free_port`` (a port taken in between: retried).
"""

import os
import shutil
import subprocess

import pytest

try:
    from ports import free_port, serve_on_free_port  # noqa: F401 - free_port: bench/ imports it from here
except ImportError:  # imported as tests.conftest (bench/)
    from tests.ports import free_port, serve_on_free_port  # noqa: F401


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
