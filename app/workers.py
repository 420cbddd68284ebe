"""Running store work off the GUI thread.

All access to the encrypted store goes through one single-thread pool, so
SQLite sees one thread at a time and the GUI thread never waits on disk or
on a key derivation. Results come back to the GUI thread through signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any]):
        super().__init__()
        self.relay = _Relay()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to the GUI thread, shown as a message
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class StoreExecutor(QObject):
    """Queue of store jobs run one at a time on a worker thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: set[_Task] = set()

    def submit(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]
    ) -> None:
        task = _Task(work)
        task.setAutoDelete(False)
        self._pending.add(task)

        def finish() -> None:
            self._pending.discard(task)

        task.relay.done.connect(on_done)
        task.relay.failed.connect(on_error)
        task.relay.done.connect(finish)
        task.relay.failed.connect(finish)
        self._pool.start(task)

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._pending)
