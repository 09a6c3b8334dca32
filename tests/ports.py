"""Server processes on free loopback ports, for the tests and the screenshot script.

A port found free can be taken by another process before ours binds it (other sessions share this machine), so
``serve_on_free_port`` starts again on a new port when ours exits, and calls the server ready only once the
listening socket is its own (never a stranger's that took the port)."""

import contextlib
import os
import socket
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def refused_port():
    """A loopback port where a connection is refused, for as long as the with-block lasts: bound by us but never
    listening, so no other process can start listening there in between (a port merely found free could be)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]


def _socket_inodes(port: int) -> set[str]:
    """Inodes of the sockets listening on ``port`` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def owns_port(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the socket listening on ``port``."""
    inodes = _socket_inodes(port)
    if not inodes:
        return False
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def serve_on_free_port(launch, ready, name: str, timeout: float = 60, attempts: int = 5):
    """Start ``launch(port) -> Popen`` on a free port until ``ready(port)`` answers from our own process.
    Returns (proc, port)."""
    for _ in range(attempts):
        port = free_port()
        proc = launch(port)
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if owns_port(proc.pid, port):
                try:
                    if ready(port):
                        return proc, port
                except OSError:
                    pass
            time.sleep(0.02)  # a start is a few hundred ms: checked often, so the test goes on as soon as it answers
        if proc.poll() is None:  # alive but never ready: not a port clash
            proc.terminate()
            proc.wait(timeout=20)
            raise RuntimeError(f"{name} did not start within {timeout:.0f} s")
        # it exited: most likely the port was taken in between; try another one
    raise RuntimeError(f"{name} exited {attempts} times on start")
