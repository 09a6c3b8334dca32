"""The README documents every command, and every command and option has help text."""

from pathlib import Path

import click

from fentwatch.cli import main

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


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
