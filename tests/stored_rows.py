"""The JSON rows of every stored JSONL file under tests/data (labelled corpora, the real-page set, the names set):
texts and URLs that the equivalence tests of rewritten patterns compare old and new forms on."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def stored_rows():
    """Each JSON object of every ``tests/data/**/*.jsonl`` line (lines that are not JSON objects are passed over)."""
    for path in sorted(DATA.glob("**/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict):
                yield row
