"""robots.txt as RFC 9309 reads it: a robots.txt that answers 5xx, or does not answer (timeout, refused
connection, reset), means "disallow everything" (section 2.3.1.4), here for the rest of the crawl.

Scrapy's own middleware reads such a robots.txt as "allow everything": an error page parses to no rules, and a
failed download gives no parser. A 4xx still means "no robots.txt, crawl freely" (section 2.3.1.3). Retries
happen first (a 503 is retried like any page, ``RETRY_TIMES``). Each request refused this way fails with
``RobotsUnreachable``, which the spider records in ``page_issues`` (reason ``robots-unreachable``); the stats
count the hosts (``fentwatch/robots/unreachable``) and the refused requests (``fentwatch/robots/refused``).
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


class RobotsUnreachable(IgnoreRequest):
    """A request refused because its host's robots.txt could not be read; the message says why."""

    page_issue = "robots-unreachable"


class DisallowAll:
    """The robots.txt parser for a host whose robots.txt could not be read."""

    def __init__(self, why: str):
        self.why = why

    def allowed(self, url, user_agent) -> bool:
        return False


class RobotsTxt(RobotsTxtMiddleware):
    def _unreachable(self, netloc: str, why: str) -> DisallowAll:
        self._stats.inc_value("fentwatch/robots/unreachable")
        logger.warning("robots.txt of %s %s: nothing is fetched from that host in this crawl (RFC 9309)", netloc,
                       why)
        return DisallowAll(f"robots.txt of {netloc} {why}: the host is disallowed for this crawl (RFC 9309 2.3.1.4)")

    async def _parse_robots(self, response, netloc, request) -> None:
        if 500 <= response.status <= 599:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._settle(netloc, self._unreachable(netloc, f"answered {response.status}"))
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # refused before it was sent (the address guard): the pages are too
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        message = str(exc).split(" in request")[0] or "no answer"
        self._settle(netloc, self._unreachable(netloc, f"could not be fetched ({type(exc).__name__}: {message})"))

    def _settle(self, netloc: str, parser: DisallowAll) -> None:
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if hasattr(waiting, "callback"):
            waiting.callback(parser)

    def process_request_2(self, rp, request) -> None:
        if isinstance(rp, DisallowAll):
            self._stats.inc_value("fentwatch/robots/refused")
            raise RobotsUnreachable(rp.why)
        super().process_request_2(rp, request)
