"""GUI fixtures: a real Controller on a real encrypted workspace, driven offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from app.controller import Controller
from continuity.session import Workspace

if TYPE_CHECKING:
    from app.main_window import MainWindow

UNLOCK_TIMEOUT = 15_000  # a key derivation, on a machine shared with other test runs


@pytest.fixture
def controller(workspace: Workspace, qtbot: QtBot) -> Iterator[Controller]:
    ctl = Controller(workspace, idle_minutes=5)
    yield ctl
    ctl.shutdown()


def unlock_controller(qtbot: QtBot, controller: Controller, user: str, password: str) -> Controller:
    """Unlock ``controller`` as ``user`` and wait for it (the one way tests unlock a controller)."""
    errors: list[Exception] = []
    controller.unlock(user, password, errors.append)
    qtbot.waitUntil(lambda: controller.is_unlocked or bool(errors), timeout=UNLOCK_TIMEOUT)
    assert not errors, errors
    return controller


@pytest.fixture
def unlock(controller: Controller, qtbot: QtBot) -> Callable[[str, str], Controller]:
    def do(user: str, password: str) -> Controller:
        return unlock_controller(qtbot, controller, user, password)

    return do


def unlock_window(qtbot: QtBot, win: MainWindow, user: str, password: str) -> None:
    """Unlock the main window from the keyboard, as a user does, and wait until its views loaded."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    view = win.unlock_view
    view.username.clear()
    qtbot.keyClicks(view.username, user)
    qtbot.keyClick(view.username, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is view.password
    qtbot.keyClicks(view.password, password)
    qtbot.keyClick(view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentIndex() == 1, timeout=UNLOCK_TIMEOUT)
    wait_idle(qtbot, win.controller)


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
