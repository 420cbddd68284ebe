"""Importing the HIS identity index: progress (count, rate, time left), Cancel, and what it did.

The import (``continuity.services.his_index.import_index``) runs on the store worker, as
all store work does; it reports its progress between batches, through a signal, to this
dialog on the GUI thread, and asks between batches whether the user pressed Cancel: the
index in use then stays exactly as it was. At the end the dialog says what the import did
(``IndexReport.summary``), in the interface's language.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.controller import Controller
from app.errors import message_for
from app.settings import english
from continuity.domain.his_index import IndexEntry, IndexHeader, IndexOutcome, IndexReport
from continuity.domain.snapshot import HisIdentifiers
from continuity.his_index_rows import Prepared
from continuity.services.his_index import BATCH, Progress, import_index
from continuity.services.snapshots import his_identifiers
from continuity.session import Session

# What to import, read on the worker: the file's header, its identities (streamed), its SHA-256.
IndexSource = Callable[[Session], tuple[IndexHeader, Iterable[IndexEntry | Prepared], str]]
# Reads an index file as the HIS's identifiers are declared: ``sync.his_index_files.read_index``.
IndexReader = Callable[[Path, HisIdentifiers], tuple[IndexHeader, Iterator[IndexEntry | Prepared]]]


def file_source(path: Path, read: IndexReader) -> IndexSource:
    """The index file at ``path``, read (streamed) on the worker, with its SHA-256."""

    def source(session: Session) -> tuple[IndexHeader, Iterable[IndexEntry | Prepared], str]:
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        header, entries = read(path, his_identifiers(session))
        return header, entries, digest.hexdigest()

    return source


class IndexImportDialog(QDialog):
    progressed = Signal(object)  # Progress, emitted on the worker, shown here
    imported = Signal(object)  # IndexReport

    def __init__(
        self, controller: Controller, source: IndexSource, parent: QWidget | None = None, batch: int = BATCH
    ):
        super().__init__(parent)
        self.controller = controller
        self.source = source
        self.batch = batch
        self.report: IndexReport | None = None
        self._cancel = threading.Event()
        self._running = False
        self.setObjectName("indexImportDialog")
        self.setWindowTitle(self.tr("Importer l'index du DPI"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Import de l'index des identités du DPI : l'index en place reste utilisé jusqu'à la "
                "fin, et reste tel quel si l'import est annulé ou refusé."
            )
        )
        intro.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("indexProgress")
        self.bar.setRange(0, 0)  # busy until the first batch
        self.progress_label = QLabel(self.tr("Lecture du fichier…"))
        self.progress_label.setObjectName("indexProgressText")
        self.progress_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Annuler l'import"))
        self.cancel_button.setObjectName("cancelIndexImport")
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.progressed.connect(self._show_progress)
        # The workstation locking (idle, Ctrl+L) waits for the worker: the import stops at its
        # next batch, leaving the index in use as it was, instead of holding the lock for minutes.
        controller.locking.connect(self._stop_for_lock)

    def _stop_for_lock(self) -> None:
        if self._running:
            self._cancel.set()

    def start(self) -> None:
        """Start the import on the worker (the dialog shows itself)."""
        self.show()
        self._running = True
        source, batch, cancel, relay = self.source, self.batch, self._cancel, self.progressed

        def work(session: Session) -> IndexReport:
            header, entries, sha256 = source(session)
            try:
                return import_index(
                    session,
                    header,
                    entries,
                    sha256,
                    progress=relay.emit,
                    cancelled=cancel.is_set,
                    batch=batch,
                )
            finally:
                close = getattr(entries, "close", None)
                if callable(close):
                    close()  # a cancelled or refused import: the file and its reader processes go

        self.controller.run(work, self._done, self._failed, write=True)

    # ------------------------------------------------------------------ progress
    def _show_progress(self, p: Progress) -> None:
        if not self._running:
            return
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(min(p.done, p.total))
        else:
            self.bar.setRange(0, 0)
        if p.phase == "sort":
            text = self.tr("Index de recherche : {0} clés écrites").format(p.done)
        elif p.total is not None:
            text = self.tr("{0} / {1} identités lues — {2:.0f}/s").format(p.done, p.total, p.rate)
        else:
            text = self.tr("{0} identités lues — {1:.0f}/s").format(p.done, p.rate)
        if p.phase == "read" and p.remaining is not None:
            text += self.tr(" — reste ≈ {0}").format(self._duration(p.remaining))
        self.progress_label.setText(text)

    def _duration(self, seconds: float) -> str:
        minutes, secs = divmod(round(seconds), 60)
        if minutes:
            return self.tr("{0} min {1:02d} s").format(minutes, secs)
        return self.tr("{0} s").format(secs)

    # ------------------------------------------------------------------ end
    def _done(self, report: IndexReport) -> None:
        self._running = False
        self.report = report
        fr, en = report.summary()
        self.progress_label.setText(en if english() else fr)
        if report.outcome is not IndexOutcome.CANCELLED:
            self.bar.setRange(0, 1)
            self.bar.setValue(1)
        self._closing_button()
        self.imported.emit(report)

    def _failed(self, exc: Exception) -> None:
        self._running = False
        self.progress_label.setText(message_for(exc))
        self.progress_label.setStyleSheet("color: #b00020;")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self._closing_button()

    def _closing_button(self) -> None:
        self.cancel_button.setText(self.tr("Fermer"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setDefault(True)

    def _cancel_or_close(self) -> None:
        if self._running:
            self._cancel.set()  # seen by the import at its next batch
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self.tr("Annulation demandée : l'index en place ne change pas…"))
            return
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:  # Esc cancels the import, then closes
            self._cancel_or_close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self._running:  # the window's close button while it runs: cancel, and wait for it
            self._cancel_or_close()
            event.ignore()
            return
        super().closeEvent(event)
