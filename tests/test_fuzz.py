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
@pytest.mark.parametrize("target, runs, max_len", [("scan", 300, 4096), ("extract", 600, 16384),
                                                    ("lines", 300, 4096)])
def test_fuzz_target_runs_clean(corpus, tmp_path, target, runs, max_len):
    proc = subprocess.run([sys.executable, str(FUZZ / f"fuzz_{target}.py"), str(corpus / target), f"-runs={runs}",
                           f"-max_len={max_len}", "-timeout=30", "-seed=1"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    crashes = list(tmp_path.glob("crash-*")) + list(tmp_path.glob("timeout-*"))
    assert proc.returncode == 0 and not crashes, proc.stderr[-4000:]
    # libFuzzer counts the seed corpus's inputs too: at least the requested runs, not exactly them
    done = re.search(r"^Done (\d+) runs in ", proc.stderr, re.M)
    assert done and int(done.group(1)) >= runs, proc.stderr[-4000:]
