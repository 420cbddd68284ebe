"""Ctrl+L locks from an open form, and the form comes back to the same user only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.main_window import MainWindow
from app.settings import Settings
from continuity.session import Workspace
from tests.conftest import NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW
from tests.gui.conftest import type_text, unlock_window, wait_idle

TYPED = "Quirinalle"


@pytest.fixture
def window(qtbot: QtBot, controller: Controller, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.show()
    yield win


def _open_admission(qtbot: QtBot, window: MainWindow) -> AdmissionDialog:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()]
    assert found
    dialog = found[-1]
    wait_idle(qtbot, window.controller)
    return dialog


def _visible_texts() -> list[str]:
    return [
        e.text()
        for w in QApplication.topLevelWidgets()
        if w.isVisible()
        for e in w.findChildren(QLineEdit)
        if e.isVisible()
    ]


def test_ctrl_l_locks_from_the_admission_form_and_gives_it_back(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    dialog = _open_admission(qtbot, window)
    type_text(dialog.birth_name, TYPED)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.controller.is_unlocked
    assert window.stack.currentIndex() == 0 and not dialog.isVisible()
    assert TYPED not in " ".join(_visible_texts())
    # the keyboard goes to the unlock screen (the form had it)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.unlock_view.password, timeout=3000)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.birth_name.text() == TYPED
    # Ctrl+L from the main window still locks
    dialog.birth_name.clear()
    dialog.reject()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.controller.is_unlocked


def test_another_user_never_sees_the_form(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    dialog = _open_admission(qtbot, window)
    type_text(dialog.birth_name, TYPED)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.controller.is_unlocked
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.unlock_view.password, timeout=3000)
    unlock_window(qtbot, window, PNEUMO_NURSE.username, PNEUMO_PW)
    qtbot.wait(200)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # dropped with the first user's views
    assert not any(isinstance(w, AdmissionDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert TYPED not in " ".join(_visible_texts())
    assert not [w for w in QApplication.allWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    # the first nurse's form was dropped, not discarded: it is offered back to her only
    window.controller.lock()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.unlock_view.password, timeout=3000)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: window.drafts.question is not None, timeout=5000)
    assert window.drafts.question is not None
    qtbot.keyClick(window.drafts.question, Qt.Key.Key_Return)  # resume
    qtbot.waitUntil(
        lambda: any(isinstance(w, AdmissionDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=5000,
    )
    resumed = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()
    )
    assert isinstance(resumed, AdmissionDialog) and resumed.birth_name.text() == TYPED
