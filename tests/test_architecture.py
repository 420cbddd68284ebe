"""The layering contract (tests/import_contract.py) holds on the tree, and catches what it must."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_contract import check

ROOT = Path(__file__).resolve().parent.parent


def test_the_tree_keeps_the_layering_and_has_no_import_cycle() -> None:
    violations = check(ROOT)
    assert not violations, "\n".join(map(str, violations))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in ("continuity", "forms", "sync", "app", "cli"):
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"continuity/core.py": "import app.main\n"}, "continuity imports app.main"),
        ({"continuity/core.py": "from PySide6.QtCore import QObject\n"}, "forbidden: PySide6"),
        ({"continuity/core.py": "def f():\n    from sync import engine\n"}, "forbidden: sync"),
        ({"continuity/core.py": "import importlib\nimportlib.import_module('cli.main')\n"}, "cli.main"),
        ({"continuity/core.py": "import importlib\nm = 'x'\nimportlib.import_module(m)\n"}, "computed name"),
        ({"forms/census.py": "from cli.common import open_session\n"}, "forbidden: cli"),
        ({"sync/engine.py": "from app import controller\n"}, "forbidden: app"),
        ({"app/main.py": "import cli\n"}, "forbidden: cli"),
        ({"cli/patients.py": "from PySide6 import QtWidgets\n"}, "forbidden: PySide6"),
        ({"sync/engine.py": "from continuity.merge.apply import settle_bed\n"}, "internal continuity.merge"),
        ({"continuity/doctor.py": "from continuity.merge import apply\n"}, "internal continuity.merge"),
        ({"sync/context.py": "from continuity.store import Store\n"}, "internal continuity.store"),
        ({"forms/census.py": "def f(session):\n    return session.store.census()\n"}, "reaches the store"),
        ({"cli/it.py": "def f(s):\n    s.store.integrity_ok()\n"}, "reaches the store"),
        (
            {
                "continuity/a.py": "from continuity import b\n",
                "continuity/b.py": "def later():\n    from continuity.a import x\n",
            },
            "import cycle: continuity.a -> continuity.b -> continuity.a",
        ),
        (
            {
                "continuity/pkg/__init__.py": "from continuity.pkg.part import y\n",
                "continuity/pkg/part.py": "from . import helper\n",
                "continuity/pkg/helper.py": "from .. import pkg\n",
            },
            "import cycle",
        ),
    ],
)
def test_the_contract_fails_on_a_wrong_import(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    violations = check(_tree(tmp_path, files))
    assert any(expected in str(v) for v in violations), violations


def test_what_the_contract_allows(tmp_path: Path) -> None:
    files = {
        "continuity/core.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import main\n"
        ),
        "forms/census.py": "from continuity import core\n",
        "sync/engine.py": "from continuity.core import x\n",
        "app/main.py": "from forms import census\nfrom sync import engine\nimport PySide6\n",
        "cli/main.py": "from forms import census\nfrom sync import engine\n",
        "continuity/services/patients.py": "from continuity.merge.apply import settle_bed\n",
    }
    assert check(_tree(tmp_path, files)) == []
