"""``fentwatch COMMAND`` in the test's own process, through click's CliRunner: the real command line (parsing, the
one-line errors, exit codes, stdout and stderr apart) without a Python start-up and its imports.

Tests about the process itself keep a real ``python -m fentwatch``: signals, the real script's exit status and
error lines, runs outside the repository, and crawls (Scrapy's reactor starts once per process)."""

from __future__ import annotations

from click.testing import CliRunner, Result


def fentwatch(*args, input: str | None = None, check: bool = False) -> Result:
    """Run ``fentwatch *args``; ``.exit_code``, ``.stdout``, ``.stderr``. ``check``: fail unless it exits 0."""
    from fentwatch.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args], input=input, prog_name="fentwatch")
    if check:
        assert result.exit_code == 0, (result.output, result.exception)
    return result
