"""What the review app checks at its edge, before a view runs: request size (Flask before the body is read,
waitress while it streams in), the Host header, which proxies' forwarded headers are believed, and integers from
the request (a 400 or 404, never a 500 from SQLite's 64-bit limit)."""

from __future__ import annotations

import ipaddress

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .config import review_settings


def max_int() -> int:
    return review_settings()["requests"]["max_int"]


class BoundedInt(IntegerConverter):
    """``<int:...>`` in routes, up to SQLite's largest integer: a larger listing id is a 404, not an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", max_int())
        super().__init__(map, *args, **kwargs)


def int_arg(values, name: str, default: int | None = None, low: int = 0) -> int | None:
    """An integer from the query string or form, or 400 naming the field; ``default`` when absent or empty."""
    raw = values.get(name, "")
    if raw.strip() == "":
        return default
    try:
        value = int(raw.strip(), 10)
    except ValueError:
        abort(400, f"{name} must be a whole number")
    if not low <= value <= max_int():
        abort(400, f"{name} must be between {low} and {max_int()}")
    return value


def int_list(values, name: str) -> list[int]:
    """Every value of a repeated form field as an integer, or 400 (no partial list: nothing is acted on)."""
    out = []
    for raw in values.getlist(name):
        try:
            value = int(raw.strip(), 10)
        except ValueError:
            abort(400, f"{name} must be whole numbers")
        if not 0 <= value <= max_int():
            abort(400, f"{name} must be between 0 and {max_int()}")
        out.append(value)
    return out


class TrustedProxies:
    """X-Forwarded-For/-Proto/-Host believed only from the configured proxies' addresses (one hop), so the session
    cookie gets ``Secure`` behind a TLS proxy and nobody else can fake the scheme, host or address."""

    def __init__(self, wsgi_app, networks: list[str]):
        self.plain = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1)
        self.networks = [ipaddress.ip_network(n, strict=False) for n in networks]

    def _trusted(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in n for n in self.networks)

    def __call__(self, environ, start_response):
        app = self.fixed if self._trusted(environ.get("REMOTE_ADDR")) else self.plain
        return app(environ, start_response)


def guard(app: Flask, bind_host: str | None = None) -> None:
    """Apply the edge settings of review/data/review.toml to the app."""
    limits, http = review_settings()["requests"], review_settings()["http"]
    app.config["MAX_CONTENT_LENGTH"] = limits["max_body_bytes"]
    app.config["MAX_FORM_MEMORY_SIZE"] = limits["max_body_bytes"]
    app.config["MAX_FORM_PARTS"] = limits["max_form_parts"]
    hosts = list(http["allowed_hosts"])
    if bind_host and bind_host not in ("0.0.0.0", "::", ""):
        hosts.append(bind_host)
    app.config["TRUSTED_HOSTS"] = hosts
    app.url_map.converters["int"] = BoundedInt
    if http["trusted_proxies"]:
        app.wsgi_app = TrustedProxies(app.wsgi_app, http["trusted_proxies"])


def waitress_limits() -> dict:
    """waitress's own limits set to match the app's, so an oversized body is refused while it streams in."""
    size = review_settings()["requests"]["max_body_bytes"]
    return {"max_request_body_size": size, "max_request_header_size": 65536, "inbuf_overflow": size}


def client_address() -> str:
    return request.remote_addr or ""
