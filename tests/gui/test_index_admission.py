"""The admission dialog searches the local patients and the HIS identity index; choosing an
index identity admits the patient under the HIS's IPP; the duplicate warning offers it too."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.duplicate_dialog import DuplicateDialog
from app.index_import_dialog import IndexImportDialog, IndexSource
from app.main_window import MainWindow
from app.settings import Settings
from app.ward_view import WardView
from continuity.domain.his_index import IndexEntry, IndexHeader, IndexOutcome
from continuity.domain.movement import DischargeMode
from continuity.domain.records import Source
from continuity.services import patients
from continuity.services.patients import Admission
from continuity.session import Workspace
from sync.his_index_files import read_index
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, unlock_controller, wait_idle
from tests.index_files import index_people, write_index
from tests.test_index_admission import fill, qualified


def _prepare(workspace: Workspace) -> str:
    """An index of two identities; a local patient MARTINEAU, discharged. Its id."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        fill(nurse, [("H1001", qualified()), ("H1002", identity("MARTIN", "Paul", date(1961, 7, 1), "M"))])
        a = patients.admit(nurse, "CARDIO", identity=identity("MARTINEAU", "Luc", date(1955, 2, 2), "M"))
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        return a.patient.id


def _dialog(qtbot: QtBot, controller: Controller) -> tuple[AdmissionDialog, list[Admission]]:
    dialog = AdmissionDialog(controller)
    qtbot.addWidget(dialog)
    done: list[Admission] = []
    dialog.admitted.connect(done.append)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.bed.count() > 1, timeout=5000)
    return dialog, done


