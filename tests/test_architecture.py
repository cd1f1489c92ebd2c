"""The dependency rule: the domain imports nothing of the outside world."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_IN_DOMAIN = {
    "__future__",
    "dataclasses",
    "datetime",
    "enum",
    "typing",
    "uuid",
    "collections",
    "eventsourcing.domain",
    "domain",
}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "domain").glob("*.py")), ids=lambda p: p.name)
def test_the_domain_imports_only_the_standard_library_and_the_library_domain(path: Path) -> None:
    outside = {
        name
        for name in imports_of(path)
        if not any(name == ok or name.startswith(ok + ".") for ok in ALLOWED_IN_DOMAIN)
    }
    assert outside == set()


@pytest.mark.parametrize("path", sorted((ROOT / "projections").glob("*.py")), ids=lambda p: p.name)
def test_projections_never_import_the_app(path: Path) -> None:
    assert not any(name == "app" or name.startswith("app.") for name in imports_of(path))
