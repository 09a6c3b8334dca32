"""The one place detection settings are read from: ``detect/data/settings.toml`` (or a file the user names)."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib.resources import files

import yaml

# detect's data files, read through importlib.resources (``(DATA_DIR / name).open()``, never ``open(path)``): a folder
# on disk, or a folder inside a zipped egg (the crawler deployed to scrapyd)
DATA_DIR = files(__package__) / "data"
DEFAULT_SETTINGS = DATA_DIR / "settings.toml"


# libyaml's parser where PyYAML has it (the same documents, parsed several times faster: every process reads these at
# start, and a scan's start is a third of a 20,000-listing benchmark run); tests/test_yaml_loader.py checks that both
# loaders read every data file alike
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_data_yaml(name: str):
    """One of detect's YAML data files (``detect/data/NAME``), parsed."""
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return yaml.load(f, Loader=SAFE_LOADER)


@lru_cache(maxsize=4)
def load_settings(path: str | None = None) -> dict:
    """Settings as a nested dict. ``FENTWATCH_SETTINGS`` names another TOML file to use instead."""
    path = path or os.environ.get("FENTWATCH_SETTINGS")
    with open(path, "rb") if path else DEFAULT_SETTINGS.open("rb") as f:
        return tomllib.load(f)
