"""The address guard (SSRF): a hostile page must not point the crawler at internal services.

A downloader middleware, so it sees every request: links, redirects (Scrapy sends a redirect's new request through
the middlewares again), robots.txt fetches and start requests, which Scrapy's offsite filter lets through because
they are ``dont_filter``. A request is refused, with a ``BlockedAddress`` reason the spider records, when

- its scheme is not http or https, or
- its host does not resolve (it would be resolved again, unchecked, when Scrapy connects), or
- its host is, or resolves to, a loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade
  NAT, multicast, reserved or unspecified address, any block of IANA's special-purpose registries (6to4, NAT64,
  Teredo, documentation ...; ``crawler/data/special_networks.tsv``), or one of ``FENTWATCH_BLOCKED_NETWORKS``,

unless the host and port are a configured start URL's, or the host resolves only to addresses that a start URL's
host has and the port is that start URL's (the operator chose to crawl that address and port, not every service
on it). A name is checked by every address it resolves to: a public-looking name that resolves to 10.0.0.5 is
internal. Resolutions are cached for the crawl.

Limit: Scrapy resolves the name again when it connects, so a DNS server that answers differently the second time
(DNS rebinding) is not caught here; crawl hostile sites through an egress proxy or firewall that enforces the same.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlparse

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

logger = logging.getLogger(__name__)
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(IgnoreRequest):
    """A request the address guard refused; the message says why."""


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[Address, ...]:
    """Every address ``host`` names (an IP literal is itself); empty when it does not resolve."""
    try:
        return (ipaddress.ip_address(host.strip("[]")),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def _special_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    path = files(__package__) / "data" / "special_networks.tsv"  # importlib.resources: also from a zipped egg
    rows = [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return tuple(ipaddress.ip_network(r) for r in rows)


SPECIAL_NETWORKS = _special_networks()


@lru_cache(maxsize=4096)
def form_refusal(parts) -> str | None:
    """Why a parsed URL (``urlparse``) is refused by its form alone: a scheme other than http(s), or no host."""
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'}: only http and https are fetched"
    if not (parts.hostname or ""):
        return "no host"
    return None


def internal(addr: Address, extra: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()) -> bool:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast or addr.is_reserved
            or addr.is_unspecified
            or any(addr in net for net in SPECIAL_NETWORKS + extra if net.version == addr.version))


def port_of(parts) -> int:
    """The port a URL connects to (ValueError for an invalid one)."""
    return parts.port or (443 if parts.scheme == "https" else 80)


class AddressGuard:
    def __init__(self, crawler, networks: list[str]):
        self.crawler = crawler
        self.extra = tuple(ipaddress.ip_network(n, strict=False) for n in networks)
        self.start_origins: set[tuple[str, int]] = set()        # (host, port) of each start URL
        self.start_endpoints: set[tuple[Address, int]] = set()  # (address, port) they resolve to

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("FENTWATCH_ADDRESS_GUARD", True):
            raise NotConfigured
        guard = cls(crawler, crawler.settings.getlist("FENTWATCH_BLOCKED_NETWORKS"))
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        return guard

    def spider_opened(self, spider):
        urls = list(getattr(spider, "start_urls", None) or []) + list(getattr(spider, "sitemap_urls", None) or [])
        self.allow_start_urls(urls)

    def allow_start_urls(self, urls: list[str]) -> None:
        for url in urls:
            parts = urlparse(url)
            host = (parts.hostname or "").lower()
            try:
                port = port_of(parts)
            except ValueError:
                continue
            if host:
                self.start_origins.add((host, port))
                self.start_endpoints.update((a, port) for a in resolve(host))

    def refusal(self, url: str) -> str | None:
        """Why ``url`` must not be fetched, or None."""
        parts = urlparse(url)
        host = (parts.hostname or "").lower()
        if why := form_refusal(parts):
            return why
        try:
            port = port_of(parts)
        except ValueError:
            return "invalid port"
        if (host, port) in self.start_origins:
            return None
        addresses = resolve(host)
        if not addresses:
            return f"{host} does not resolve"
        bad = [a for a in addresses if internal(a, self.extra)]
        if bad and not all((a, port) in self.start_endpoints for a in addresses):
            return (f"{host} is an internal address ({', '.join(map(str, bad))}), not a start URL's host and port "
                    f"({port})")
        return None

    def process_request(self, request, spider=None):
        why = self.refusal(request.url)
        if why is not None:
            self.crawler.stats.inc_value("fentwatch/blocked_requests")
            logger.warning("blocked %s: %s", request.url, why)
            raise BlockedAddress(why)
        return None
