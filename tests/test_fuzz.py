"""The atheris fuzz targets, a fixed number of iterations each from a seed corpus of labeled listings (make fuzz
runs them for longer). A crash makes libFuzzer exit non-zero and write the input as crash-<sha1>."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
sys.path.insert(0, str(FUZZ))

from seeds import write_seeds  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("fuzz-corpus")
    assert write_seeds(out, limit=150) == 150
    return out


# what the suite proves: each target runs clean on its whole seed corpus (150 labeled listings, about 155 inputs a
# target with the hostile shapes) and on about as many mutated inputs after it. The runs count the seeds too, so twice
# the corpus is enough; extract's inputs are cheap, so it gets more. The long search for new crashes is `make fuzz`.
TARGETS = [("scan", 300, 4096), ("extract", 600, 16384), ("lines", 300, 4096)]


@pytest.fixture(scope="module")
def fuzzed(corpus, tmp_path_factory):
    """Every target run once, each in its own process forked after one shared start (tests/fuzzrun.py): the
    instrumented imports and the detector are built once, not once a target. Each test reads its target's folder."""
    out = tmp_path_factory.mktemp("fuzz-runs")
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("fuzzrun.py")), str(corpus), str(out),
                           *(f"{t}:{r}:{m}" for t, r, m in TARGETS)],
                          cwd=out, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


@pytest.mark.parametrize("target, runs, max_len", TARGETS)
def test_fuzz_target_runs_clean(fuzzed, target, runs, max_len):
    folder = fuzzed / target
    stderr = (folder / "stderr").read_text(errors="replace")
    crashes = list(folder.glob("crash-*")) + list(folder.glob("timeout-*"))
    assert (folder / "status").read_text() == "0" and not crashes, stderr[-4000:]
    # libFuzzer counts the seed corpus's inputs too: at least the requested runs, not exactly them
    done = re.search(r"^Done (\d+) runs in ", stderr, re.M)
    assert done and int(done.group(1)) >= runs, stderr[-4000:]
