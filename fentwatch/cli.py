"""The ``fentwatch`` command line. Command bodies are thin wrappers over the Python API of each package."""

from __future__ import annotations

import contextlib
import os
import sys
import time

import click

# the lexicon (YAML, RDKit) and every room below are imported by the commands that use them, so that a command
# that needs none of them (`--help`, `crawls`, `users`) does not pay for their import

VERBOSE = {"on": False}


def _verbose(ctx, param, value):
    if value:
        VERBOSE["on"] = True
    return value


VERBOSE_OPTION = click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, is_eager=True,
                              callback=_verbose, help="Show Python tracebacks on errors (and Scrapy's log for crawls).")


class Command(click.Command):
    """Every command takes -v."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(VERBOSE_OPTION)


class Group(click.Group):
    """Commands of fentwatch: an unexpected error is one line on standard error and exit status 1; with -v its
    traceback."""

    command_class = Command

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(VERBOSE_OPTION)

    def main(self, *args, **kwargs):
        VERBOSE["on"] = False
        return super().main(*args, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place errors become a line
            if VERBOSE["on"]:
                raise
            raise click.ClickException(one_line(exc) + " (run again with -v for the traceback)") from None


Group.group_class = Group


def one_line(exc: BaseException) -> str:
    import sqlite3

    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    text = (str(exc).strip().splitlines() or [""])[0]
    if isinstance(exc, sqlite3.DatabaseError):
        return f"the store could not be read or written: {text}"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def existing_store(db):
    """The store's path; a clear error when there is none (commands that read or change a store never create
    one)."""
    from store.db import db_path

    path = db_path(db)
    if not path.is_file():
        raise click.ClickException(f"no store at {path}: crawl first, or name one with --db")
    return path


def new_or_existing_store(db):
    """The store's path for a command that may create it: its folder must exist (no folders made up from a
    typo)."""
    from store.db import db_path

    path = db_path(db)
    if not path.is_file() and not path.parent.is_dir():
        raise click.ClickException(f"no folder {path.parent} for the store {path}: create it first, or fix --db")
    return path


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fentwatch")
def main():
    """fentwatch: find fentanyl-like substances and their precursors in online chemical listings."""


@main.group()
def lexicon():
    """Inspect and validate the controlled-substance lexicon."""


@lexicon.command("check")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False), default=None,
              help="Lexicon folder to check (default: the bundled lexicon).")
@click.option("--opsin/--no-opsin", default=True, show_default=True,
              help="Also convert every systematic name with OPSIN and compare it with the recorded structure.")
def lexicon_check(directory, opsin):
    """Validate every lexicon entry with RDKit; exit 1 naming each broken entry.

    Checks that each SMILES parses, the recorded InChIKey equals the computed one, every CAS number passes the
    check-digit rule, no name belongs to two substances unless marked ambiguous, every fact has a source, and
    (with --opsin) every systematic name converts to the recorded structure.

    Example: fentwatch lexicon check --dir lexicon/
    """
    from detect.opsin import Opsin
    from lexicon import LEXICON_DIR
    from lexicon.validate import check_lexicon

    substances, problems = check_lexicon(directory, opsin=Opsin if opsin else None)
    for p in problems:
        click.echo(f"error: {p}", err=True)
    n_names = sum(len(s.all_names()) for s in substances)
    n_cas = sum(len(s.forms) for s in substances)
    where = directory or LEXICON_DIR
    if problems:
        click.echo(f"lexicon check failed: {len(problems)} problem(s) in {where}", err=True)
        sys.exit(1)
    click.echo(f"lexicon OK: {len(substances)} substances, {n_names} names, {n_cas} CAS numbers ({where})")


@lexicon.command("list")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False), default=None,
              help="Lexicon folder (default: the bundled lexicon).")
@click.option("--category", type=click.Choice(["fentanyl-like", "precursor"]), default=None,
              help="Only substances of this category.")
def lexicon_list(directory, category):
    """Print the substances as a table: id, category, CAS numbers, control status.

    Example: fentwatch lexicon list --category precursor
    """
    from lexicon import load_lexicon

    lex = load_lexicon(directory)
    rows = [s for s in lex.substances if category in (None, s.category)]
    header = ("id", "name", "category", "CAS", "controlled in")
    table = [header] + [
        (
            s.id,
            s.name + (" (medical)" if s.medical else ""),
            s.category,
            ", ".join(s.cas_numbers) or "-",
            ", ".join(sorted({c.jurisdiction for c in s.control})) or "-",
        )
        for s in rows
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for i, r in enumerate(table):
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            click.echo("  ".join("-" * w for w in widths))
    click.echo(f"\n{len(rows)} substances (lexicon version {lex.version})")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write results here (default: standard output).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Scan in this many processes.")
@click.option("--progress/--no-progress", default=None,
              help="Report progress on standard error (default: when it is a terminal).")
def scan(paths, output, jobs, progress):
    """Scan JSONL listings and write one JSONL result per listing, in input order.

    Each input line is {"id", "url"?, "title"?, "text"?, "html"?}; reads standard input when no PATH is given.
    Each output line is {"id", "flagged", "score", "hits": [...], "contacts": [...]}; hit offsets refer to
    title + "\\n" + text. A malformed line gets a result with an "error" field and the scan goes on.

    Example: fentwatch scan listings.jsonl -o results.jsonl --jobs 2
    """
    from detect.config import load_settings
    from detect.opsin import start_early

    for p in paths:
        if p != "-":
            try:
                open(p, "rb").close()
            except OSError as exc:
                raise click.ClickException(f"cannot read {p}: {exc.strerror}") from None
    if jobs == 1:
        start_early(paths, load_settings())  # a long scan boots OPSIN's JVM now, beside the imports below
    from detect.batch import InputLimits, read_lines, scan_blocks
    show = sys.stderr.isatty() if progress is None else progress

    t0 = last = time.monotonic()
    n = flagged = errors = 0
    max_bytes = InputLimits.from_settings(load_settings()).max_line_bytes
    for block in scan_blocks(read_lines(paths or ["-"], max_bytes), jobs=jobs):
        output.write(block.text)
        n += block.count
        flagged += block.flagged
        errors += block.errors
        now = time.monotonic()
        if show and now - last >= 2:
            last = now
            click.echo(f"  {n} listings, {flagged} flagged, {n / (now - t0):.0f}/s", err=True)
    output.flush()
    dt = time.monotonic() - t0
    click.echo(f"scanned {n} listings in {dt:.1f} s ({n / dt if dt else 0:.0f}/s): {flagged} flagged, "
               f"{errors} with errors", err=True)


DB_HELP = "SQLite store (default: $FENTWATCH_DB, else ./fentwatch.db)."


@lexicon.command("export")
@click.option("--db", default=None, help=DB_HELP)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here (default: standard output).")
def lexicon_export(db, output):
    """Export the store's lexicon additions (synonyms and look-alikes added by leads) in the lexicon's own YAML
    format, with who added each, when and why, for review and merging into the shipped lexicon.

    Example: fentwatch lexicon export --db out/demo.db -o additions.yaml
    """
    from lexicon.additions import to_yaml
    from store.additions import additions
    from store.db import open_store

    path = existing_store(db)
    rows = additions(open_store(path))
    output.write(to_yaml(rows, str(path)))
    click.echo(f"exported {len(rows)} addition(s) from {path}", err=True)


@lexicon.command("withdraw")
@click.argument("addition")
@click.option("--by", "by", required=True, help="The lead withdrawing it: an active review account of the store.")
@click.option("--why", required=True, help="Why it is withdrawn (kept with it and in the audit log).")
@click.option("--db", default=None, help=DB_HELP)
def lexicon_withdraw(addition, by, why, db):
    """Withdraw a lexicon addition (ADDITION: its id or its text): no scan against the store uses it from then on.

    The addition stays in the store, marked withdrawn with who, when and why, and the audit log has a line for it.
    Run 'fentwatch rescan' to apply the withdrawal to stored listings.

    Example: fentwatch lexicon withdraw "blue marmot" --by alice --why "a paint colour" --db out/demo.db
    """
    from store import additions
    from store.db import open_store

    store = open_store(existing_store(db))
    try:
        row = additions.withdraw(store, additions.account(store, by), additions.find(store, addition), why)
    except additions.AdditionError as exc:
        raise click.ClickException(str(exc)) from None
    unflag = row["would_unflag"]
    click.echo(f"withdrew {row['kind']} {row['text']!r} (addition {row['id']}); a re-scan would unflag "
               f"{len(unflag)} stored listing(s){': ' + str(unflag[:20]) if unflag else ''}; run 'fentwatch rescan' "
               "to apply it")


@main.command()
@click.option("--db", default=None, help="SQLite store (default: out/demo.db).")
@click.option("--keep-site", is_flag=True, help="Keep the generated demo site folder instead of deleting it.")
@click.option("--fresh", is_flag=True, help="Delete the store first, even when it holds review accounts, decisions "
                                            "or lexicon additions.")
def demo(db, keep_site, fresh):
    """Run the offline demo: serve the bundled demo marketplace on 127.0.0.1, crawl it with detection and storage
    on, and print a summary of what was found.

    The default store out/demo.db starts afresh each time (the demo server's port, part of each URL, changes),
    but never silently: a store that holds review accounts, decisions or lexicon additions is kept and the demo
    refuses, unless --fresh.

    Example: fentwatch demo --db out/demo.db
    """
    from crawler.ops.crawl import run_demo
    from store.db import db_path, people_work, remove_store

    path = db_path(db or "out/demo.db")
    if db is None or fresh:
        work = people_work(path)
        if work and not fresh:
            raise click.ClickException(
                f"{path} holds {', '.join(f'{n} {k}' for k, n in work.items())}: the demo would delete them. Name "
                f"another store with --db, or pass --fresh to delete it")
        remove_store(path)
    exit_with_outcome(str(path), run_demo(str(path), keep_site, verbose=VERBOSE["on"]))


@main.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--db", default=None, help=DB_HELP)
@click.option("--spider", default="generic", show_default=True,
              type=click.Choice(["generic", "sitemap", "catalog", "b2b", "board"]), help="Which spider to crawl with.")
@click.option("--jobdir", type=click.Path(file_okay=False), default=None,
              help="Keep the crawl's state here (Scrapy JOBDIR): an interrupted crawl run again with the same folder "
                   "resumes where it stopped, fetching nothing twice.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=2 (repeatable).")
@click.option("--redis", "redis_url", envvar="FENTWATCH_REDIS", default=None, metavar="URL",
              help="Distributed mode (default: $FENTWATCH_REDIS): share the request queue and seen-request filter "
                   "with every crawler given the same URL, spider and start URLs, and send listings to "
                   "`fentwatch store-worker` instead of writing the store. See docs/scaling-out.md.")
@click.option("--render", is_flag=True,
              help="Render pages with Chromium (scrapy-playwright) for sites that build their offers with JavaScript.")
def crawl(urls, db, spider, jobdir, overrides, redis_url, render):
    """Crawl sites from the given start URLs, scan every listing and keep the results in the store.

    The same as `scrapy crawl SPIDER -a start_url=URL -s FENTWATCH_DB=PATH` from the repository root. Ctrl-C once
    stops cleanly; with --jobdir the next run resumes.

    With --redis (or FENTWATCH_REDIS) any number of such processes, on any number of machines, crawl one
    frontier together; `fentwatch store-worker` stores what they find.

    Example: fentwatch crawl https://marketplace.example/ --db nightly.db --set CONCURRENT_REQUESTS_PER_DOMAIN=2
    """
    from crawler.ops.crawl import CrawlSetupError, check_redis, check_settings, check_urls, run_crawl, summary
    from store.db import db_path

    settings = {}
    for item in overrides:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--set")
        k, v = item.split("=", 1)
        settings[k.strip()] = v
    if jobdir:
        settings["JOBDIR"] = jobdir
    if redis_url:
        settings["FENTWATCH_REDIS"] = redis_url
    if render:
        from crawler.render import check_chromium

        settings["FENTWATCH_RENDER"] = "True"
        if why := check_chromium(settings.get("FENTWATCH_CHROMIUM", "/usr/bin/chromium")):
            raise click.ClickException(f"--render: {why}")
    path = str(db_path(db))
    try:
        check_urls(urls)
        check_settings(settings)
        if redis_url:
            check_redis(redis_url)
    except CrawlSetupError as exc:
        raise click.ClickException(str(exc)) from None
    if not (redis_url or os.environ.get("FENTWATCH_REDIS")):  # in distributed mode the store worker writes it
        check_store_writable(path)
    t0 = time.monotonic()
    stats = run_crawl(list(urls), spider, path, settings, verbose=VERBOSE["on"])
    if redis_url:
        pages, crawling = stats.get("response_received_count", 0), stats.get("elapsed_time_seconds", 0)
        click.echo(f"crawled {pages} pages in {crawling:.1f} s ({pages / max(crawling, 1e-9):.0f} pages/s): "
                   f"{stats.get('fentwatch/listings', 0)} listings, {stats.get('fentwatch/flagged', 0)} flagged, sent to "
                   f"{redis_url} for `fentwatch store-worker`")
    else:
        click.echo(summary(path, stats, time.monotonic() - t0))
    if stats.get("fentwatch/store_errors"):
        raise click.ClickException(
            f"the store {path} could not be written: the crawl stopped and {stats['fentwatch/store_errors']} "
            f"page(s) were not stored (see the log). Free space or fix permissions and run again"
            + (" with the same --jobdir: those pages will be fetched again." if jobdir else "."))
    exit_with_outcome(None if redis_url else path, stats, "--jobdir" if jobdir else None)


def exit_with_outcome(path, stats: dict, resume: str | None = None) -> None:
    """Exit status 130 for an interrupted crawl, 1 for a failed one (with why), as its run record says."""
    from crawler.ops.crawl import outcome

    status, reasons = outcome(path, stats)
    if status == "interrupted":
        click.echo("crawl interrupted: recorded as interrupted" + (
            f"; run again with the same {resume} to resume" if resume else ""), err=True)
        sys.exit(130)
    if status != "finished":
        raise click.ClickException(f"crawl failed: {'; '.join(reasons) or status}")


def check_store_writable(path: str) -> None:
    """A clear error, not a traceback mid-crawl, when the store cannot be created or written."""
    import sqlite3

    from store.db import open_store

    try:
        db = open_store(path)
        with db.atomic():
            db.execute("create table if not exists _write_check (x)")
            db.execute("drop table _write_check")
        db.close()
    except (sqlite3.Error, OSError) as exc:
        raise click.ClickException(f"cannot write the store {path}: {exc}") from None


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), required=True,
              help="TOML file of crawl targets (name, urls, spider, cron, settings).")
@click.option("--db", default=None, help=DB_HELP + " The config's db wins over the default, --db over both.")
@click.option("--interval", type=click.FloatRange(1, 3600), default=30, show_default=True,
              help="Seconds between checks of the schedule.")
@click.option("--scrapyd", "scrapyd_url", default=None, metavar="URL",
              help="Submit each run to this scrapyd server (project deployed with scrapyd-deploy) instead of "
                   "running crawls here.")
@click.option("--log-dir", type=click.Path(file_okay=False), default=None,
              help="Keep each run's output here, a file per run (default: schedule-logs/ beside the store).")
def schedule(config_path, db, interval, scrapyd_url, log_dir):
    """Run each configured crawl target on its cron expression, never two runs of one target at once.

    A target is due when one of its cron times has passed since the last check (whatever --interval is); cron
    times missed while the scheduler was not running are recorded as missed and one catch-up run starts. Every
    run is recorded in the store (schedule_runs with its log file and why it failed, crawl_runs); the schedule's
    state lives there too, so a restarted scheduler goes on where it stopped. A run that cannot be started
    (scrapyd out of reach) is recorded as failed and tried again a minute later. Stop it with Ctrl-C; running
    crawls finish on their own. With --scrapyd the runs are scrapyd jobs, with the store path passed as the
    FENTWATCH_DB setting.

    Example: fentwatch schedule --config crawls.toml --db nightly.db
    """
    from pathlib import Path

    from crawler.ops.schedule import ConfigError, ScrapydLauncher, Scheduler, load_config
    from store.db import db_path

    try:
        config_db, targets = load_config(Path(config_path))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    path = str(db_path(db or config_db))
    click.echo(f"scheduling {len(targets)} target(s) into {path}: " + ", ".join(f"{t.name} ({t.cron})" for t in targets))
    try:
        launcher = ScrapydLauncher(scrapyd_url, path) if scrapyd_url else None
        Scheduler(targets, path, launcher=launcher, log_dir=log_dir,
                  log=lambda m: click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {m}")).run_forever(interval)
    except KeyboardInterrupt:
        click.echo("scheduler stopped")


@main.command("store-worker")
@click.option("--redis", "redis_url", envvar="FENTWATCH_REDIS", required=True, metavar="URL",
              help="The Redis server the crawlers send listings to (default: $FENTWATCH_REDIS).")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--batch", type=click.IntRange(1, 10000), default=200, show_default=True,
              help="Listings saved per SQLite transaction.")
@click.option("--exit-when-idle", type=click.FloatRange(0), default=None, metavar="SECONDS",
              help="Stop after this many seconds with nothing to store (default: run until stopped).")
def store_worker(redis_url, db, batch, exit_when_idle):
    """Store what distributed crawlers find: drain their Redis list into the SQLite store, in batches.

    The one writer of the store. An item is acknowledged only after its batch's transaction commits, so a killed
    worker loses nothing and a restarted one stores nothing twice. Crawl-run records arrive the same way and are
    checked by the crawl monitor.

    Example: fentwatch store-worker --redis redis://10.0.0.5:6379/0 --db nightly.db
    """
    from store.db import db_path
    from crawler.ops.worker import StoreWorker

    path = str(db_path(db))
    worker = StoreWorker(redis_url, path, batch=batch,
                         log=lambda m: click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {m}"))
    click.echo(f"storing listings from {redis_url} into {path}")
    try:
        counts = worker.run(idle_exit=exit_when_idle)
    except KeyboardInterrupt:
        counts = worker.counts
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"stored {counts.pages} pages and {counts.runs} crawl records in {counts.batches} batches")


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="How many recent runs.")
@click.option("--failed", is_flag=True, help="Only runs the crawl monitor marked failed.")
def crawls(db, limit, failed):
    """Print recent crawl runs as a table: target, pages, listings, flagged, errors, status and why a run failed.

    A run fails when it found fewer listings than the minimum, had a high error rate, or found far fewer listings
    than the last healthy run of the same target (thresholds: FENTWATCH_MONITOR in crawler/settings.py). Exits 1
    when the latest run shown failed, so cron or CI can alert on it.

    Example: fentwatch crawls --db nightly.db --limit 10
    """
    from crawler.ops.crawl import crawl_table

    path = existing_store(db)
    text, latest_failed = crawl_table(str(path), limit, failed)
    click.echo(text)
    if latest_failed:
        sys.exit(1)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--all", "everything", is_flag=True, help="Every stored listing, not only the flagged ones.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here (default: standard output).")
@click.option("--status", default=None, help="Only listings in this status (open, takedown-requested, removed, ...).")
@click.option("--platform", default=None, help="Only listings of this platform.")
@click.option("--substance", default=None, help="Only listings with a current hit (or manual flag) of this substance.")
@click.option("--since", default=None, help="Only listings last seen on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only listings first seen on or before this date (YYYY-MM-DD).")
def export(db, everything, fmt, output, status, platform, substance, since, until):
    """Export listings from the store: flagged ones by default, every one with --all.

    A JSONL line is {"id", "url", "platform", "seller", "price", "title", "flagged", "score", "status", "severity",
    "why", "first_seen", "last_seen", "evidence_sha256", "decided_by", "decided_at", "manual_flag",
    "hits": [scan hit schema]}; CSV adds the legal basis per jurisdiction. Filters: --status, --platform,
    --substance, --since/--until.

    Example: fentwatch export --db out/demo.db --format csv --status removed --since 2026-11-01 -o removed.csv
    """
    from store.export import export as run_export

    path = existing_store(db)
    n = run_export(str(path), everything, fmt, output, {"status": status, "platform": platform,
                                                         "substance": substance, "since": since, "until": until})
    click.echo(f"exported {n} listings from {path}", err=True)


@main.command()
@click.option("--listings", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labeled listings (scan input format; default: the repository's tests/data/corpus/listings.jsonl).")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labels: {id, flag, category, inchikeys, how, note} per line (default: the corpus's labels.jsonl).")
@click.option("--names", "names", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Instead: the labelled real-names set (tests/data/names/names.jsonl); prints flagged and "
                   "right-structure rates per part beside the blacklist, and false alarms on the negatives.")
@click.option("--pages", "pages", type=click.Path(exists=True, file_okay=False), default=None,
              help="Instead: the labelled real-page set (tests/data/pages); prints offer-versus-mention P/R of every "
                   "part beside the blacklist.")
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Instead: real ordinary catalogue entries (tests/data/catalogue/catalogue.jsonl.gz), each as a "
                   "plain catalogue listing; prints every flag, true class members apart from false alarms.")
@click.option("--with-smiles", is_flag=True, help="With --catalogue: put the source's SMILES in the listing too.")
@click.option("--part", default=None, help="With --catalogue: only this part (tune | heldout).")
def report(listings, labels, names, pages, catalogue, with_smiles, part):
    """Precision, recall and F1 on a labeled corpus, by category, kind of case and method, beside the
    keyword-blacklist baseline; lists every miss and false alarm.

    Example: fentwatch report --listings ../shared/sample/listings.jsonl --labels ../shared/sample/labels.jsonl
    Example: fentwatch report --names tests/data/names/names.jsonl
    Example: fentwatch report --pages tests/data/pages
    Example: fentwatch report --catalogue tests/data/catalogue/catalogue.jsonl.gz --with-smiles --part tune
    """
    from pathlib import Path

    from detect.evaluate import evaluate, evaluate_names, format_names_report, format_report, read_jsonl

    if names:
        click.echo(format_names_report(evaluate_names(read_jsonl(Path(names)))))
        return
    if pages:
        from detect.page_report import evaluate_pages, format_pages_report

        click.echo(format_pages_report(evaluate_pages(Path(pages))))
        return
    if catalogue:
        from detect.catalogue import catalogue_report

        click.echo(catalogue_report(Path(catalogue), with_smiles, part))
        return

    corpus = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
    listings, labels = Path(listings or corpus / "listings.jsonl"), Path(labels or corpus / "labels.jsonl")
    for path, option in ((listings, "--listings"), (labels, "--labels")):
        if not path.is_file():
            raise click.ClickException(f"no labeled corpus at {path}: name one with {option}")
    rows, labelled = read_labelled(listings, "id"), read_labelled(labels, "id", "flag")
    known = {lab["id"] for lab in labelled}
    missing = [r["id"] for r in rows if r["id"] not in known]
    if missing:
        raise click.ClickException(f"{len(missing)} listing(s) of {listings} have no label in {labels}, the first "
                                   f"{missing[0]!r}")
    click.echo(format_report(evaluate(rows, labelled)))


def read_labelled(path, *required: str) -> list[dict]:
    """JSONL rows, each a JSON object with the required fields; a bad line is an error naming file and line."""
    import json

    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path} line {number}: not JSON ({exc.msg})") from None
            lacking = [k for k in required if not isinstance(row, dict) or k not in row]
            if lacking:
                raise click.ClickException(f"{path} line {number}: no {', '.join(lacking)} field")
            rows.append(row)
    return rows


@main.command("review")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep the loopback default unless a TLS proxy sits in front.")
@click.option("--port", default=8642, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Request threads.")
def review_app(db, host, port, threads):
    """Serve the moderator web app over the store: sign-in, the queue, decisions, takedown batches, dashboard.

    Create accounts first with 'fentwatch users add'. Everything but the sign-in page needs a signed-in session.

    Example: fentwatch review --db out/demo.db --port 8642
    """
    from review.web import serve

    path = existing_store(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("warning: serving beyond loopback; put fentwatch behind HTTPS (cookies are marked Secure then)",
                   err=True)
    from store.db import open_store

    if not open_store(path)["users"].count_where("disabled = 0"):
        click.echo(f"note: no active account yet; add one with: fentwatch users add NAME --role lead --db {path}",
                   err=True)
    check_port_free(host, port)
    click.echo(f"fentwatch review: http://{host}:{port}/ over {path} (Ctrl-C to stop)", err=True)
    from crawler.guard import url_refusal

    serve(str(path), host, port, threads, url_guard=url_refusal)


def check_port_free(host: str, port: int) -> None:
    import socket

    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror or exc}") from None
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another "
                                       f"fentwatch review running? choose another --port)") from None


@main.group()
def users():
    """Moderator accounts of the review app (roles: moderator, lead)."""


@contextlib.contextmanager
def _accounts(db, new: bool = False):
    """The store of the accounts commands; review.auth's refusals (AuthError) become one-line errors."""
    from review.auth import AuthError
    from store.db import open_store

    try:
        yield open_store(new_or_existing_store(db) if new else existing_store(db))
    except AuthError as exc:
        raise click.ClickException(str(exc)) from None


def _read_password(confirm: bool = True) -> str:
    """From a prompt on a terminal; else the first line of standard input (for scripts and tests)."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\r\n")


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["moderator", "lead"]), default="moderator", show_default=True,
              help="A lead can also reopen dismissed listings and change other moderators' decisions.")
@click.option("--db", default=None, help=DB_HELP)
def users_add(name, role, db):
    """Add an account; the password is asked at a prompt (or read from standard input's first line).

    Passwords are stored as Argon2id hashes, never in clear.

    Example: printf 'a long passphrase\\n' | fentwatch users add alice --role lead --db out/demo.db
    """
    from review.auth import add_user

    with _accounts(db, new=True) as store:
        add_user(store, name, role, _read_password())
    click.echo(f"added {role} {name}")


@users.command("passwd")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def users_passwd(name, db):
    """Set a new password for an account and end its sessions.

    Example: fentwatch users passwd alice --db out/demo.db
    """
    from review.auth import set_password

    with _accounts(db) as store:
        set_password(store, name, _read_password())
    click.echo(f"password of {name} changed; its sessions are ended")


@users.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@click.option("--db", default=None, help=DB_HELP)
def users_disable(name, enable, db):
    """Disable an account (its sessions end at once; its decisions stay in the audit log), or --enable it.

    Example: fentwatch users disable bob --db out/demo.db
    """
    from review.auth import set_disabled

    with _accounts(db) as store:
        set_disabled(store, name, not enable)
    click.echo(f"{name} is {'enabled' if enable else 'disabled'}")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["moderator", "lead"]))
@click.option("--db", default=None, help=DB_HELP)
def users_role(name, role, db):
    """Change an account's role (refused for the last active lead).

    Example: fentwatch users role bob lead --db out/demo.db
    """
    from review.auth import set_role

    with _accounts(db) as store:
        old = set_role(store, name, role)
    click.echo(f"{name}: {old} -> {role}")


@users.command("remove")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def users_remove(name, db):
    """Remove an account: its sessions end, its claims are released, its decisions stay in the audit log.

    Example: fentwatch users remove bob --db out/demo.db
    """
    from review.auth import remove_user

    with _accounts(db) as store:
        remove_user(store, name)
    click.echo(f"removed {name}; its decisions stay in the audit log")


@users.command("unlock")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def users_unlock(name, db):
    """Lift the sign-in lockout of a user name after too many failed sign-ins (recorded in the audit log).

    Example: fentwatch users unlock alice --db out/demo.db
    """
    from review.auth import name_key, unlock
    from store.db import open_store

    unlock(open_store(existing_store(db)), name_key(name), "command line", name)
    click.echo(f"{name} is unlocked")


@users.command("list")
@click.option("--db", default=None, help=DB_HELP)
def users_list(db):
    """List the accounts with their role and state.

    Example: fentwatch users list --db out/demo.db
    """
    from store.db import open_store

    for u in open_store(existing_store(db)).query("select name, role, created_at, disabled from users order by name"):
        click.echo(f"{u['name']:<20} {u['role']:<10} {'disabled' if u['disabled'] else 'active':<9} {u['created_at']}")


@main.command("sellers")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--min-listings", default=2, show_default=True, type=click.IntRange(1), help="Smallest seller shown.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="How many sellers to print.")
def sellers_cmd(db, min_listings, limit):
    """Print the largest linked sellers: listings that share a contact (number, email, wallet, handle, company).

    Columns: seller id, listings, flagged, open, platforms, company names used.

    Example: fentwatch sellers --db out/demo.db --min-listings 3
    """
    from store.sellers import sellers
    from store.db import open_store

    path = existing_store(db)
    rows = sellers(open_store(path), min_listings, limit)
    click.echo(f"{'seller':>7} {'listings':>8} {'flagged':>7} {'open':>5}  {'platforms':<24} company names")
    for r in rows:
        click.echo(f"{r['seller_id']:>7} {r['listings']:>8} {r['flagged']:>7} {r['open']:>5}  "
                   f"{(r['platforms'] or ''):<24} {'; '.join(r['companies'])[:120]}")
    click.echo(f"{len(rows)} seller(s) with at least {min_listings} listings", err=True)


@main.command("rescan")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--since", default=None, help="Only listings seen on or after this date (YYYY-MM-DD).")
def rescan_cmd(db, since):
    """Run the current detector (shipped lexicon plus the store's additions) over the stored listings.

    Newly flagged listings enter the queue marked "found on re-scan"; hits that no longer hold are marked so, never
    deleted. Listings already scanned by this detector version are skipped: a second run changes nothing, and an
    interrupted run resumes where it stopped.

    Example: fentwatch rescan --db out/demo.db --since 2026-01-01
    """
    import datetime as dt

    from store.additions import detector_for
    from store.rescan import rescan
    from store.db import open_store

    path = existing_store(db)
    if since:
        try:
            dt.date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from None
    detector = detector_for(path)
    t0 = time.monotonic()

    def progress(done, total):
        click.echo(f"\rre-scanned {done}/{total} listings ({time.monotonic() - t0:.0f} s)", nl=False, err=True)

    s = rescan(open_store(path), detector, since, progress)
    click.echo("", err=True)
    click.echo(f"re-scan {s.run_id}{' (resumed)' if s.resumed else ''} with {detector.version}: {s.listings} listings "
               f"scanned, {s.changed} changed, {s.newly_flagged} newly flagged, {s.retracted} hits retracted")


if __name__ == "__main__":
    main()


@main.group()
def tokens():
    """API tokens of the platforms that call /api/v1/ (docs/api.md)."""


@tokens.command("add")
@click.argument("name")
@click.option("--platform", required=True, help="The platform the token speaks for (its listings, its decisions).")
@click.option("--scope", "scopes", default="scan,submit,read", show_default=True,
              help="Comma-separated: scan (POST /scan), submit (POST /listings), read (GET listings, decisions).")
@click.option("--rate", type=click.IntRange(1), default=None,
              help="Requests per minute for this token (default: [rate] per_minute in review/data/api.toml).")
@click.option("--callback", default=None, metavar="URL",
              help="Webhook URL each decision on the platform's listings is POSTed to, signed (a secret is printed).")
@click.option("--db", default=None, help=DB_HELP)
def tokens_add(name, platform, scopes, rate, callback, db):
    """Make a token and print it once, as the last word of the last line (only its hash is kept).

    Example: fentwatch tokens add shop-publish --platform shop --scope scan,submit --db out/demo.db
    """
    from crawler.guard import url_refusal
    from review.api import api_settings
    from store.db import open_store
    from store.tokens import TokenError, add_token

    if callback and (why := url_refusal(callback, api_settings()["webhooks"]["allowed_networks"])):
        raise click.ClickException(f"callback URL refused: {why}")
    try:
        _, token, secret = add_token(open_store(db), name, platform, [s.strip() for s in scopes.split(",") if s.strip()],
                                     rate, callback)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"added token {name} for platform {platform} ({scopes}); it is shown only now")
    if secret:
        click.echo(f"webhook secret (signs each POST to {callback}; shown only now): {secret}")
    click.echo(f"token: {token}")


@tokens.command("list")
@click.option("--db", default=None, help=DB_HELP)
def tokens_list(db):
    """List the tokens (never the tokens themselves): name, platform, scopes, state, last use.

    Example: fentwatch tokens list --db out/demo.db
    """
    from store.db import open_store
    from store.tokens import list_tokens

    for t in list_tokens(open_store(db)):
        state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
        click.echo(f"{t['name']:<20} {t['platform']:<12} {t['scopes']:<18} {state:<10} "
                   f"last used {t['last_used'] or 'never'}{'  webhook ' + t['callback_url'] if t['callback_url'] else ''}")


@tokens.command("revoke")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def tokens_revoke(name, db):
    """Revoke a token: a running server refuses it (401) within [auth] token_cache_seconds (1 s); its webhooks stop.

    Example: fentwatch tokens revoke shop-publish --db out/demo.db
    """
    from store.db import open_store
    from store.tokens import TokenError, revoke_token

    try:
        revoke_token(open_store(db), name)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"revoked {name}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--platform", envvar="FENTWATCH_PLATFORM", required=True,
              help="Whose listings these are (default: $FENTWATCH_PLATFORM).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default=None,
              help="Input format (default: from the file name, else jsonl).")
@click.option("--db", default=None, help=DB_HELP)
def ingest(path, platform, fmt, db):
    """Import a platform's own export through the same path as POST /api/v1/listings: each record scanned and
    stored with its platform id, flagged ones queued for review. Resumable (run it again after an interruption)
    and idempotent (unchanged records change nothing). Fields: id, url, title, text, html, seller, price, posted_at.

    Example: fentwatch ingest export.csv --platform shop --db out/demo.db
    """
    from store.additions import detector_for
    from store.db import open_store
    from store.ingest import ingest as run_ingest

    if path != "-" and not os.path.isfile(path):
        raise click.ClickException(f"cannot read {path}: no such file")
    fmt = fmt or ("csv" if path.lower().endswith(".csv") else "jsonl")
    t0 = time.monotonic()

    def progress(s):
        click.echo(f"  {s.read} read, {s.new} new, {s.changed} changed, {s.unchanged} unchanged, {s.flagged} flagged, "
                   f"{len(s.errors)} errors ({time.monotonic() - t0:.0f} s)", err=True)

    s = run_ingest(open_store(db), path, platform, fmt, detector_for(db), progress, sys.stdin.buffer)
    if s.resumed_at:
        click.echo(f"resumed after record {s.resumed_at} of an interrupted run", err=True)
    for e in s.errors:
        click.echo(f"error: {e}", err=True)
    click.echo(f"ingested {path}: {s.read} read, {s.new} new, {s.changed} changed, {s.unchanged} unchanged, "
               f"{s.flagged} flagged, {len(s.errors)} errors")
