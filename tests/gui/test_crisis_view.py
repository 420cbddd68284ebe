"""The crisis-cell view driven through its real widgets, on a real encrypted store."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.crisis_view import STATUS_COLOURS, CrisisView
from continuity.domain.crisis import DegradedStatus, LogCategory
from continuity.domain.movement import DischargeMode
from continuity.services import crisis as crisis_service
from continuity.services import patients as patient_service
from continuity.session import Workspace
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, Clock, identity
from tests.gui.conftest import type_text, unlock_controller

# ``controller`` (tests/gui/conftest.py) is a real Controller on the ``workspace`` fixture;
# its teardown calls ``controller.shutdown()``, which locks it whatever the test did.


def _open_view(qtbot: QtBot, controller: Controller) -> CrisisView:
    view = CrisisView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    _reload(qtbot, view)
    return view


def _reload(qtbot: QtBot, view: CrisisView) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.reload()


W = TypeVar("W", bound=QWidget)


def _find(view: CrisisView, kind: type[W], name: str) -> W:
    widget = view.findChild(kind, name)
    assert isinstance(widget, kind), name
    return widget


def _cells(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [
        [str(model.data(model.index(r, c))) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _error_texts(view: CrisisView) -> list[str]:
    return [box.text() for box in view.findChildren(QMessageBox, "errorBox") if box.isVisible()]


def _click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _choose(qtbot: QtBot, combo: QComboBox, keys: str, expected: str) -> None:
    """Pick an item by typing its first letters, as a keyboard user does."""
    qtbot.wait(QApplication.keyboardInputInterval() + 20)  # a new search, not a continuation
    qtbot.keyClicks(combo, keys)
    assert combo.currentText() == expected


def _text(view: CrisisView, name: str) -> str:
    return _find(view, QLabel, name).text()


def test_crisis_cell_changes_a_service_status(
    qtbot: QtBot, controller: Controller, workspace: Workspace, clock: Clock
) -> None:
    unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)
    view = _open_view(qtbot, controller)
    table = _find(view, QTableView, "statusTable")
    combo = _find(view, QComboBox, "statusCombo")
    note = _find(view, QLineEdit, "statusNote")
    apply = _find(view, QPushButton, "applyStatusButton")
    assert [row[:2] for row in _cells(table)] == [
        ["CARDIO — Cardiologie", "normal"],
        ["PNEUMO — Pneumologie", "normal"],
        ["LABO — Laboratoire", "normal"],
    ]
    assert combo.isEnabled() and not apply.isEnabled()  # nothing selected yet
    assert "Aucun service" in _text(view, "indicatorSince")

    _click_row(qtbot, table, 2)
    assert apply.isEnabled()
    _choose(qtbot, combo, "mode", "mode dégradé")
    type_text(note, "SIL arrêté")
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)

    local = clock().astimezone().strftime("%d/%m %H:%M")
    qtbot.waitUntil(
        lambda: _cells(table)[2] == ["LABO — Laboratoire", "mode dégradé", "crise", local, "SIL arrêté"]
    )
    status_index = table.model().index(2, 1)
    assert (
        table.model().data(status_index, Qt.ItemDataRole.BackgroundRole).color().name()
        == (STATUS_COLOURS[DegradedStatus.DEGRADED][0])
    )
    qtbot.waitUntil(lambda: "Panne déclarée le " + local in _text(view, "indicatorSince"))
    assert note.text() == ""
    # The change is in the main courante, written by the service (who, from what to what, note).
    log = _find(view, QTableView, "logTable")
    qtbot.waitUntil(lambda: len(_cells(log)) == 1)
    assert _cells(log)[0] == [
        local,
        "crise@WS-A",  # the author and the workstation where it was written
        "décision",
        "LABO",
        "Statut du service LABO : normal → mode dégradé. Note : SIL arrêté",
    ]
    with workspace.unlock(CRISIS.username, CRISIS_PW) as other:
        labo = next(s for s in crisis_service.service_statuses(other) if s.code == "LABO")
    assert (labo.status, labo.changed_by, labo.note, labo.changed_at) == (
        DegradedStatus.DEGRADED,
        "crise",
        "SIL arrêté",
        clock(),
    )

    # The selection survives the reload; applying the same status again is refused, shown.
    assert table.selectionModel().selectedRows()[0].row() == 2
    assert combo.currentText() == "mode dégradé"
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_error_texts(view)))
    assert "déjà" in _error_texts(view)[0]


def test_main_courante_entries_from_the_keyboard_and_filters(
    qtbot: QtBot, controller: Controller, workspace: Workspace, clock: Clock
) -> None:
    unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)
    view = _open_view(qtbot, controller)
    log = _find(view, QTableView, "logTable")
    entry = _find(view, QLineEdit, "logInput")
    category = _find(view, QComboBox, "logCategoryCombo")
    service = _find(view, QComboBox, "logServiceCombo")
    assert log.model().rowCount() == 0

    def add(
        text: str,
        category_choice: tuple[str, str] | None = None,
        service_choice: tuple[str, str] | None = None,
    ) -> None:
        count = log.model().rowCount()
        if category_choice:
            _choose(qtbot, category, *category_choice)
        if service_choice:
            _choose(qtbot, service, *service_choice)
        type_text(entry, text)
        qtbot.keyClick(entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: log.model().rowCount() == count + 1)

    add("Déclenchement du plan blanc", category_choice=("d", "décision"))
    clock.advance(minutes=5)
    add("Bascule en procédure papier", service_choice=("CA", "CARDIO"))
    clock.advance(minutes=5)
    add("Imprimantes hors service", category_choice=("al", "alerte"))
    assert entry.text() == "" and category.currentText() == "information"
    assert service.currentText() == "(tous services)"
    qtbot.keyClick(entry, Qt.Key.Key_Return)  # an empty line adds nothing
    qtbot.wait(50)

    local = clock().astimezone().strftime("%d/%m %H:%M")
    rows = _cells(log)
    assert rows[0] == [local, "crise@WS-A", "alerte", "", "Imprimantes hors service"]
    assert rows[1][2:] == ["information", "CARDIO", "Bascule en procédure papier"]
    assert rows[2][2:] == ["décision", "", "Déclenchement du plan blanc"]
    with workspace.unlock(CRISIS.username, CRISIS_PW) as other:
        stored = crisis_service.log_entries(other)
    assert [(e.text, e.category, e.service_code) for e in stored] == [
        ("Imprimantes hors service", LogCategory.ALERT, None),
        ("Bascule en procédure papier", LogCategory.INFO, "CARDIO"),
        ("Déclenchement du plan blanc", LogCategory.DECISION, None),
    ]

    # An entry written on another workstation of the cell, with accents.
    with workspace.unlock(CRISIS.username, CRISIS_PW) as other:
        crisis_service.add_log_entry(other, "Réunion de la cellule à 14 h", LogCategory.INFO)
    _reload(qtbot, view)
    assert log.model().rowCount() == 4
    text_filter = _find(view, QLineEdit, "logFilter")
    qtbot.keyClicks(text_filter, "REUNION cellule")  # every word; accents and case ignored
    assert [r[4] for r in _cells(log)] == ["Réunion de la cellule à 14 h"]
    text_filter.clear()
    qtbot.keyClicks(text_filter, "cardio")  # the service column is searched too
    assert [r[4] for r in _cells(log)] == ["Bascule en procédure papier"]
    text_filter.clear()
    category_filter = _find(view, QComboBox, "logCategoryFilter")
    _choose(qtbot, category_filter, "al", "alerte")
    assert [r[4] for r in _cells(log)] == ["Imprimantes hors service"]
    qtbot.keyClicks(text_filter, "declenchement")  # accents do not matter either
    assert _cells(log) == []  # not an alert
    _choose(qtbot, category_filter, "t", "toutes")
    assert [r[4] for r in _cells(log)] == ["Déclenchement du plan blanc"]
    text_filter.clear()
    assert log.model().rowCount() == 4
    assert _error_texts(view) == []


def test_indicators_follow_admissions_and_the_outage(
    qtbot: QtBot, controller: Controller, workspace: Workspace, clock: Clock
) -> None:
    unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)
    view = _open_view(qtbot, controller)
    assert _text(view, "indicatorAdmissions") == "0"
    assert _text(view, "indicatorPendingSync") == "0"
    assert _text(view, "indicatorOccupancy") == "0 / 7"
    assert _text(view, "indicatorSnapshot") == "aucun"

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        first = patient_service.admit(
            nurse, "CARDIO", identity=identity("MARTIN"), bed_code="1A", at=clock() - timedelta(hours=2)
        )
        patient_service.admit(
            nurse, "CARDIO", identity=identity("DURAND"), bed_code="1B", not_a_duplicate="autre patient"
        )
        patient_service.admit(
            nurse, "CARDIO", identity=identity("PETIT"), not_a_duplicate="autre patient"
        )  # waiting without a bed
        clock.advance(minutes=10)
        patient_service.discharge(nurse, first.stay.id, DischargeMode.HOME)
    _reload(qtbot, view)
    assert _text(view, "indicatorAdmissions") == "3"
    assert _text(view, "indicatorDischarges") == "1"
    assert _text(view, "indicatorOccupancy") == "1 / 7"  # the bedless patient takes no bed
    assert _text(view, "indicatorProvisional") == "2"
    assert _text(view, "indicatorPendingSync") == "4"
    assert "24 h" in _text(view, "indicatorSince")
    hours_series = view.admissions_chart.chart().series()[0]
    assert isinstance(hours_series, QBarSeries)
    hours = hours_series.barSets()[0]
    assert sum(hours.at(i) for i in range(hours.count())) == 3
    occupancy_series = view.occupancy_chart.chart().series()[0]
    assert isinstance(occupancy_series, QHorizontalBarSeries)
    occupancy = occupancy_series.barSets()
    # Horizontal bars are listed bottom-up: PNEUMO then CARDIO.
    assert [occupancy[0].at(i) for i in range(2)] == [0, 1]  # beds: the bedless patient is counted apart
    assert [occupancy[1].at(i) for i in range(2)] == [3, 4]

    # The outage begins; only later admissions count. A HIS snapshot was taken earlier.
    clock.advance(minutes=5)
    outage = clock()
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        crisis_service.set_status(cell, "CARDIO", DegradedStatus.DEGRADED)
        with cell.store.transaction():
            cell.store.set_meta("last_snapshot_at", (outage - timedelta(hours=2)).isoformat())
    clock.advance(minutes=30)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patient_service.admit(
            nurse, "CARDIO", identity=identity("LEROY"), bed_code="2A", not_a_duplicate="autre patient"
        )
    _reload(qtbot, view)
    assert _text(view, "indicatorAdmissions") == "1"
    assert _text(view, "indicatorDischarges") == "0"
    since = _text(view, "indicatorSince")
    assert outage.astimezone().strftime("%d/%m %H:%M") in since and "il y a 30 min" in since
    assert _text(view, "indicatorSnapshot") == "2 h 30"
    assert _text(view, "indicatorOccupancy") == "2 / 7"  # DURAND and LEROY in beds; PETIT waits without one


def test_the_identity_vigilance_queue_is_counted_on_the_dashboard(
    qtbot: QtBot, controller: Controller, workspace: Workspace
) -> None:
    unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)
    view = _open_view(qtbot, controller)
    assert "identitovigilance : 0 à revoir" in _text(view, "indicatorProvisionalCaption")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        for name in ("DUPOND", "DUPONT"):  # heard alike, same birth date: a possible duplicate
            patient_service.admit(nurse, "CARDIO", identity=identity(name), not_a_duplicate="à revoir")
    _reload(qtbot, view)
    caption = _text(view, "indicatorProvisionalCaption")
    assert "identitovigilance : 1 à revoir (1 doublon(s) possible(s))" in caption


def test_ward_staff_read_but_cannot_change_statuses_or_write(
    qtbot: QtBot, controller: Controller, workspace: Workspace
) -> None:
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        crisis_service.set_status(cell, "PNEUMO", DegradedStatus.DEGRADED, "DPI arrêté")
        crisis_service.add_log_entry(cell, "Plan blanc déclenché", LogCategory.DECISION)
    unlock_controller(qtbot, controller, NURSE.username, NURSE_PW)
    view = _open_view(qtbot, controller)
    table = _find(view, QTableView, "statusTable")
    assert _cells(table)[1][:2] == ["PNEUMO — Pneumologie", "mode dégradé"]
    assert [r[4] for r in _cells(_find(view, QTableView, "logTable"))] == [
        "Plan blanc déclenché",
        "Statut du service PNEUMO : normal → mode dégradé. Note : DPI arrêté",
    ]

    _click_row(qtbot, table, 0)
    combo = _find(view, QComboBox, "statusCombo")
    apply = _find(view, QPushButton, "applyStatusButton")
    assert not combo.isEnabled() and not apply.isEnabled()
    assert _find(view, QLabel, "statusPermissionHint").isVisible()
    qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)
    for name in ("logInput", "addLogButton", "logCategoryCombo"):
        assert not _find(view, QWidget, name).isEnabled()
    # they write for their UF from the Crise menu; they read the instructions, not send them
    assert "Ctrl+J" in _find(view, QLineEdit, "logInput").placeholderText()
    view.lower_tabs.setCurrentIndex(1)
    for name in ("instructionInput", "sendInstructionButton", "allUfsCheck"):
        assert not _find(view, QWidget, name).isEnabled()
    assert _find(view, QLabel, "instructionPermissionHint").isVisible()
    view.lower_tabs.setCurrentIndex(0)
    qtbot.wait(50)
    with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
        assert crisis_service.service_statuses(cell)[0].status is DegradedStatus.NORMAL
    # Ward staff read patients, so they get the figures, for their own UF's census.
    assert _text(view, "indicatorOccupancy") == "0 / 4"
    assert _error_texts(view) == []


def test_it_admin_gets_no_patient_figures(qtbot: QtBot, controller: Controller) -> None:
    unlock_controller(qtbot, controller, ADMIN.username, ADMIN_PW)
    view = _open_view(qtbot, controller)
    assert len(_cells(_find(view, QTableView, "statusTable"))) == 3
    assert "non disponibles" in _text(view, "indicatorSince")
    assert _text(view, "indicatorAdmissions") == "–"
    assert not _find(view, QPushButton, "applyStatusButton").isEnabled()


def test_locking_clears_the_view(qtbot: QtBot, controller: Controller) -> None:
    unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)
    view = _open_view(qtbot, controller)
    assert _find(view, QTableView, "statusTable").model().rowCount() == 3
    controller.lock()
    assert _find(view, QTableView, "statusTable").model().rowCount() == 0
    assert _text(view, "indicatorAdmissions") == "–"
    view.reload()  # locked: nothing is fetched
    assert not view.is_loaded
    assert not _find(view, QLineEdit, "logInput").isEnabled()
