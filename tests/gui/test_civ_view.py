"""The identity-vigilance cell's view: queue, side-by-side comparison, merge and undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.civ_view import CivView
from app.controller import Controller
from app.dialogs import ConfirmBox
from app.main_window import MainWindow
from app.settings import Settings
from continuity.domain.movement import DischargeMode
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import CIV, CIV_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import unlock_window, wait_idle


@pytest.fixture
def window(qtbot: QtBot, controller: Controller, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _twins(workspace: Workspace) -> tuple[str, str]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("GAUTHIER", "Philippe"), bed_code="1A")
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        b = patients.admit(nurse, "CARDIO", identity=identity("GAUTIER", "Filipe"), not_a_duplicate="vu")
        return a.patient.id, b.patient.id


def _answer_text(qtbot: QtBot, win: MainWindow, name: str, text: str) -> None:
    qtbot.waitUntil(lambda: win.findChild(QInputDialog, name) is not None)
    dialog = win.findChild(QInputDialog, name)
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue(text)
    dialog.accept()


def _confirm(qtbot: QtBot, win: MainWindow, name: str) -> None:
    qtbot.waitUntil(lambda: win.findChild(ConfirmBox, name) is not None)
    box = win.findChild(ConfirmBox, name)
    assert isinstance(box, ConfirmBox)
    assert box.defaultButton() is box.cancel_button  # Enter does not merge by mistake
    box.confirm_button.click()


def test_the_civ_reviews_compares_merges_and_undoes(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    kept, merged = _twins(workspace)
    unlock_window(qtbot, window, CIV.username, CIV_PW)
    view = window.civ_view
    assert isinstance(view, CivView)
    assert window.tabs.currentWidget() is view  # the CIV starts on its queue
    assert window.ward is not None  # and reads patients (the census tab)
    qtbot.waitUntil(lambda: view.queue.rowCount() == 1)
    assert "GAUTHIER" in view.queue.data(view.queue.index(0, 1)) and "GAUTIER" in view.queue.data(
        view.queue.index(0, 1)
    )
    qtbot.waitUntil(lambda: view.compare.rowCount() > 0)
    first = view.compare.row_at(0)
    assert first is not None and first.strict and {first.left, first.right} == {"GAUTHIER", "GAUTIER"}
    item = view.selected_item()
    assert item is not None and set(item.patient_ids) == {kept, merged}
    kept, merged = item.patient_ids  # "keep A": the left one
    assert view.compare.data(view.compare.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    # keyboard: the tables are in the Tab order, the merge buttons have accelerators
    view.queue_table.setFocus()
    assert "&G" in view.keep_left.text() and "&B" in view.keep_right.text() and view.keep_left.isEnabled()
    view.keep_left.click()
    _answer_text(qtbot, window, "civMergeReason", "même personne, pièce d'identité vue")
    _confirm(qtbot, window, "civMergeConfirm")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "civMerged") is not None)
    wait_idle(qtbot, window.controller)
    qtbot.waitUntil(lambda: view.merges.rowCount() == 1 and view.queue.rowCount() == 0)
    session = window.controller.session
    assert session is not None
    record = session.store.patients.get_patient(merged)
    assert record is not None and record.merged_into == kept
    # undo it, from the merges page
    view.pages.setCurrentIndex(1)
    view.merges_table.selectRow(0)
    assert view.undo_button.isEnabled()
    view.undo_button.click()
    _answer_text(qtbot, window, "civUndoReason", "deux personnes")
    _confirm(qtbot, window, "civUndoConfirm")
    wait_idle(qtbot, window.controller)
    qtbot.waitUntil(lambda: view.queue.rowCount() == 1)
    record = session.store.patients.get_patient(merged)
    assert record is not None and record.merged_into is None
    # locking clears every name from the view
    window.controller.lock()
    qtbot.waitUntil(lambda: view.queue.rowCount() == 0 and view.compare.rowCount() == 0)


def test_the_crisis_cell_has_no_civ_view(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> None:
    unlock_window(qtbot, window, CRISIS.username, CRISIS_PW)
    assert window.civ_view is None
    assert all(window.tabs.tabText(i) != "Identitovigilance" for i in range(window.tabs.count()))


def test_the_civ_view_fits_small_screens(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> None:
    _twins(workspace)
    unlock_window(qtbot, window, CIV.username, CIV_PW)
    view = window.civ_view
    assert view is not None
    QApplication.processEvents()
    hint = view.minimumSizeHint()
    assert hint.width() <= 1000 and hint.height() <= 600, hint
