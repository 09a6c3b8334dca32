"""The house as built (docs/architecture.md): imports run one way only, the review app's views stay short, and every
folder says what it owns. Read with ``ast`` from the source, so a late import inside a function counts too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# room -> the rooms of ours it may import (lexicon is the ground floor; the command line may import everything)
MAY_IMPORT = {
    "lexicon": set(),
    "detect": {"lexicon"},
    "store": {"detect", "lexicon"},
    "crawler": {"store", "detect", "lexicon"},
    "review": {"store", "detect", "lexicon"},
    "fentwatch": {"crawler", "review", "store", "detect", "lexicon"},
}
ROOMS = set(MAY_IMPORT)
VIEW_MAX_LINES = 60
FACTORY_MAX_LINES = 20


def rooms_imported(path: Path, room: str) -> dict[str, int]:
    """The other rooms a module imports, each with the first line that does (relative imports stay in the room)."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ROOMS and top != room:
                found.setdefault(top, node.lineno)
    return found


def modules(room: str) -> list[Path]:
    return sorted((ROOT / room).rglob("*.py"))


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_imports_run_one_way(room):
    assert modules(room), f"room {room}/ has no modules"
    wrong = [f"{p.relative_to(ROOT)}:{line} imports {other}"
             for p in modules(room) for other, line in rooms_imported(p, room).items()
             if other not in MAY_IMPORT[room]]
    assert wrong == [], "\n".join(wrong)


def test_the_import_check_sees_late_and_upward_imports(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("from .x import y\nimport lexicon.cas\n\ndef f():\n    from review.store import now\n"
                   "    import crawler.settings as s\n", "utf-8")
    assert rooms_imported(src, "store") == {"lexicon": 2, "review": 5, "crawler": 6}


def view_functions(path: Path):
    """Functions registered as routes: decorated with ``<blueprint or app>.get/post/route(...)``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                if (isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                        and d.func.attr in ("get", "post", "route", "put", "patch", "delete")):
                    yield node
                    break


def test_review_views_are_short():
    views = [(p, f) for p in modules("review") for f in view_functions(p)]
    assert len(views) >= 20, "the route decorators were not recognised"
    long = [f"{p.relative_to(ROOT)}:{f.lineno} {f.name} is {f.end_lineno - f.lineno + 1} lines"
            for p, f in views if f.end_lineno - f.lineno + 1 > VIEW_MAX_LINES]
    assert long == [], "\n".join(long)


def test_app_factory_only_configures_and_registers():
    tree = ast.parse((ROOT / "review" / "web.py").read_text(encoding="utf-8"))
    (factory,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app"]
    assert factory.end_lineno - factory.lineno + 1 <= FACTORY_MAX_LINES
    assert not any(isinstance(n, ast.FunctionDef) for n in ast.walk(factory) if n is not factory), \
        "routes belong in a blueprint under review/views/, not inside create_app"


@pytest.mark.parametrize("package", sorted(str(p.parent.relative_to(ROOT)) for room in ROOMS
                                           for p in (ROOT / room).rglob("__init__.py")))
def test_every_folder_says_what_it_owns(package):
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 6, f"{package}/__init__.py: one or two lines on what the folder owns"
