"""atheris target: any bytes as the JSONL input of `fentwatch scan` (detect/batch.py), read and scanned as the
command does.

usage: python fuzz/fuzz_lines.py CORPUS_DIR [libFuzzer flags: -runs=N, -max_total_time=S, -max_len=N ...]

A crash is an exception, an input line without exactly one output line, an output line that is not strict JSON
(NaN, Infinity) or not UTF-8 (a lone surrogate), a result outside the scan schema, or an `internal error` result.
"""

import io
import json
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports(include=["detect.batch"]):
    from detect.batch import read_stream, scan_blocks
    from detect.engine import INTERNAL_ERROR, Detector
    from detect.result import schema_problems

DETECTOR = Detector()


def _strict(name):
    raise ValueError(f"{name} in the output")


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    out = "".join(b.text for b in scan_blocks(read_stream(io.BytesIO(data)), detector=DETECTOR))
    out.encode("utf-8")  # strict: a lone surrogate raises
    results = out.split("\n")[:-1]  # not splitlines(): U+2028 and friends are valid inside a JSON string
    if len(results) != lines:
        raise AssertionError(f"{lines} input lines, {len(results)} results")
    for line in results:
        d = json.loads(line, parse_constant=_strict)
        problems = schema_problems(d)
        if problems:
            raise AssertionError(f"schema: {problems}")
        error = d.get("error") or ""
        if error.startswith(INTERNAL_ERROR) or error.partition(": ")[2].startswith(INTERNAL_ERROR):
            raise RuntimeError(d["error"])


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
