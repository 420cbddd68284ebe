"""Snapshots and exchange: how fresh the HIS picture is, what each workstation sent, conflicts.

The crisis cell's consolidated picture is the census of every ward built from
the bundles received; this view tells how old each part of it is.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.conflict_dialog import ConflictDialog, conflict_summary
from app.controller import Controller
from app.dialogs import inform
from app.errors import show_error
from app.index_import_dialog import IndexImportDialog, IndexReader, file_source
from app.refresh import ChangeWatch
from app.settings import english
from app.table_model import RowsTableModel
from app.texts import age_text
from app.workers import StoreExecutor
from continuity import signing
from continuity.changes import Changes
from continuity.domain.exchange import PeerStatus
from continuity.domain.transport import PeerState, SyncthingState
from continuity.domain.users import Permission, Role
from continuity.services import exchange, his_index, snapshots
from continuity.session import Session
from continuity.text import for_display
from sync import bundles, syncthing
from sync.watch_service import folders

Index = QModelIndex | QPersistentModelIndex
# Snapshots (and their age limit, a setting), bundles, waiting changes and conflicts with
# their patients' names. The workstations listed are the site's, set at provisioning (the
# numbers they allocate are not shown here).
CONCERNS = Changes.of("snapshots", "settings", "exchange", "patients", "his_index")
INDEX_ROLES = (Role.IT_ADMIN, Role.CRISIS_CELL)  # who imports the HIS identity index here


class PeersModel(RowsTableModel[PeerStatus]):
    """Each workstation's link (Syncthing), bundles and signing key fingerprint (read-only: IT
    declares keys with ``continuity exchange peer add``)."""

    now: datetime | None = None
    fingerprints: dict[str, str] = {}  # noqa: RUF012 - replaced whole at each reload
    links: dict[str, PeerState] | None = None  # by workstation; None: no Syncthing running here

    def headers(self) -> list[str]:
        return [
            self.tr("Poste"),
            self.tr("Connexion"),
            self.tr("Dernier lot reçu"),
            self.tr("Âge du dernier lot"),
            self.tr("Lots manquants"),
            self.tr("Empreinte de la clé de signature"),
        ]

    def set_links(self, links: dict[str, PeerState] | None) -> None:
        self.links = links
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 1))

    def link_text(self, p: PeerStatus) -> str:
        link = self.links.get(p.workstation) if self.links is not None else None
        if link is None:
            return "—"
        if link.connected:
            return self.tr("connecté")
        if link.last_seen is None:
            return self.tr("non connecté (jamais vu)")
        seen = self.now - link.last_seen if self.now else None
        return self.tr("non connecté (vu il y a {0})").format(age_text(seen))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        p = self.row_at(index.row())
        if p is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if p.is_local:
            values = [
                self.tr("{0} — {1} (ce poste)").format(p.workstation, p.name),
                "",
                self.tr("exporté : n° {0}").format(p.last_seq) if p.last_seq else self.tr("rien exporté"),
                "",
                "",
                self.fingerprints.get(p.workstation, ""),
            ]
        else:
            age = self.now - p.last_created_at if self.now and p.last_created_at else None
            values = [
                f"{p.workstation} — {p.name}",
                self.link_text(p),
                self.tr("n° {0}").format(p.last_seq) if p.last_seq else self.tr("aucun"),
                age_text(age) if age is not None else self.tr("jamais reçu"),
                ", ".join(map(str, p.missing)),
                self.fingerprints.get(p.workstation) or self.tr("non déclarée : ses lots sont refusés"),
            ]
        return values[index.column()]


class ImportsModel(RowsTableModel[snapshots.ImportEntry]):
    def headers(self) -> list[str]:
        return [self.tr("Reçu le"), self.tr("Format"), self.tr("Pris le"), self.tr("Résultat")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.row_at(index.row())
        if e is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if e.outcome == "quarantined":
            result = self.tr("mis en quarantaine : {0}").format(
                e.report.get("error_en" if english() else "error_fr", "")
            )
        elif e.outcome == "older":
            result = self.tr("plus ancien que le recensement en place (identités seules)")
        else:
            result = self.tr("importé : {0} patients, {1} séjours ajoutés, {2} sortis").format(
                e.report.get("patients_added", 0),
                e.report.get("stays_added", 0),
                e.report.get("stays_closed", 0),
            )
        return [
            e.imported_at.astimezone().strftime("%d/%m %H:%M"),
            {"hl7v2": "HL7 v2", "fhir": "FHIR R4", "csv": "CSV"}.get(e.format, "—"),
            "" if e.outcome == "quarantined" else e.taken_at.astimezone().strftime("%d/%m %H:%M"),
            result,
        ][index.column()]


class ConflictsModel(RowsTableModel[exchange.ConflictView]):
    def headers(self) -> list[str]:
        return [self.tr("Patient"), self.tr("Conflit"), self.tr("Détecté le")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        v = self.row_at(index.row())
        if v is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        who = v.patient.identity.display_name if v.patient else "?"
        detected = v.conflict.detected_at
        return [
            who,
            conflict_summary(v.conflict, english()),
            detected.astimezone().strftime("%d/%m %H:%M") if detected else "",
        ][index.column()]


class _State:
    def __init__(self, session: Session):
        self.now = session.clock()
        self.freshness = snapshots.freshness(session)
        self.index = his_index.index_state(session)
        self.imports = snapshots.recent_imports(session, 20)
        self.peers = exchange.peers(session)
        self.fingerprints = {k.workstation: k.fingerprint for k in exchange.peer_keys(session)}
        local = next((p.workstation for p in self.peers if p.is_local), None)
        if local is not None:
            self.fingerprints[local] = signing.fingerprint(exchange.own_public_key(session))
        self.waiting = exchange.waiting_count(session)
        self.conflict_count = exchange.open_conflict_count(session)
        self.conflicts = (
            exchange.conflict_views(session) if session.user.can(Permission.READ_PATIENTS) else None
        )


class ExchangeView(QWidget):
    def __init__(
        self, controller: Controller, parent: QWidget | None = None, index_reader: IndexReader | None = None
    ):
        super().__init__(parent)
        self.controller = controller
        self.exchange_dir: Path | None = None
        self.index_reader = index_reader

        self.snapshot_label = QLabel()
        self.snapshot_label.setObjectName("snapshotAge")
        self.snapshot_label.setWordWrap(True)
        self.imports = ImportsModel(self)
        self.imports_table = self._table(self.imports)
        snap_box = QGroupBox(self.tr("Instantanés du DPI (avant la panne)"))
        snap_layout = QVBoxLayout(snap_box)
        snap_layout.addWidget(self.snapshot_label)
        snap_layout.addWidget(self.imports_table)
        self.index_label = QLabel()
        self.index_label.setObjectName("indexState")
        self.index_label.setWordWrap(True)
        self.import_index_button = QPushButton(self.tr("Importer l'&index du DPI…"))
        self.import_index_button.setObjectName("importIndexButton")
        self.import_index_button.clicked.connect(lambda: self.import_index())
        index_row = QHBoxLayout()
        index_row.addWidget(self.index_label, 1)
        index_row.addWidget(self.import_index_button)
        snap_layout.addLayout(index_row)  # in the view now: hiding it never shows a window of its own
        user = controller.session.user if controller.session else None
        self.import_index_button.setVisible(
            index_reader is not None and user is not None and user.role in INDEX_ROLES
        )

        self.peers = PeersModel(self)
        self.peers_table = self._table(self.peers)
        self.peers_table.setToolTip(
            self.tr("Connexion : vue par le Syncthing du kit sur ce poste (« — » : il ne tourne pas ici)")
        )
        self._carrier_asker = StoreExecutor(self)  # Syncthing's REST API: not on the store worker
        self._asking_carrier = False
        self.counts = QLabel()
        self.counts.setObjectName("exchangeCounts")
        self.export_button = QPushButton(self.tr("&Exporter un lot maintenant"))
        self.export_button.clicked.connect(self.export_now)
        self.import_button = QPushButton(self.tr("&Importer des lots…"))
        self.import_button.clicked.connect(self.import_files)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counts, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        peers_box = QGroupBox(self.tr("Postes du site : lots d'échange reçus"))
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peers_table)
        peers_layout.addLayout(buttons)

        self.conflicts = ConflictsModel(self)
        self.conflicts_table = self._table(self.conflicts)
        self.conflicts_table.doubleClicked.connect(lambda _i: self.resolve())
        self.resolve_button = QPushButton(self.tr("&Régler le conflit…"))
        self.resolve_button.clicked.connect(self.resolve)
        self.conflicts_box = QGroupBox(self.tr("Conflits entre postes à régler"))
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        conflicts_layout.addWidget(self.conflicts_table)
        conflicts_layout.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.addWidget(snap_box, 2)
        layout.addWidget(peers_box, 2)
        layout.addWidget(self.conflicts_box, 2)
        self.reload()
        self.watch = ChangeWatch(self, controller, CONCERNS, lambda _changes: self.reload())

    def _table(self, model: RowsTableModel[Any]) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def reload(self) -> None:
        self.controller.run(_State, self._show, lambda e: show_error(self, e))
        self._ask_carrier()

    def _ask_carrier(self) -> None:
        """Who Syncthing sees connected, asked on a thread of its own (it may take seconds)."""
        if self._asking_carrier:
            return
        self._asking_carrier = True
        home = syncthing.Instance.of(self.controller.workspace.folder).home

        def ask() -> SyncthingState | None:
            if syncthing.read_rest(home) is None:
                return None  # never configured here: the folder is carried by hand
            return syncthing.probe(home)

        def answered(state: SyncthingState | None) -> None:
            self._asking_carrier = False
            running = state is not None and state.running and state.error is None
            self.peers.set_links({p.name: p for p in state.peers} if running and state else None)

        def failed(_exc: Exception) -> None:
            self._asking_carrier = False
            self.peers.set_links(None)

        self._carrier_asker.submit(ask, answered, failed)

    def _show(self, state: _State) -> None:
        f = state.freshness
        if f.taken_at is None:
            text = self.tr(
                "Aucun instantané du DPI sur ce poste : le recensement ne montre que ce "
                "qui a été saisi ici ou reçu d'autres postes."
            )
        else:
            text = self.tr("Dernier instantané pris le {0}, il y a {1} (seuil d'alerte : {2}).").format(
                f.taken_at.astimezone().strftime("%d/%m/%Y %H:%M"), age_text(f.age), age_text(f.max_age)
            )
        if f.stale and f.taken_at is not None:
            text = self.tr("⚠ TROP ANCIEN — ") + text
        self.snapshot_label.setText(text)
        self.index_label.setText(
            self.tr(
                "Aucun index des identités du DPI sur ce poste : "
                "l'admission ne cherche que les patients d'ici."
            )
            if state.index is None
            else self.tr(
                "Index des identités du DPI : {0} identités, extraction {1} du {2}, importée le {3}."
            ).format(
                state.index.count,
                for_display(state.index.extraction),
                state.index.taken_at.astimezone().strftime("%d/%m/%Y %H:%M"),
                state.index.imported_at.astimezone().strftime("%d/%m/%Y %H:%M"),
            )
        )
        self.snapshot_label.setProperty("stale", f.stale)
        self.snapshot_label.setStyleSheet("color: #b00020; font-weight: bold;" if f.stale else "")
        self.imports.set_rows(state.imports)
        self.peers.now = state.now
        self.peers.fingerprints = state.fingerprints
        self.peers.set_rows(state.peers)
        self.counts.setText(
            self.tr("Changements en attente d'un lot manquant : {0} · conflits ouverts : {1}").format(
                state.waiting, state.conflict_count
            )
        )
        self.conflicts_box.setVisible(state.conflicts is not None)
        self.conflicts.set_rows(state.conflicts or [])
        self.resolve_button.setEnabled(bool(state.conflicts))
        for table in (self.imports_table, self.peers_table, self.conflicts_table):
            table.resizeColumnsToContents()
            table.horizontalHeader().setStretchLastSection(True)

    def export_now(self) -> None:
        data = self.controller.workspace.folder

        def work(session: Session) -> Path | None:
            _, target = folders(session, data)
            return bundles.write_bundle(session, target)

        self.controller.run(work, self._exported, lambda e: show_error(self, e), write=True)

    def _exported(self, path: Path | None) -> None:
        window = self.window()
        message = (
            self.tr("Rien de nouveau à exporter.")
            if path is None
            else self.tr("Lot d'échange écrit : {0}").format(path)
        )
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message, 15000)

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Importer des lots d'échange"), "", self.tr("Lots d'échange (*.cxb)")
        )
        if not names:
            return
        paths = [Path(n) for n in names]

        def work(session: Session) -> list[bundles.BundleResult]:
            return [bundles.import_file(session, p, grace=0) for p in sorted(paths)]

        self.controller.run(work, self._imported, lambda e: show_error(self, e), write=True)

    def _imported(self, results: list[bundles.BundleResult]) -> None:
        lines = []
        for r in results:
            if r.error_fr:
                lines.append(
                    self.tr("{0} : refusé — {1}").format(
                        for_display(r.name), r.error_en if english() else r.error_fr
                    )
                )
            elif r.report is not None:
                lines.append(
                    self.tr("{0} : {1} changement(s) appliqué(s), {2} en attente, {3} impossible(s)").format(
                        for_display(r.name), r.report.applied, r.report.waiting, r.report.failed
                    )
                )
            elif r.outcome is bundles.BundleOutcome.OWN:
                lines.append(self.tr("{0} : lot de ce poste même").format(for_display(r.name)))
            else:
                lines.append(self.tr("{0} : déjà importé").format(for_display(r.name)))
        inform(self, self.tr("Lots d'échange"), "\n".join(lines), name="importResultBox")

    def import_index(self, path: Path | None = None) -> IndexImportDialog | None:
        """Import an index file of the HIS's identities (IT and crisis cell), with its progress."""
        if self.index_reader is None:
            return None
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, self.tr("Importer l'index du DPI"), "")
            if not name:
                return None
            path = Path(name)
        dialog = IndexImportDialog(self.controller, file_source(path, self.index_reader), self)
        dialog.start()
        return dialog

    def resolve(self) -> None:
        index = self.conflicts_table.currentIndex()
        view = self.conflicts.row_at(index.row()) if index.isValid() else None
        if view is None:
            view = self.conflicts.row_at(0)
        if view is None:
            return
        dialog = ConflictDialog(self.controller, view, self)
        dialog.open()
