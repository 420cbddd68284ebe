"""Views reload what a write changed, and only that; the health file keeps its own schedule."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.main_window import HEALTH_MSECS, MainWindow
from app.settings import Settings
from continuity import maintenance
from continuity.changes import Changes
from continuity.domain.users import Role, User
from continuity.errors import Conflict
from continuity.services import admin, indicators, patients, sync_state
from continuity.session import Session, Workspace
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, unlock_controller, unlock_window, wait_idle


@pytest.fixture
def window(qtbot: QtBot, controller: Controller, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win


class Reloads:
    """How many times each part of the window was loaded again (model resets, service calls)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, window: MainWindow):
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._window = window
        # Service calls are made on the store worker.
        self._spy(monkeypatch, patients, "census", "census (service)")
        self._spy(monkeypatch, indicators, "dashboard", "crisis indicators")
        self._spy(monkeypatch, admin, "workstation_info", "admin information")
        self._spy(monkeypatch, sync_state, "backlog", "status bar")

    def _spy(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str, part: str) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.counts[part] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    def watch_models(self) -> None:
        """Count the resets of the models of the views built so far."""
        w = self._window
        models: dict[str, QAbstractItemModel] = {}
        if w.ward is not None:
            models["census list"] = w.ward.model
        if w.crisis is not None:
            models["crisis statuses"] = w.crisis.status_model
            models["main courante"] = w.crisis.log_model
        if w.admin is not None:
            models["admin users"] = w.admin.users_model
        if w.sync_view is not None:
            models["sync errors"] = w.sync_view.errors
        if w.exchange_view is not None:
            models["exchange peers"] = w.exchange_view.peers
        for part, model in models.items():
            model.modelReset.connect(lambda part=part: self.counts.update([part]))

    def around(self, qtbot: QtBot, controller: Controller, write: Callable[[], None]) -> Counter[str]:
        """The parts reloaded because of ``write``: ``changed`` and the reloads it caused."""
        wait_idle(qtbot, controller)
        self.counts.clear()
        with qtbot.waitSignal(controller.changed, timeout=10_000):
            write()
        wait_idle(qtbot, controller)
        return Counter(self.counts)


def _raise(exc: Exception) -> None:
    raise exc  # in a slot: pytest-qt fails the test with it


def _write(controller: Controller, work: Callable[[Session], object]) -> None:
    """A write through the controller, as the dialogs make theirs."""
    controller.run(work, lambda _r: None, _raise, write=True)


