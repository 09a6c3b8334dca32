"""The crawler's address guard as a plain check of one URL, for callers outside a crawl: the review server's
webhook sender checks each callback URL with it (no loopback, private, link-local, metadata, ... targets), and
``fentwatch tokens add --callback`` checks the URL when the token is made."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from .middlewares import form_refusal, internal, resolve


def url_refusal(url: str, allowed_networks: list[str] = ()) -> str | None:
    """Why ``url`` must not be contacted, or None. Addresses inside ``allowed_networks`` (CIDR strings, from the
    API settings) are allowed although internal; a name that does not resolve is refused."""
    parts = urlparse(url)
    if why := form_refusal(parts):
        return why
    host = parts.hostname.lower()
    addresses = resolve(host)
    if not addresses:
        return f"{host} does not resolve"
    allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)
    bad = [a for a in addresses if internal(a) and not any(a in n for n in allowed if n.version == a.version)]
    if bad:
        return f"{host} is an internal address ({', '.join(map(str, bad))}), not in [webhooks] allowed_networks"
    return None
