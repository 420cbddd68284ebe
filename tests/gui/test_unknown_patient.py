"""Two unknown patients admitted through the admission dialog are told apart on screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.ward_view import WardView
from continuity.services.patients import Admission
from tests.conftest import NURSE, NURSE_PW
from tests.gui.conftest import wait_idle


def _admit_unknown(qtbot: QtBot, controller: Controller, sex: str, year: int) -> Admission:
    dialog = AdmissionDialog(controller)
    qtbot.addWidget(dialog)
    done: list[Admission] = []
    dialog.admitted.connect(done.append)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.bed.count() > 0, timeout=5000)
    dialog.unknown.setChecked(True)
    dialog.sex.setCurrentIndex(dialog.sex.findData(sex))
    dialog.estimated_year.setValue(year)
    qtbot.keyClick(dialog.estimated_year, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: bool(done) or dialog.error.isVisible(), timeout=5000)
    assert done, dialog.error.text()
    return done[0]


def test_two_unknown_patients_have_distinct_names_on_screen(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    # the same traits twice: two distinct patients, and no duplicate warning in between
    first = _admit_unknown(qtbot, controller, "M", 1970)
    second = _admit_unknown(qtbot, controller, "M", 1970)
    assert first.patient.id != second.patient.id
    assert first.patient.identity.placeholder and second.patient.identity.placeholder
    view = WardView(controller)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    names = {
        view.model.row_at(r).patient.id: view.model.index(r, 0).data()  # type: ignore[union-attr]
        for r in range(view.model.rowCount())
    }
    assert names == {first.patient.id: "INCONNU ALPHA UN", second.patient.id: "INCONNU ALPHA DEUX"}
    identity_column = view.model.columnCount() - 1
    assert {view.model.index(r, identity_column).data() for r in range(2)} == {"IDENTITÉ D'ATTENTE"}
