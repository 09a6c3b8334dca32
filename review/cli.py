"""The ``fentwatch`` command line. Command bodies are thin wrappers over the Python API of each package."""

from __future__ import annotations

import sys
import time

import click

from lexicon import LEXICON_DIR, load_lexicon
from lexicon.validate import check_lexicon


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    substances, problems = check_lexicon(directory, opsin=opsin)
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
    title + "\n" + text. A malformed line gets a result with an "error" field and the scan goes on.

    Example: fentwatch scan listings.jsonl -o results.jsonl --jobs 2
    """
    from detect.batch import scan_blocks

    for p in paths:
        if p != "-":
            try:
                open(p, "rb").close()
            except OSError as exc:
                raise click.ClickException(f"cannot read {p}: {exc.strerror}") from None
    show = sys.stderr.isatty() if progress is None else progress

    def lines():
        for p in paths or ["-"]:
            f = sys.stdin if p == "-" else open(p, encoding="utf-8", errors="replace")
            try:
                yield from f
            finally:
                if f is not sys.stdin:
                    f.close()

    t0 = last = time.monotonic()
    n = flagged = errors = 0
    for block in scan_blocks(lines(), jobs=jobs):
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


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--keep-site", is_flag=True, help="Keep the generated demo site folder instead of deleting it.")
def demo(db, keep_site):
    """Run the offline demo: serve the bundled demo marketplace on 127.0.0.1, crawl it with detection and storage
    on, and print a summary of what was found.

    Example: fentwatch demo --db out/demo.db
    """
    from review.crawl import run_demo
    from review.store import db_path

    path = db_path(db or "out/demo.db")
    if db is None:  # the default demo store starts afresh: the demo server's port (part of each URL) changes
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    run_demo(str(path), keep_site)


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
def crawl(urls, db, spider, jobdir, overrides):
    """Crawl sites from the given start URLs, scan every listing and keep the results in the store.

    The same as `scrapy crawl SPIDER -a start_url=URL -s FENTWATCH_DB=PATH` from the repository root. Ctrl-C once
    stops cleanly; with --jobdir the next run resumes.

    Example: fentwatch crawl https://marketplace.example/ --db nightly.db --set CONCURRENT_REQUESTS_PER_DOMAIN=2
    """
    from review.crawl import run_crawl, summary
    from review.store import db_path

    settings = {}
    for item in overrides:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--set")
        k, v = item.split("=", 1)
        settings[k.strip()] = v
    if jobdir:
        settings["JOBDIR"] = jobdir
    path = str(db_path(db))
    check_store_writable(path)
    t0 = time.monotonic()
    stats = run_crawl(list(urls), spider, path, settings)
    click.echo(summary(path, stats, time.monotonic() - t0))
    if stats.get("fentwatch/store_errors"):
        raise click.ClickException(
            f"the store {path} could not be written: the crawl stopped and {stats['fentwatch/store_errors']} "
            f"page(s) were not stored (see the log). Free space or fix permissions and run again"
            + (" with the same --jobdir: those pages will be fetched again." if jobdir else "."))


def check_store_writable(path: str) -> None:
    """A clear error, not a traceback mid-crawl, when the store cannot be created or written."""
    import sqlite3

    from review.store import open_store

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
def schedule(config_path, db, interval):
    """Run each configured crawl target on its cron expression, never two runs of one target at once.

    Every run is recorded in the store (schedule_runs, crawl_runs); the schedule's state lives there too, so a
    restarted scheduler goes on where it stopped. Stop it with Ctrl-C; running crawls finish on their own.

    Example: fentwatch schedule --config crawls.toml --db nightly.db
    """
    from pathlib import Path

    from review.schedule import ConfigError, Scheduler, load_config
    from review.store import db_path

    try:
        config_db, targets = load_config(Path(config_path))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    path = str(db_path(db or config_db))
    click.echo(f"scheduling {len(targets)} target(s) into {path}: " + ", ".join(f"{t.name} ({t.cron})" for t in targets))
    try:
        Scheduler(targets, path, log=lambda m: click.echo(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {m}")).run_forever(
            interval)
    except KeyboardInterrupt:
        click.echo("scheduler stopped")


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--all", "everything", is_flag=True, help="Every stored listing, not only the flagged ones.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here (default: standard output).")
def export(db, everything, fmt, output):
    """Export listings from the store: flagged ones by default, every one with --all.

    A JSONL line is {"url", "platform", "title", "flagged", "score", "status", "first_seen", "last_seen",
    "hits": [scan hit schema]}.

    Example: fentwatch export --db out/demo.db --format csv -o flagged.csv
    """
    from review.crawl import export as run_export
    from review.store import db_path

    path = db_path(db)
    if not path.exists():
        raise click.ClickException(f"no store at {path}: crawl first, or name one with --db")
    n = run_export(str(path), everything, fmt, output)
    click.echo(f"exported {n} listings from {path}", err=True)


@main.command()
@click.option("--listings", type=click.Path(exists=True, dir_okay=False), default="tests/data/corpus/listings.jsonl",
              show_default=True, help="Labeled listings (scan input format).")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False), default="tests/data/corpus/labels.jsonl",
              show_default=True, help="Labels: {id, flag, category, inchikeys, how, note} per line.")
def report(listings, labels):
    """Precision, recall and F1 on a labeled corpus, by category, kind of case and method, beside the
    keyword-blacklist baseline; lists every miss and false alarm.

    Example: fentwatch report --listings ../shared/sample/listings.jsonl --labels ../shared/sample/labels.jsonl
    """
    from pathlib import Path

    from detect.evaluate import evaluate, format_report, read_jsonl

    ev = evaluate(read_jsonl(Path(listings)), read_jsonl(Path(labels)))
    click.echo(format_report(ev))


if __name__ == "__main__":
    main()
