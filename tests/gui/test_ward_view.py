"""Ward view driven through its real widgets, offscreen, on a real encrypted store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.bed_board import TILE_ROLE
from app.controller import Controller
from app.duplicate_dialog import DuplicateDialog
from app.movement_dialogs import DischargeDialog, TransferDialog
from app.ward_view import WardView
from continuity.domain.movement import StayState
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, wait_idle


def _state(view: WardView, uf: str, bed: str) -> str | None:
    tile = view.board.tile(uf, bed)
    return tile.state if tile else None


def _click_bed(qtbot: QtBot, view: WardView, uf: str, bed: str) -> None:
    rect = view.board.bed_rect(uf, bed)
    assert rect.isValid(), (uf, bed)
    qtbot.mouseClick(view.board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _view(qtbot: QtBot, controller: Controller) -> WardView:
    view = WardView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    return view


def _type(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    type_text(widget, text)


def _key(qtbot: QtBot, key: Qt.Key) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key)


def _dialog(kind: type[QWidget]) -> QWidget:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no visible {kind.__name__}"
    return found[-1]


def _admit_by_keyboard(qtbot: QtBot, view: WardView, name: str, first: str, born: str) -> None:
    view.admit()
    dialog = _dialog(AdmissionDialog)
    assert isinstance(dialog, AdmissionDialog)
    qtbot.waitUntil(lambda: dialog.bed.count() > 0, timeout=5000)
    assert QApplication.focusWidget() is dialog.birth_name
    _type(qtbot, name)
    _key(qtbot, Qt.Key.Key_Tab)  # -> prénoms (the strict traits first, in RNIV's order)
    _type(qtbot, first)
    _key(qtbot, Qt.Key.Key_Tab)  # -> date de naissance
    _type(qtbot, born)
    _key(qtbot, Qt.Key.Key_Tab)  # -> sexe
    _key(qtbot, Qt.Key.Key_Down)  # F
    _key(qtbot, Qt.Key.Key_Return)  # Enter saves


def test_admit_with_the_keyboard_only(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    assert _state(view, "CARDIO", "1A") == "free"
    _admit_by_keyboard(qtbot, view, "Lefèvre", "Jeanne, Marie", "12/03/1950")
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeModalWidget(), QMessageBox)
            or any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())
        ),
        timeout=5000,
    )
    wait_idle(qtbot, controller)
    assert controller.session is not None
    found = patients.search(controller.session, "lefevre")
    assert len(found) == 1
    i = found[0].patient.identity
    assert (i.birth_name, i.first_names, i.birth_date, i.sex.value) == (
        "LEFÈVRE",
        ["JEANNE", "MARIE"],
        date(1950, 3, 12),
        "F",
    )
    assert found[0].stay is not None and found[0].stay.bed_code == "1A"
    qtbot.waitUntil(lambda: _state(view, "CARDIO", "1A") == "occupied")
    result = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "admissionResult"
    )
    assert found[0].patient.provisional_ipp in result.text()


def test_inline_validation_errors_write_nothing(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    view.admit()
    dialog = _dialog(AdmissionDialog)
    assert isinstance(dialog, AdmissionDialog)
    qtbot.keyClicks(dialog.birth_name, "Dupont3")
    qtbot.keyClicks(dialog.birth_date, "31/02/1970")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)

    def error(name: str) -> str:
        label = dialog.findChild(QLabel, f"{name}Error")
        assert label is not None
        return label.text()

    assert dialog.isVisible()
    assert error("birthDate") == "Le 31/02/1970 n'existe pas."
    assert "caractères non autorisés" in error("birthName")
    assert "au moins 1 valeur" in error("firstNames")
    dialog.birth_date.setText("01/02/1970")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)
    assert error("birthDate") == "" and "caractères non autorisés" in error("birthName")
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)  # a filled form asks first
    question = dialog.findChild(QMessageBox, "discardQuestion")
    assert question is not None and question.isVisible()
    discard = question.findChild(QPushButton, "discardButton")
    assert discard is not None
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert controller.session is not None
    assert controller.session.store.patients.count_patients() == 0


def test_duplicate_warning_then_confirm(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity("LEFÈVRE", "Jeanne"), bed_code="2B")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    _admit_by_keyboard(qtbot, view, "Lefevre", "Jeanne", "12/03/1950")
    qtbot.waitUntil(
        lambda: any(isinstance(w, DuplicateDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=5000,
    )
    dup = _dialog(DuplicateDialog)
    assert isinstance(dup, DuplicateDialog)
    listing = dup.findChild(QWidget, "duplicateList")
    assert listing is not None and "LEFÈVRE Jeanne" in listing.item(0).text()  # type: ignore[attr-defined]
    assert controller.session is not None
    assert controller.session.store.patients.count_patients() == 1  # nothing created yet
    qtbot.mouseClick(dup.new_identity, Qt.MouseButton.LeftButton)
    type_text(dup.reason, "autre patient : pièce d'identité vue")
    qtbot.mouseClick(dup.create_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    qtbot.waitUntil(
        lambda: controller.session is not None and controller.session.store.patients.count_patients() == 2,
        timeout=5000,
    )


def test_search_by_name_and_by_scanned_id(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity("LEFÈVRE", "Jeanne"), bed_code="1A")
        patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul", sex="M"), bed_code="1B")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    assert view.model.rowCount() == 2
    qtbot.keyClicks(view.search, "lefe")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=3000)
    assert view.model.row_at(0).patient.identity.birth_name == "LEFÈVRE"  # type: ignore[union-attr]
    view.search.clear()
    qtbot.keyClicks(view.search, a.patient.provisional_ipp)  # what a scanner types...
    qtbot.keyClick(view.search, Qt.Key.Key_Return)  # ...then Enter
    qtbot.waitUntil(lambda: view.current is not None, timeout=3000)
    assert view.current is not None and view.current.patient.id == a.patient.id
    assert a.patient.provisional_ipp in view.detail.text()
    # a scan with a wrong check digit is an error (inline), not a silent empty list
    view.search.clear()
    bad = a.patient.provisional_ipp[:-1] + str((int(a.patient.provisional_ipp[-1]) + 1) % 10)
    qtbot.keyClicks(view.search, bad)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(view.search_error.isVisible, timeout=3000)


def test_transfer_and_discharge(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    _click_bed(qtbot, view, "CARDIO", "1A")
    assert view.current is not None and view.current.patient.id == a.patient.id
    qtbot.mouseClick(view.buttons["transferButton"], Qt.MouseButton.LeftButton)
    dialog = _dialog(TransferDialog)
    assert isinstance(dialog, TransferDialog)
    qtbot.waitUntil(lambda: dialog.bed.findData("2A") >= 0, timeout=3000)
    bed_combo = dialog.findChild(QComboBox, "bed")
    assert bed_combo is not None
    bed_combo.setCurrentIndex(bed_combo.findData("2A"))
    ok = dialog.findChild(QPushButton, "okButton")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _state(view, "CARDIO", "2A") == "occupied", timeout=3000)
    assert _state(view, "CARDIO", "1A") == "free"
    # discharge
    qtbot.waitUntil(
        lambda: (
            view.current is not None and view.current.stay is not None and view.current.stay.bed_code == "2A"
        ),
        timeout=3000,
    )
    qtbot.mouseClick(view.buttons["dischargeButton"], Qt.MouseButton.LeftButton)
    dd = _dialog(DischargeDialog)
    assert isinstance(dd, DischargeDialog)
    qtbot.keyClicks(dd.detail, "SMR de Rouen")
    qtbot.keyClick(dd.detail, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _state(view, "CARDIO", "2A") == "free", timeout=3000)
    assert controller.session is not None
    stay = controller.session.store.stays.get_stay(a.stay.id)
    assert stay is not None and stay.state is StayState.DISCHARGED


def test_crisis_cell_cannot_admit(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(CRISIS.username, CRISIS_PW)
    view = _view(qtbot, controller)
    assert not view.buttons["admitButton"].isEnabled()
    view.admit()
    assert not any(isinstance(w, AdmissionDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert [t.uf_code for t in view.board.board_model.tiles() if t.bed is None][:2] == ["CARDIO", "PNEUMO"]


def test_auto_lock_clears_the_screen(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    controller.locked.connect(view.forget)
    assert view.model.rowCount() == 1
    controller.set_idle_msecs(300)
    qtbot.keyClick(view.search, Qt.Key.Key_A)  # activity restarts the idle timer
    qtbot.waitUntil(lambda: not controller.is_unlocked, timeout=5000)
    assert view.model.rowCount() == 0 and view.board.board_model.rowCount() == 0


def test_dropping_a_patient_on_a_free_bed_opens_a_preset_transfer(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    from app.bed_board import MIME

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    board = view.board
    drop_ok = Qt.ItemFlag.ItemIsDropEnabled
    assert board.board_model.flags(board.board_model.index_of("CARDIO", "2B")) & drop_ok
    assert not board.board_model.flags(board.board_model.index_of("CARDIO", "1A")) & drop_ok
    source = board.board_model.mimeData([board.board_model.index_of("CARDIO", "1A")])
    assert bytes(source.data(MIME).data()) == b"CARDIO\t1A"
    # a drop on an occupied bed is refused and opens nothing
    assert not board.board_model.canDropMimeData(
        source, Qt.DropAction.CopyAction, -1, -1, board.board_model.index_of("CARDIO", "1A")
    )
    mime = QMimeData()
    mime.setData(MIME, b"CARDIO\t1A")
    at = QPointF(board.bed_rect("CARDIO", "2B").center())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    for event in (
        QDragEnterEvent(at.toPoint(), *args),
        QDragMoveEvent(at.toPoint(), *args),
        QDropEvent(at, *args),
    ):
        QApplication.sendEvent(board.viewport(), event)
    dialog = _dialog(TransferDialog)
    assert isinstance(dialog, TransferDialog)
    qtbot.waitUntil(lambda: dialog.bed.currentData() == "2B", timeout=3000)
    ok = dialog.findChild(QPushButton, "okButton")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _state(view, "CARDIO", "2B") == "occupied", timeout=3000)


def test_bed_board_by_keyboard(qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]) -> None:
    """Arrows move between beds (UF headers are skipped); Enter on a free bed opens the admission."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    board = view.board
    board.setFocus()
    board.setCurrentIndex(board.board_model.index_of("CARDIO", "1A"))
    qtbot.keyClick(board, Qt.Key.Key_Return)
    assert view.current is not None and view.current.patient.id == a.patient.id
    qtbot.keyClick(board, Qt.Key.Key_Right)
    current = board.currentIndex().data(TILE_ROLE)
    assert current.bed is not None and current.bed.bed_code == "1B"
    qtbot.keyClick(board, Qt.Key.Key_Space)
    dialog = _dialog(AdmissionDialog)
    assert isinstance(dialog, AdmissionDialog)
    qtbot.waitUntil(lambda: dialog.bed.currentData() == "1B", timeout=3000)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)
    # selecting a patient in the list shows their bed on the board
    view.table.setCurrentIndex(view.model.index(-1, -1))
    assert board.currentIndex().data(TILE_ROLE).bed.bed_code == "1B"
    view.table.selectRow(0)
    assert board.currentIndex() == board.board_model.index_of("CARDIO", "1A")


def test_census_refresh_updates_only_changed_tiles(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    view = _view(qtbot, controller)
    model = view.board.board_model
    resets: list[int] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1B")
    view.reload()
    wait_idle(qtbot, controller)
    # the bed and its UF's header (the occupancy count) changed; nothing else was redrawn
    assert resets == [] and sorted(changed) == [
        model.index_of("CARDIO", "").row(),
        model.index_of("CARDIO", "1B").row(),
    ]
    assert _state(view, "CARDIO", "1B") == "occupied"
