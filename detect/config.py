"""The one place detection settings are read from: ``detect/data/settings.toml`` (or a file the user names)."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SETTINGS = DATA_DIR / "settings.toml"


@lru_cache(maxsize=4)
def load_settings(path: str | None = None) -> dict:
    """Settings as a nested dict. ``FENTWATCH_SETTINGS`` names another TOML file to use instead."""
    path = path or os.environ.get("FENTWATCH_SETTINGS") or str(DEFAULT_SETTINGS)
    with open(path, "rb") as f:
        return tomllib.load(f)
