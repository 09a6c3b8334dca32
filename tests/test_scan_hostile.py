"""`fentwatch scan` answers every line whatever it holds (issue 16, item 2): a real process, hostile JSONL in,
strict JSONL out, one result line per input line, with --jobs 2 too."""

import json
import os
import subprocess

import pytest

from detect.batch import InputLimits, nesting_depth_over, parse_line
from warmrun import WARM_FENTWATCH

FENTWATCH = [*WARM_FENTWATCH, "scan"]  # forked from a warm process (warmrun.py)
OK = b'{"id":"ok","title":"Fentanyl 99%","text":"Price: inquire"}'

# (input line as bytes, what its result must show): one row per finding of the security test
HOSTILE = [
    (b'{"id":"deep","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 100 levels deep"),
    (b'{"id":' + b"7" * 5000 + b"}", "a number of 5000 digits"),
    (b'{"id":"n","price":' + b"1" * 5000 + b".5}", "a number of 5002 characters"),
    (b'{"id":1e999999}', "number out of range (1e999999)"),
    (b'{"id":"nan","x":NaN}', "NaN is not JSON"),
    (b'{"id":"inf","x":-Infinity}', "-Infinity is not JSON"),
    (b"", "blank line"),
    (b"   \t", "blank line"),
    (b'{"id":true}', "missing or non-string 'id'"),
]


def scan(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(FENTWATCH + list(args), input=data, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    lines = [OK] + [line for line, _ in HOSTILE] + [
        b'{"id":"sur","title":"Fentanyl \\ud800 99%","text":"\\udfff x"}',
        b'{"id":"pair","title":"Fentanyl \\ud83d\\ude00 99%"}',
        b'{"id":"bad-utf8","title":"Fentanyl \xff\xfe 99%"}',
        b'{"id":"crlf","title":"Melatonin"}\r',
        b'{"id":"last","title":"Fentanyl citrate"}',
    ]
    p = tmp_path_factory.mktemp("hostile-scan") / "in.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")  # with a UTF-8 byte-order mark, as Notepad writes
    return p


@pytest.fixture(scope="module")
def results(hostile_file):
    proc = scan(hostile_file.read_bytes())  # standard input: bytes, not a text stream
    return proc, [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_every_line_gets_one_result_line_and_the_scan_exits_0(results, hostile_file):
    proc, out = results
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert b"Traceback" not in proc.stderr
    assert len(out) == hostile_file.read_bytes().count(b"\n") == len(HOSTILE) + 6
    assert [o["id"] for o in out[:1]] == ["ok"] and out[-1]["id"] == "last" and out[-1]["flagged"] is True


def test_a_byte_order_mark_is_not_an_error(results):
    _, out = results
    assert "error" not in out[0] and out[0]["flagged"] is True


@pytest.mark.parametrize("i", range(len(HOSTILE)), ids=[why for _, why in HOSTILE])
def test_hostile_line_gets_an_error_result_with_its_line_number(results, i):
    _, out = results
    result = out[1 + i]
    assert result["flagged"] is False and result["hits"] == []
    assert result["error"].startswith(f"line {2 + i}: ") and HOSTILE[i][1] in result["error"], result


def test_output_is_strict_json(results):
    """`{"id":1e999999}` was echoed as `"id": Infinity`: Python's json reads that, strict parsers do not."""
    proc, out = results

    def strict(s):
        raise ValueError(f"not JSON: {s}")

    for line in proc.stdout.decode("utf-8").splitlines():
        json.loads(line, parse_constant=strict)
    assert all(o["id"] is None or isinstance(o["id"], str) for o in out)


def test_lone_surrogates_are_replaced_one_for_one_and_offsets_hold(results):
    _, out = results
    sur = next(o for o in out if o["id"] == "sur")
    assert sur["flagged"] is True and sur["warnings"][0] == "lone surrogates in the input read as U+FFFD"
    hit = sur["hits"][0]
    assert ("Fentanyl \ufffd 99%\n\ufffd x")[hit["start"]:hit["end"]] == hit["matched"] == "Fentanyl"
    pair = next(o for o in out if o["id"] == "pair")  # an escaped surrogate pair is one character, not replaced
    assert "warnings" not in pair and pair["flagged"] is True


def test_invalid_utf8_is_read_with_replacement_and_said(results):
    _, out = results
    bad = next(o for o in out if o["id"] == "bad-utf8")
    assert bad["flagged"] is True and bad["warnings"][0].startswith("input line is not valid UTF-8")
    assert next(o for o in out if o["id"] == "crlf").get("error") is None


def test_jobs_2_gives_the_same_answers(results, hostile_file):
    proc, _ = results
    two = scan(b"", str(hostile_file), "--jobs", "2")
    assert two.returncode == 0, two.stderr[-2000:]
    assert two.stdout == proc.stdout


def test_invalid_utf8_on_standard_input_with_jobs(hostile_file):
    two = scan(b'{"id":"a","title":"\xc3("}\n' + OK + b"\n", "--jobs", "2")
    assert two.returncode == 0, two.stderr[-2000:]
    out = [json.loads(line) for line in two.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", "ok"] and "warnings" in out[0]


# --- the parser alone ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, deep", [
    ('{"a":' + "[" * 100 + "]" * 100 + "}", True),          # 101 levels
    ('{"a":' + "[" * 99 + "]" * 99 + "}", False),           # 100 levels: the limit itself
    ('{"a":"' + "[" * 5000 + '"}', False),                  # brackets inside a string do not nest
    ('{"a":"\\"' + "{" * 5000 + '"}', False),               # ... nor after an escaped quote
    ('{"a":[' + "[]," * 5000 + "[]]}", False),              # many brackets, shallow
    ('{"a":"x' + "[" * 200, False),                         # an unterminated string runs to the end
])
def test_nesting_depth_table(line, deep):
    assert nesting_depth_over(line, 100) is deep


def test_limits_come_from_the_settings():
    assert InputLimits.from_settings({"limits": {"max_json_depth": 3, "max_json_number_chars": 5}}) == \
        InputLimits(3, 5)
    listing, err = parse_line('{"id": 123456}', 1, InputLimits(3, 5))
    assert listing is None and "a number of 6 digits" in err["error"]
    listing, err = parse_line('{"id": 12345, "x": [[]]}', 1, InputLimits(3, 5))  # 3 levels with the object
    assert err is None and listing["id"] == "12345"


def test_a_run_of_brackets_is_not_read_as_one_bracket_atom():
    """detect/smiles.py: a bracket atom holds no "[" (found by bench/slowest.py's scan lines: 200,000 "[" in a
    listing backtracked quadratically, 155 s; now linear)."""
    from detect.smiles import ATOM_RE

    assert ATOM_RE.findall("[[Na+]") == ["[Na+]"]
    assert ATOM_RE.findall("[" * 1000) == []


# --- a line too long to hold (issue 16: bounded cost per line, nothing lost) -----------------------------------------

def test_a_line_over_max_line_bytes_is_not_kept_and_the_next_lines_are_read():
    import io

    from detect.batch import OVERSIZED, read_stream

    data = b"x" * 80 + b"\n" + b"a" * 20 + b"\n" + b"y" * 21 + b"\n" + b"b" * 20
    got = list(read_stream(io.BytesIO(data), max_bytes=20))
    assert [line for line, _ in got] == ["", "a" * 20, "", "b" * 20]  # the first line too, and one byte over
    assert got[0][1].startswith(OVERSIZED) and got[2][1].startswith(OVERSIZED)
    assert got[1][1] is None and got[3][1] is None


def test_scan_answers_an_oversized_line_with_an_error_and_goes_on(tmp_path):
    from detect.config import DEFAULT_SETTINGS

    settings = tmp_path / "settings.toml"
    text = DEFAULT_SETTINGS.read_text(encoding="utf-8")
    assert "max_line_bytes = " in text
    settings.write_text(text.replace("max_line_bytes = ", "max_line_bytes = 1000  #", 1), encoding="utf-8")
    big = b'{"id":"big","title":"Fentanyl","text":"' + b"z" * 5000 + b'"}'
    proc = subprocess.run(FENTWATCH, input=OK + b"\n" + big + b"\n" + OK + b"\n", capture_output=True, timeout=300,
                          env={**os.environ, "FENTWATCH_SETTINGS": str(settings)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in out] == ["ok", None, "ok"] and out[0]["flagged"] and out[2]["flagged"]
    assert out[1]["error"].startswith("line 2: input line longer than max_line_bytes (1000 bytes)")
    assert "1 with errors" in proc.stderr.decode()
