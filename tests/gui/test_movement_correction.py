"""Correcting a past movement from the ward view: the dialog names the patient, the service decides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.movement_dialogs import CorrectMovementDialog
from app.ward_view import WardView
from continuity.services import corrections, patients
from continuity.session import Workspace
from tests.conftest import NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, wait_idle


def test_a_transfer_into_the_wrong_bed_is_corrected_from_the_keyboard(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A", at=now - timedelta(hours=5))
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A", at=now - timedelta(hours=3))
    controller = unlock(NURSE.username, NURSE_PW)
    view = WardView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    view.show_patient(a.patient.id)
    qtbot.waitUntil(lambda: view.current is not None and view.current.stay is not None, timeout=3000)
    view.correct_movement()
    found = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CorrectMovementDialog) and w.isVisible()
    ]
    assert found
    dialog = found[-1]
    assert "LEFÈVRE" in dialog.windowTitle()  # the patient is named, as in the other actions
    qtbot.waitUntil(lambda: dialog.bed.findData("2B") >= 0, timeout=3000)
    assert dialog.movement.currentData() is not None  # the latest movement by default: the transfer
    assert dialog.bed.currentData() == "2A"
    dialog.bed.setFocus()
    dialog.bed.setCurrentIndex(dialog.bed.findData("2B"))
    dialog.reason.setFocus()
    type_text(dialog.reason, "mauvais lit")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter corrects
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot, controller)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        stay = nurse.store.stays.get_stay(a.stay.id)
        assert stay is not None and stay.bed_code == "2B"
        moved = corrections.movements_in_effect(nurse, a.stay.id)[-1]
        assert (moved.bed_code, moved.at) == ("2B", now - timedelta(hours=3))
