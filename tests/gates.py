"""A demo site server that holds its answers at a barrier, so that tests which stop, kill or overlap crawls do not
depend on how fast the crawl runs on a given machine: a page is answered only when ``gate.allow(path)`` is true.

The predicate is polled (every 20 ms) under the gate's lock, so a test can swap it atomically (``with gate.lock``);
a request held longer than ``timeout`` is answered anyway and the test's own assertions say what went wrong."""

from __future__ import annotations

import functools
import threading
import time

from crawler.demo.server import DemoServer, _Handler


class _GatedHandler(_Handler):
    def do_GET(self):  # noqa: N802
        self.server.gate.wait(self.path)
        super().do_GET()


class Gate:
    def __init__(self, allow=None, timeout: float = 300):
        self.lock = threading.Lock()
        self.allow = allow or (lambda path: True)
        self.timeout = timeout

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.allow(path):
                    return
            time.sleep(0.02)


def gated_server(root, gate: Gate) -> DemoServer:
    """The demo site's server (crawler/demo/server.py) with every GET held at ``gate`` first."""
    server = DemoServer(root)
    server.httpd.RequestHandlerClass = functools.partial(_GatedHandler, directory=str(root))
    server.httpd.gate = gate
    return server


def deep(path: str) -> bool:
    """A listing (or another page under a section's folder): not the home page, robots.txt or a list page."""
    return path.split("?")[0].count("/") >= 3


class FirstPages:
    """Answers every page but only the first ``n`` deep ones; ``served`` counts the deep pages let through."""

    def __init__(self, n: int):
        self.n, self.served = n, 0

    def __call__(self, path: str) -> bool:
        if deep(path):
            if self.served >= self.n:
                return False
            self.served += 1
        return True
