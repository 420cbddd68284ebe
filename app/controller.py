"""The unlocked session of the application, its store worker, and auto-lock on idle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QApplication

from app.workers import StoreExecutor
from continuity.changes import Changes
from continuity.session import Session, Workspace

T = TypeVar("T")

_INPUT = (QInputEvent,)  # key, mouse, wheel and touch events
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class _Failed(Exception):
    """A job failed: its error, and what it had committed before failing."""

    def __init__(self, error: Exception, changes: Changes):
        super().__init__(error)
        self.error = error
        self.changes = changes


class Controller(QObject):
    """Owns the session; every store call goes through ``run`` on the worker thread."""

    unlocked = Signal(object)  # the User
    locking = Signal()  # about to lock: work queued now still runs, on the open store
    locked = Signal()
    changed = Signal(object)  # Changes: what a job wrote, when it wrote something; views reload
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
        # isinstance first: it is cheap, and this runs for every event of the application
        if self.session is not None and isinstance(event, _INPUT) and event.type() in _ACTIVITY:
            self._idle.start()
        return False

    def unlock(self, username: str, password: str, on_error: Callable[[Exception], None]) -> None:
        def opened(session: Session) -> None:
            self.session = session
            self.last_user = session.user.username
            self._idle.start()
            self.unlocked.emit(session.user)

        def open_session() -> Session:
            session = self.workspace.unlock(username, password)
            session.take_changes()  # opening (a migration) is not news: every view loads at unlock
            return session

        self.executor.submit(open_session, opened, on_error)

    def lock(self) -> None:
        if self.session is None:
            return
        self._idle.stop()
        self.locking.emit()
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
        """``work(session)`` on the worker, then ``on_done(result)`` (or ``on_error``) here.

        What the work wrote is taken from the store right after it, on the worker, and
        announced by ``changed`` when it is something, whether or not ``write`` was said
        (and even when the work then failed: what it committed stays committed).
        """
        session = self.session
        if session is None:
            return

        def job() -> tuple[Any, Changes]:
            try:
                result = work(session)
            except Exception as exc:
                raise _Failed(exc, session.take_changes()) from exc
            return result, session.take_changes()

        def done(outcome: tuple[Any, Changes]) -> None:
            result, changes = outcome
            if write:
                self.saved_at.emit(datetime.now().astimezone())
            if changes:
                self.changed.emit(changes)
            on_done(result)

        def failed(exc: Exception) -> None:
            if isinstance(exc, _Failed):
                if exc.changes:
                    self.changed.emit(exc.changes)
                exc = exc.error
            on_error(exc)

        self.executor.submit(job, done, failed)

    def shutdown(self) -> None:
        self.lock()
        self.executor.wait()
