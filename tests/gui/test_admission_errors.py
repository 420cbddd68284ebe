"""Errors of the admission form: all at once, each under its field, highlighted; nothing moves."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from continuity.services import paper
from continuity.session import Workspace
from tests.conftest import NURSE, NURSE_PW
from tests.gui.conftest import type_text, wait_idle

INPUTS = (
    "birthName",
    "usedName",
    "firstNames",
    "usedFirstName",
    "birthDate",
    "sex",
    "estimatedYear",
    "birthPlace",
    "ins",
    "identityStatus",
    "uf",
    "bed",
    "reason",
)


def _dialog(qtbot: QtBot, controller: Controller, **kw: object) -> AdmissionDialog:
    dialog = AdmissionDialog(controller, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: dialog.bed.count() > 0, timeout=5000)
    return dialog


def _error(dialog: AdmissionDialog, name: str) -> str:
    label = dialog.findChild(QLabel, f"{name}Error")
    assert label is not None, f"no error line for {name}"
    return label.toolTip() or label.text()


def _invalid(dialog: AdmissionDialog, name: str) -> bool:
    widget = dialog.findChild(QWidget, name)
    assert widget is not None
    return bool(widget.property("invalid"))


def _geometry(dialog: AdmissionDialog, names: tuple[str, ...]) -> dict[str, QRect]:
    found = {}
    for name in (*names, "saveButton"):
        widget = dialog.findChild(QWidget, name)
        assert widget is not None, name
        found[name] = QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())
    return found


def test_every_error_at_once_each_under_its_field(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller)
    type_text(dialog.birth_name, "Dupont3")
    type_text(dialog.birth_date, "31/02/1970")
    type_text(dialog.ins, "123")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "caractères non autorisés" in _error(dialog, "birthName")
    assert "au moins 1 valeur" in _error(dialog, "firstNames")
    assert _error(dialog, "birthDate").startswith("Le 31/02/1970 n'existe pas")
    assert "champ obligatoire" in _error(dialog, "sex")
    assert "matricule INS invalide" in _error(dialog, "ins")
    for name in ("birthName", "firstNames", "birthDate", "sex", "ins"):
        assert _invalid(dialog, name), name
    for name in ("usedName", "usedFirstName", "birthPlace", "identityStatus"):
        assert not _invalid(dialog, name) and _error(dialog, name) == "", name
    assert controller.session is not None
    assert controller.session.store.patients.count_patients() == 0
    # the focus goes to the first field to correct; correcting it clears its error
    assert dialog.focusWidget() is dialog.birth_name
    dialog.birth_name.setText("Dupont")
    assert not _invalid(dialog, "birthName") and _error(dialog, "birthName") == ""
    assert _invalid(dialog, "birthDate")  # the others stay until corrected


def test_the_form_does_not_move_when_errors_appear(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller)
    qtbot.wait(50)
    before = _geometry(dialog, INPUTS)
    size = dialog.size()
    type_text(dialog.birth_name, "Dupont3 avec un nom beaucoup trop long pour tenir")
    type_text(dialog.used_name, "4")
    type_text(dialog.used_first_name, "5")
    type_text(dialog.birth_date, "31/02/1970")
    type_text(dialog.birth_place, "7")
    type_text(dialog.ins, "123")
    dialog.status.setCurrentIndex(dialog.status.count() - 1)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert all(_invalid(dialog, n) for n in ("birthName", "usedName", "birthDate", "birthPlace", "ins"))
    assert _geometry(dialog, INPUTS) == before
    assert dialog.size() == size
    for widget in (
        dialog.birth_name,
        dialog.used_name,
        dialog.used_first_name,
        dialog.birth_place,
        dialog.ins,
    ):
        widget.clear()
    qtbot.wait(50)
    assert _geometry(dialog, INPUTS) == before


def test_the_paper_form_s_admission_time_has_its_own_error(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        number = paper.reserve_blank_forms(nurse, "CARDIO", 1)[0].number
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller, preset_uf="CARDIO", paper_number=number)
    before = _geometry(dialog, (*INPUTS, "admittedAt"))
    type_text(dialog.birth_name, "Dupont")
    type_text(dialog.first_names, "Jean")
    type_text(dialog.birth_date, "01/02/1970")
    dialog.sex.setCurrentIndex(dialog.sex.findData("M"))
    type_text(dialog.admitted_at, "30/02/2026 10:15")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    assert _error(dialog, "admittedAt").startswith("Le 30/02/2026 n'existe pas")
    assert _invalid(dialog, "admittedAt") and not _invalid(dialog, "birthDate")
    assert _geometry(dialog, (*INPUTS, "admittedAt")) == before
    assert dialog.focusWidget() is dialog.admitted_at
