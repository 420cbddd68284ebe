"""The crisis cell's instructions and the wards' main courante across three real workstations:
sent from the crisis view, shown on the ward until acknowledged, the acknowledgement back in
the crisis view; out-of-contact workstations flagged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.crisis_view import ContactModel, CrisisView, InstructionsModel
from app.dialogs import ConfirmBox
from app.log_entry_dialog import LogEntryDialog
from app.main_window import MainWindow
from app.settings import Settings
from continuity.domain.crisis import LogCategory
from continuity.services import crisis as crisis_service
from continuity.services import instructions
from continuity.session import Session
from sync import bundles
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW
from tests.exchange_helpers import Site
from tests.gui.conftest import type_text, unlock_controller, unlock_window, wait_idle

TIMEOUT = 20_000


@pytest.fixture
def site(three_workstations: Site) -> Site:
    return three_workstations


@pytest.fixture
def crisis_on_c(site: Site, qtbot: QtBot) -> Iterator[tuple[CrisisView, Controller]]:
    controller = Controller(site.spaces["WS-C"], idle_minutes=5)
    unlock_controller(qtbot, controller, CRISIS.username, CRISIS_PW)
    view = CrisisView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.reload()
    yield view, controller
    controller.shutdown()


@pytest.fixture
def ward_on_a(site: Site, qtbot: QtBot) -> Iterator[MainWindow]:
    controller = Controller(site.spaces["WS-A"], idle_minutes=5)
    window = MainWindow(controller, Settings.load(site.spaces["WS-A"].folder))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def _import(qtbot: QtBot, controller: Controller, path: Path) -> None:
    """A bundle imported through the controller, as the watched exchange folder does it."""
    results: list[object] = []

    def work(session: Session) -> bundles.BundleResult:
        return bundles.import_file(session, path, grace=0)

    controller.run(work, results.append, results.append, write=True)
    qtbot.waitUntil(lambda: bool(results), timeout=TIMEOUT)
    assert isinstance(results[0], bundles.BundleResult) and not results[0].error_fr, results
    wait_idle(qtbot, controller)


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()  # the crisis view, another window, may have had the keyboard
    qtbot.waitUntil(window.isActiveWindow)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)


def _cell(model: InstructionsModel | ContactModel, row: int, column: int) -> str:
    return str(model.data(model.index(row, column)))


def _send(qtbot: QtBot, view: CrisisView, text: str, ufs: list[str] | None) -> None:
    """Type an instruction, choose its UFs with the keyboard, confirm with Enter."""
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.lower_tabs.setCurrentIndex(1)
    count = view.instructions_model.rowCount()
    type_text(view.instruction_input, text)
    if ufs is not None:
        view.all_ufs.setFocus()
        qtbot.keyClick(view.all_ufs, Qt.Key.Key_Space)  # unticked: the UF list takes the focus
        assert not view.all_ufs.isChecked() and view.uf_list.hasFocus()
        for code in ufs:
            row = next(r for r in range(view.uf_model.rowCount()) if view.uf_model.item(r).text() == code)
            view.uf_list.setCurrentIndex(view.uf_model.index(row, 0))
            qtbot.keyClick(view.uf_list, Qt.Key.Key_Space)
        assert view.chosen_ufs() == ufs
    qtbot.keyClick(view.instruction_input, Qt.Key.Key_Return)
    box = view.findChild(ConfirmBox, "sendInstructionBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert (", ".join(ufs) if ufs else "toutes les UF") in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.instructions_model.rowCount() == count + 1, timeout=TIMEOUT)
    assert view.instruction_input.text() == "" and view.all_ufs.isChecked()


def test_an_instruction_reaches_the_ward_is_acknowledged_by_keyboard_and_comes_back(
    site: Site, crisis_on_c: tuple[CrisisView, Controller], ward_on_a: MainWindow, qtbot: QtBot
) -> None:
    view, crisis_controller = crisis_on_c
    assert [view.uf_model.item(r).text() for r in range(view.uf_model.rowCount())] == ["CARDIO", "PNEUMO"]
    _send(qtbot, view, "Bascule en procédure papier", ["CARDIO"])
    site.clock.advance(minutes=1)
    _send(qtbot, view, "Urgences en délestage SAMU", None)
    model = view.instructions_model
    assert _cell(model, 0, InstructionsModel.TEXT) == "Urgences en délestage SAMU"  # newest first
    assert _cell(model, 0, InstructionsModel.TO) == "toutes les UF"
    assert _cell(model, 1, InstructionsModel.TO) == "CARDIO"
    assert _cell(model, 1, InstructionsModel.ACKED) == "aucun"
    assert _cell(model, 1, InstructionsModel.PENDING) == "2 : WS-A, WS-B"
    from_c = site.export("WS-C")

    # The ward workstation: nothing pending at unlock; the bundle arrives, the bar shows.
    window = ward_on_a
    _unlock(qtbot, window)
    bar = window.instruction_bar
    assert not bar.isVisible()
    _import(qtbot, window.controller, from_c)
    qtbot.waitUntil(bar.isVisible, timeout=TIMEOUT)
    assert bar.title.text() == "CONSIGNE DE LA CELLULE DE CRISE (1/2)"  # oldest first
    assert bar.text.text() == "Bascule en procédure papier"
    assert "par crise (poste WS-C)" in bar.meta.text() and "à : CARDIO" in bar.meta.text()

    # Esc (a dialog closed by mistake, a key pressed anywhere) does not make it go away.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window.ward.search if window.ward else window, Qt.Key.Key_Escape)
    assert bar.isVisible() and bar.text.text() == "Bascule en procédure papier"

    # Acknowledged from the keyboard: Alt+J from anywhere in the window...
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bar.text.text() == "Urgences en délestage SAMU", timeout=TIMEOUT)
    assert bar.title.text() == "CONSIGNE DE LA CELLULE DE CRISE (2/2)"
    assert "à : toutes les UF" in bar.meta.text()
    # ... or the button reached with Tab, then Space.
    bar.ack_button.setFocus()
    assert QApplication.focusWidget() is bar.ack_button
    qtbot.keyClick(bar.ack_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window.controller)
    session = window.controller.session
    assert session is not None
    assert instructions.unacknowledged(session) == []
    acks = {i.text: i.acknowledgements for i in instructions.instructions(session)}
    assert [(a.workstation, a.username) for a in acks["Bascule en procédure papier"]] == [
        ("WS-A", NURSE.username)
    ]
    window.controller.lock()
    from_a = site.export("WS-A")

    # Back at the crisis cell: who read it, and who has not yet.
    _import(qtbot, crisis_controller, from_a)
    qtbot.waitUntil(lambda: _cell(model, 1, InstructionsModel.ACKED) != "aucun", timeout=TIMEOUT)
    assert _cell(model, 1, InstructionsModel.ACKED).startswith("WS-A (ide, ")
    assert _cell(model, 1, InstructionsModel.PENDING) == "1 : WS-B"
    assert _cell(model, 0, InstructionsModel.ACKED).startswith("WS-A (ide, ")


def test_the_bar_is_back_at_unlock_while_not_acknowledged(
    site: Site, ward_on_a: MainWindow, qtbot: QtBot
) -> None:
    with site.login("WS-C", CRISIS.username, CRISIS_PW) as c:
        instructions.send_instruction(c, "Appeler le standard avant tout transfert", ["CARDIO"])
    site.deliver("WS-A", site.export("WS-C"))
    window = ward_on_a
    _unlock(qtbot, window)
    bar = window.instruction_bar
    qtbot.waitUntil(bar.isVisible, timeout=TIMEOUT)
    assert bar.title.text() == "CONSIGNE DE LA CELLULE DE CRISE"  # a single one: no "1/1"
    window.controller.lock()
    assert not bar.isVisible()  # nothing on the lock screen
    _unlock(qtbot, window)
    qtbot.waitUntil(bar.isVisible, timeout=TIMEOUT)
    assert bar.text.text() == "Appeler le standard avant tout transfert"


def test_a_ward_writes_in_the_main_courante_for_its_uf_and_the_crisis_cell_sees_where(
    site: Site, ward_on_a: MainWindow, crisis_on_c: tuple[CrisisView, Controller], qtbot: QtBot
) -> None:
    window = ward_on_a
    _unlock(qtbot, window)
    assert window.crisis_menu.menuAction().isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)  # Crise ▸ Écrire…
    qtbot.waitUntil(lambda: window.findChild(LogEntryDialog, "logEntryDialog") is not None)
    dialog = window.findChild(LogEntryDialog, "logEntryDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    uf = dialog.findChild(QComboBox, "logEntryUf")
    assert uf is not None and [uf.itemData(i) for i in range(uf.count())] == ["CARDIO"]  # own UFs only
    qtbot.waitUntil(lambda: uf.currentText() == "CARDIO — Cardiologie")
    category = dialog.findChild(QComboBox, "logEntryCategory")
    assert category is not None
    category.setCurrentIndex(category.findData(LogCategory.ALERT.value))
    text = dialog.findChild(QPlainTextEdit, "logEntryText")
    assert text is not None and text.hasFocus()
    type_text(text, "Plus de bracelets d'identification")
    qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    assert "main courante (CARDIO)" in window.statusBar().currentMessage()
    session = window.controller.session
    assert session is not None
    [entry] = crisis_service.log_entries(session)
    assert (entry.text, entry.category, entry.service_code, entry.workstation) == (
        "Plus de bracelets d'identification",
        LogCategory.ALERT,
        "CARDIO",
        "WS-A",
    )
    window.controller.lock()

    view, crisis_controller = crisis_on_c
    _import(qtbot, crisis_controller, site.export("WS-A"))
    log = view.log_model
    qtbot.waitUntil(lambda: log.rowCount() == 1, timeout=TIMEOUT)
    assert [str(log.data(log.index(0, c))) for c in range(log.columnCount())][1:] == [
        "ide@WS-A",
        "alerte",
        "CARDIO",
        "Plus de bracelets d'identification",
    ]


def test_workstations_out_of_contact_are_flagged(
    site: Site, crisis_on_c: tuple[CrisisView, Controller], qtbot: QtBot
) -> None:
    view, controller = crisis_on_c
    contact = view.contact_model
    assert [p.workstation for p in contact.rows()] == ["WS-A", "WS-B"]  # not this one
    assert [_cell(contact, r, ContactModel.STATE) for r in range(2)] == ["⚠ jamais reçu de lot"] * 2
    assert "⚠ 2 poste(s) sans nouvelles depuis plus de 30 min" in view.contact_summary.text()
    assert view.lower_tabs.tabText(2) == "Postes (⚠ 2)"

    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        crisis_service.add_log_entry(a, "Point à 10 h", LogCategory.INFO, "CARDIO")
    _import(qtbot, controller, site.export("WS-A"))
    qtbot.waitUntil(lambda: _cell(contact, 0, ContactModel.STATE) == "en contact", timeout=TIMEOUT)
    assert _cell(contact, 1, ContactModel.STATE) == "⚠ jamais reçu de lot"
    assert _cell(contact, 1, ContactModel.AGE) == "jamais"
    assert view.contact_summary.text().endswith(": WS-B (jamais)")
    assert view.lower_tabs.tabText(2) == "Postes (⚠ 1)"

    site.clock.advance(minutes=45)  # time alone: the view reads the ages again every minute
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.refresh_ages()
    assert _cell(contact, 0, ContactModel.STATE) == "⚠ sans nouvelles depuis plus de 30 min"
    assert _cell(contact, 0, ContactModel.AGE).startswith("45 min")
    assert view.lower_tabs.tabText(2) == "Postes (⚠ 2)"


def test_an_instruction_to_chosen_ufs_needs_one_ticked(
    crisis_on_c: tuple[CrisisView, Controller], qtbot: QtBot
) -> None:
    view, _controller = crisis_on_c
    view.lower_tabs.setCurrentIndex(1)
    type_text(view.instruction_input, "Appeler le standard")
    view.all_ufs.setChecked(False)
    qtbot.keyClick(view.instruction_input, Qt.Key.Key_Return)
    assert view.instruction_error.isVisible() and "Cochez au moins une UF" in view.instruction_error.text()
    assert view.findChild(ConfirmBox, "sendInstructionBox") is None  # nothing asked, nothing sent
    assert view.instructions_model.rowCount() == 0
    assert view.instruction_counter.text() == "19/500"
