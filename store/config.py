"""Settings of the store, read once from ``store/data/store.toml``."""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files

SETTINGS_FILE = files(__package__) / "data" / "store.toml"


@functools.cache
def store_settings() -> dict:
    with SETTINGS_FILE.open("rb") as f:
        return tomllib.load(f)
