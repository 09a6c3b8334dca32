"""Scrapy settings: polite by default; every default is an ordinary Scrapy setting a user can override
(`-s NAME=VALUE`, `fentwatch crawl --set NAME=VALUE`, or a settings module of their own)."""

from store.monitor import DEFAULTS as MONITOR_DEFAULTS

BOT_NAME = "fentwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are, and where a site owner can reach us.
FENTWATCH_CONTACT_URL = "https://github.com/fentwatch/fentwatch#contact"
USER_AGENT = f"fentwatch/0.1 (listing moderation scanner; +{FENTWATCH_CONTACT_URL})"

# Politeness.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024   # a bigger page is dropped and counted (downloader/exception_type_count)
DOWNLOAD_WARNSIZE = 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
CLOSESPIDER_ERRORCOUNT = 50
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False         # Scrapy 2.19's code-running HTTP endpoint on localhost: off, like telnet

# Hostile pages (crawler/extract.py, crawler/middlewares.py): what one page may cost, and where the crawler may go.
FENTWATCH_MAX_LINKS_PER_PAGE = 2000    # more links on one page are not followed (recorded as a page issue)
FENTWATCH_MAX_HTML_DEPTH = 1000        # a page nested deeper is read as plain text (recorded on the listing)
FENTWATCH_ADDRESS_GUARD = True         # refuse loopback, private, link-local and metadata addresses (SSRF) ...
FENTWATCH_BLOCKED_NETWORKS = ["100.64.0.0/10", "192.0.0.0/24", "fd00:ec2::254/128"]  # ... and these networks
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.AddressGuard": 40,  # before the offsite filter and robots.txt
    # robots.txt answered 5xx or not at all: the host is disallowed for the crawl, recorded (RFC 9309 2.3.1.4)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsTxt": 100,
}

# Crawl budgets and the trap guard (crawler/budgets.py): every link cut is counted (fentwatch/cut/<reason>) and
# recorded per page in page_issues. Per run: --set NAME=VALUE; per scheduler target: its settings table.
DEPTH_LIMIT = 100                      # links deeper than this from a start URL are not followed
FENTWATCH_MAX_PAGES = 200_000          # URLs per crawl (start URLs included; 0: no limit)
FENTWATCH_MAX_PAGES_PER_HOST = 100_000  # URLs per host (0: no limit)
FENTWATCH_TRAP_MAX_REPEATS = 50        # one URL pattern (numbers, month names blanked) along one chain of links
FENTWATCH_TRAP_MAX_SEGMENT_REPEATS = 3  # one path segment in one URL (/a/b/a/b/a/b/a/)
# Session parameters: Heritrix's canonicalization rules StripSessionIDs and StripSessionCFIDs (jsessionid,
# phpsessid, aspsessionid*, sid, cfid, cftoken), plus the shop platforms' own (osCsid: osCommerce, zenid: Zen Cart).
FENTWATCH_TRAP_SESSION_PARAMS = ["jsessionid", "phpsessid", "aspsessionid*", "sid", "sessionid", "session_id",
                                 "cfid", "cftoken", "oscsid", "zenid"]
FENTWATCH_TRAP_ORDER_PARAMS = ["sort", "sortby", "sort_by", "sortorder", "sort_order", "order", "orderby",
                               "order_by", "dir", "direction", "view", "mode", "limit", "per_page", "perpage",
                               "page_size", "pagesize"]
SPIDER_MIDDLEWARES = {"crawler.budgets.CrawlBudget": 950}  # nearer the spider than Scrapy's DepthMiddleware (900)
EXTENSIONS = {"crawler.extensions.JobdirGuard": 0}  # a crawl killed mid-way is not resumed from a broken queue
# Pages built by JavaScript (crawler/render.py): `fentwatch crawl --render` fetches pages with Chromium through
# scrapy-playwright, FENTWATCH_RENDER_PAGES at a time; off by default (a browser costs pages/s and memory).
FENTWATCH_RENDER = False
FENTWATCH_RENDER_PAGES = 4
FENTWATCH_RENDER_OFFSITE = False       # the browser fetches only from the start hosts (True: public hosts too)
FENTWATCH_CHROMIUM = "/usr/bin/chromium"
FENTWATCH_DB_MAX_MB = 0                # stop the crawl with an error when the store reaches this size (0: no limit)

# 404 and 410 reach the spider: after a takedown request, a listing that is gone is marked removed.
HTTPERROR_ALLOWED_CODES = [404, 410]

# One item per response: Scrapy's default of 100 parallel items per response only costs here (PERF-NOTES).
CONCURRENT_ITEMS = 1

ITEM_PIPELINES = {
    "crawler.pipelines.DetectPipeline": 300,
    "crawler.pipelines.StorePipeline": 800,
}

# Detection runs in this many worker processes beside the crawler (0: in the crawler's own process). On the
# 2-core machines measured (bench/crawl.py) a worker did not raise pages/s and cost 250 MB, so the default is 0.
FENTWATCH_SCAN_WORKERS = 0

# The store: --db, FENTWATCH_DB (setting or environment variable), else ./fentwatch.db.
FENTWATCH_DB = None

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Distributed mode (docs/scaling-out.md): set FENTWATCH_REDIS (or `fentwatch crawl --redis URL`) to
# redis://HOST:PORT/N and the add-on moves the request queue and the seen-request filter into Redis and sends scanned
# listings to `fentwatch store-worker`; unset, the add-on does nothing and Redis is not needed.
ADDONS = {"crawler.distributed.RedisAddon": 0, "crawler.render.RenderAddon": 0}
FENTWATCH_REDIS = None
FENTWATCH_CRAWL_NAME = None                 # processes with the same name share a frontier; default: spider + URLs
FENTWATCH_REDIS_PREFIX = "fentwatch"
FENTWATCH_REDIS_ITEMS = "fentwatch:items"   # the list store-worker drains
FENTWATCH_REDIS_HEARTBEAT = 10.0            # seconds without a heartbeat before a process's requests are re-queued
#                                             (beaten by a thread: a blocked event loop is not a dead process)
FENTWATCH_REDIS_TIMEOUT = 20.0              # Redis refused or unanswered this long: the crawl stops, failed
FENTWATCH_REDIS_SEEN_CAPACITY = 10_000_000  # seen-request Bloom filter: URLs per crawl ...
FENTWATCH_REDIS_SEEN_ERROR_RATE = 1e-6      # ... at this false-positive rate: 36 MB of Redis, fixed

# Crawl monitoring (store/monitor.py, which holds the default thresholds): a run that breaks one of these is
# recorded as failed, with the reason, and `fentwatch crawls` shows it. Override a key here or with -s.
FENTWATCH_MONITOR = dict(MONITOR_DEFAULTS)
