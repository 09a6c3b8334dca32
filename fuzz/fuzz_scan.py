"""atheris target: any bytes, as a listing (title and text) and as HTML, through Detector.scan.

usage: python fuzz/fuzz_scan.py CORPUS_DIR [libFuzzer flags: -runs=N, -max_total_time=S, -max_len=N ...]
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports(include=["detect"]):
    from detect.engine import INTERNAL_ERROR, Detector
    from detect.result import schema_problems

DETECTOR = Detector()


def check(listing: dict, full: str | None) -> None:
    result = DETECTOR.scan(listing)
    d = result.to_json()
    if result.error and result.error.startswith(INTERNAL_ERROR):
        raise RuntimeError(result.error)
    problems = schema_problems(d)
    if problems:
        raise AssertionError(f"schema: {problems}")
    if full is not None and not any(w.startswith("text truncated") for w in d.get("warnings", [])):
        for h in d["hits"]:
            if full[h["start"]:h["end"]] != h["matched"]:
                raise AssertionError(f"offsets: {h}")


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    text = data.decode("utf-8", "replace")
    title, _, body = text.partition("\n")
    check({"id": "fuzz", "title": title, "text": body}, f"{title}\n{body}")
    check({"id": "fuzz", "html": text}, None)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
