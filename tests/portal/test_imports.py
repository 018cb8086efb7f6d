"""The apps build on one another in one direction: core under plan, plan under updates and participation.

An import back the other way (core from plan, plan from updates) would close a circle; names Django and
Wagtail keep private (a leading underscore) are never imported.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imports(package: str):
    """(file, imported name) for every name the package's modules import, relative imports resolved."""
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        here = list(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom):
                base = here[: len(here) - node.level] if node.level else []
                module = ".".join([*base, *([node.module] if node.module else [])])
                for alias in node.names:
                    yield path, f"{module}.{alias.name}"


@pytest.mark.parametrize(("package", "below"), [("portal.core", "portal.plan"), ("portal.plan", "portal.updates")])
def test_no_import_back_down_the_layers(package, below):
    back = [f"{path.relative_to(ROOT)}: {name}" for path, name in imports(package) if name.startswith(f"{below}.")]
    assert back == []


def test_no_private_framework_name_is_imported():
    private = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in ("portal", "search", "tests", "bench", "scripts")
        for path, name in imports(package)
        if name.split(".")[0] in ("django", "wagtail") and any(part.startswith("_") for part in name.split("."))
    ]
    assert private == []