def test_the_admission_search_lists_index_hits_and_admits_one_by_keyboard(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    local_id = _prepare(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    dialog, done = _dialog(qtbot, controller)
    assert dialog.focusWidget() is dialog.birth_name  # the form as before
    assert not dialog.known_list.isVisible()
    dialog.known_search.setFocus()
    type_text(dialog.known_search, "mart")
    qtbot.waitUntil(lambda: dialog.known_list.count() == 2, timeout=5000)
    assert dialog.known_list.isVisible()
    rows = [dialog.known_list.item(r).text() for r in range(2)]
    assert "MARTINEAU" in rows[0] and "Index DPI" not in rows[0]
    assert "« Index DPI »" in rows[1] and "IPP H1002" in rows[1] and "provisoire" in rows[1]
    assert dialog.known_list.currentRow() == 0
    qtbot.keyClick(dialog.known_search, Qt.Key.Key_Down)  # arrows move in the results...
    assert dialog.known_list.currentRow() == 1
    assert QApplication.focusWidget() is dialog.known_search  # ...the typing goes on
    qtbot.keyClick(dialog.known_search, Qt.Key.Key_Return)  # Enter admits the one chosen
    qtbot.waitUntil(lambda: bool(done) or dialog.error.isVisible(), timeout=5000)
    assert done, dialog.error.text()
    p = done[0].patient
    assert (p.source, p.ipp, p.from_index) == (Source.HIS, "H1002", True)
    assert done[0].stay.bed_code == dialog.bed.currentData()
    # a local result is readmitted, as the duplicate warning's "use existing" does
    dialog, done = _dialog(qtbot, controller)
    type_text(dialog.known_search, "martineau")
    qtbot.waitUntil(lambda: dialog.known_list.count() == 1, timeout=5000)
    qtbot.keyClick(dialog.known_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(done) or dialog.error.isVisible(), timeout=5000)
    assert done and done[0].patient.id == local_id


def test_the_duplicate_warning_offers_the_his_identity(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    _prepare(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    dialog, done = _dialog(qtbot, controller)
    type_text(dialog.birth_name, "Lefevre")
    type_text(dialog.first_names, "Jeanne")
    type_text(dialog.birth_date, "12/03/1950")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)

    def warning() -> DuplicateDialog | None:
        found = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, DuplicateDialog) and w.isVisible()
        ]
        return found[-1] if found else None

    qtbot.waitUntil(lambda: warning() is not None, timeout=5000)
    dup = warning()
    assert dup is not None
    (row,) = [dup.listing.item(r).text() for r in range(dup.listing.count())]
    assert "« Index DPI »" in row and "IPP H1001" in row and "qualifiée" in row
    assert dup.use.text() == "Admettre sous l'identité du DPI"
    qtbot.keyClick(dup.listing, Qt.Key.Key_Return)  # one key: the HIS identity
    qtbot.waitUntil(lambda: bool(done) or dialog.error.isVisible(), timeout=5000)
    assert done, dialog.error.text()
    p = done[0].patient
    assert (p.source, p.ipp, p.from_index, p.identity) == (Source.HIS, "H1001", True, qualified())
    assert controller.session is not None
    assert controller.session.store.patients.count_patients() == 2  # MARTINEAU and her: no new identity


def test_the_patient_panel_says_from_the_his_index(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        fill(nurse, [("H1001", qualified())])
        a = patients.admit(nurse, "CARDIO", index_ipp="H1001", bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    view = WardView(controller)
    qtbot.addWidget(view)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    view.select(patients.get_patients(controller.session, [a.patient.id])[0])  # type: ignore[arg-type]
    assert "issu de l'index du DPI" in view.detail.text() and "H1001" in view.detail.text()
    assert "instantané" not in view.detail.text()


# --------------------------------------------------------------------------- index import
def _entries(n: int, pause: threading.Event | None = None) -> Iterator[IndexEntry]:
    for k in range(n):
        if pause is not None and k == n // 2:
            pause.wait(10)  # the test presses Cancel meanwhile
        yield IndexEntry(ipp=f"H{k:06d}", identity=identity("MARTIN", "Paul", date(1960, 1, 1 + k % 28), "M"))


def _source(n: int, pause: threading.Event | None = None) -> IndexSource:
    header = IndexHeader(format="csv", taken_at=datetime(2026, 11, 30, tzinfo=UTC), extraction="X9", count=n)
    return lambda _session: (header, _entries(n, pause), "9" * 64)


def test_the_index_import_shows_its_progress_and_what_it_did(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(CRISIS.username, CRISIS_PW)
    dialog = IndexImportDialog(controller, _source(3000), batch=500)
    qtbot.addWidget(dialog)
    seen: list[str] = []
    dialog.progressed.connect(lambda p: seen.append(dialog.progress_label.text()))
    dialog.start()
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert any("/ 3000" in t and "/s" in t for t in seen), seen  # count, rate...
    assert any("reste" in t for t in seen), seen  # ...and time left
    assert dialog.report is not None and dialog.report.total == 3000
    assert dialog.report.summary()[0] in dialog.progress_label.text()
    assert dialog.cancel_button.text() == "Fermer"
    assert controller.session is not None and controller.session.store.his_index.count() == 3000


def test_the_index_import_can_be_cancelled_leaving_the_index_as_it_was(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(CRISIS.username, CRISIS_PW)
    pause = threading.Event()
    dialog = IndexImportDialog(controller, _source(3000, pause), batch=500)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: "/ 3000" in dialog.progress_label.text(), timeout=20_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    pause.set()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.report is not None and dialog.report.outcome is IndexOutcome.CANCELLED
    assert "annulé" in dialog.progress_label.text()
    assert controller.session is not None and controller.session.store.his_index.count() == 0


# --------------------------------------------------------------------------- ward search
def test_the_ward_search_lists_index_hits_after_the_patients_here(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    _prepare(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    view = WardView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    view.search.setFocus()
    type_text(view.search, "mart")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    model = view.model
    assert model.row_at(0) is not None and model.hit_at(0) is None  # MARTINEAU, here
    hit = model.hit_at(1)
    assert model.row_at(1) is None and hit is not None and hit.ipp == "H1002"
    assert model.index(1, 0).data() == "MARTIN" and model.index(1, 5).data() == "« Index DPI »"
    assert model.index(1, 7).data() == "H1002 (DPI)" and model.index(1, 8).data() == "provisoire"
    view.table.selectRow(1)
    assert "index du DPI" in view.detail.text() and "H1002" in view.detail.text()
    assert view.current is None  # no patient here: no movement applies
    view.table.activated.emit(model.index(1, 0))  # Enter or a double click: admit them
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()]
    dialog = shown[-1]
    assert isinstance(dialog, AdmissionDialog)
    done: list[Admission] = []
    dialog.admitted.connect(done.append)
    qtbot.waitUntil(lambda: dialog.known_list.count() == 1 and dialog.bed.count() > 1, timeout=5000)
    assert dialog.known_search.text() == "H1002" and QApplication.focusWidget() is dialog.known_search
    qtbot.keyClick(dialog.known_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done[0].patient.ipp == "H1002" and done[0].patient.from_index


# --------------------------------------------------------------------------- the action
def test_it_and_crisis_users_import_the_index_from_the_exchange_view(
    qtbot: QtBot, tmp_path: Path, provisioned: tuple[Workspace, str]
) -> None:
    """The real file reader (``sync.his_index_files.read_index``) behind the main window's
    action and the exchange view's button."""
    people = index_people(3000)
    index_file = write_index(tmp_path / "index.csv", people, "F1")
    controller = Controller(provisioned[0], idle_minutes=5)
    window = MainWindow(controller, Settings.load(provisioned[0].folder))
    qtbot.addWidget(window)
    window.show()
    try:
        unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)  # the window follows
        wait_idle(qtbot, controller)
        view = window.exchange_view
        assert view is not None and view.index_reader is read_index
        window.tabs.setCurrentWidget(view)
        wait_idle(qtbot, controller)
        assert window.import_index_action.isVisible() and not view.import_index_button.isHidden()
        assert "Aucun index" in view.index_label.text()
        dialog = view.import_index(index_file)
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
        assert dialog.report is not None and dialog.report.total == 3000
        qtbot.waitUntil(lambda: "3000 identités" in view.index_label.text(), timeout=5000)
        assert "F1" in view.index_label.text()
        found = patients.search_index(controller.session, people[0].ipp)  # type: ignore[arg-type]
        assert [h.ipp for h in found] == [people[0].ipp]
    finally:
        controller.shutdown()
        window.close()


def test_ward_staff_have_no_index_import(qtbot: QtBot, provisioned: tuple[Workspace, str]) -> None:
    controller = Controller(provisioned[0], idle_minutes=5)
    window = MainWindow(controller, Settings.load(provisioned[0].folder))
    qtbot.addWidget(window)
    window.show()
    try:
        unlock_controller(qtbot, controller, NURSE.username, NURSE_PW)
        wait_idle(qtbot, controller)
        assert not window.import_index_action.isVisible()
        assert window.exchange_view is not None and window.exchange_view.import_index_button.isHidden()
    finally:
        controller.shutdown()
        window.close()


def test_admitting_an_index_identity_like_one_made_here_asks_first(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    """Review of issue 17: the HIS's identity resembling a provisional one made here (MARTIN
    Paul, admitted before the index came) is not admitted silently; going on says why."""
    _prepare(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        made = patients.admit(
            nurse,
            "CARDIO",
            identity=identity("MARTIN", "Paul", date(1961, 7, 1), "M"),
            not_a_duplicate="test",
        )
        patients.discharge(nurse, made.stay.id, DischargeMode.HOME)
    controller = unlock(NURSE.username, NURSE_PW)
    dialog, done = _dialog(qtbot, controller)
    dialog.known_search.setFocus()
    type_text(dialog.known_search, "H1002")
    qtbot.waitUntil(lambda: dialog.known_list.count() == 1, timeout=5000)
    qtbot.keyClick(dialog.known_search, Qt.Key.Key_Return)

    def warning() -> DuplicateDialog | None:
        found = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, DuplicateDialog) and w.isVisible()
        ]
        return found[-1] if found else None

    qtbot.waitUntil(lambda: warning() is not None, timeout=5000)
    dup = warning()
    assert dup is not None and not done
    assert "admettre l'identité du DPI" in dup.new_identity.text()
    dup.new_identity.click()
    type_text(dup.reason, "homonyme vérifié")
    dup.create_button.click()
    qtbot.waitUntil(lambda: bool(done) or dialog.error.isVisible(), timeout=5000)
    assert done, dialog.error.text()
    assert (done[0].patient.ipp, done[0].patient.from_index) == ("H1002", True)


def test_locking_stops_a_running_index_import(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    """Review of issue 17: the idle lock waited for the whole import (minutes at 2 million
    identities) with the window frozen; it now stops the import at its next batch."""
    import time

    controller = unlock(CRISIS.username, CRISIS_PW)
    header = IndexHeader(
        format="csv", taken_at=datetime(2026, 11, 30, tzinfo=UTC), extraction="XL", count=20_000
    )

    def entries() -> Iterator[IndexEntry]:
        for k in range(20_000):
            if k % 500 == 0:
                time.sleep(0.05)  # a long import: the user waits, touching nothing
            yield IndexEntry(
                ipp=f"L{k:06d}", identity=identity("MARTIN", "Paul", date(1960, 1, 1 + k % 28), "M")
            )

    dialog = IndexImportDialog(controller, lambda _s: (header, entries(), "8" * 64), batch=500)
    qtbot.addWidget(dialog)
    marks: dict[str, float] = {}
    controller.locking.connect(lambda: marks.setdefault("locking", time.monotonic()))
    controller.locked.connect(lambda: marks.setdefault("locked", time.monotonic()))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.bar.maximum() > 0, timeout=10_000)  # batches are being written
    controller.lock()
    assert marks["locked"] - marks["locking"] < 1.5
    assert dialog.report is None or dialog.report.outcome is IndexOutcome.CANCELLED
