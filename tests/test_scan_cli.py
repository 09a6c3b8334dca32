"""`fentwatch scan` as a user runs it: a real process, JSONL in and out."""

import json
import subprocess

import pytest
from warmrun import WARM_FENTWATCH

FENTWATCH = [*WARM_FENTWATCH, "scan"]  # forked from a warm process (warmrun.py)
LISTINGS = [
    {"id": "a", "title": "Fentanyl 99%", "text": "Price: inquire"},
    {"id": "b", "title": "Melatonin", "text": "CAS 73-31-4"},
    {"id": "c", "title": "x", "text": "CAS No.: 125541-22-2"},
]
HIT_KEYS = {"substance", "category", "inchikey", "method", "matched", "start", "end", "rules", "score", "severity", "legal"}


def run(args, stdin=""):
    return subprocess.run(FENTWATCH + args, input=stdin, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def input_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("scan") / "in.jsonl"
    lines = [json.dumps(x) for x in LISTINGS[:2]] + ["{not json", "[1, 2]", '{"title": "no id"}',
                                                    json.dumps(LISTINGS[2])]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_scan_writes_one_line_per_listing_in_order(input_file):
    proc = run([str(input_file)])
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", None, None, None, "c"]
    assert [o["flagged"] for o in out] == [True, False, False, False, False, True]
    assert all("error" in o for o in out[2:5]) and "line 3" in out[2]["error"]
    for o in out:
        assert set(o) >= {"id", "flagged", "score", "hits", "contacts"} | (set() if "error" in o else {"why"})
        for h in o["hits"]:
            assert set(h) == HIT_KEYS
    assert out[5]["hits"][0]["method"] == "cas" and out[5]["hits"][0]["category"] == "precursor"
    assert "6 listings" in proc.stderr and "2 flagged" in proc.stderr and "3 with errors" in proc.stderr


def test_scan_reads_stdin():
    proc = run([], stdin=json.dumps(LISTINGS[0]) + "\n")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["flagged"] is True


def test_jobs_give_the_same_output(input_file):
    one = run([str(input_file)]).stdout
    two = run([str(input_file), "--jobs", "2"]).stdout
    assert one == two


def test_unreadable_input_exits_non_zero(tmp_path):
    proc = run([str(tmp_path / "missing.jsonl")])
    assert proc.returncode != 0
    assert "cannot read" in proc.stderr
