"""The layers import downwards only: ``cli`` and ``app`` above ``forms`` and ``sync``, above ``continuity``.

``continuity`` never imports Qt; ``cli`` does not either.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import cli
from cli import root

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "continuity": {"forms", "sync", "cli", "app", "PySide6"},
    "forms": {"cli", "app"},
    "sync": {"cli", "app"},
    "cli": {"app", "PySide6"},
}


def _imported_packages(package: str) -> dict[str, set[str]]:
    """Top-level package of every absolute import in every module, including those inside functions."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_reaches_up(package: str) -> None:
    wrong = {
        module: sorted(names & FORBIDDEN[package])
        for module, names in _imported_packages(package).items()
        if names & FORBIDDEN[package]
    }
    assert wrong == {}


def test_every_command_group_is_registered() -> None:
    """A ``cli`` module with a ``register`` function is one of the groups the parser is built from."""
    with_register = set()
    for info in pkgutil.iter_modules(cli.__path__):
        if info.name == "__main__":  # running it is running the command
            continue
        module = importlib.import_module(f"cli.{info.name}")
        if callable(getattr(module, "register", None)):
            with_register.add(module.__name__)
    assert with_register == {group.__name__ for group in root.GROUPS}