def test_an_admission_reloads_the_census_not_the_main_courante(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    window.tabs.setCurrentIndex(1)  # ward staff's crisis tab is built when first opened
    qtbot.waitUntil(lambda: window.crisis is not None and window.crisis.is_loaded, timeout=10_000)
    assert window.ward is not None
    window.tabs.setCurrentWidget(window.ward)
    reloads = Reloads(monkeypatch, window)
    reloads.watch_models()
    controller = window.controller

    got = reloads.around(
        qtbot,
        controller,
        lambda: _write(controller, lambda s: patients.admit(s, "CARDIO", identity=identity(), bed_code="1A")),
    )
    assert got == {"census (service)": 1, "census list": 1, "status bar": 1}
    assert window.ward is not None and window.ward.model.rowCount() == 1
    assert "À synchroniser : 1" in window.backlog_label.text()

    # The crisis tab was hidden: it reloads when shown, only its figures (not the statuses
    # nor the main courante, which the admission did not touch).
    reloads.counts.clear()
    crisis = window.crisis
    assert crisis is not None
    window.tabs.setCurrentWidget(crisis)
    wait_idle(qtbot, controller)
    assert reloads.counts == {"crisis indicators": 1}
    assert crisis.pending_card.value.text() == "1"
    # Shown once, it does not reload again by itself.
    reloads.counts.clear()
    window.tabs.setCurrentWidget(window.ward)
    window.tabs.setCurrentWidget(crisis)
    wait_idle(qtbot, controller)
    assert reloads.counts == {}
    # The exchange tab shows patients' names (in its conflicts): it catches up when shown.
    assert window.exchange_view is not None
    window.tabs.setCurrentWidget(window.exchange_view)
    wait_idle(qtbot, controller)
    assert reloads.counts == {"exchange peers": 1}


def test_a_main_courante_entry_reloads_the_main_courante_only(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock_window(qtbot, window, CRISIS.username, CRISIS_PW)
    crisis = window.crisis
    assert crisis is not None and window.tabs.currentWidget() is crisis
    qtbot.waitUntil(lambda: crisis.is_loaded, timeout=10_000)
    reloads = Reloads(monkeypatch, window)
    reloads.watch_models()
    controller = window.controller

    def add_entry() -> None:
        type_text(crisis.log_input, "Plan blanc déclenché")
        qtbot.keyClick(crisis.log_input, Qt.Key.Key_Return)

    got = reloads.around(qtbot, controller, add_entry)
    assert got == {"main courante": 1}  # no census, statuses, figures, status bar, exchange
    assert [e.text for e in crisis.log_model.rows()] == ["Plan blanc déclenché"]

    # The census tab was hidden, and has nothing to catch up on.
    assert window.ward is not None
    window.tabs.setCurrentWidget(window.ward)
    wait_idle(qtbot, controller)
    assert reloads.counts == got


def test_the_crisis_figures_age_with_time_even_when_nothing_is_written(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "il y a 12 min", the snapshot's age: the dashboard on screen is read again every minute."""
    unlock_window(qtbot, window, CRISIS.username, CRISIS_PW)
    crisis = window.crisis
    assert crisis is not None and window.tabs.currentWidget() is crisis
    qtbot.waitUntil(lambda: crisis.is_loaded, timeout=10_000)
    reloads = Reloads(monkeypatch, window)
    reloads.watch_models()
    window._overview_timer.timeout.emit()  # a minute later, nothing written
    wait_idle(qtbot, window.controller)
    assert reloads.counts["crisis indicators"] == 1
    assert reloads.counts["crisis statuses"] == 0 and reloads.counts["main courante"] == 0
    # Behind another tab, it is not read for nothing (it catches up when shown).
    assert window.ward is not None
    window.tabs.setCurrentWidget(window.ward)
    wait_idle(qtbot, window.controller)
    reloads.counts.clear()
    window._overview_timer.timeout.emit()
    wait_idle(qtbot, window.controller)
    assert reloads.counts["crisis indicators"] == 0


def test_a_user_added_reloads_the_users_only(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock_window(qtbot, window, ADMIN.username, ADMIN_PW)
    view = window.admin
    assert view is not None and window.tabs.currentWidget() is view
    reloads = Reloads(monkeypatch, window)
    reloads.watch_models()
    controller = window.controller
    user = User(username="interne.1", display_name="Interne", role=Role.WARD_STAFF, ufs=("CARDIO",))

    got = reloads.around(
        qtbot, controller, lambda: _write(controller, lambda s: admin.add_user(s, user, "interne-1-password"))
    )
    assert got == {"admin users": 1, "admin information": 1}  # the users and their count
    assert "interne.1" in [u.username for u in view.users_model.rows()]
    for hidden in (window.sync_view, window.exchange_view):
        assert hidden is not None
        window.tabs.setCurrentWidget(hidden)
    wait_idle(qtbot, controller)
    assert reloads.counts == got  # the sync and exchange tabs had nothing to catch up on


def test_changed_says_what_was_written_and_only_when_something_was(
    qtbot: QtBot, controller: Controller
) -> None:
    unlock_controller(qtbot, controller, ADMIN.username, ADMIN_PW)
    emitted: list[Changes] = []
    controller.changed.connect(emitted.append)
    saved: list[object] = []
    controller.saved_at.connect(saved.append)
    errors: list[Exception] = []

    controller.run(lambda s: None, lambda _r: None, errors.append, write=True)  # wrote nothing
    wait_idle(qtbot, controller)
    assert emitted == [] and len(saved) == 1

    user = User(username="interne.2", display_name="Interne", role=Role.WARD_STAFF, ufs=("CARDIO",))

    def add_twice(s: Session) -> None:
        admin.add_user(s, user, "interne-2-password")
        admin.add_user(s, user, "interne-2-password")  # refused: the first one stays committed

    controller.run(add_twice, lambda _r: None, errors.append, write=True)
    wait_idle(qtbot, controller)
    assert [type(e) for e in errors] == [Conflict]  # the work's own error, as it was raised
    assert emitted == [Changes(users=True, audit=True)]  # announced all the same
    assert len(saved) == 1  # not a successful save


# ------------------------------------------------------------------------ health file
def _health_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads the health file was written on, one entry a write."""
    threads: list[str] = []
    real = maintenance.write_health

    def counted(workspace: Workspace, value: maintenance.Health) -> None:
        threads.append(threading.current_thread().name)
        real(workspace, value)

    monkeypatch.setattr(maintenance, "write_health", counted)
    return threads


def test_health_file_on_its_own_schedule_not_at_every_write(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes = _health_writes(monkeypatch)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    assert len(writes) == 1  # at unlock
    assert threading.main_thread().name not in writes  # on the store worker
    assert window._health_timer.isActive() and window._health_timer.interval() == HEALTH_MSECS
    controller = window.controller
    for name in ("MARTIN", "DURAND"):

        def admit(s: Session, name: str = name) -> object:
            return patients.admit(s, "CARDIO", identity=identity(name), not_a_duplicate="autre patient")

        with qtbot.waitSignal(controller.changed, timeout=10_000):
            _write(controller, admit)
        wait_idle(qtbot, controller)
    assert len(writes) == 1  # not rewritten by the writes
    window._health_timer.timeout.emit()  # a minute later
    wait_idle(qtbot, controller)
    assert len(writes) == 2
    health = json.loads((workspace.folder / maintenance.HEALTH_FILE).read_text(encoding="utf-8"))
    assert health["sync_backlog"] == 2
    controller.lock()  # the last picture, before the store closes
    assert len(writes) == 3 and not window._health_timer.isActive()


def test_health_file_failure_is_logged_and_the_work_goes_on(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = workspace.folder / maintenance.HEALTH_FILE
    target.unlink(missing_ok=True)
    target.mkdir()  # the file cannot replace a folder, whoever runs the tests (root too)
    caplog.set_level(logging.WARNING, logger="continuity.health")
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: "journal" in window.statusBar().currentMessage(), timeout=10_000)
    records = [r for r in caplog.records if r.name == "continuity.health"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "IsADirectoryError" in message and "errno 21" in message
    assert str(workspace.folder) not in message and "etat-du-poste" not in message
    assert target.is_dir()

    # The window works on; the next failures are logged, not shown again.
    controller = window.controller
    with qtbot.waitSignal(controller.changed, timeout=10_000):
        _write(controller, lambda s: patients.admit(s, "CARDIO", identity=identity(), bed_code="1A"))
    qtbot.waitUntil(lambda: window.ward is not None and window.ward.model.rowCount() == 1, timeout=10_000)
    window.statusBar().clearMessage()
    window._health_timer.timeout.emit()
    wait_idle(qtbot, controller)
    assert len([r for r in caplog.records if r.name == "continuity.health"]) == 2
    assert window.statusBar().currentMessage() == ""
    assert window.stack.currentIndex() == 1
