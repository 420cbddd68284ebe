"""The whole window: unlock, role-dependent views, lock and unlock again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QTextBrowser
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.help_view import HelpWindow
from app.main_window import MainWindow
from app.settings import Settings
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, unlock_window


@pytest.fixture
def window(qtbot: QtBot, controller: Controller, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.show()
    yield win


def _tabs(win: MainWindow) -> list[str]:
    return [win.tabs.tabText(i) for i in range(win.tabs.count())]


def test_wrong_password_then_unlock(qtbot: QtBot, window: MainWindow) -> None:
    view = window.unlock_view
    qtbot.keyClicks(view.username, NURSE.username)
    qtbot.keyClicks(view.password, "wrong-password")
    qtbot.keyClick(view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "incorrect" in view.error.text(), timeout=10_000)
    assert view.password.text() == "" and window.stack.currentIndex() == 0
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    assert _tabs(window) == ["Service", "Cellule de crise", "Échanges et instantanés"]
    assert "IDE cardio" in window.user_label.text()


def test_roles_get_their_views(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window, ADMIN.username, ADMIN_PW)
    assert _tabs(window) == ["Administration", "Reprise DPI", "Échanges et instantanés"]
    assert not window.patient_menu.isEnabled()
    window.controller.lock()
    unlock_window(qtbot, window, CRISIS.username, CRISIS_PW)
    assert _tabs(window) == ["Recensement", "Cellule de crise", "Échanges et instantanés"]
    assert window.ward is not None and not window.ward.buttons["admitButton"].isEnabled()


def test_lock_hides_everything_and_keeps_the_unsaved_form(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    assert window.ward is not None and window.ward.model.rowCount() == 1
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()
    )
    assert isinstance(dialog, AdmissionDialog)
    type_text(dialog.birth_name, "Désirée")
    window.controller.set_idle_msecs(200)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 0, timeout=5000)
    assert not dialog.isVisible()
    assert window.ward is not None and window.ward.model.rowCount() == 0  # no patient shown
    assert window.ward.board.board_model.rowCount() == 0
    assert window.unlock_view.username.text() == NURSE.username
    # unlocking again as the same user gives the form back as it was
    qtbot.keyClicks(window.unlock_view.password, NURSE_PW)
    qtbot.keyClick(window.unlock_view.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=10_000)
    assert dialog.birth_name.text() == "Désirée"
    dialog.reject()


def test_status_bar_shows_backlog_and_last_save(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: "À synchroniser : 0" in window.backlog_label.text(), timeout=5000)
    assert window.controller.session is not None
    window.controller.run(
        lambda s: patients.admit(s, "CARDIO", identity=identity()),
        lambda _r: None,
        lambda e: None,
        write=True,
    )
    qtbot.waitUntil(lambda: "À synchroniser : 1" in window.backlog_label.text(), timeout=5000)
    assert "Dernier enregistrement" in window.saved_label.text()


def test_banner_shows_statuses_and_exercise_even_when_locked(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    from continuity.domain.crisis import DegradedStatus
    from continuity.services import crisis

    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        crisis.set_status(session, "LABO", DegradedStatus.DEGRADED)
        crisis.set_exercise_mode(session, True)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: "MODE DÉGRADÉ : LABO" in window.work_banner.text(), timeout=5000)
    assert "EXERCICE" in window.work_banner.text()
    window.controller.lock()
    banner = window.unlock_view.banner.text()
    assert "MODE DÉGRADÉ : LABO" in banner and "EXERCICE" in banner and "CH de test" in banner


def test_crisis_tab_is_built_when_ward_staff_first_open_it(qtbot: QtBot, window: MainWindow) -> None:
    from app.crisis_view import CrisisView

    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    assert window.crisis is None
    assert _tabs(window) == ["Service", "Cellule de crise", "Échanges et instantanés"]
    window.tabs.setCurrentIndex(1)
    assert isinstance(window.crisis, CrisisView) and window.tabs.currentWidget() is window.crisis
    qtbot.waitUntil(lambda: window.crisis is not None and window.crisis.is_loaded, timeout=5000)
    assert _tabs(window) == ["Service", "Cellule de crise", "Échanges et instantanés"]


def test_exercise_store_says_exercice_on_every_screen(workspace: Workspace, qtbot: QtBot) -> None:
    from continuity import maintenance

    with workspace.unlock(CRISIS.username, CRISIS_PW) as session:
        drill = maintenance.start_exercise(session)
    controller = Controller(drill, idle_minutes=5)
    window = MainWindow(controller, Settings.load(drill.folder))
    qtbot.addWidget(window)
    window.show()
    window.unlock_view.username.setText(NURSE.username)
    window.unlock_view.password.setText(NURSE_PW)
    window.unlock_view.button.click()
    qtbot.waitUntil(lambda: "EXERCICE" in window.work_banner.text(), timeout=10_000)
    assert window.windowTitle().startswith("EXERCICE")
    assert "#b35900" in window.work_banner.styleSheet()
    controller.shutdown()


def test_ctrl_z_the_menu_and_the_status_bar_undo_the_last_movement(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from app.movement_dialogs import DischargeDialog
    from continuity.domain.movement import StayState
    from tests.gui.conftest import wait_idle

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    ward = window.ward
    assert ward is not None
    cancel = window.findChild(QAction, "cancelAction")
    assert cancel is not None and not cancel.isEnabled()  # nobody selected: nothing to undo
    ward.table.selectRow(0)
    assert cancel.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, DischargeDialog) and w.isVisible()
    )
    ok = dialog.findChild(QPushButton, "okButton")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.undo_button.isVisible(), timeout=5000)
    wait_idle(qtbot, window.controller)
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.activateWindow()  # the discharge dialog gave the focus back (offscreen: by hand)
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    ward.search.setFocus()  # where the nurse types: Ctrl+Z there is for the movement too
    qtbot.keyClick(ward.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    def box() -> QMessageBox | None:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "confirmBox" and w.isVisible()
        ]
        return found[-1] if found else None

    qtbot.waitUntil(lambda: box() is not None, timeout=5000)
    confirm = box()
    assert confirm is not None and "Annuler la sortie" in (confirm.defaultButton().text())
    confirm.defaultButton().click()
    wait_idle(qtbot, window.controller)
    session = window.controller.session
    assert session is not None
    qtbot.waitUntil(lambda: session.store.stays.get_stay(a.stay.id).state is StayState.PRESENT)  # type: ignore[union-attr]
    # the status bar's offer undoes too: here, the admission (the discharge is undone)
    ward.cancel_last()
    qtbot.waitUntil(lambda: box() is not None, timeout=5000)
    assert "admission" in box().text()  # type: ignore[union-attr]
    box().reject()  # type: ignore[union-attr]


def test_patient_admitted_box_prints_the_wristband_of_forms(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from app.document_dialog import DocumentDialog
    from tests.gui.conftest import wait_idle

    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()
    )
    assert isinstance(dialog, AdmissionDialog)
    qtbot.waitUntil(lambda: dialog.bed.count() > 1, timeout=5000)
    dialog.birth_name.setText("Garnier")
    dialog.first_names.setText("Louise")
    dialog.birth_date.setText("05/06/1944")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Return)

    def shown(kind: type, name: str | None = None) -> list[object]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, kind) and w.isVisible() and (name is None or w.objectName() == name)
        ]

    qtbot.waitUntil(lambda: bool(shown(QMessageBox, "admissionResult")), timeout=5000)
    box = shown(QMessageBox, "admissionResult")[0]
    assert isinstance(box, QMessageBox) and "GARNIER Louise" in box.text()
    wait_idle(qtbot, window.controller)
    band = box.findChild(QPushButton, "printWristbandButton")
    assert band is not None
    qtbot.mouseClick(band, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown(DocumentDialog)), timeout=10_000)
    preview = shown(DocumentDialog)[0]
    assert isinstance(preview, DocumentDialog) and preview.windowTitle().startswith("Bracelet")
    assert "GARNIER Louise, né(e) le 05/06/1944" in preview.windowTitle()  # whose wristband it is
    assert window.ward is not None and window.ward.current is not None
    assert window.ward.current.patient.identity.birth_name == "GARNIER"


HELP_SECTIONS = [
    "Admettre un patient (Ctrl+N)",
    "Patient inconnu ou inconscient",
    "Saisir un formulaire papier (Ctrl+R)",
    "Annuler le dernier mouvement (Ctrl+Z)",
    "Corriger un mouvement (Ctrl+M)",
    "Verrouiller le poste (Ctrl+L)",
    "Muter un patient (Ctrl+T)",
    "Sortie (Ctrl+D)",
    "Consignes de la cellule de crise, main courante (Ctrl+J)",
    "Imprimer (menu Imprimer)",
    "Identitovigilance : revoir et fusionner des identités",
]


def _headings(browser: QTextBrowser, level: int) -> list[str]:
    found = []
    block = browser.document().begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == level:
            found.append(block.text())
        block = block.next()
    return found


def test_f1_opens_the_help_beside_the_work(qtbot: QtBot, window: MainWindow) -> None:
    help_action = window.findChild(QAction, "helpAction")
    about = window.findChild(QAction, "aboutAction")
    assert help_action is not None and help_action.shortcut() == QKeySequence("F1")
    assert about is not None and about.shortcut().isEmpty()  # À propos: a plain menu item
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.help_window is not None and window.help_window.isVisible())
    help_window = window.help_window
    assert isinstance(help_window, HelpWindow)
    assert not help_window.isModal() and QApplication.activeModalWidget() is None  # the work goes on
    frame = help_window.frameGeometry()
    assert frame.width() <= 1024 and frame.height() <= 768
    browser = help_window.findChild(QTextBrowser, "helpText")
    assert browser is not None
    assert _headings(browser, 2) == HELP_SECTIONS
    text = browser.toPlainText()
    for expected in (
        "scannez le code-barres",
        "Le choix par défaut (Entrée) utilise le patient existant",
        "identité d'attente",
        "nom d'attente distinct",
        "Ctrl+R",
        "24 heures par défaut (réglage du site) ; au-delà, seule la cellule de crise",
        "le même utilisateur déverrouille",
        "Seule la cellule d'identitovigilance fusionne",
        "« J'ai lu — accuser réception » (Alt+J)",
    ):
        assert expected in text, expected
    qtbot.keyClick(browser, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not help_window.isVisible())
    qtbot.keyClick(window, Qt.Key.Key_F1)  # the same window, shown again
    qtbot.waitUntil(help_window.isVisible)
    assert window.help_window is help_window
    help_window.close()


def test_the_language_notice_speaks_one_language(qtbot: QtBot, window: MainWindow) -> None:
    action = window.findChild(QAction, "langFr")
    assert action is not None
    action.trigger()
    box = window.findChild(QMessageBox, "languageBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert (box.windowTitle(), box.text()) == (
        "Langue",
        "La langue choisie s'appliquera au prochain démarrage.",
    )
    assert window.settings.language == "fr"
    box.close()
