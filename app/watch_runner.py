"""The watched folders inside the application (the same ``WatchService`` as ``continuity watch``).

The watchdog observer runs from the first unlock to the end, so files dropped
while the workstation is locked are noticed; they are imported when it is
unlocked again, on the store worker thread like any other store work. Where the
site carries the exchange folder with Syncthing, the kit's instance runs as long
(``sync.syncthing``); if it cannot start, the folder is still watched (USB).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.controller import Controller
from continuity.domain.transport import Transport
from continuity.services import exchange_peers
from continuity.session import Session
from sync import syncthing
from sync.watch_service import Result, WatchService, folders

POLL_MSECS = 200
RETRY_EVERY_POLLS = 50  # a folder that could not be watched is tried again every 10 s


class WatchRunner(QObject):
    imported = Signal(list)  # list[Result] of one batch of files
    unavailable = Signal(list)  # folders that could not be watched
    carrier_failed = Signal()  # the site uses Syncthing, and it did not start here

    def __init__(self, controller: Controller, parent: QObject | None = None):
        super().__init__(parent)
        self.controller = controller
        self.service: WatchService | None = None
        self.carrier: syncthing.Instance | None = None
        self._busy = False
        self._polls = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MSECS)
        self._timer.timeout.connect(self._poll)
        controller.unlocked.connect(lambda _user: self._resume())
        controller.locked.connect(self._timer.stop)

    def _resume(self) -> None:
        if self.service is not None:
            self._timer.start()
            return
        data = self.controller.workspace.folder

        def read(session: Session) -> tuple[tuple[Path, Path], Transport]:
            return folders(session, data), exchange_peers.transport(session)

        self.controller.run(read, self._start, lambda _e: None)

    def _start(self, found: tuple[tuple[Path, Path], Transport]) -> None:
        if self.service is not None:
            return
        dirs, transport = found
        try:  # not waited for: its REST API answers a few seconds later
            self.carrier = syncthing.start_for(
                transport, self.controller.workspace.folder, dirs[1], wait=False
            )
        except (syncthing.SyncthingError, OSError):
            self.carrier_failed.emit()
        self.service = WatchService(*dirs)
        failed = self.service.start()
        if failed:
            self.unavailable.emit(failed)
        if self.controller.is_unlocked:
            self._timer.start()

    def _poll(self) -> None:
        if self.service is None or self._busy or not self.controller.is_unlocked:
            return
        self._polls += 1
        if self._polls % RETRY_EVERY_POLLS == 0:
            self.service.retry_unavailable()
        files = self.service.ready()
        if not files:
            return
        self._busy = True
        service = self.service

        def work(session: Session) -> list[Result]:
            return service.process(session, files)

        def failed(_exc: Exception) -> None:
            self._busy = False
            service.retry(files)  # nothing was imported: look at the files again later

        self.controller.run(work, self._done, failed, write=True)

    def _done(self, results: list[Result]) -> None:
        self._busy = False
        shown = [r for r in results if r.outcome.value not in ("retry", "gone", "own")]
        if shown:
            self.imported.emit(shown)

    def stop(self) -> None:
        self._timer.stop()
        if self.service is not None:
            self.service.stop()
            self.service = None
        if self.carrier is not None:
            self.carrier.stop()
            self.carrier = None
