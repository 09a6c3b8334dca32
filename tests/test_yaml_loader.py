"""detect reads its YAML data files with libyaml's parser (yaml.CSafeLoader, where PyYAML has it) for a faster start;
both parsers must read every YAML file of the repository alike, so that the switch changes nothing."""

from pathlib import Path

import yaml

from detect.config import SAFE_LOADER

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in ROOT.glob("**/*.yaml") if ".git" not in p.parts and ".venv" not in p.parts)


def test_loader():
    assert SAFE_LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


def test_both_parsers_read_alike():
    assert len(FILES) > 100 and any(p.name == "fentanyl_nomenclature.yaml" for p in FILES)
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=SAFE_LOADER) == yaml.load(text, Loader=yaml.SafeLoader), path
