"""Crawl budgets and the trap guard: a spider middleware that decides which links a crawl follows.

A site can hold an endless URL space: a calendar whose every month links the next and the previous one, the same
pages again under a new session id, every sort order of every list. Each link a page yields is checked, and a link
that is cut is recorded: a ``fentwatch/cut/<reason>`` stat per link and, per page, one ``page_issues`` row per
reason (how many of its links were not followed and one example). The rules, each an ordinary Scrapy setting
(``crawler/settings.py``; per run with ``--set``, per scheduler target in its ``settings`` table):

- ``depth-limit``: a link deeper than ``DEPTH_LIMIT`` (Scrapy's own setting; cut here first, so it is recorded);
- ``url-pattern-repeats``: a URL pattern (the URL with its numbers and month names blanked: ``/cal?m=#-#``) met
  more than ``FENTWATCH_TRAP_MAX_REPEATS`` times along one chain of links (next month, next month, ...). A chain
  is cut, not the URL: a page the chain would have reached is still followed from a shorter path;
- ``repeated-path-segment``: a path naming one segment more than ``FENTWATCH_TRAP_MAX_SEGMENT_REPEATS`` times
  (``/a/b/a/b/a/b/a/``, the relative-link loop);
- ``session-id`` and ``sort-order``: a URL that differs from one already followed only in a session parameter
  (``FENTWATCH_TRAP_SESSION_PARAMS``, and ``;jsessionid=`` in the path) or in a sort/view parameter
  (``FENTWATCH_TRAP_ORDER_PARAMS``);
- ``page-budget`` and ``host-budget``: more than ``FENTWATCH_MAX_PAGES`` URLs in the crawl, or more than
  ``FENTWATCH_MAX_PAGES_PER_HOST`` on one host (start URLs count; a URL is counted once).

Counts live in the process: a crawl resumed from ``--jobdir`` starts them again, and in distributed mode each
process has its own.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from .items import PageIssue

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+")
_MONTH = re.compile(r"(?i)(?<![a-z])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])")
_JSESSIONID = re.compile(r"(?i);jsessionid=[^/?#;]*")
PATH_KEY = "fentwatch_path"  # request meta: URL pattern -> times met along the chain of links that led here

WHY = {
    "depth-limit": "deeper than DEPTH_LIMIT ({limit})",
    "url-pattern-repeats": "their URL pattern repeats more than FENTWATCH_TRAP_MAX_REPEATS ({limit}) times along "
                           "the chain of links (a calendar or an endless next/previous chain)",
    "repeated-path-segment": "a path segment repeated more than FENTWATCH_TRAP_MAX_SEGMENT_REPEATS ({limit}) "
                             "times",
    "session-id": "the same URL as one already followed but for a session id",
    "sort-order": "the same URL as one already followed but for a sort or view parameter",
    "page-budget": "the crawl reached FENTWATCH_MAX_PAGES ({limit}) pages",
    "host-budget": "the host reached FENTWATCH_MAX_PAGES_PER_HOST ({limit}) pages",
}


def url_pattern(url: str) -> str:
    """The URL with numbers and English month names blanked and its query keys sorted: what the pages of one
    endless series share (``/calendar?month=2026-11`` and ``...=2026-12`` both give ``/calendar?month=#-#``)."""
    parts = urlsplit(url)
    path = _MONTH.sub("@", _NUMBER.sub("#", parts.path))
    if not parts.query:
        return f"{parts.netloc}{path}"
    query = "&".join(sorted(_MONTH.sub("@", _NUMBER.sub("#", q)) for q in parts.query.split("&")))
    return f"{parts.netloc}{path}?{query}"


class CrawlBudget:
    def __init__(self, crawler, settings):
        self.stats = crawler.stats
        self.depth_limit = settings.getint("DEPTH_LIMIT", 0)
        self.max_repeats = settings.getint("FENTWATCH_TRAP_MAX_REPEATS", 0)
        self.max_segment_repeats = settings.getint("FENTWATCH_TRAP_MAX_SEGMENT_REPEATS", 0)
        self.max_pages = settings.getint("FENTWATCH_MAX_PAGES", 0)
        self.max_per_host = settings.getint("FENTWATCH_MAX_PAGES_PER_HOST", 0)
        names = [p.lower() for p in settings.getlist("FENTWATCH_TRAP_SESSION_PARAMS")]
        self.session_params = {p for p in names if not p.endswith("*")}
        self.session_prefixes = tuple(p[:-1] for p in names if p.endswith("*"))  # aspsessionid*: ASPSESSIONIDQQGG
        self.order_params = {p.lower() for p in settings.getlist("FENTWATCH_TRAP_ORDER_PARAMS")}
        self.limits = {"depth-limit": self.depth_limit, "url-pattern-repeats": self.max_repeats,
                       "repeated-path-segment": self.max_segment_repeats, "page-budget": self.max_pages,
                       "host-budget": self.max_per_host}
        self.seen: set[int] = set()        # hashes of the URL keys followed (budget-bounded)
        self.pages = 0
        self.per_host: Counter = Counter()
        self.logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("FENTWATCH_CRAWL_BUDGET", True):
            raise NotConfigured
        mw = cls(crawler, crawler.settings)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    # --- the rules ---------------------------------------------------------------------------------------------
    def _key(self, parts) -> tuple[int, str | None]:
        """A hash of the URL without fragment, session and sort parameters, and which kind was dropped."""
        path, dropped = parts.path, None
        if ";" in path and _JSESSIONID.search(path):
            path, dropped = _JSESSIONID.sub("", path), "session-id"
        query = parts.query
        if query:
            kept = []
            for k, v in parse_qsl(query, keep_blank_values=True):
                name = k.lower()
                if name in self.session_params or (self.session_prefixes and name.startswith(self.session_prefixes)):
                    dropped = "session-id"
                elif name in self.order_params:
                    dropped = dropped or "sort-order"
                else:
                    kept.append((k, v))
            if dropped:
                query = "&".join(f"{k}={v}" for k, v in sorted(kept))
        return hash((parts.scheme, parts.netloc.lower(), path, query)), dropped

    def _segments_repeat(self, path: str) -> bool:
        if self.max_segment_repeats <= 0 or path.count("/") <= self.max_segment_repeats:
            return False
        counts = Counter(s for s in path.split("/") if s)
        return bool(counts) and max(counts.values()) > self.max_segment_repeats

    def check(self, url: str, depth: int, chain: dict[str, int]) -> str | None:
        """Why the link to ``url`` (at ``depth``, after the ``chain`` of patterns) is not followed, or None; a
        followed URL is counted."""
        if self.depth_limit and depth > self.depth_limit:
            return "depth-limit"
        if self.max_repeats and chain and chain.get(url_pattern(url), 0) >= self.max_repeats:
            return "url-pattern-repeats"
        parts = urlsplit(url)
        if self._segments_repeat(parts.path):
            return "repeated-path-segment"
        key, dropped = self._key(parts)
        if key in self.seen:
            return dropped  # None: a plain duplicate, left to Scrapy's duplicate filter
        if self.max_pages and self.pages >= self.max_pages:
            return "page-budget"
        host = parts.hostname or ""
        if self.max_per_host and self.per_host[host] >= self.max_per_host:
            return "host-budget"
        self.seen.add(key)
        self.pages += 1
        self.per_host[host] += 1
        return None

    # --- Scrapy hooks ------------------------------------------------------------------------------------------
    async def process_start(self, start):
        async for item_or_request in start:
            if isinstance(item_or_request, Request):
                self.check(item_or_request.url, 0, {})  # counted; start URLs are never cut
            yield item_or_request

    def _chain(self, response) -> dict[str, int]:
        """The patterns met along the chain of links to ``response``'s page, itself included."""
        if not self.max_repeats:
            return {}
        chain = dict(response.meta.get(PATH_KEY) or {})
        pattern = url_pattern(response.url)
        chain[pattern] = chain.get(pattern, 0) + 1
        return chain

    def _let_through(self, x, depth: int, chain: dict, cut: dict[str, list]) -> bool:
        """Whether one output of the spider goes on; a request over a budget is counted in ``cut`` instead."""
        if not isinstance(x, Request):
            return True
        why = self.check(x.url, depth, chain)
        if why is None:
            if chain:
                x.meta[PATH_KEY] = chain
            return True
        entry = cut.setdefault(why, [0, x.url])
        entry[0] += 1
        return False

    def _records(self, response, cut: dict[str, list]) -> list[PageIssue]:
        return [self._record(response, why, n, example) for why, (n, example) in cut.items()]

    def process_spider_output(self, response, result, spider=None):
        depth, chain, cut = response.meta.get("depth", 0) + 1, self._chain(response), {}
        for x in result:
            if self._let_through(x, depth, chain, cut):
                yield x
        yield from self._records(response, cut)

    async def process_spider_output_async(self, response, result, spider=None):
        depth, chain, cut = response.meta.get("depth", 0) + 1, self._chain(response), {}
        async for x in result:
            if self._let_through(x, depth, chain, cut):
                yield x
        for issue in self._records(response, cut):
            yield issue

    def _record(self, response, why: str, n: int, example: str) -> PageIssue:
        self.stats.inc_value(f"fentwatch/cut/{why}", n)
        self.stats.inc_value(f"fentwatch/issues/{why}")
        detail = f"{n} link{'s' if n > 1 else ''} not followed: {WHY[why].format(limit=self.limits.get(why))}; " \
                 f"e.g. {example}"
        if why not in self.logged:
            self.logged.add(why)
            logger.warning("crawl budget: %s (%s); further cuts of this kind are counted, not logged", detail,
                           response.url)
        return PageIssue(response.url, why, detail, response.status)

    def spider_closed(self, spider, reason):
        self.stats.set_value("fentwatch/budget/pages", self.pages)
