"""Hand-back to the HIS (IT administrator): target, progress, counts, error queue, resend.

The run itself is ``sync.engine.synchronise`` on the store worker thread; its
progress callback crosses to the GUI thread through a Qt signal.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.errors import show_error
from app.refresh import ChangeWatch
from app.settings import english
from app.table_model import RowsTableModel
from continuity.changes import Changes
from continuity.domain.outbox import EVENT_KIND_LABELS, EVENT_STATUS_LABELS, EventStatus
from continuity.services import sync_state
from continuity.session import Session
from continuity.text import for_display
from sync import engine

Index = QModelIndex | QPersistentModelIndex
# The events and their counts, the refused ones with their patient and stay, the last run
# and the HIS endpoint (settings).
CONCERNS = Changes.of("outbox", "patients", "census", "settings")


class _ProgressRelay(QObject):
    progress = Signal(object)


class ErrorsModel(RowsTableModel[sync_state.ErrorView]):
    def headers(self) -> list[str]:
        return [
            self.tr("Événement"),
            self.tr("N° provisoire"),
            self.tr("En attente derrière"),
            self.tr("Réponse du DPI"),
        ]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        fr, en = EVENT_KIND_LABELS.get(row.event.kind, (row.event.kind, row.event.kind))
        return [
            en if english() else fr,
            row.provisional_ipp,
            str(row.waiting_behind),
            for_display(row.event.his_reply),
        ][index.column()]


class SyncView(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self._cancel: threading.Event | None = None
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._show_progress)

        self.target = QLineEdit()
        self.target.setPlaceholderText("mllp://dpi.hopital.local:2575 · fhir+https://… · file:/media/usb")
        self.target.setAccessibleName(self.tr("Destination"))
        self.start_button = QPushButton(self.tr("&Synchroniser"))
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("&Interrompre"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)

        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v / %m événements"))
        self.phase = QLabel()
        self.phase.setObjectName("syncPhase")
        self.counts = QLabel()
        self.counts.setWordWrap(True)  # one count per status: wider than a 1024-pixel screen
        self.note = QLabel()
        self.note.setWordWrap(True)
        info = QFormLayout()
        info.addRow(self.tr("État :"), self.phase)
        info.addRow(self.tr("Événements :"), self.counts)
        info.addRow(self.tr("Dernier message :"), self.note)

        self.errors = ErrorsModel(self)
        self.table = QTableView()
        self.table.setModel(self.errors)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.resend_button = QPushButton(self.tr("&Renvoyer l'événement corrigé"))
        self.resend_button.clicked.connect(self.resend)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Destination (vide : le DPI configuré) :")))
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addLayout(info)
        layout.addWidget(QLabel(self.tr("Refusés par le DPI (corrigez la donnée, puis renvoyez) :")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.resend_button, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh()
        self.watch = ChangeWatch(self, controller, CONCERNS, lambda _changes: self.refresh())

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        def read(session: Session) -> tuple[sync_state.SyncStatus, list[sync_state.ErrorView]]:
            return sync_state.status(session), sync_state.refused_events(session)

        self.controller.run(read, self._show_state, self._failed)

    def _show_state(self, data: tuple[sync_state.SyncStatus, list[sync_state.ErrorView]]) -> None:
        status, errors = data
        fr, en = sync_state.PHASE_LABELS[status.phase]
        self.phase.setText(en if english() else fr)
        parts = []
        for s in EventStatus:
            label_fr, label_en = EVENT_STATUS_LABELS[s]
            parts.append(f"{label_en if english() else label_fr} : {status.counts.get(s, 0)}")
        self.counts.setText(" · ".join(parts))
        if not self.target.text() and status.his_endpoint:
            self.target.setPlaceholderText(status.his_endpoint)
        self.errors.set_rows(errors)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.resend_button.setEnabled(bool(errors))

    # -------------------------------------------------------------------- run
    def start(self) -> None:
        text = self.target.text().strip() or None
        self._cancel = cancel = threading.Event()
        relay = self._relay

        def work(session: Session) -> engine.RunReport:
            return engine.synchronise(session, text, progress=relay.progress.emit, cancel=cancel)

        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.controller.run(work, self._finished, self._failed, write=True)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _show_progress(self, p: engine.Progress) -> None:
        self.progress.setMaximum(max(p.total, 1))
        self.progress.setValue(min(p.done, max(p.total, 1)))
        if p.note_fr:
            self.note.setText(for_display(p.note_en if english() else p.note_fr))

    def _finished(self, report: engine.RunReport) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if report.stopped_fr:
            self.note.setText(for_display(report.stopped_en if english() else report.stopped_fr))
        else:
            self.note.setText(
                self.tr("{0} accepté(s), {1} refusé(s), {2} restant(s).").format(
                    report.acknowledged, report.refused, report.remaining
                )
            )
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        show_error(self, exc)

    def resend(self) -> None:
        index = self.table.currentIndex()
        row = self.errors.row_at(index.row()) if index.isValid() else None
        if row is None:
            return
        event_id = row.event.event_id
        self.controller.run(
            lambda s: sync_state.resend(s, event_id), lambda _: self.refresh(), self._failed, write=True
        )
