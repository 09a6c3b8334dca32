"""The atheris fuzz targets (fuzz/fuzz_*.py), several in one start: ``python tests/fuzzrun.py CORPUS OUT
TARGET:RUNS:MAX_LEN ...``.

A target run alone spends about 4 s of CPU before its first input (importing the detector with atheris'
instrumentation, building the detector), more than its runs. Here one process imports every target module once
(each module instruments what its own ``instrument_imports`` names, and builds what it builds at import), then runs
each target in a forked child of its own: ``atheris.Setup`` and ``atheris.Fuzz`` with the target's libFuzzer flags,
the seed corpus ``CORPUS/TARGET``, the working folder ``OUT/TARGET`` (where libFuzzer writes crash- and timeout-
files) and its standard error in ``OUT/TARGET/stderr``. The child's exit status goes to ``OUT/TARGET/status``.
libFuzzer ends the child itself (exit 0 after the runs, non-zero on a crash), as it ends ``python fuzz/fuzz_X.py``.
"""

import importlib
import os
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"


def main(corpus: str, out: str, *targets: str) -> int:
    sys.path.insert(0, str(FUZZ))
    import atheris

    corpus, out = os.path.abspath(corpus), os.path.abspath(out)  # each child works in a folder of its own

    plans = []
    for spec in targets:
        name, runs, max_len = spec.split(":")
        plans.append((name, importlib.import_module(f"fuzz_{name}"), runs, max_len))  # the import instruments
    for name, module, runs, max_len in plans:
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: one target, as `python fuzz/fuzz_NAME.py CORPUS/NAME -runs=... ` would run it
            try:
                os.chdir(folder)
                err = os.open("stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(err, 2)
                os.dup2(err, 1)
                argv = [str(FUZZ / f"fuzz_{name}.py"), str(Path(corpus) / name), f"-runs={runs}",
                        f"-max_len={max_len}", "-timeout=30", "-seed=1"]
                atheris.Setup(argv, module.TestOneInput)
                atheris.Fuzz()
            finally:
                os._exit(70)  # Fuzz() does not return; here only if Setup or Fuzz raised
        _, status = os.waitpid(pid, 0)
        (folder / "status").write_text(str(os.waitstatus_to_exitcode(status)))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
