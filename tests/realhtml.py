"""The real shop pages of ``../shared/realhtml`` (beside the project, never copied into it) and their labels.

``pages.jsonl`` there says what each page is (kind, product name, CAS as printed). The prices below were read from
each page's own price markup (JSON-LD ``price``/``lowPrice``/``highPrice``/``minPrice``/``maxPrice``, microdata
``price``, the OpenCart price heading); the amounts are what a test compares.
"""

from __future__ import annotations

import configparser
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` from the repository root; from a git worktree, the main checkout's ``../shared``; from a
    clone of a local checkout (``git clone /path/main "$(mktemp -d)"``), the origin's ``../shared``;
    ``FENTWATCH_SHARED`` overrides them all."""
    if os.environ.get("FENTWATCH_SHARED"):
        return Path(os.environ["FENTWATCH_SHARED"])
    candidates = [ROOT.parent / "shared"]
    git = ROOT / ".git"
    if git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        candidates.append(gitdir.parents[2].parent / "shared")
    elif (git / "config").is_file():
        origin = _local_origin(git / "config")
        if origin is not None:
            candidates.append(origin.parent / "shared")
    return next((c for c in candidates if c.is_dir()), candidates[0])


def _local_origin(config: Path) -> Path | None:
    """The folder of a clone's ``origin`` remote when it is a local path (not a URL), else None."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read(config, encoding="utf-8")
    except configparser.Error:
        return None
    url = parser.get('remote "origin"', "url", fallback="")
    if url.startswith("file://"):
        url = url[len("file://"):]
    if not url.startswith("/"):
        return None
    path = Path(url)
    return path.parent if path.name == ".git" else path


REALHTML = shared_dir() / "realhtml"


def require() -> Path:
    if not (REALHTML / "pages.jsonl").is_file():
        raise FileNotFoundError(
            f"the real shop pages are missing: expected {REALHTML}/pages.jsonl and {REALHTML}/site/ (the shared "
            f"folder beside the project, ../shared/realhtml; set FENTWATCH_SHARED to its parent folder)")
    return REALHTML


def pages() -> list[dict]:
    return [json.loads(line) for line in (require() / "pages.jsonl").read_text(encoding="utf-8").splitlines()]


def family(row: dict) -> str:
    return row["path"].split("/", 1)[0]


# Kept out of tuning the page classifier and the field helpers: scored on their own (bench/realhtml.py).
HELD_OUT = frozenset({"warchem", "tci", "3schemicals", "laboratoriumdiscounter"})

PRICES = {  # path -> the amounts of the price as printed (a range gives two)
    "carolinachemical/product/sulfuric-acid.html": ("20.00", "170.00"),
    "carolinachemical/product/sulfuric-acid-technical-95-0-98-0.html": ("13.00", "115.00"),
    "carolinachemical/product/hydrochloric-acid-22-be-36-25-copy.html": ("15.00", "77.00"),
    "carolinachemical/product/nitric-acid-42be.html": ("34.00", "214.00"),
    "carolinachemical/product/trichloroacetic-acid.html": ("22.00", "54.00"),
    "carolinachemical/product/pure-salicylic-acid-powde.html": ("35.00", "399.00"),
    "carolinachemical/product/pure-glacial-acetic-acid.html": ("32.00", "260.00"),
    "carolinachemical/product/citric-acid-anhydrous-fccix-usp-granular.html": ("105.00", "120.00"),
    "warchem/kwas-acetylosalicylowy-czysty-p-537.html": ("9.00",),
    "warchem/kwas-adypinowy-czysty-p-538.html": ("5.00",),
    "warchem/kwas-amidosulfonowy-czysty-p-539.html": ("7.00",),
    "warchem/kalces-sol-sodowa-czysty-p-516.html": ("7.00",),
    "warchem/kwas-borowy-roztwor-3-woda-borowa-czysty-p-557.html": ("5.00",),
    "warchem/nadtlenek-wodoru-roztwor-3-woda-utleniona-czysty-p-1237.html": ("5.00",),
    "warchem/woda-bromowa-czysty-p-189.html": ("16.00",),
    "warchem/woda-amoniakalna-25-amoniak-czysty-p-28.html": ("5.00",),
    "warchem/wodorotlenek-wapnia-roztwor-4-woda-wapienna-p-1230.html": ("5.00",),
    "warchem/woda-destylowana-do-hplc-p-1236.html": ("33.00",),
    "loudwolf/storefront/product-754-citric-acid.html": ("4.99",),
    "loudwolf/storefront/product-2187-oxalic-acid.html": ("4.89",),
    "loudwolf/storefront/product-695-ascorbic-acid.html": ("4.99",),
    "loudwolf/storefront/product-1438-boric-acid.html": ("4.89",),
    "loudwolf/storefront/product-1220-tartaric-acid.html": ("6.99",),
    "loudwolf/storefront/product-1057-sodium-benzoate.html": ("32.99",),
    "onyxmet/product-2579-rhodium-iii-chloride.html": ("100.50",),
    "onyxmet/product-1526-adipic-acid.html": ("2.50",),
    "onyxmet/product-1510-aspartic-acid.html": ("7.50",),
    "onyxmet/product-695-barbituric-acid.html": ("4.50",),
    "onyxmet/product-539-meta-periodic-acid.html": ("8.75",),
    "onyxmet/product-1332-naphthoquinone-sulfonic-acid-sodium-salt.html": ("7.50",),
    "3schemicals/products/composite-deck-cleaner-enhancer.html": ("35.00",),
    "sciencelab/sodium-metasilicate-anhydrous-laboratory-grade.html": ("36", "108"),
    "sciencelab/sodium-hexametaphosphate-anhydrous.html": ("108", "1140"),
    "sciencelab/sodium-diethyldithiocarbamate-1g-l-aqueous-solution.html": ("52",),
    "sciencelab/perchloric-acid-titrant-0-001-n-acetous.html": ("67", "99"),
    "laboratoriumdiscounter/4-nitrophenyl-phosphate-disodium-salt-hexahydrate.html": ("22.99",),
    "limac/sodium-borohydride.html": ("63.65",),
}
