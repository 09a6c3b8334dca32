"""The ``fentwatch`` command line. Command bodies are thin wrappers over the Python API of each package."""

from __future__ import annotations

import sys

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
def lexicon_check(directory):
    """Validate every lexicon entry with RDKit; exit 1 naming each broken entry.

    Checks that each SMILES parses, the recorded InChIKey equals the computed one, every CAS number passes the
    check-digit rule, no name belongs to two substances unless marked ambiguous, and every fact has a source.

    Example: fentwatch lexicon check --dir lexicon/
    """
    substances, problems = check_lexicon(directory)
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


if __name__ == "__main__":
    main()
