"""Settings of the store, read once from ``store/data/store.toml``."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

SETTINGS_FILE = Path(__file__).with_name("data") / "store.toml"


@functools.cache
def store_settings() -> dict:
    with open(SETTINGS_FILE, "rb") as f:
        return tomllib.load(f)
