"""Starting the application, and what an unexpected error shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import main as app_main


def test_app_starts_offscreen_on_a_new_demo_site(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "app", "--data", str(tmp_path / "demo"), "--demo", "--quit-after", "500"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-800:]
    assert (tmp_path / "demo" / "continuity.db").exists()
    assert "recovery key" in done.stdout


def test_unexpected_errors_show_only_their_type(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    app_main._install_excepthook()
    try:
        raise RuntimeError("LEFÈVRE Jeanne 9001000540")
    except RuntimeError as exc:
        sys.excepthook(RuntimeError, exc, exc.__traceback__)
    box = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "crashBox"
    )
    assert "RuntimeError" in box.text()
    assert "LEFÈVRE" not in box.text() and "9001000540" not in box.text()
    box.close()
