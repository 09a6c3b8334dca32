"""The README documents every command, and every command and option has help text; the reference pages in docs/ are
all reachable from the README, and every link between them leads somewhere."""

import re
from pathlib import Path

import click

from fentwatch.cli import main

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))


def commands(group: click.Group, prefix: str = "fentwatch"):
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            yield from commands(cmd, path)
        else:
            yield path, cmd


def test_every_command_is_in_the_readme_and_has_help():
    found = list(commands(main))
    assert len(found) >= 5
    for path, cmd in found:
        assert f"`{path}" in README, f"{path} is not documented in README.md"
        assert cmd.help and "Example:" in cmd.help, f"{path} needs help text with an example"
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert param.help, f"{path} {param.opts[0]} has no help"


def test_readme_quick_start_has_exactly_the_two_make_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make demo", "make test"]


def anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown page."""
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
            for h in re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", text, flags=re.S), re.M)}


def test_every_docs_page_is_linked_from_the_readme():
    assert len(DOCS) >= 9
    for page in DOCS:
        assert f"](docs/{page.name})" in README, f"docs/{page.name} is not linked from README.md"


def test_links_between_readme_and_docs_lead_somewhere():
    checked = 0
    for page in [ROOT / "README.md", *DOCS]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            assert dest.exists(), f"{page.name}: link to {target} leads nowhere"
            if anchor:
                assert anchor in anchors(dest.read_text(encoding="utf-8")), f"{page.name}: no #{anchor} in {path}"
            checked += 1
    assert checked >= 30
