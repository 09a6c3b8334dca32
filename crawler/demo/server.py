"""Serve a built demo site on 127.0.0.1 (a free port), in a background thread, recording every request path."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(SimpleHTTPRequestHandler):
    def log_request(self, code="-", size="-"):
        self.server.requests.append(self.path)  # once per request (log_message also runs for errors)

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass

    def do_GET(self):  # noqa: N802
        if self.path.split("?")[0] == "/sitemap.xml":  # the sitemap names this server's own address
            base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            body = (Path(self.directory) / "sitemap.template.xml").read_text(encoding="utf-8").replace("{base}", base)
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.server.requests.append(self.path)
            return
        super().do_GET()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a crawler that drops an oversized page resets the connection: expected, not worth a traceback


class DemoServer:
    def __init__(self, site: Path, host: str = "127.0.0.1", port: int = 0):
        handler = functools.partial(_Handler, directory=str(site))
        self.httpd = _Server((host, port), handler)
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def __enter__(self) -> "DemoServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
