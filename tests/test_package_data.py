"""Package data is read through importlib.resources, so the code works from a zip as well as from a folder: scrapyd
runs the crawler from a zipped egg, and setuptools' default editable install lets that egg win the imports."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "detect", "lexicon", "review", "store")

# run in a fresh interpreter with the zip first on sys.path; every data file below is read from inside the zip
PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import crawler.middlewares, crawler.pagekind, detect.engine, review.api, review.config, store.config
from lexicon import load_lexicon
for m in (crawler.middlewares, detect.engine, review.api, store.config):
    assert m.__file__.startswith(sys.argv[1]), m.__file__
lex = load_lexicon()
print(lex.version, len(lex.substances))
det = detect.engine.default_detector()
hits = det.scan({"title": "Fentanyl 99% in stock", "text": "4-ANPP 99%, MOQ 1kg. 芬太尼 白色粉末"}).to_json()["hits"]
print(json.dumps(sorted({h["substance"] for h in hits})))
print(len(crawler.middlewares.SPECIAL_NETWORKS), bool(crawler.pagekind.rules().chrome))
print(sorted(store.config.store_settings()), sorted(review.config.review_settings())[:2], sorted(review.api.api_settings())[:1])
"""


def test_code_and_data_work_from_a_zip(tmp_path):
    archive = tmp_path / "fentwatch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for package in PACKAGES:
            for path in sorted((ROOT / package).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    z.write(path, path.relative_to(ROOT).as_posix())
    done = subprocess.run([sys.executable, "-c", PROBE, str(archive)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lexicon_line, substances, networks, settings = done.stdout.splitlines()[-4:]

    from lexicon import load_lexicon

    lex = load_lexicon()
    assert lexicon_line == f"{lex.version} {len(lex.substances)}"  # the same files, the same content hash
    assert {"Fentanyl", "4-ANPP"} <= set(json.loads(substances))
    count, chrome = networks.split()
    assert int(count) > 10 and chrome == "True"
    assert settings.startswith("['concurrency', 'retention', 'sellers']")
