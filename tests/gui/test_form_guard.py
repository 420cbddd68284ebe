"""Nothing typed is lost by a stray Esc: a filled form asks before it is dropped, an empty one closes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.movement_dialogs import DischargeDialog, TransferDialog
from continuity.services import paper, patients
from continuity.session import Workspace
from tests.conftest import NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, wait_idle


def _shown(qtbot: QtBot, controller: Controller, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, controller)
    return dialog


def _question(dialog: QDialog) -> QMessageBox | None:
    boxes = [b for b in dialog.findChildren(QMessageBox, "discardQuestion") if b.isVisible()]
    return boxes[-1] if boxes else None


def _button(box: QMessageBox, text: str) -> QPushButton:
    found = [b for b in box.findChildren(QPushButton) if b.text() == text]
    assert found, [b.text() for b in box.findChildren(QPushButton)]
    return found[0]


def test_esc_on_an_empty_admission_form_closes_at_once(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _shown(qtbot, controller, AdmissionDialog(controller))
    assert isinstance(dialog, AdmissionDialog)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert _question(dialog) is None


def test_esc_on_a_filled_admission_form_asks_and_continuing_is_the_default(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _shown(qtbot, controller, AdmissionDialog(controller))
    assert isinstance(dialog, AdmissionDialog)
    type_text(dialog.birth_name, "Désirée")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)
    box = _question(dialog)
    assert box is not None and dialog.isVisible()
    assert box.text() == "Abandonner la saisie ?"
    keep, drop = _button(box, "Continuer la saisie"), _button(box, "Abandonner la saisie")
    assert box.defaultButton() is keep and box.escapeButton() is keep
    # Enter (or Esc again) answers "continue": the form stays as it was typed
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert _question(dialog) is None and dialog.isVisible()
    assert dialog.birth_name.text() == "Désirée"
    # the Cancel button asks the same, and "abandon" closes
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    box = _question(dialog)
    assert box is not None
    qtbot.mouseClick(_button(box, "Abandonner la saisie"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert drop is not None


def test_the_window_close_button_asks_too(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _shown(qtbot, controller, AdmissionDialog(controller))
    assert isinstance(dialog, AdmissionDialog)
    type_text(dialog.first_names, "Jeanne")
    dialog.close()  # what the title bar's close button does
    box = _question(dialog)
    assert box is not None and dialog.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc on the question: continue
    assert dialog.isVisible() and dialog.first_names.text() == "Jeanne"


def test_the_paper_entry_form_asks_too(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        number = paper.reserve_blank_forms(nurse, "CARDIO", 1)[0].number
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _shown(qtbot, controller, AdmissionDialog(controller, preset_uf="CARDIO", paper_number=number))
    assert isinstance(dialog, AdmissionDialog)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)
    assert not dialog.isVisible()  # the number alone is not typed text
    dialog = _shown(qtbot, controller, AdmissionDialog(controller, preset_uf="CARDIO", paper_number=number))
    assert isinstance(dialog, AdmissionDialog)
    type_text(dialog.admitted_at, "01/03/2026 10:15")
    qtbot.keyClick(dialog.admitted_at, Qt.Key.Key_Escape)
    assert _question(dialog) is not None and dialog.isVisible()


def test_the_discharge_form_asks_when_its_detail_is_typed(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    assert controller.session is not None
    summary = patients.search(controller.session, "lefevre")[0]
    transfer = _shown(qtbot, controller, TransferDialog(controller, summary))
    qtbot.keyClick(transfer, Qt.Key.Key_Escape)  # nothing typed in a transfer: it closes
    assert not transfer.isVisible()
    dialog = _shown(qtbot, controller, DischargeDialog(controller, summary))
    assert isinstance(dialog, DischargeDialog)
    qtbot.keyClick(dialog.detail, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    dialog = _shown(qtbot, controller, DischargeDialog(controller, summary))
    assert isinstance(dialog, DischargeDialog)
    type_text(dialog.detail, "SMR de Rouen")
    qtbot.keyClick(dialog.detail, Qt.Key.Key_Escape)
    box = _question(dialog)
    assert box is not None and dialog.isVisible()
    qtbot.mouseClick(_button(box, "Abandonner la saisie"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
