"""Administration view driven through its real widgets, offscreen, on a real encrypted store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.admin_view import AddUserDialog, AdminView, ResetPasswordDialog, UsersModel
from app.controller import Controller
from continuity.domain.users import Role
from continuity.errors import AuthenticationFailed
from continuity.services import admin
from continuity.session import Workspace
from tests.conftest import ADMIN, ADMIN_PW, CIV, CRISIS, CRISIS_PW, NURSE, NURSE_PW, PNEUMO_NURSE
from tests.gui.conftest import unlock_controller

TIMEOUT = 10_000


def _unlocked(qtbot: QtBot, workspace: Workspace, user: str, password: str) -> Iterator[Controller]:
    controller = Controller(workspace, idle_minutes=5)
    try:
        yield unlock_controller(qtbot, controller, user, password)
    finally:
        controller.shutdown()


@pytest.fixture
def it_controller(qtbot: QtBot, workspace: Workspace) -> Iterator[Controller]:
    yield from _unlocked(qtbot, workspace, ADMIN.username, ADMIN_PW)


def _wait_idle(qtbot: QtBot, controller: Controller) -> None:
    qtbot.waitUntil(lambda: not controller.executor.busy, timeout=TIMEOUT)


def _view(qtbot: QtBot, controller: Controller) -> AdminView:
    view = AdminView(controller)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    view.reload()
    _wait_idle(qtbot, controller)
    return view


@pytest.fixture
def view(qtbot: QtBot, it_controller: Controller) -> AdminView:
    return _view(qtbot, it_controller)


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(qtbot: QtBot, text: str) -> None:
    QTest.keyClicks(_focus(), text)


def _key(qtbot: QtBot, key: Qt.Key) -> None:
    QTest.keyClick(_focus(), key)


def _tab_to(qtbot: QtBot, object_name: str) -> None:
    _key(qtbot, Qt.Key.Key_Tab)
    assert _focus().objectName() == object_name


def _rows(view: AdminView) -> dict[str, list[str]]:
    model = view.users_model
    return {
        model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    }


def _click_row(qtbot: QtBot, view: AdminView, username: str) -> None:
    row = view.users_model.row_of(username)
    assert row >= 0
    table = view.users_table
    rect = table.visualRect(view.users_model.index(row, UsersModel.USERNAME))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = view.selected_user()
    assert selected is not None and selected.username == username


def _open_add_dialog_by_keyboard(qtbot: QtBot, view: AdminView) -> AddUserDialog:
    view.add_button.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    dialog = view.dialog
    assert isinstance(dialog, AddUserDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username_edit, timeout=TIMEOUT)
    return dialog


# ------------------------------------------------------------------------------ tests
def test_lists_users_and_workstation_info(view: AdminView) -> None:
    rows = _rows(view)
    assert sorted(rows) == sorted(
        [ADMIN.username, CRISIS.username, NURSE.username, PNEUMO_NURSE.username, CIV.username]
    )
    assert rows[CIV.username][2] == "cellule d'identitovigilance"
    assert rows[NURSE.username] == ["ide", "IDE cardio", "soignant d'unité", "CARDIO", "oui"]
    assert rows[ADMIN.username][2:] == ["administrateur informatique", "—", "oui"]
    headers = [
        view.users_model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(view.users_model.columnCount())
    ]
    assert headers == ["Identifiant", "Nom", "Rôle", "UF", "Actif"]
    info = view.findChild(QWidget, "workstationInfo")
    assert info is not None and info.isVisible()
    texts = {label.objectName(): label.text() for label in view._info.values()}
    assert texts["info_site"] == "CH de test (TEST-CH)"
    assert texts["info_workstation"] == "Poste A (WS-A)"
    assert texts["info_block"] == "100000 à 100999"
    assert texts["info_remaining"].replace("\u202f", " ").replace("\xa0", " ") == "1 000"
    assert texts["info_users"] == "actifs : 5 ; désactivés : 0"  # the template's five users
    assert texts["info_sqlcipher"].startswith("4.")
    # nothing selected yet: only "add" and "backup" are available
    assert view.add_button.isEnabled() and view.backup_button.isEnabled()
    assert not view.reset_button.isEnabled() and not view.remove_button.isEnabled()


def test_add_user_with_the_keyboard_only(
    qtbot: QtBot, view: AdminView, it_controller: Controller, workspace: Workspace
) -> None:
    dialog = _open_add_dialog_by_keyboard(qtbot, view)
    assert [dialog.role_combo.itemText(i) for i in range(dialog.role_combo.count())] == [
        "soignant d'unité",
        "cellule de crise",
        "cellule d'identitovigilance",
        "administrateur informatique",
    ]
    _type(qtbot, "interne.2")
    _tab_to(qtbot, "displayNameEdit")
    _type(qtbot, "Interne de garde")
    _tab_to(qtbot, "roleCombo")  # soignant d'unité is the default
    _tab_to(qtbot, "uf_CARDIO")
    _tab_to(qtbot, "uf_PNEUMO")
    _key(qtbot, Qt.Key.Key_Space)  # tick PNEUMO
    _tab_to(qtbot, "passwordEdit")
    _type(qtbot, "interne-2-password")
    _tab_to(qtbot, "confirmEdit")
    _type(qtbot, "interne-2-password")
    _key(qtbot, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    _wait_idle(qtbot, it_controller)
    assert _rows(view)["interne.2"] == ["interne.2", "Interne de garde", "soignant d'unité", "PNEUMO", "oui"]
    with workspace.unlock("interne.2", "interne-2-password") as session:
        assert session.user.role is Role.WARD_STAFF and session.user.ufs == ("PNEUMO",)


def test_add_user_dialog_shows_the_services_errors_inline(
    qtbot: QtBot, view: AdminView, it_controller: Controller, workspace: Workspace
) -> None:
    dialog = _open_add_dialog_by_keyboard(qtbot, view)
    error = dialog.findChild(QWidget, "errorLabel")
    assert error is not None and not error.isVisible()

    def save_and_read_error() -> str:
        _key(qtbot, Qt.Key.Key_Return)
        _wait_idle(qtbot, it_controller)
        qtbot.waitUntil(dialog.error_label.isVisible, timeout=TIMEOUT)
        assert dialog.isVisible()
        return dialog.error_label.text()

    _type(qtbot, "interne.4")
    for _ in range(5):  # name, role, CARDIO, PNEUMO, password
        _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "interne-4-password")
    _tab_to(qtbot, "confirmEdit")
    _type(qtbot, "interne-4-passwort")
    assert "ne sont pas identiques" in save_and_read_error()
    assert _focus() is dialog.confirm_edit  # the mismatched field, text selected
    _type(qtbot, "interne-4-password")
    shown = save_and_read_error()
    assert "exige au moins une UF" in shown  # ward staff without UF
    assert "requires" not in shown and " / " not in shown  # French only
    dialog.password_edit.setFocus()
    dialog.password_edit.selectAll()
    _type(qtbot, "court")
    dialog.confirm_edit.setFocus()
    dialog.confirm_edit.selectAll()
    _type(qtbot, "court")
    dialog.uf_checks["CARDIO"].setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    assert "trop court" in save_and_read_error()
    for edit in (dialog.password_edit, dialog.confirm_edit):
        edit.setFocus()
        edit.selectAll()
        _type(qtbot, "Soleil2026!")
    shown = save_and_read_error()
    assert "trop courant" in shown and "too common" not in shown  # the reason, in French only
    dialog.username_edit.setFocus()
    dialog.username_edit.selectAll()
    _type(qtbot, "ide")  # already taken
    for edit in (dialog.password_edit, dialog.confirm_edit):
        edit.setFocus()
        edit.selectAll()
        _type(qtbot, "interne-4-password")
    assert "existe déjà" in save_and_read_error()
    _key(qtbot, Qt.Key.Key_Escape)  # Esc cancels
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    _wait_idle(qtbot, it_controller)
    assert "interne.4" not in _rows(view)
    with pytest.raises(AuthenticationFailed):
        workspace.unlock("interne.4", "interne-4-password")


def test_reset_a_password(
    qtbot: QtBot, view: AdminView, it_controller: Controller, workspace: Workspace
) -> None:
    _click_row(qtbot, view, NURSE.username)
    assert view.reset_button.isEnabled()
    QTest.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password_edit, timeout=TIMEOUT)
    _type(qtbot, "nouveau-mdp-ide")
    _tab_to(qtbot, "confirmEdit")
    _type(qtbot, "nouveau-mdp-ide")
    _key(qtbot, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    _wait_idle(qtbot, it_controller)
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(NURSE.username, NURSE_PW)
    with workspace.unlock(NURSE.username, "nouveau-mdp-ide") as session:
        assert session.user.username == NURSE.username
    # the selection survives the reload that followed the change
    selected = view.selected_user()
    assert selected is not None and selected.username == NURSE.username


def test_disable_a_user_after_confirmation(
    qtbot: QtBot, view: AdminView, it_controller: Controller, workspace: Workspace
) -> None:
    _click_row(qtbot, view, PNEUMO_NURSE.username)
    QTest.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    box = view.confirm_box
    assert box is not None and box.objectName() == "confirmRemoveBox"
    qtbot.waitUntil(box.isVisible, timeout=TIMEOUT)
    assert PNEUMO_NURSE.username in box.text()
    # Cancel first: nothing happens
    assert box.cancel_button.text() == "Annuler" and box.defaultButton() is box.cancel_button
    QTest.mouseClick(box.cancel_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, it_controller)
    assert _rows(view)[PNEUMO_NURSE.username][-1] == "oui"
    QTest.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    box = view.confirm_box
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=TIMEOUT)
    assert box.confirm_button.text() == "Désactiver le compte"
    QTest.mouseClick(box.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(view)[PNEUMO_NURSE.username][-1] == "non", timeout=TIMEOUT)
    _wait_idle(qtbot, it_controller)
    assert not view.reset_button.isEnabled() and not view.remove_button.isEnabled()
    assert view._info["users"].text() == "actifs : 4 ; désactivés : 1"
    with pytest.raises(AuthenticationFailed):
        workspace.unlock(PNEUMO_NURSE.username, "pneumo-password-1")
    # the service re-keyed the store (the application's session goes on with the new key)
    qtbot.waitUntil(lambda: view.result_box is not None and view.result_box.isVisible(), timeout=TIMEOUT)
    assert view.result_box is not None and view.result_box.objectName() == "keyRotationBox"
    assert "clé de la base a été changée" in view.result_box.text()


def test_refusals_of_the_services_are_shown(qtbot: QtBot, view: AdminView, it_controller: Controller) -> None:
    _click_row(qtbot, view, ADMIN.username)
    QTest.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    box = view.confirm_box
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=TIMEOUT)
    QTest.mouseClick(box.confirm_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, it_controller)
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "errorBox") is not None, timeout=TIMEOUT)
    error_box = view.findChild(QMessageBox, "errorBox")
    assert error_box is not None and "propre compte" in error_box.text()
    assert _rows(view)[ADMIN.username][-1] == "oui"


def test_backup_into_a_chosen_folder(
    qtbot: QtBot, view: AdminView, it_controller: Controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(view, "choose_backup_folder", lambda: usb)
    audit_before = view._info["audit"].text()
    QTest.mouseClick(view.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.result_box is not None and view.result_box.isVisible(), timeout=TIMEOUT)
    _wait_idle(qtbot, it_controller)
    [folder] = list(usb.iterdir())
    assert folder.name.startswith("continuity-backup-")
    assert str(folder) in view.backup_status.text()
    assert view.result_box is not None and str(folder) in view.result_box.text()
    assert view._info["audit"].text() != audit_before  # the backup was audited, view reloaded
    with Workspace(folder).unlock(ADMIN.username, ADMIN_PW) as session:
        assert [u.username for u in admin.list_users(session)] == sorted(_rows(view))
    # a cancelled folder choice does nothing
    monkeypatch.setattr(view, "choose_backup_folder", lambda: None)
    QTest.mouseClick(view.backup_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, it_controller)
    assert len(list(usb.iterdir())) == 1


def test_backup_refusal_is_shown(
    qtbot: QtBot,
    view: AdminView,
    it_controller: Controller,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(view, "choose_backup_folder", lambda: workspace.folder)
    QTest.mouseClick(view.backup_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, it_controller)
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "errorBox") is not None, timeout=TIMEOUT)
    error_box = view.findChild(QMessageBox, "errorBox")
    assert error_box is not None and "hors du dossier de données" in error_box.text()
    assert view.backup_button.isEnabled() and not view.backup_status.text()


def test_locking_clears_the_view(qtbot: QtBot, view: AdminView, it_controller: Controller) -> None:
    assert view.users_model.rowCount() == 5
    it_controller.lock()
    assert view.users_model.rowCount() == 0
    assert all(label.text() == "—" for label in view._info.values())
    assert not view.add_button.isEnabled() and not view.backup_button.isEnabled()


def test_crisis_cell_sees_the_workstation_but_not_the_users(qtbot: QtBot, workspace: Workspace) -> None:
    for controller in _unlocked(qtbot, workspace, CRISIS.username, CRISIS_PW):
        view = _view(qtbot, controller)
        assert view._info["workstation"].text() == "Poste A (WS-A)"
        assert not view.users_box.isVisible() and not view.backup_box.isVisible()
        assert view.users_model.rowCount() == 0
        assert not view.add_button.isEnabled() and not view.backup_button.isEnabled()
