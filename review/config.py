"""Settings of the review app, read once from ``review/data/review.toml``."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

SETTINGS_FILE = Path(__file__).with_name("data") / "review.toml"


@functools.cache
def review_settings() -> dict:
    with open(SETTINGS_FILE, "rb") as f:
        return tomllib.load(f)
