"""``fentwatch scan`` of a large file boots OPSIN's JVM at start (detect/opsin.py start_early), before spaCy and
RDKit are imported; small files and standard input keep the lazy start. Importing detect's light modules does not
import the engine (detect/__init__.py loads its names on first use)."""

import subprocess
import sys

from detect.opsin import Opsin, start_early

SETTINGS = {"opsin": {"timeout_s": 30, "prewarm_input_bytes": 1000}}


def test_small_files_and_stdin_keep_the_lazy_start(tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text('{"id": "1", "text": "Sodium chloride 99%, 25 kg drum"}\n', encoding="utf-8")
    opsin = Opsin()
    assert start_early([str(small), "-", str(tmp_path / "missing.jsonl")], SETTINGS, opsin) is False
    assert start_early([str(small)], {"opsin": {"timeout_s": 30}}, opsin) is False  # no threshold: never
    assert opsin.proc is None


def test_a_large_file_boots_the_jvm_and_its_answers_are_the_same(tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text('{"id": "1", "text": "Sodium chloride 99%, 25 kg drum"}\n' * 40, encoding="utf-8")
    early, lazy = Opsin(), Opsin()
    try:
        assert start_early([str(big)], SETTINGS, early) is True
        assert early.proc is not None and lazy.proc is None
        names = ["N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide", "1-phenethylpiperidin-4-one", "xyzzy"]
        assert early.convert(names) == lazy.convert(names)
        assert early.convert(names)[2] is None
    finally:
        early.close()
        lazy.close()


def test_light_modules_do_not_import_the_engine():
    code = ("import sys, detect.opsin, detect.config; assert 'spacy' not in sys.modules, 'spacy'; "
            "assert 'detect.engine' not in sys.modules; from detect import Detector, Hit, ScanResult, DETECTOR_VERSION; "
            "import detect; assert detect.Detector is Detector and 'detect.engine' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
