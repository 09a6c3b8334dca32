"""Write tests/data/file_seconds.json: the seconds each test file took (setup + call + teardown of its tests), read
from the output of a ``python -m pytest --durations=0`` run. conftest.py hands the files to the pytest-xdist workers
longest first from it, so a long file does not start last and leave one worker running alone at the end.

Usage: python -m pytest --durations=0 -p no:cacheprovider > durations.txt; python tests/file_seconds.py durations.txt
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "file_seconds.json"
LINE = re.compile(r"^\s*([0-9.]+)s (?:setup|call|teardown)\s+(tests/[^:]+\.py)::")


def file_seconds(lines) -> dict[str, float]:
    seconds = Counter()
    for line in lines:
        m = LINE.match(line)
        if m:
            seconds[m.group(2)] += float(m.group(1))
    return {f: round(s, 1) for f, s in sorted(seconds.items(), key=lambda kv: (-kv[1], kv[0]))}


def main(path: str) -> None:
    seconds = file_seconds(Path(path).read_text(encoding="utf-8").splitlines())
    note = (f"seconds per test file (setup + call + teardown), from a --durations=0 run ({path}); written by "
            "tests/file_seconds.py, read by tests/conftest.py to start the longest files first")
    OUT.write_text(json.dumps({"note": note, "seconds": seconds}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(seconds)} files, {sum(seconds.values()):.0f} s -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
