"""Every command: a wrong path, a missing store, a bad setting value, a port in use or a bad URL is one clear line
on standard error and a non-zero exit, no traceback (a traceback with -v); commands that read or change a store
never create one."""

import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from fentwatch.cli import main
from warmrun import WARM_FENTWATCH

FENTWATCH = [sys.executable, "-m", "fentwatch"]  # a run outside the repository: the fresh process is the subject


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


@pytest.mark.parametrize("args, message", [
    (["users", "list", "--db", "{tmp}/typo.db"], "no store at {tmp}/typo.db"),
    (["users", "disable", "bob", "--db", "{tmp}/typo.db"], "no store at"),
    (["users", "passwd", "bob", "--db", "{tmp}/typo.db"], "no store at"),
    (["crawls", "--db", "{tmp}/typo.db"], "no store at"),
    (["export", "--db", "{tmp}/typo.db"], "no store at"),
    (["sellers", "--db", "{tmp}/typo.db"], "no store at"),
    (["rescan", "--db", "{tmp}/typo.db"], "no store at"),
    (["review", "--db", "{tmp}/typo.db"], "no store at"),
    (["lexicon", "export", "--db", "{tmp}/typo.db"], "no store at"),
    (["users", "add", "bob", "--db", "{tmp}/no/such/dir/x.db"], "no folder {tmp}/no/such/dir"),
])
def test_commands_never_create_a_store_or_folders_by_mistake(tmp_path, args, message):
    result = run([a.format(tmp=tmp_path) for a in args], input="a long enough passphrase\n")
    assert result.exit_code == 1
    assert message.format(tmp=tmp_path) in result.output
    assert list(tmp_path.iterdir()) == []  # nothing created


@pytest.mark.parametrize("args, message", [
    (["crawl", "htp://marketplace.example/"], "not a web address: 'htp://marketplace.example/'"),
    (["crawl", "marketplace.example"], "not a web address"),
    (["crawl", "http://127.0.0.1:9/", "--set", "DOWNLOAD_DELAY=abc"], "--set DOWNLOAD_DELAY=abc: expected a number"),
    (["crawl", "http://127.0.0.1:9/", "--set", "ROBOTSTXT_OBEY=perhaps"], "expected True or False"),
    (["crawl", "http://127.0.0.1:9/", "--set", "FENTWATCH_MONITOR=[1]"], "expected a JSON object"),
    (["crawl", "http://127.0.0.1:9/", "--redis", "redis://127.0.0.1:1/0"], "cannot reach Redis at redis://127.0.0.1:1/0"),
])
def test_a_crawl_that_cannot_start_says_why_in_one_line(tmp_path, args, message):
    result = run(args + ["--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "c.db").exists()


def test_review_on_a_port_in_use_is_one_line(tmp_path):
    db = tmp_path / "s.db"
    assert run(["users", "add", "ann", "--db", str(db)], input="a long enough passphrase\n").exit_code == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(["review", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
    assert "fentwatch review: http" not in result.output  # no "serving on" line before the failure


@pytest.mark.parametrize("listings, labels, message", [
    ('{"id": "a"}\n', '{"id": "a"\n', "labels.jsonl line 1: not JSON"),
    ('{"id": "a"}\n', '{"id": "b", "flag": 0}\n', "1 listing(s) of"),
    ('{"id": "a"}\n', '{"id": "a"}\n', "labels.jsonl line 1: no flag field"),
])
def test_report_on_bad_labels_names_the_file_and_line(tmp_path, listings, labels, message):
    (tmp_path / "listings.jsonl").write_text(listings)
    (tmp_path / "labels.jsonl").write_text(labels)
    result = run(["report", "--listings", str(tmp_path / "listings.jsonl"), "--labels", str(tmp_path / "labels.jsonl")])
    assert result.exit_code == 1 and message in result.output


def test_report_runs_outside_the_repository(tmp_path):
    proc = subprocess.run(FENTWATCH + ["report"], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(__import__("pathlib").Path(__file__).parents[1]),
                               "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "all listings" in proc.stdout


def test_an_unexpected_error_is_one_line_and_its_traceback_comes_with_v(tmp_path):
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    # the real script's exit status and error lines, in a process forked from a warm one (warmrun.py)
    quiet = subprocess.run(WARM_FENTWATCH + ["users", "list", "--db", str(bad)], capture_output=True, text=True)
    assert quiet.returncode == 1
    assert "Traceback" not in quiet.stderr
    assert quiet.stderr.strip().splitlines() == [
        "Error: the store could not be read or written: file is not a database (run again with -v for the traceback)"]
    loud = subprocess.run(WARM_FENTWATCH + ["users", "list", "--db", str(bad), "-v"], capture_output=True,
                          text=True)
    assert loud.returncode == 1 and "Traceback (most recent call last)" in loud.stderr
