"""Test and benchmark tooling stays out of the product: the product never imports it, and it is not
packaged with the application (setuptools packages src/ only)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLING = {"bench", "tools", "tests"}


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_neither_the_application_nor_its_configuration_imports_test_or_benchmark_tooling() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_top_levels(path) & TOOLING)
        for folder in ("src", "config")
        for path in (ROOT / folder).rglob("*.py")
        if _imported_top_levels(path) & TOOLING
    }
    assert offenders == {}


def test_the_fake_ebox_is_repository_tooling_not_a_module_of_the_application() -> None:
    assert importlib.util.find_spec("careerbreak.mailbox.fake_ebox") is None
    assert not list((ROOT / "src").rglob("fake_ebox*.py"))
    assert importlib.util.find_spec("tools.fake_ebox") is not None
