"""Settings of the review app, read once from ``review/data/review.toml``."""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files

SETTINGS_FILE = files(__package__) / "data" / "review.toml"


@functools.cache
def review_settings() -> dict:
    with SETTINGS_FILE.open("rb") as f:
        return tomllib.load(f)
