"""GUI fixtures: a real Controller on a real encrypted workspace, driven offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.controller import Controller
from continuity.session import Workspace


@pytest.fixture
def controller(workspace: Workspace, qtbot: QtBot) -> Iterator[Controller]:
    ctl = Controller(workspace, idle_minutes=5)
    yield ctl
    ctl.shutdown()


@pytest.fixture
def unlock(controller: Controller, qtbot: QtBot) -> Callable[[str, str], Controller]:
    def do(user: str, password: str) -> Controller:
        errors: list[Exception] = []
        controller.unlock(user, password, errors.append)
        qtbot.waitUntil(lambda: controller.is_unlocked or bool(errors), timeout=10_000)
        assert not errors, errors
        return controller

    return do


def wait_idle(qtbot: QtBot, controller: Controller) -> None:
    """Wait until the store worker has finished everything queued, and its results arrived."""
    qtbot.waitUntil(lambda: not controller.executor.busy, timeout=10_000)


def type_text(widget: object, text: str) -> None:
    """Type any text, accents included, as key events (QTest only types ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
