"""Ward view: bed board, patient list, search-as-you-type and the movement actions."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.admission_dialog import AdmissionDialog
from app.bed_board import BedBoard
from app.columns import ColumnFit
from app.controller import Controller
from app.errors import show_error
from app.movement_dialogs import DischargeDialog, TransferDialog
from app.patient_model import PatientTableModel
from app.printing import print_admission_slip
from app.refresh import ChangeWatch
from continuity.changes import Changes
from continuity.domain.movement import StayState
from continuity.domain.records import BedView, PatientSummary, Source, StayRecord
from continuity.domain.users import Permission
from continuity.services import patients
from continuity.services.patients import Admission, UfCensus
from continuity.session import Session

SEARCH_DELAY_MS = 0  # coalesces keys already queued; stale searches are skipped anyway
# The census (board and list) and search results: stays, identities, the site's beds.
CONCERNS = Changes.of("census", "patients", "site")
_SCANNED = re.compile(r"^[\d\s.\-]{6,}$")


class WardView(QWidget):
    status_message = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.census: list[UfCensus] = []
        self.current: PatientSummary | None = None
        self._generation = 0
        self.last_search_ms: float | None = None

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(
            self.tr(
                "Rechercher : nom, prénom, date de naissance, n° provisoire, IPP, NDA "
                "(ou scanner le bracelet) — Ctrl+F"
            )
        )
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.open_from_search)

        self.model = PatientTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("patientTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # Fixed widths from the font: measuring a thousand rows at each refresh froze the GUI.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_columns()
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.select(self.model.row_at(cur.row()))
        )
        self.table.activated.connect(lambda _i: self.transfer())

        self.board = BedBoard()
        self.board.bed_chosen.connect(self._bed_chosen)
        self.board.transfer_requested.connect(self.transfer_to)

        self.detail = QLabel(self.tr("Aucun patient sélectionné."))
        self.detail.setObjectName("patientDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("padding: 6px; border: 1px solid palette(mid);")

        self.buttons: dict[str, QPushButton] = {}
        actions: list[tuple[str, str, Callable[[], None]]] = [
            ("admitButton", self.tr("Admettre… (Ctrl+N)"), self.admit),
            ("transferButton", self.tr("Muter… (Ctrl+T)"), self.transfer),
            ("leaveButton", self.tr("Absence temporaire"), self.leave),
            ("returnButton", self.tr("Retour d'absence"), self.come_back),
            ("dischargeButton", self.tr("Sortie… (Ctrl+D)"), self.discharge),
            ("cancelButton", self.tr("Annuler le dernier mouvement (Ctrl+Z)"), self.cancel_last),
        ]
        bar = QHBoxLayout()
        for name, text, slot in actions:
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            self.buttons[name] = button
            bar.addWidget(button)
        bar.addStretch()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.detail)
        self.detail.setMinimumHeight(6 * self.fontMetrics().lineSpacing())
        splitter = QSplitter()
        splitter.addWidget(self.board)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([540, 740])

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._update_buttons()
        self.watch = ChangeWatch(self, controller, CONCERNS, lambda _changes: self.reload())

    def _size_columns(self) -> None:
        # Where the list is narrower than these (1024x768, large fonts), name, first name
        # and number give width: elided with "…", the whole text in their tooltip.
        self._columns = ColumnFit(self.table, self._column_widths, shrinkable=(0, 1, 6, 7))

    def _column_widths(self) -> list[int]:
        metrics = self.table.fontMetrics()
        samples = (
            ("BLANC (naiss. BENOÎT)",),
            ("Jean-Baptiste",),
            ("",),
            ("100",),
            ("00/00/0000",),
            ("CHIR",),
            ("110-A",),
            ("0000000000", "0000000 (DPI)"),
        )
        widths = []
        for column, texts in enumerate(samples):
            header = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widths.append(max(metrics.horizontalAdvance(t) for t in (*texts, header)) + 18)
        return widths

    # ------------------------------------------------------------------ loading
    def can_record(self, uf: str | None = None) -> bool:
        s = self.controller.session
        return s is not None and s.user.can(Permission.RECORD_MOVEMENTS, uf)

    def reload(self) -> None:
        self.controller.run(lambda s: patients.census(s), self._show_census, self._error)

    def _show_census(self, census: list[UfCensus]) -> None:
        self.census = census
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().lineSpacing() + 10)
        self.board.show_census(census)
        if not self.search.text().strip():
            self._show_census_rows()
        else:
            self.run_search()

    def _show_census_rows(self) -> None:
        """The patients of the census in the list (the board already shows them)."""
        rows = [b.occupant for uf in self.census for b in uf.beds if b.occupant]
        rows += [p for uf in self.census for p in uf.without_bed]
        self._set_rows(rows)

    def _set_rows(self, rows: list[PatientSummary]) -> None:
        keep = self.current.patient.id if self.current else None
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.select(None)

    # ------------------------------------------------------------------ search
    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self._generation += 1  # results of searches still running are now stale
            self._show_census_rows()
            return
        self._generation += 1
        generation = self._generation

        def work(session: Session) -> list[PatientSummary] | None:
            if generation != self._generation:
                return None  # the user typed more meanwhile: skip this one
            return patients.search(session, text)

        def shown(rows: list[PatientSummary] | None) -> None:
            if rows is not None and generation == self._generation:
                self._set_rows(rows)

        self.controller.run(work, shown, self._search_error)

    def _search_error(self, exc: Exception) -> None:
        self.model.set_rows([])
        self.status_message.emit(str(exc).split(" / ")[0])

    def open_from_search(self) -> None:
        """Enter in the search box: a scanned or typed number opens that patient at once."""
        text = self.search.text().strip()
        if not _SCANNED.match(text):
            self._debounce.stop()
            self.run_search()
            return

        def found(summary: PatientSummary) -> None:
            self._set_rows([summary])
            self.table.selectRow(0)
            self.table.setFocus()

        self.controller.run(lambda s: patients.find_patient(s, text), found, self._error)

    # ------------------------------------------------------------------ selection
    def select(self, summary: PatientSummary | None) -> None:
        self.current = summary
        if summary is None:
            self.detail.setText(self.tr("Aucun patient sélectionné."))
        else:
            self.detail.setText(self._describe(summary))
        self.board.show_patient(summary.patient.id if summary else None)
        self._update_buttons()

    def _describe(self, s: PatientSummary) -> str:
        i = s.patient.identity
        lines = [
            f"<b>{i.display_name}</b>" + (self.tr(" — <b>IDENTITÉ D'ATTENTE</b>") if i.placeholder else ""),
            self.tr("Nom de naissance : {0} — prénoms : {1}").format(
                i.birth_name, ", ".join(n.title() for n in i.first_names)
            ),
            self.tr("Né(e) le {0} — sexe {1}").format(f"{i.birth_date:%d/%m/%Y}", i.sex.value),
        ]
        if s.patient.source is Source.HIS:
            lines.append(
                self.tr("IPP du SIH : <b>{0}</b> (instantané d'avant la panne)").format(s.patient.number)
            )
        else:
            lines.append(self.tr("N° provisoire (IPP) : <b>{0}</b>").format(s.patient.number))
            if s.patient.ipp:
                lines.append(self.tr("IPP du SIH : {0}").format(s.patient.ipp))
        if s.stay:
            where = f"{s.stay.uf_code} / {s.stay.bed_code or self.tr('sans lit')}"
            state = (
                self.tr("absent (absence temporaire)")
                if (s.stay.state is StayState.ON_LEAVE)
                else self.tr("présent")
            )
            lines.append(
                self.tr("Séjour {0} : {1}, {2}, admis le {3}").format(
                    s.stay.number,
                    where,
                    state,
                    s.stay.admitted_at.astimezone().strftime("%d/%m/%Y %H:%M") if s.stay.admitted_at else "-",
                )
            )
        else:
            lines.append(self.tr("Pas de séjour en cours."))
        return "<br>".join(lines)

    def _update_buttons(self) -> None:
        s = self.current
        stay = s.stay if s else None
        allowed = stay is not None and self.can_record(stay.uf_code)
        present = allowed and stay is not None and stay.state is StayState.PRESENT
        on_leave = allowed and stay is not None and stay.state is StayState.ON_LEAVE
        for button in self.buttons.values():
            button.setVisible(self.can_record())  # read-only census for the crisis cell
        self.buttons["admitButton"].setEnabled(self.can_record())
        self.buttons["transferButton"].setEnabled(present)
        self.buttons["leaveButton"].setEnabled(present)
        self.buttons["returnButton"].setEnabled(on_leave)
        self.buttons["dischargeButton"].setEnabled(present or on_leave)
        self.buttons["cancelButton"].setEnabled(allowed)

    def _bed_chosen(self, bed: BedView) -> None:
        if bed.occupant is not None:
            row = self.model.row_of(bed.occupant.patient.id)
            if row >= 0:
                self.table.selectRow(row)
            else:
                self.select(bed.occupant)
        elif not bed.blocked and self.can_record(bed.uf_code):
            self.admit(bed.uf_code, bed.bed_code)

    # ------------------------------------------------------------------ actions
    def admit(self, uf: str | None = None, bed: str | None = None) -> None:
        if not self.can_record():
            return
        dialog = AdmissionDialog(self.controller, self, preset_uf=uf, preset_bed=bed)
        dialog.admitted.connect(self._admitted)
        dialog.open()

    def _admitted(self, admission: Admission) -> None:
        self.current = None
        self.status_message.emit(
            self.tr("Admission enregistrée — n° provisoire {0}, séjour {1}").format(
                admission.patient.number, admission.stay.number
            )
        )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Patient admis"),
            self.tr(
                "Patient admis.\n\nN° provisoire (IPP) : {0}\n"
                "N° de séjour (NDA) : {1}\n\nReportez ce numéro sur tout "
                "document papier."
            ).format(admission.patient.number, admission.stay.number),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("admissionResult")
        print_button = box.addButton(self.tr("Imprimer…"), QMessageBox.ButtonRole.ActionRole)
        print_button.setObjectName("printButton")
        print_button.clicked.connect(lambda: print_admission_slip(self, admission))
        box.open()

    def _with_stay(self) -> PatientSummary | None:
        return self.current if self.current and self.current.stay else None

    def transfer(self) -> None:
        s = self._with_stay()
        if s and self.buttons["transferButton"].isEnabled():
            dialog = TransferDialog(self.controller, s, self)
            dialog.accepted.connect(lambda: self._moved(self.tr("Mutation enregistrée")))
            dialog.open()

    def transfer_to(self, source: BedView, target: BedView) -> None:
        """A patient tile dropped on a free bed: the transfer dialog, preset, asks to confirm."""
        s = source.occupant
        if (
            s is None
            or s.stay is None
            or s.stay.state is not StayState.PRESENT
            or not self.can_record(s.stay.uf_code)
        ):
            return
        dialog = TransferDialog(
            self.controller, s, self, preset_uf=target.uf_code, preset_bed=target.bed_code
        )
        dialog.accepted.connect(lambda: self._moved(self.tr("Mutation enregistrée")))
        dialog.open()

    def discharge(self) -> None:
        s = self._with_stay()
        if s and self.buttons["dischargeButton"].isEnabled():
            dialog = DischargeDialog(self.controller, s, self)
            dialog.accepted.connect(lambda: self._moved(self.tr("Sortie enregistrée")))
            dialog.open()

    def leave(self) -> None:
        self._confirm_and_run(
            "leaveButton",
            self.tr("Enregistrer le départ en absence temporaire de {0} ? Le lit reste réservé."),
            patients.start_leave,
            self.tr("Absence enregistrée"),
        )

    def come_back(self) -> None:
        self._confirm_and_run(
            "returnButton",
            self.tr("Enregistrer le retour de {0} ?"),
            patients.end_leave,
            self.tr("Retour enregistré"),
        )

    def cancel_last(self) -> None:
        self._confirm_and_run(
            "cancelButton",
            self.tr("Annuler le dernier mouvement de {0} ? (une admission annulée libère le lit)"),
            patients.cancel_last,
            self.tr("Dernier mouvement annulé"),
        )

    def _confirm_and_run(
        self, button: str, question: str, action: Callable[..., StayRecord], done_text: str
    ) -> None:
        s = self._with_stay()
        if s is None or s.stay is None or not self.buttons[button].isEnabled():
            return
        stay = s.stay
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Confirmer"),
            question.format(s.patient.identity.display_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmBox")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)

        def confirmed(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.controller.run(
                    lambda session: action(session, stay.id, expected_version=stay.version),
                    lambda _stay: self._moved(done_text),
                    self._error,
                    write=True,
                )

        box.finished.connect(confirmed)
        box.open()

    def _moved(self, text: str) -> None:
        self.status_message.emit(text + self.tr(" — Ctrl+Z pour annuler"))

    def _error(self, exc: Exception) -> None:
        show_error(self, exc)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def forget(self) -> None:
        """Drop every patient shown (the store was locked)."""
        self.census = []
        self.current = None
        self.model.set_rows([])
        self.board.show_census([])
        self.detail.setText("")
        self.search.clear()
