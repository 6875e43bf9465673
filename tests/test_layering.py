"""The layering rules of docs/ARCHITECTURE.md, read from the source with ``ast``: imports only point down
(web -> services -> crm / engine / forms), and the web layer runs no queries of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERY_CALLS = {"select", "joinedload", "selectinload", "subqueryload", "aliased"}
"""Building a query or its loading options: the services' job, never a page's or a command's."""
LAYER_RULES = {
    "engine": {"flask", "crm", "services", "web", "handlers"},
    "crm": {"flask", "web", "services"},
    "services": {"flask", "web"},
}
"""Top-level packages each layer must not import."""


def _python_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_packages(tree: ast.Module) -> set[str]:
    """The top-level package of every absolute import in ``tree`` (also those inside functions)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def query_calls(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, name) of every call to a query builder such as ``select(...)`` or ``sa.select(...)``."""
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in QUERY_CALLS:
                calls.append((node.lineno, name))
    return calls


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _python_files("web"), ids=_relative)
def test_web_runs_no_queries(path):
    assert query_calls(_tree(path)) == [], f"{_relative(path)}: move the query into a service function"


@pytest.mark.parametrize("path", _python_files("web"), ids=_relative)
def test_web_imports_no_query_builders(path):
    tree = _tree(path)
    builders = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("sqlalchemy") for alias in node.names
                if alias.name != "Session"]
    assert builders == [], f"{_relative(path)} imports {builders} from SQLAlchemy"


@pytest.mark.parametrize(("layer", "forbidden"), sorted(LAYER_RULES.items()))
def test_imports_only_point_down(layer, forbidden):
    wrong = {_relative(p): sorted(imported_packages(_tree(p)) & forbidden) for p in _python_files(layer)}
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_checks_see_what_they_look_for():
    """The checks would catch a query and an upward import (guards against a check that never fires)."""
    tree = ast.parse("from flask import g\nimport web.db\n\ndef f(s):\n    return s.scalars(sa.select(X))\n")
    assert imported_packages(tree) == {"flask", "web"}
    assert query_calls(tree) == [(5, "select")]
