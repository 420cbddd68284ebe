"""The window and its dialogs fit the screen they open on (offscreen: the platform's screen,
smaller than the window's preferred 1280x800). tests/x11/ checks the same on a real X
server with a window manager at 1366x768 and 1024x768."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app import theme
from app.controller import Controller
from app.document_dialog import DocumentDialog
from app.main_window import MainWindow
from app.settings import Settings
from app.ward_view import WardView
from continuity.services import patients
from continuity.session import Workspace
from forms import documents
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import unlock_window, wait_idle


@pytest.fixture
def window(qtbot: QtBot, controller: Controller, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, Settings())  # the next tests get the normal fonts back


def _available(widget: QWidget) -> QRect:
    screen = widget.window().screen()
    assert screen is not None
    return screen.availableGeometry()


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def assert_on_screen(win: MainWindow) -> None:
    QApplication.processEvents()
    room = _available(win)
    assert room.contains(win.frameGeometry()), (win.frameGeometry(), room)
    bar = win.statusBar()
    assert bar.isVisible() and room.contains(_global_rect(bar)), (_global_rect(bar), room)
    for label in (win.user_label, win.backlog_label):
        assert room.contains(_global_rect(label)) or not label.isVisible()


def test_main_window_opens_within_the_screen(window: MainWindow) -> None:
    room = _available(window)
    assert room.width() < 1280 or room.height() < 800, "this test needs a screen smaller than 1280x800"
    assert_on_screen(window)


def test_every_tab_of_every_role_stays_within_the_screen(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    for user, password in ((NURSE.username, NURSE_PW), (CRISIS.username, CRISIS_PW)):
        if window.controller.is_unlocked:
            window.controller.lock()
        unlock_window(qtbot, window, user, password)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            wait_idle(qtbot, window.controller)
            assert_on_screen(window)


def test_large_fonts_stay_within_the_screen_and_give_the_size_back(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    window.tabs.setCurrentIndex(1)  # the crisis view: the tallest
    wait_idle(qtbot, window.controller)
    before = window.size()
    window.large_action.trigger()
    wait_idle(qtbot, window.controller)
    assert window.settings.large_fonts
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        wait_idle(qtbot, window.controller)
        assert_on_screen(window)
    window.large_action.trigger()
    wait_idle(qtbot, window.controller)
    QApplication.processEvents()
    assert not window.settings.large_fonts
    assert window.size() == before
    assert_on_screen(window)


def test_print_preview_fits_with_its_buttons_visible(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        pdf = documents.census(nurse, ["CARDIO"])
    dialog = DocumentDialog("Recensement", pdf, "recensement.pdf", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    room = _available(dialog)
    assert room.contains(dialog.frameGeometry()), (dialog.frameGeometry(), room)
    for button in (dialog.print_button, dialog.save_button):
        assert room.contains(_global_rect(button))
    dialog.reject()


def test_patient_list_columns_fit_a_narrow_list_elided_with_tooltips(
    qtbot: QtBot, controller: Controller, workspace: Workspace, unlock: Callable[[str, str], Controller]
) -> None:
    """At 1024x768 the list is about 500 px wide: every column stays in view (no text cut at
    the edge behind a scroll bar), long texts are elided and their tooltip is the whole text;
    with large fonts the columns are measured again."""
    long_name = "BOISSIÈRE-DELACROIX-MONTMORENCY"
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(birth_name=long_name), bed_code="1A")
    unlock(NURSE.username, NURSE_PW)
    view = WardView(controller)
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    view.reload()
    wait_idle(qtbot, controller)
    wide = [view.table.columnWidth(c) for c in range(view.model.columnCount())]
    table = view.table
    table.setParent(None)  # the list alone, as narrow as at 1024x768
    qtbot.addWidget(table)
    table.resize(500, 300)
    table.show()
    qtbot.waitExposed(table)
    header = table.horizontalHeader()
    last = view.model.columnCount() - 1
    assert header.sectionPosition(last) + 20 <= table.viewport().width()  # the last one shows
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(0) < wide[0]  # the name gave width...
    name = view.model.index(0, 0)
    assert view.model.data(name, Qt.ItemDataRole.ToolTipRole) == long_name  # ...its tooltip has it all
    assert table.textElideMode() is Qt.TextElideMode.ElideRight
    for column in range(last + 1):
        title = view.model.headerData(column, Qt.Orientation.Horizontal)
        assert view.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == title
    table.resize(1200, 300)
    QApplication.processEvents()
    assert table.columnWidth(0) == view._column_widths()[0]  # room again: the measured width
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        theme.apply(app, Settings(large_fonts=True))
        QApplication.processEvents()
        assert table.columnWidth(0) > wide[0] and table.columnWidth(0) == view._column_widths()[0]
    finally:
        theme.apply(app, Settings())


def test_status_bar_labels_make_room_for_a_message(qtbot: QtBot, window: MainWindow) -> None:
    """A message is drawn in what the permanent labels leave: they shrink for it (elided,
    whole in their tooltips), and get their room back when it goes."""
    from PySide6.QtWidgets import QLabel

    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    bar = window.statusBar()
    labels = [window.user_label, window.store_label, window.saved_label, window.snapshot_label]
    labels.append(window.backlog_label)
    window.saved_label.setText("Dernier enregistrement : 12:34:56")
    message = "Admission enregistrée — n° provisoire 9001000540, séjour 9001000554"
    qtbot.wait(100)
    before = [QLabel.text(label) for label in labels]
    bar.showMessage(message)
    qtbot.wait(100)
    used = sum(label.width() for label in labels if label.isVisible())
    assert bar.fontMetrics().horizontalAdvance(message) + used <= bar.width()
    shrunk = [label for label in labels if QLabel.text(label) != label.text()]
    assert shrunk, "the labels had to give room on this screen"
    for label in shrunk:
        assert QLabel.text(label).endswith("…") and label.text() in label.toolTip()
    bar.clearMessage()
    qtbot.wait(100)
    assert [QLabel.text(label) for label in labels] == before


def test_at_1024_wide_the_ward_needs_no_sideways_scrolling_even_with_large_fonts(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The banner wraps, the buttons are short, the board gives way to two tiles a row:
    nothing of the ward is pushed off a 1024-pixel screen (it was, with large fonts)."""
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    window.showNormal()
    for large in (False, True):
        if window.settings.large_fonts != large:
            window.large_action.trigger()
        window.setMinimumSize(0, 0)
        window.resize(1024, 740)
        wait_idle(qtbot, window.controller)
        # the demo's banner during an outage: four services named
        window.work_banner.setText(
            "Centre hospitalier de démonstration — MODE DÉGRADÉ : URG, DPI, GAM — REPRISE EN COURS : LABO"
        )
        QApplication.processEvents()
        assert window.width() == 1024
        assert window.view_scroll.horizontalScrollBar().maximum() == 0, large
