"""A command forked from the warm process (tests/warmrun.py) behaves as ``python -m fentwatch`` does: the same
output, error lines and exit status, and a settings file named in its environment obeyed."""

import json
import os
import subprocess
import sys

import pytest

from warmrun import WARM_FENTWATCH

PLAIN = [sys.executable, "-m", "fentwatch"]
LINES = "\n".join(json.dumps(x) for x in [
    {"id": "a", "title": "Fentanyl citrate 99%", "text": "10g bags, contact +00 000 0000"},
    {"id": "b", "title": "Melatonin", "text": "CAS 73-31-4"},
    {"id": "c"},
    "not a listing",
]) + "\n{broken\n"


def both(args, **kw):
    return [subprocess.run(cmd + args, capture_output=True, text=True, timeout=300, **kw) for cmd in (PLAIN,
                                                                                                   WARM_FENTWATCH)]


@pytest.mark.parametrize("args", [
    ["crawls", "--db", "{tmp}/missing.db"],   # an error line, exit 1
    ["nonsense-command"],                      # click's usage error, exit 2
    ["scan"],                                  # JSONL in, JSONL out, a summary on standard error
])
def test_same_output_and_exit_status_as_a_plain_process(tmp_path, args):
    plain, warm = both([a.format(tmp=tmp_path) for a in args], input=LINES, cwd=tmp_path)
    assert warm.returncode == plain.returncode
    assert warm.stdout == plain.stdout
    strip = (lambda err: "\n".join(x for x in err.splitlines() if " listings in " not in x))  # its timing
    assert strip(warm.stderr) == strip(plain.stderr)


def test_a_settings_file_in_the_environment_is_obeyed(tmp_path):
    from detect.config import DEFAULT_SETTINGS

    settings = tmp_path / "settings.toml"
    text = DEFAULT_SETTINGS.read_text(encoding="utf-8")
    settings.write_text(text.replace("max_line_bytes = ", "max_line_bytes = 60  #", 1), encoding="utf-8")
    env = dict(os.environ, FENTWATCH_SETTINGS=str(settings))
    plain, warm = both(["scan"], input=LINES, env=env)
    assert warm.stdout == plain.stdout and "longer than max_line_bytes (60 bytes)" in warm.stdout
