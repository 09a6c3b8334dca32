"""Shared fixtures. ``redis_server``: a real redis-server on 127.0.0.1 on a free port for the whole session,
installed from Debian's packages when missing (CI starts from a fresh machine), stopped at the end."""

import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _install_redis() -> str:
    path = shutil.which("redis-server")
    if path:
        return path
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", "redis-server"]
    if subprocess.run(install, capture_output=True).returncode != 0:  # a fresh machine may have no package lists
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=300", "update"], capture_output=True, check=True)
        subprocess.run(install, capture_output=True, check=True)
    return shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    binary = _install_redis()
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.1)
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
