"""Load the lexicon's YAML files into typed, immutable records.

Schema errors raise :class:`LexiconError` naming the file and field; the fact checks (structures, CAS check digits,
synonym clashes) live in :mod:`lexicon.validate`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

# libyaml's parser when PyYAML was built with it (the wheels are): about ten times faster than the pure-Python one
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# the bundled lexicon, read through importlib.resources: a folder on disk, or a folder inside a zipped egg (scrapyd)
LEXICON_DIR: Traversable = files(__package__)
CATEGORIES = ("fentanyl-like", "precursor")
NAME_KINDS = ("common", "systematic", "abbreviations", "codes", "zh", "es", "fr", "misspellings")
JURISDICTIONS = ("CN", "UN", "US")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class LexiconError(ValueError):
    """A lexicon file that cannot be read into records. The message names the file and the field."""


@dataclass(frozen=True)
class Form:
    form: str  # base, hydrochloride, citrate ...
    cas: str
    source: str


@dataclass(frozen=True)
class Name:
    text: str
    kind: str  # one of NAME_KINDS


@dataclass(frozen=True)
class Control:
    jurisdiction: str
    instrument: str
    source: str


@dataclass(frozen=True)
class Substance:
    id: str
    name: str
    category: str
    medical: bool
    smiles: str
    inchikey: str
    forms: tuple[Form, ...]
    names: tuple[Name, ...]
    ambiguous: dict[str, str]
    control: tuple[Control, ...]
    sources: dict[str, dict]
    path: Traversable | None = field(default=None, compare=False)

    @property
    def cas_numbers(self) -> tuple[str, ...]:
        return tuple(f.cas for f in self.forms)

    def all_names(self) -> list[Name]:
        """The preferred name first, then every synonym."""
        return [Name(self.name, "common")] + [n for n in self.names if n.text != self.name]

    def is_ambiguous(self, name: str) -> bool:
        return name.casefold() in {a.casefold() for a in self.ambiguous}


@dataclass(frozen=True)
class Lookalike:
    name: str
    synonyms: tuple[str, ...]
    cas: tuple[str, ...]
    smiles: str | None
    inchikey: str | None
    why: str


@dataclass
class Lexicon:
    substances: list[Substance]
    lookalikes: list[Lookalike]
    version: str

    @cached_property
    def by_id(self) -> dict[str, Substance]:
        return {s.id: s for s in self.substances}

    @cached_property
    def by_inchikey(self) -> dict[str, Substance]:
        return {s.inchikey: s for s in self.substances}

    @cached_property
    def by_cas(self) -> dict[str, tuple[Substance, Form]]:
        return {f.cas: (s, f) for s in self.substances for f in s.forms}

    def __len__(self) -> int:
        return len(self.substances)


def _require(data: dict, key: str, kind: type, where: str):
    if key not in data:
        raise LexiconError(f"{where}: missing field '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise LexiconError(f"{where}: field '{key}' must be {kind.__name__}, got {type(value).__name__}")
    return value


def _str_list(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise LexiconError(f"{where}: must be a list of strings")
    return tuple(str(v) for v in value)


def read_substance(path: Traversable) -> Substance:
    """Read one substance file. Raises LexiconError on YAML or schema errors."""
    where = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping at the top level")
    sid = _require(data, "id", str, where)
    where = f"{path.name} ({sid})"
    if not ID_RE.match(sid):
        raise LexiconError(f"{where}: id must be lowercase letters, digits and hyphens")
    stem = path.name.rsplit(".", 1)[0]
    if stem != sid:
        raise LexiconError(f"{where}: id '{sid}' does not match the file name '{stem}'")
    category = _require(data, "category", str, where)
    if category not in CATEGORIES:
        raise LexiconError(f"{where}: category must be one of {', '.join(CATEGORIES)}, got '{category}'")
    sources = data.get("sources") or {}
    if not isinstance(sources, dict):
        raise LexiconError(f"{where}: 'sources' must be a mapping of source keys")
    sources = {str(k): (v if isinstance(v, dict) else {"title": str(v)}) for k, v in sources.items()}

    forms = []
    for i, row in enumerate(data.get("forms") or []):
        if not isinstance(row, dict) or "cas" not in row:
            raise LexiconError(f"{where}: forms[{i}] needs at least 'cas'")
        forms.append(Form(str(row.get("form", "base")), str(row["cas"]).strip(), str(row.get("source", ""))))

    names_data = data.get("names") or {}
    if not isinstance(names_data, dict):
        raise LexiconError(f"{where}: 'names' must be a mapping of name kinds")
    names = []
    for kind, values in names_data.items():
        if kind not in NAME_KINDS:
            raise LexiconError(f"{where}: unknown name kind '{kind}' (use {', '.join(NAME_KINDS)})")
        names += [Name(v.strip(), kind) for v in _str_list(values, f"{where}: names.{kind}") if v.strip()]

    ambiguous = {}
    for i, row in enumerate(data.get("ambiguous") or []):
        if not isinstance(row, dict) or "name" not in row:
            raise LexiconError(f"{where}: ambiguous[{i}] needs 'name' and 'note'")
        ambiguous[str(row["name"])] = str(row.get("note", ""))

    control = []
    for i, row in enumerate(data.get("control") or []):
        if not isinstance(row, dict) or not {"jurisdiction", "instrument"} <= row.keys():
            raise LexiconError(f"{where}: control[{i}] needs 'jurisdiction', 'instrument' and 'source'")
        if row["jurisdiction"] not in JURISDICTIONS:
            raise LexiconError(f"{where}: control[{i}] jurisdiction must be one of {', '.join(JURISDICTIONS)}")
        control.append(Control(row["jurisdiction"], str(row["instrument"]), str(row.get("source", ""))))

    return Substance(
        id=sid,
        name=_require(data, "name", str, where),
        category=category,
        medical=bool(data.get("medical", False)),
        smiles=_require(data, "smiles", str, where).strip(),
        inchikey=_require(data, "inchikey", str, where).strip(),
        forms=tuple(forms),
        names=tuple(names),
        ambiguous=ambiguous,
        control=tuple(control),
        sources=sources,
        path=path,
    )


def read_lookalikes(path: Traversable) -> list[Lookalike]:
    if not path.is_file():
        return []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path.name}: not valid YAML: {exc}") from None
    rows = data.get("lookalikes") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise LexiconError(f"{path.name}: expected a top-level 'lookalikes' list")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise LexiconError(f"{path.name}: lookalikes[{i}] needs a 'name'")
        where = f"{path.name} ({row['name']})"
        out.append(
            Lookalike(
                name=row["name"],
                synonyms=_str_list(row.get("synonyms"), f"{where}: synonyms"),
                cas=_str_list(row.get("cas"), f"{where}: cas"),
                smiles=row.get("smiles"),
                inchikey=row.get("inchikey"),
                why=str(row.get("why", "")),
            )
        )
    return out


def substance_files(directory: Traversable) -> list[Traversable]:
    folder = directory / "substances"
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".yaml") and p.is_file()), key=lambda p: p.name)


def lexicon_version(directory: Traversable) -> str:
    """A short content hash of every lexicon data file: stored with each hit to say which lexicon produced it."""
    h = hashlib.sha256()
    for p in substance_files(directory) + [directory / "lookalikes.yaml"]:
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def load_lexicon(directory: Path | str | None = None) -> Lexicon:
    """Load every substance and the look-alike list. Raises LexiconError at the first unreadable file."""
    directory = Path(directory) if directory else LEXICON_DIR
    substances = [read_substance(p) for p in substance_files(directory)]
    if not substances:
        raise LexiconError(f"{directory}: no substance files in {directory / 'substances'}")
    return Lexicon(substances, read_lookalikes(directory / "lookalikes.yaml"), lexicon_version(directory))
