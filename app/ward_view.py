"""Ward view: bed board, patient list, search-as-you-type and the movement actions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
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
from app.bed_board import BedBoard, Tile
from app.columns import ColumnFit
from app.controller import Controller
from app.dialogs import confirm
from app.errors import error_label, message_for, show_error
from app.movement_dialogs import CorrectMovementDialog, DischargeDialog, ReopenBedDialog, TransferDialog
from app.patient_model import PatientTableModel
from app.refresh import ChangeWatch
from app.settings import english
from app.texts import patient_line, status_text
from continuity.changes import Changes
from continuity.domain.drafts import Draft
from continuity.domain.his_index import IndexHit
from continuity.domain.identity import STATUS_LABELS
from continuity.domain.movement import Movement, MovementKind, StayState
from continuity.domain.records import BedView, PatientSummary, Source, StayRecord
from continuity.domain.users import Permission
from continuity.errors import BedTaken
from continuity.services import patients, undo
from continuity.services.patients import Admission, Found, UfCensus
from continuity.session import Session

SEARCH_DELAY_MS = 0  # coalesces keys already queued; stale searches are skipped anyway
# The census (board and list) and search results: stays, identities, the site's beds.
CONCERNS = Changes.of("census", "patients", "site")
_SCANNED = re.compile(r"^[\d\s.\-]{6,}$")


class WardView(QWidget):
    status_message = Signal(str)
    undo_offered = Signal(str)  # a movement was recorded here: the status bar offers to undo it
    print_requested = Signal(str)  # "wristband" or "labels", for the current patient
    actions_changed = Signal()  # which actions the current patient allows changed

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
        self._debounce.timeout.connect(lambda: self.run_search(typed=True))
        self.search.textEdited.connect(self._search_edited)
        self.search.returnPressed.connect(self.open_from_search)
        # a wrong scan is said here, under the field, and leaves it ready for the next scan
        self.search_error = error_label("searchError")
        self._syncing = False
        self.search.installEventFilter(self)  # Ctrl+Z there undoes a movement, not the typing

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
            lambda cur, _prev: self._row_chosen(cur.row() if cur.isValid() else -1)
        )
        self.table.activated.connect(self._activated)

        self.board = BedBoard()
        self.board.bed_chosen.connect(self._bed_chosen)
        self.board.patient_focused.connect(self.select)
        self.board.transfer_requested.connect(self.transfer_to)

        self.detail = QLabel(self.tr("Aucun patient sélectionné."))
        self.detail.setObjectName("patientDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("padding: 6px; border: 1px solid palette(mid);")

        self.buttons: dict[str, QPushButton] = {}
        # short texts (the bar fits 1024 px, large fonts too); the whole action in the tooltip
        actions: list[tuple[str, str, str, Callable[[], None]]] = [
            ("admitButton", self.tr("Admettre…"), self.tr("Admettre un patient (Ctrl+N)"), self.admit),
            ("transferButton", self.tr("Muter…"), self.tr("Muter le patient (Ctrl+T)"), self.transfer),
            ("leaveButton", self.tr("Absence"), self.tr("Départ en absence temporaire"), self.leave),
            ("returnButton", self.tr("Retour"), self.tr("Retour d'absence temporaire"), self.come_back),
            ("dischargeButton", self.tr("Sortie…"), self.tr("Sortie du patient (Ctrl+D)"), self.discharge),
            (
                "cancelButton",
                self.tr("Annuler le mouvement"),
                self.tr("Annuler le dernier mouvement du patient (Ctrl+Z)"),
                self.cancel_last,
            ),
        ]
        bar = QHBoxLayout()
        for name, text, tip, slot in actions:
            button = QPushButton(text)
            button.setObjectName(name)
            button.setToolTip(tip)
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
        layout.addWidget(self.search_error)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._update_buttons()
        self.watch = ChangeWatch(self, controller, CONCERNS, lambda _changes: self.reload())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """The search box leaves Ctrl+Z to the window: "Annuler le dernier mouvement"."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

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

    def _set_rows(
        self, rows: list[PatientSummary], typed: bool = False, hits: Sequence[IndexHit] = ()
    ) -> None:
        """New rows in the list (then the identities of the HIS index a search found). The
        current patient stays current (refreshed) unless a new search was typed that does
        not find them: then nobody is."""
        keep = self.current.patient.id if self.current else None
        self.model.set_rows(rows, hits)
        row = self.model.row_of(keep) if keep else -1
        found = self.model.row_at(row) if row >= 0 else None
        if found is not None and found.stay is not None:
            self.select(found)
        elif found is not None:
            self.show_patient(found.patient.id)  # a row has open stays only: the one they left
        elif keep is not None and not typed:
            self.show_patient(keep)  # out of the list now (discharged...): still the one shown
        else:
            self.select(None)

    # ------------------------------------------------------------------ search
    def _search_edited(self, _text: str) -> None:
        self._clear_search_error()
        self._debounce.start()

    def _clear_search_error(self) -> None:
        self.search_error.hide()
        self.search.setStyleSheet("")

    def run_search(self, typed: bool = False) -> None:
        text = self.search.text().strip()
        if not text:
            self._generation += 1  # results of searches still running are now stale
            self._show_census_rows()
            return
        self._generation += 1
        generation = self._generation

        def work(session: Session) -> list[Found] | None:
            if generation != self._generation:
                return None  # the user typed more meanwhile: skip this one
            return patients.search_all(session, text)

        def shown(found: list[Found] | None) -> None:
            if found is not None and generation == self._generation:
                rows = [f for f in found if isinstance(f, PatientSummary)]
                self._set_rows(rows, typed, [f for f in found if isinstance(f, IndexHit)])

        self.controller.run(work, shown, self._search_error)

    def _search_error(self, exc: Exception) -> None:
        """Inline, in the interface's language; the text is selected so the next scan replaces it."""
        self.model.set_rows([])
        self.select(None)
        self.search_error.setText(message_for(exc))
        self.search_error.show()
        self.search.setStyleSheet("QLineEdit { border: 2px solid #b00020; }")
        self.search.setFocus()
        self.search.selectAll()

    def open_from_search(self) -> None:
        """Enter in the search box: a scanned or typed number opens that patient at once."""
        text = self.search.text().strip()
        if not _SCANNED.match(text):
            self._debounce.stop()
            self.run_search()
            return

        self._debounce.stop()  # the search typed so far is replaced by this look-up
        self._generation += 1
        generation = self._generation

        def found(summary: PatientSummary) -> None:
            if generation != self._generation:
                return
            self._clear_search_error()
            self.current = None
            self._set_rows([summary])
            if summary.stay is None:
                self.show_patient(summary.patient.id)  # discharged: their last stay, to undo it
            else:
                self.select(summary)
            self.table.setFocus()

        self.controller.run(lambda s: patients.find_patient(s, text), found, self._search_error)

    # ------------------------------------------------------------------ selection
    def _row_chosen(self, row: int) -> None:
        hit = self.model.hit_at(row)
        if hit is None:
            self.select(self.model.row_at(row))
        elif not self._syncing:
            self.current = None  # not a patient here: no movement applies
            self.board.show_patient(None)
            self.detail.setText(self._describe_hit(hit))
            self._update_buttons()

    def _activated(self, index: QModelIndex) -> None:
        """Enter or a double click on a row: transfer the patient, or admit the index identity."""
        hit = self.model.hit_at(index.row())
        if hit is None:
            self.transfer()
        elif self.can_record():
            self._open_admission(AdmissionDialog(self.controller, self, known_query=hit.ipp))

    def _describe_hit(self, hit: IndexHit) -> str:
        i = hit.identity
        return "<br>".join(
            [
                f"<b>{i.display_name}</b>" + self.tr(" — « Index DPI »"),
                self.tr("Nom de naissance : {0} — prénoms : {1}").format(
                    i.birth_name, ", ".join(n.title() for n in i.first_names)
                ),
                self.tr("Né(e) le {0} — sexe {1}").format(f"{i.birth_date:%d/%m/%Y}", i.sex.value),
                self.tr("IPP du SIH : <b>{0}</b> — identité {1} (issu de l'index du DPI)").format(
                    hit.ipp, status_text(i.status)
                ),
                self.tr("Pas encore admis ici : Entrée pour l'admettre sous cette identité du DPI."),
            ]
        )

    def select(self, summary: PatientSummary | None) -> None:
        """Make ``summary`` the one current patient: the list, the board and the panel show it."""
        if self._syncing:
            return
        self._syncing = True
        try:
            self.current = summary
            patient_id = summary.patient.id if summary else None
            row = self.model.row_of(patient_id) if patient_id else -1
            selection = self.table.selectionModel()
            if row >= 0:
                if not selection.isRowSelected(row) or self.table.currentIndex().row() != row:
                    self.table.selectRow(row)
            else:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.board.show_patient(patient_id)
            self.detail.setText(self._describe(summary) if summary else self.tr("Aucun patient sélectionné."))
            if summary is not None:
                self._look_for_homonyms(summary)
            self._update_buttons()
        finally:
            self._syncing = False

    def _look_for_homonyms(self, summary: PatientSummary) -> None:
        """Then the panel says whether the patient has homonyms (read on the worker)."""
        patient_id = summary.patient.id

        def found(homonyms: patients.Homonyms) -> None:
            if homonyms.count and self.current is not None and self.current.patient.id == patient_id:
                self.detail.setText(self._describe(self.current, homonyms))

        self.controller.run(lambda s: patients.homonyms(s, patient_id), found, lambda _e: None)

    def show_patient(self, patient_id: str) -> None:
        """Read the patient again (their open stay, or the one they left) and make them current."""

        def shown(summary: PatientSummary) -> None:
            if self.current is None or self.current.patient.id == patient_id:
                self.select(summary)

        self.current = self.current if self.current and self.current.patient.id == patient_id else None
        self.controller.run(lambda s: undo.last_stay_of(s, patient_id), shown, lambda _e: self.select(None))

    def _describe(self, s: PatientSummary, homonyms: patients.Homonyms | None = None) -> str:
        """The identity in RNIV's order and form: strict traits, then complementary ones, then
        the status and its attributes; then the numbers and the stay."""
        i = s.patient.identity
        born = {"F": self.tr("Née le {0}"), "M": self.tr("Né le {0}")}.get(
            i.sex.value, self.tr("Né(e) le {0}")
        )
        place = i.birth_place_insee or "—"
        if i.birth_place_name:
            place += f" ({escape(i.birth_place_name)})"
        lines = [
            f"<b>{escape(i.display_name)}</b>"
            + (self.tr(" — <b>IDENTITÉ D'ATTENTE</b>") if i.placeholder else ""),
            self.tr(
                "<u>Traits stricts</u> : nom de naissance <b>{0}</b> — prénoms de naissance {1} "
                "(1er prénom : {2})"
            ).format(
                escape(i.birth_name.upper()),
                escape(" ".join(n.upper() for n in i.first_names)),
                escape(i.first_names[0].upper()),
            ),
            born.format(f"{i.birth_date:%d/%m/%Y}")
            + self.tr(" — sexe {0} — lieu de naissance {1}").format(i.sex.value, place)
            + (self.tr(" — INS {0} ({1})").format(i.ins, i.ins_type) if i.ins else ""),
            self.tr("<u>Traits complémentaires</u> : nom utilisé {0} — prénom utilisé {1}").format(
                escape((i.used_name or "—").upper()), escape((i.used_first_name or "—").upper())
            ),
        ]
        reliability = self.tr("Identité {0}").format(STATUS_LABELS[i.status][1 if english() else 0])
        if i.validated_by and i.validated_on:
            reliability += self.tr(" (pièce vérifiée par {0} le {1})").format(
                escape(i.validated_by), f"{i.validated_on:%d/%m/%Y}"
            )
        if i.doubtful:
            reliability += self.tr(" — <b>IDENTITÉ DOUTEUSE</b>")
        if i.fictitious:
            reliability += self.tr(" — <b>identité fictive</b>")
        if i.ins_unverified:
            reliability += self.tr(
                " — matricule INS non vérifié (transmis seulement une fois qualifié par le DPI)"
            )
        lines.append(reliability)
        if homonyms is not None and homonyms.count:
            lines.append(
                self.tr(
                    "<b>HOMONYME</b> : {0} autre(s) identité(s) de même nom, 1er prénom et date de "
                    "naissance — vérifiez l'identité à chaque acte"
                ).format(homonyms.count)
                if homonyms.count > 1
                else self.tr(
                    "<b>HOMONYME</b> : 1 autre identité de même nom, 1er prénom et date de "
                    "naissance — vérifiez l'identité à chaque acte"
                )
            )
        if s.patient.from_index:
            lines.append(self.tr("IPP du SIH : <b>{0}</b> (issu de l'index du DPI)").format(s.patient.number))
        elif s.patient.source is Source.HIS:
            lines.append(
                self.tr("IPP du SIH : <b>{0}</b> (instantané d'avant la panne)").format(s.patient.number)
            )
        else:
            lines.append(self.tr("N° provisoire (IPP) : <b>{0}</b>").format(s.patient.number))
            if s.patient.ipp:
                lines.append(self.tr("IPP du SIH : {0}").format(s.patient.ipp))
        if s.stay and s.stay.state is StayState.DISCHARGED:
            left = (
                s.stay.discharged_at.astimezone().strftime("%d/%m/%Y %H:%M") if s.stay.discharged_at else "-"
            )
            lines.append(
                self.tr("Séjour {0} : sorti(e) le {1} de {2} / {3} — Ctrl+Z pour annuler la sortie").format(
                    s.stay.number, left, s.stay.uf_code or "-", s.stay.bed_code or "-"
                )
            )
        elif s.stay:
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

    def can_cancel_late(self) -> bool:
        s = self.controller.session
        return s is not None and s.user.can(Permission.CANCEL_LATE)

    def _update_buttons(self) -> None:
        s = self.current
        stay = s.stay if s else None
        allowed = stay is not None and self.can_record(stay.uf_code)
        present = allowed and stay is not None and stay.state is StayState.PRESENT
        on_leave = allowed and stay is not None and stay.state is StayState.ON_LEAVE
        for button in self.buttons.values():
            button.setVisible(self.can_record())  # read-only census for the crisis cell...
        cancel = self.buttons["cancelButton"]
        cancel.setVisible(self.can_record() or self.can_cancel_late())  # ...which may undo late
        self.buttons["admitButton"].setEnabled(self.can_record())
        self.buttons["transferButton"].setEnabled(present)
        self.buttons["leaveButton"].setEnabled(present)
        self.buttons["returnButton"].setEnabled(on_leave)
        self.buttons["dischargeButton"].setEnabled(present or on_leave)
        cancel.setEnabled(
            stay is not None and stay.state is not StayState.CANCELLED and (allowed or self.can_cancel_late())
        )
        self.actions_changed.emit()

    def _bed_chosen(self, tile: Tile) -> None:
        bed = tile.bed
        if tile.occupant is not None:
            self.select(tile.occupant)
        elif bed is not None and not bed.blocked and self.can_record(bed.uf_code):
            self.admit(bed.uf_code, bed.bed_code)

    # ------------------------------------------------------------------ actions
    def admit(self, uf: str | None = None, bed: str | None = None) -> None:
        if not self.can_record():
            return
        self._open_admission(AdmissionDialog(self.controller, self, preset_uf=uf, preset_bed=bed))

    def resume_admission(self, draft: Draft) -> AdmissionDialog:
        """An admission a crash or a kill interrupted, filled back from its draft."""
        return self._open_admission(AdmissionDialog.resume(self.controller, self, draft))

    def _open_admission(self, dialog: AdmissionDialog) -> AdmissionDialog:
        dialog.admitted.connect(self._admitted)
        dialog.open_existing.connect(self._opened_existing)
        dialog.open()
        return dialog

    def _opened_existing(self, summary: PatientSummary) -> None:
        self.show_patient(summary.patient.id)
        self.status_message.emit(
            self.tr("Patient déjà en séjour : {0} — aucune identité créée").format(patient_line(summary))
        )

    def _admitted(self, admission: Admission) -> None:
        """The admitted patient becomes the current one (their undo, their wristband)."""
        self.select(PatientSummary(patient=admission.patient, stay=admission.stay))
        his = admission.patient.source is Source.HIS
        self._offer_undo(
            (
                self.tr("Admission enregistrée — IPP du DPI {0}, séjour {1}")
                if his
                else self.tr("Admission enregistrée — n° provisoire {0}, séjour {1}")
            ).format(admission.patient.number, admission.stay.number)
        )
        number = (
            (
                self.tr("IPP du DPI : {0} (issu de l'index du DPI)")
                if admission.patient.from_index
                else self.tr("IPP du DPI : {0}")
            )
            if his
            else self.tr("N° provisoire (IPP) : {0}")
        ).format(admission.patient.number)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Patient admis"),
            self.tr(
                "Patient admis : {0}.\n\n{1}\n"
                "N° de séjour (NDA) : {2}\n\nReportez ces numéros sur tout "
                "document papier."
            ).format(admission.patient.identity.display_name, number, admission.stay.number),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("admissionResult")
        # the same preview and documents (forms/) as the Imprimer menu
        band = box.addButton(self.tr("Imprimer le bracelet…"), QMessageBox.ButtonRole.ActionRole)
        band.setObjectName("printWristbandButton")
        band.clicked.connect(lambda: self.print_requested.emit("wristband"))
        labels = box.addButton(self.tr("Imprimer les étiquettes…"), QMessageBox.ButtonRole.ActionRole)
        labels.setObjectName("printLabelsButton")
        labels.clicked.connect(lambda: self.print_requested.emit("labels"))
        close = box.addButton(self.tr("Fermer"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(close)
        box.setEscapeButton(close)
        box.open()

    def _with_stay(self) -> PatientSummary | None:
        return self.current if self.current and self.current.stay else None

    def transfer(self) -> None:
        s = self._with_stay()
        if s and self.buttons["transferButton"].isEnabled():
            dialog = TransferDialog(self.controller, s, self)
            dialog.accepted.connect(lambda: self._moved(s, self.tr("Mutation enregistrée")))
            dialog.open()

    def transfer_to(self, s: PatientSummary, target: BedView) -> None:
        """A patient tile dropped on a free bed: the transfer dialog, preset, asks to confirm."""
        if s.stay is None or s.stay.state is not StayState.PRESENT or not self.can_record(s.stay.uf_code):
            return
        self.select(s)
        dialog = TransferDialog(
            self.controller, s, self, preset_uf=target.uf_code, preset_bed=target.bed_code
        )
        dialog.accepted.connect(lambda: self._moved(s, self.tr("Mutation enregistrée")))
        dialog.open()

    def discharge(self) -> None:
        s = self._with_stay()
        if s and self.buttons["dischargeButton"].isEnabled():
            dialog = DischargeDialog(self.controller, s, self)
            dialog.accepted.connect(lambda: self._moved(s, self.tr("Sortie enregistrée")))
            dialog.open()

    def leave(self) -> None:
        s = self._with_stay()
        if s is None or not self.buttons["leaveButton"].isEnabled():
            return
        self._confirm(
            s,
            self.tr("Absence temporaire"),
            self.tr("Enregistrer le départ en absence temporaire de {0} ? Le lit reste réservé."),
            self.tr("Confirmer l'absence"),
            lambda stay: (
                lambda session: patients.start_leave(session, stay.id, expected_version=stay.version)
            ),
            self.tr("Absence enregistrée"),
        )

    def come_back(self) -> None:
        s = self._with_stay()
        if s is None or not self.buttons["returnButton"].isEnabled():
            return
        self._confirm(
            s,
            self.tr("Retour d'absence"),
            self.tr("Enregistrer le retour de {0} ?"),
            self.tr("Confirmer le retour"),
            lambda stay: lambda session: patients.end_leave(session, stay.id, expected_version=stay.version),
            self.tr("Retour enregistré"),
        )

    def can_correct(self) -> bool:
        """The current patient has a stay whose movements this user may correct (the service
        checks the undo window: the ward within it, the crisis cell later)."""
        stay = self.current.stay if self.current else None
        return (
            stay is not None
            and stay.state is not StayState.CANCELLED
            and (self.can_record(stay.uf_code) or self.can_cancel_late())
        )

    def correct_movement(self) -> None:
        """Correct a movement of the current patient's stay (its time, or a transfer's bed)."""
        s = self._with_stay()
        if s is None or not self.can_correct():
            return
        dialog = CorrectMovementDialog(self.controller, s, self)
        dialog.accepted.connect(lambda: self._moved(s, self.tr("Mouvement corrigé"), offer_undo=False))
        dialog.open()

    def _undo_words(self, movement: Movement) -> str:
        return {
            MovementKind.ADMISSION: self.tr("l'admission"),
            MovementKind.TRANSFER: self.tr("la mutation"),
            MovementKind.LEAVE: self.tr("le départ en absence temporaire"),
            MovementKind.RETURN: self.tr("le retour d'absence"),
            MovementKind.DISCHARGE: self.tr("la sortie"),
        }.get(movement.kind, self.tr("le dernier mouvement"))

    def cancel_last(self) -> None:
        """Undo the current patient's last movement (Ctrl+Z), a discharge or an admission included."""
        s = self._with_stay()
        if s is None or s.stay is None or not self.buttons["cancelButton"].isEnabled():
            return
        stay_id = s.stay.id

        def ask(movement: Movement | None) -> None:
            if movement is None:
                self.status_message.emit(self.tr("Aucun mouvement à annuler pour ce patient"))
                return
            what = self._undo_words(movement)
            note = self.tr(" Le lit sera libéré.") if movement.kind is MovementKind.ADMISSION else ""
            self._confirm(
                s,
                self.tr("Annuler {0}").format(what),
                self.tr("Annuler {0} de {{0}} ?").format(what) + note,
                self.tr("Annuler {0}").format(what),
                lambda stay: (
                    lambda session: undo.cancel_last(session, stay.id, expected_version=stay.version)
                ),
                self.tr("Annulation enregistrée : {0}").format(what),
                offer_undo=False,
            )

        self.controller.run(lambda session: undo.undoable(session, stay_id), ask, self._error)

    def _confirm(
        self,
        s: PatientSummary,
        title: str,
        question: str,
        confirm_text: str,
        action: Callable[[StayRecord], Callable[[Session], StayRecord]],
        done_text: str,
        offer_undo: bool = True,
    ) -> None:
        """Ask, naming the patient (title and text); the confirm button says what it does."""
        stay = s.stay
        assert stay is not None
        who = patient_line(s)

        def confirmed() -> None:
            self.controller.run(
                action(stay),
                lambda _stay: self._moved(s, done_text, offer_undo=offer_undo),
                lambda exc: self._failed_move(s, exc),
                write=True,
            )

        confirm(
            self,
            f"{title} — {who}",
            question.format(who),
            confirm_text,
            confirmed,
            cancel=self.tr("Ne rien changer"),  # « Annuler » would read as the undo itself
        )

    def _failed_move(self, s: PatientSummary, exc: Exception) -> None:
        if isinstance(exc, BedTaken):
            self._ask_reopen_bed(s, exc)
            return
        self._error(exc)

    def _ask_reopen_bed(self, s: PatientSummary, taken: BedTaken) -> None:
        """Undoing a discharge whose bed went to another patient: which bed now."""
        stay = s.stay
        assert stay is not None

        def ask(beds: list[str]) -> None:
            dialog = ReopenBedDialog(s, taken.bed_code, beds, self)
            dialog.chosen.connect(
                lambda bed: self.controller.run(
                    lambda session: undo.cancel_last(session, stay.id, reopen_bed=bed),
                    lambda _stay: self._moved(s, self.tr("Sortie annulée"), offer_undo=False),
                    self._error,
                    write=True,
                )
            )
            dialog.open()

        self.controller.run(lambda session: patients.free_beds(session, taken.uf_code), ask, self._error)

    def _moved(self, s: PatientSummary, text: str, offer_undo: bool = True) -> None:
        """After a movement the patient stays the current one (discharged too), undo on offer."""
        self.show_patient(s.patient.id)
        if offer_undo:
            self._offer_undo(text)
        else:
            self.status_message.emit(text)

    def _offer_undo(self, text: str) -> None:
        self.undo_offered.emit(text + self.tr(" — Ctrl+Z pour annuler"))

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
