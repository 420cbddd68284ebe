"""The ward's safety faults (issue 14): one current patient, no duplicate by Enter, undo.

Each test drives the real widgets offscreen on a real encrypted store, and was
written against the code before the fix, where it failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.bed_board import TILE_ROLE
from app.controller import Controller
from app.duplicate_dialog import DuplicateDialog
from app.movement_dialogs import DischargeDialog, TransferDialog
from app.ward_view import WardView
from continuity.domain.movement import DischargeMode, StayState
from continuity.services import patients, undo
from continuity.session import Workspace
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, Clock, identity
from tests.gui.conftest import type_text, wait_idle


def _view(qtbot: QtBot, controller: Controller) -> WardView:
    view = WardView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    return view


def _visible(kind: type[QWidget], name: str | None = None) -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, kind) and w.isVisible() and (name is None or w.objectName() == name)
    ]


def _wait_dialog(qtbot: QtBot, kind: type[QWidget], name: str | None = None) -> QWidget:
    qtbot.waitUntil(lambda: bool(_visible(kind, name)), timeout=5000)
    return _visible(kind, name)[-1]


def _listed_ids(view: WardView) -> list[str]:
    rows = view.table.selectionModel().selectedRows()
    return [view.model.row_at(i.row()).patient.id for i in rows]  # type: ignore[union-attr]


def _board_patient(view: WardView) -> str | None:
    tile = view.board.currentIndex().data(TILE_ROLE)
    if tile is None or not view.board.selectionModel().isSelected(view.board.currentIndex()):
        return None
    occupant = tile.occupant
    return occupant.patient.id if occupant else None


def _press_and_nudge(qtbot: QtBot, view: WardView, uf: str, bed: str) -> None:
    """Press on a tile and move a little before releasing: less than a drag, more than nothing."""
    viewport = view.board.viewport()
    centre = view.board.bed_rect(uf, bed).center()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(viewport, centre + QPoint(3, 2))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=centre + QPoint(3, 2))


def _two_patients(workspace: Workspace) -> tuple[patients.Admission, patients.Admission]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("LEFÈVRE", "Jeanne"), bed_code="1A")
        b = patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul", sex="M"), bed_code="1B")
    return a, b


# --------------------------------------------------------------------------- one current patient
def test_a_scan_then_a_nudged_tile_leave_one_current_patient_everywhere(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, b = _two_patients(workspace)
    view = _view(qtbot, unlock(NURSE.username, NURSE_PW))
    qtbot.keyClicks(view.search, a.patient.provisional_ipp)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.current is not None and view.current.patient.id == a.patient.id)
    assert _listed_ids(view) == [a.patient.id] and _board_patient(view) == a.patient.id
    _press_and_nudge(qtbot, view, "CARDIO", "1B")
    # the board's frame moved: so did the current patient, and the list highlights nobody else
    assert view.current is not None and view.current.patient.id == b.patient.id
    assert _board_patient(view) == b.patient.id
    assert _listed_ids(view) in ([], [b.patient.id])
    assert "MARTIN" in view.detail.text()
    view.discharge()
    dialog = _wait_dialog(qtbot, DischargeDialog)
    assert "MARTIN Paul" in dialog.windowTitle() and "1B" in dialog.windowTitle()
    assert "12/03/1950" in dialog.windowTitle()


def test_a_plain_click_on_a_tile_moves_the_list_too(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, b = _two_patients(workspace)
    view = _view(qtbot, unlock(NURSE.username, NURSE_PW))
    qtbot.keyClicks(view.search, "lefe")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.table.selectRow(0)
    assert _listed_ids(view) == [a.patient.id]
    rect = view.board.bed_rect("CARDIO", "1B")
    qtbot.mouseClick(view.board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current is not None and view.current.patient.id == b.patient.id
    assert _listed_ids(view) == []  # MARTIN is not in the results: nobody else stays highlighted


def test_every_action_names_the_patient_before_it_is_made(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    _a, b = _two_patients(workspace)
    view = _view(qtbot, unlock(NURSE.username, NURSE_PW))
    view.table.selectRow(view.model.row_of(b.patient.id))
    who = ("MARTIN Paul", "12/03/1950", "CARDIO/1B")
    view.transfer()
    transfer = _wait_dialog(qtbot, TransferDialog)
    assert all(w in transfer.windowTitle() for w in who), transfer.windowTitle()
    transfer.close()
    view.leave()
    box = _wait_dialog(qtbot, QMessageBox, "confirmBox")
    assert isinstance(box, QMessageBox)
    assert all(w in box.windowTitle() + box.text() for w in who), box.text()
    confirm = box.defaultButton()
    assert confirm is not None and confirm.text() == "Confirmer l'absence"
    box.reject()


# --------------------------------------------------------------------------- duplicates
def _admit_similar(qtbot: QtBot, view: WardView) -> DuplicateDialog:
    view.admit()
    dialog = _wait_dialog(qtbot, AdmissionDialog)
    assert isinstance(dialog, AdmissionDialog)
    qtbot.waitUntil(lambda: dialog.bed.count() > 0, timeout=5000)
    dialog.birth_name.setText("Lefevre")
    dialog.first_names.setText("Jeanne")
    dialog.birth_date.setText("12/03/1950")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    dup = _wait_dialog(qtbot, DuplicateDialog)
    assert isinstance(dup, DuplicateDialog)
    return dup


def test_enter_twice_on_the_duplicate_warning_opens_the_patient_in_a_bed(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, _b = _two_patients(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    dup = _admit_similar(qtbot, view)
    qtbot.keyClick(QApplication.focusWidget() or dup, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget() or view, Qt.Key.Key_Return)
    wait_idle(qtbot, controller)
    assert controller.session is not None
    assert controller.session.store.patients.count_patients() == 2  # nobody created
    assert not _visible(AdmissionDialog) and not _visible(DuplicateDialog)
    assert view.current is not None and view.current.patient.id == a.patient.id
    header = next(t for t in view.board.board_model.tiles() if t.bed is None and t.uf_code == "CARDIO")
    assert "2/4" in header.title


def test_enter_on_the_duplicate_warning_readmits_the_patient_who_had_left(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, _b = _two_patients(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    dup = _admit_similar(qtbot, view)
    qtbot.keyClick(QApplication.focusWidget() or dup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not _visible(AdmissionDialog), timeout=5000)
    wait_idle(qtbot, controller)
    session = controller.session
    assert session is not None
    assert session.store.patients.count_patients() == 2
    again = undo.last_stay_of(session, a.patient.id).stay
    assert again is not None and again.state is StayState.PRESENT and again.id != a.stay.id


def test_a_new_identity_beside_a_duplicate_needs_a_reason_that_is_audited(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, _b = _two_patients(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    dup = _admit_similar(qtbot, view)
    assert not dup.create_button.isDefault() and not dup.create_button.autoDefault()
    qtbot.mouseClick(dup.new_identity, Qt.MouseButton.LeftButton)
    assert dup.reason.isVisible() and not dup.create_button.isEnabled()
    type_text(dup.reason, "homonyme : autre adresse, pièce d'identité vue")
    qtbot.keyClick(dup.reason, Qt.Key.Key_Return)  # Enter still creates nothing
    assert controller.session is not None and controller.session.store.patients.count_patients() == 2
    assert dup.create_button.isEnabled()
    qtbot.mouseClick(dup.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.session is not None and controller.session.store.patients.count_patients() == 3
    )
    session = controller.session
    assert session is not None
    created = [
        json.loads(r.payload) for r in session.store.audit.audit_rows() if r.action == "patient.create"
    ][-1]
    assert created["not_a_duplicate"]["candidates"] == [a.patient.id]
    assert created["not_a_duplicate"]["reason"].startswith("homonyme")


# --------------------------------------------------------------------------- undo
def _confirm(qtbot: QtBot, name: str = "confirmBox") -> QMessageBox:
    box = _wait_dialog(qtbot, QMessageBox, name)
    assert isinstance(box, QMessageBox)
    return box


def test_a_discharge_is_undone_where_it_was_made(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, _b = _two_patients(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    view.table.selectRow(view.model.row_of(a.patient.id))
    view.discharge()
    dialog = _wait_dialog(qtbot, DischargeDialog)
    ok = dialog.findChild(QPushButton, "okButton")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.board.tile("CARDIO", "1A").state == "free")  # type: ignore[union-attr]
    wait_idle(qtbot, controller)
    # the discharged patient is still the current one, and the undo is on offer
    assert view.current is not None and view.current.patient.id == a.patient.id
    assert view.buttons["cancelButton"].isEnabled()
    view.cancel_last()
    box = _confirm(qtbot)
    assert "sortie" in box.text() and "LEFÈVRE Jeanne" in box.text()
    box.defaultButton().click()
    qtbot.waitUntil(lambda: view.board.tile("CARDIO", "1A").state == "occupied")  # type: ignore[union-attr]
    session = controller.session
    assert session is not None
    stay = session.store.stays.get_stay(a.stay.id)
    assert stay is not None and (stay.state, stay.bed_code) == (StayState.PRESENT, "1A")
    assert session.store.outbox.outbox_events()[-1]["kind"] == "cancel_discharge"


def test_an_admission_is_undone_from_the_admitted_box(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    view.admit()
    dialog = _wait_dialog(qtbot, AdmissionDialog)
    assert isinstance(dialog, AdmissionDialog)
    qtbot.waitUntil(lambda: dialog.bed.count() > 1, timeout=5000)
    dialog.birth_name.setText("Durand")
    dialog.first_names.setText("Alice")
    dialog.birth_date.setText("02/04/1961")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    result = _confirm(qtbot, "admissionResult")
    result.accept()
    wait_idle(qtbot, controller)
    assert view.current is not None and view.current.patient.identity.birth_name == "DURAND"
    view.cancel_last()
    box = _confirm(qtbot)
    assert "admission" in box.text() and "DURAND Alice" in box.text()
    box.defaultButton().click()
    wait_idle(qtbot, controller)
    session = controller.session
    assert session is not None
    assert session.store.outbox.outbox_events()[-1]["kind"] == "cancel_admission"


def test_undoing_a_discharge_whose_bed_was_taken_asks_for_a_bed(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, _b = _two_patients(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        patients.admit(nurse, "CARDIO", identity=identity("PETIT", "Luc", sex="M"), bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    view.show_patient(a.patient.id)
    qtbot.waitUntil(lambda: view.current is not None and view.current.patient.id == a.patient.id)
    view.cancel_last()
    _confirm(qtbot).defaultButton().click()
    chooser = _wait_dialog(qtbot, QWidget, "reopenBedDialog")
    assert "1A" in chooser.findChild(QWidget, "reopenBedText").text()  # type: ignore[union-attr]
    chooser.choose("2A")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: view.board.tile("CARDIO", "2A").state == "occupied")  # type: ignore[union-attr]


# --------------------------------------------------------------------------- scans, full ward
def test_a_mistyped_scan_is_an_inline_error_and_the_next_scan_replaces_it(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    a, _b = _two_patients(workspace)
    view = _view(qtbot, unlock(NURSE.username, NURSE_PW))
    ipp = a.patient.provisional_ipp
    bad = ipp[:-1] + str((int(ipp[-1]) + 1) % 10)
    qtbot.keyClicks(view.search, bad)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.search_error.isVisible(), timeout=3000)
    assert not _visible(QMessageBox)
    assert view.search.hasFocus() and view.search.selectedText() == bad
    assert " / " not in view.search_error.text()  # the interface's language only
    qtbot.keyClicks(view.search, ipp)  # the next scan types over the selected text
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.current is not None and view.current.patient.id == a.patient.id)
    assert view.search.text() == ipp and not view.search_error.isVisible()


def test_a_full_ward_says_so_and_bedless_patients_have_their_strip(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        for name, bed in zip(
            ("BERNARD", "DUBOIS", "MOREAU", "LAURENT"), ("1A", "1B", "2A", "2B"), strict=True
        ):
            patients.admit(nurse, "CARDIO", identity=identity(name, "Jean"), bed_code=bed)
        waiting = patients.admit(nurse, "CARDIO", identity=identity("COULOIR", "Marc", sex="M"))
    view = _view(qtbot, unlock(NURSE.username, NURSE_PW))
    strip = [t for t in view.board.board_model.tiles() if t.state == "bedless"]
    assert [t.occupant.patient.id for t in strip if t.occupant] == [waiting.patient.id]
    header = next(t for t in view.board.board_model.tiles() if t.bed is None and t.uf_code == "CARDIO")
    assert "4/4" in header.title and "sans lit : 1" in header.title
    view.admit()
    dialog = _wait_dialog(qtbot, AdmissionDialog)
    assert isinstance(dialog, AdmissionDialog)
    qtbot.waitUntil(lambda: dialog.full_note.isVisible(), timeout=5000)
    assert "complète" in dialog.full_note.text() and "sans lit" in dialog.full_note.text()
    assert dialog.bed.count() == 1 and dialog.bed.currentData() == ""


def test_after_the_undo_window_the_crisis_cell_undoes_from_its_census(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller], clock: Clock
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        patients.transfer(nurse, a.stay.id, "CARDIO", "2B")
    clock.advance(hours=25)
    controller = unlock(CRISIS.username, CRISIS_PW)
    view = _view(qtbot, controller)
    assert not view.buttons["transferButton"].isVisible()  # the census stays read-only...
    view.table.selectRow(view.model.row_of(a.patient.id))
    assert view.buttons["cancelButton"].isVisible() and view.buttons["cancelButton"].isEnabled()
    view.cancel_last()  # ...except for a late undo, which only the crisis cell may do
    _confirm(qtbot).defaultButton().click()
    qtbot.waitUntil(lambda: view.board.tile("CARDIO", "1A").state == "occupied")  # type: ignore[union-attr]


def test_enter_in_a_field_of_the_transfer_dialog_transfers(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    """Enter anywhere in the form presses its default button (« Muter »), as it says; it did
    nothing once the bed list had the keyboard (the default was set before the button
    box was in its dialog, so the dialog never knew it)."""
    a, _b = _two_patients(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    view.table.selectRow(view.model.row_of(a.patient.id))
    view.transfer()
    dialog = _wait_dialog(qtbot, TransferDialog)
    assert isinstance(dialog, TransferDialog)
    qtbot.waitUntil(lambda: dialog.bed.findData("2A") >= 0, timeout=3000)
    dialog.bed.setFocus()
    dialog.bed.setCurrentIndex(dialog.bed.findData("2A"))
    qtbot.keyClick(dialog.bed, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.board.tile("CARDIO", "2A").state == "occupied", timeout=5000)  # type: ignore[union-attr]


def test_a_discharge_of_a_scanned_patient_is_undone_too(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    """With the scanned number still in the search box, the search run again after the
    discharge found the patient without their stay, which replaced the current patient:
    Ctrl+Z then did nothing."""
    a, _b = _two_patients(workspace)
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    qtbot.keyClicks(view.search, a.patient.provisional_ipp)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.current is not None and view.current.patient.id == a.patient.id)
    view.discharge()
    dialog = _wait_dialog(qtbot, DischargeDialog)
    ok = dialog.findChild(QPushButton, "okButton")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.board.tile("CARDIO", "1A").state == "free")  # type: ignore[union-attr]
    wait_idle(qtbot, controller)
    assert view.current is not None and view.current.stay is not None
    assert view.current.stay.state is StayState.DISCHARGED
    assert view.buttons["cancelButton"].isEnabled()
    assert _listed_ids(view) == [a.patient.id]  # still the one row of the scan, highlighted
