"""The unlocked session of the application, its store worker, and auto-lock on idle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.workers import StoreExecutor
from continuity.session import Session, Workspace

T = TypeVar("T")

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class Controller(QObject):
    """Owns the session; every store call goes through ``run`` on the worker thread."""

    unlocked = Signal(object)  # the User
    locked = Signal()
    changed = Signal()  # a write succeeded: views reload
    saved_at = Signal(object)  # datetime of the last successful write

    def __init__(self, workspace: Workspace, idle_minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.session: Session | None = None
        self.executor = StoreExecutor(self)
        self.last_user: str | None = None
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.lock)
        self.set_idle_minutes(idle_minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # ----------------------------------------------------------------- locking
    def set_idle_minutes(self, minutes: int) -> None:
        self._idle.setInterval(max(1, minutes) * 60_000)

    def set_idle_msecs(self, msecs: int) -> None:
        """For tests and drills: a short idle delay."""
        self._idle.setInterval(msecs)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.session is not None and event.type() in _ACTIVITY:
            self._idle.start()
        return False

    def unlock(self, username: str, password: str, on_error: Callable[[Exception], None]) -> None:
        def opened(session: Session) -> None:
            self.session = session
            self.last_user = session.user.username
            self._idle.start()
            self.unlocked.emit(session.user)

        self.executor.submit(lambda: self.workspace.unlock(username, password), opened, on_error)

    def lock(self) -> None:
        if self.session is None:
            return
        self._idle.stop()
        self.executor.wait()
        session, self.session = self.session, None
        session.lock()
        self.locked.emit()

    @property
    def is_unlocked(self) -> bool:
        return self.session is not None

    # ----------------------------------------------------------------- work
    def run(
        self,
        work: Callable[[Session], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
        *,
        write: bool = False,
    ) -> None:
        session = self.session
        if session is None:
            return

        def done(result: Any) -> None:
            if write:
                self.saved_at.emit(datetime.now().astimezone())
                self.changed.emit()
            on_done(result)

        self.executor.submit(lambda: work(session), done, on_error)

    def shutdown(self) -> None:
        self.lock()
        self.executor.wait()
