"""Dialogs for transfers, discharges and movement corrections; the movement itself is the services' work."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.dialogs import confirm_cancel_buttons
from app.errors import error_label, message_for
from app.form_fields import FormFields
from app.form_guard import FormGuard
from app.texts import patient_line
from continuity.domain.movement import PLACED, DischargeDestination, DischargeMode, Movement, MovementKind
from continuity.domain.records import PatientSummary, StayRecord
from continuity.services import corrections, patients
from continuity.session import Session


class _MovementDialog(QDialog):
    def __init__(
        self, controller: Controller, summary: PatientSummary, title: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.controller = controller
        self.summary = summary
        assert summary.stay is not None
        self.stay: StayRecord = summary.stay
        # the patient is named in the title and in bold: a wrong choice shows before it is made
        self.setWindowTitle(f"{title} — {patient_line(summary)}")
        self.setMinimumWidth(440)
        who = QLabel(f"<b>{escape(patient_line(summary))}</b>")
        who.setObjectName("patientLine")
        who.setWordWrap(True)
        self.form = QFormLayout()
        self.error = error_label()
        self.buttons = confirm_cancel_buttons(self, self.tr("Valider"), "okButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_stay: StayRecord | None = None
        self.typed = FormFields({})  # what a subclass lets its user type (asked about before dropping)
        self.guard = FormGuard(self, controller, lambda: self.typed.is_filled())

    def reject(self) -> None:  # Esc, Annuler, the window's close button: asks when something was typed
        self.guard.reject()

    def save(self) -> None:
        raise NotImplementedError

    def _done(self, stay: StayRecord) -> None:
        self.result_stay = stay
        self.accept()

    def _show_error(self, exc: Exception) -> None:
        self.error.setText(message_for(exc))
        self.error.show()


class TransferDialog(_MovementDialog):
    def __init__(
        self,
        controller: Controller,
        summary: PatientSummary,
        parent: QWidget | None = None,
        preset_uf: str | None = None,
        preset_bed: str | None = None,
    ):
        super().__init__(controller, summary, self.tr("Mutation"), parent)
        self.setObjectName("transferDialog")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Muter"))
        self.uf = QComboBox()
        self.uf.setObjectName("uf")
        self.bed = QComboBox()
        self.bed.setObjectName("bed")
        self.form.addRow(self.tr("UF de destination"), self.uf)
        self.form.addRow(self.tr("Lit"), self.bed)
        self._preset = (preset_uf, preset_bed)
        self.uf.currentIndexChanged.connect(self._load_beds)
        controller.run(patients.list_ufs, self._fill_ufs, self._show_error)

    def _fill_ufs(self, ufs: list[tuple[str, str]]) -> None:
        self.uf.blockSignals(True)
        for code, name in ufs:
            self.uf.addItem(f"{code} — {name}", code)
        self.uf.blockSignals(False)
        target = self._preset[0] or self.stay.uf_code
        self.uf.setCurrentIndex(max(0, self.uf.findData(target)))
        self._load_beds()

    def _load_beds(self) -> None:
        uf = self.uf.currentData()
        if uf:
            self.controller.run(lambda s: patients.free_beds(s, uf), self._fill_beds, self._show_error)

    def _fill_beds(self, beds: list[str]) -> None:
        self.bed.clear()
        self.bed.addItem(self.tr("— sans lit —"), "")
        for code in beds:
            self.bed.addItem(code, code)
        if self._preset[1]:
            self.bed.setCurrentIndex(max(0, self.bed.findData(self._preset[1])))
        elif beds:
            self.bed.setCurrentIndex(1)

    def save(self) -> None:
        uf, bed, stay = self.uf.currentData(), self.bed.currentData() or None, self.stay

        def work(session: Session) -> StayRecord:
            return patients.transfer(session, stay.id, uf or "", bed, expected_version=stay.version)

        self.controller.run(work, self._done, self._show_error, write=True)


class DischargeDialog(_MovementDialog):
    def __init__(self, controller: Controller, summary: PatientSummary, parent: QWidget | None = None):
        super().__init__(controller, summary, self.tr("Sortie"), parent)
        self.setObjectName("dischargeDialog")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Enregistrer la sortie"))
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for mode, label in (
            (DischargeMode.HOME, self.tr("8 — domicile")),
            (DischargeMode.MUTATION, self.tr("6 — mutation (même établissement)")),
            (DischargeMode.TRANSFER, self.tr("7 — transfert (autre établissement)")),
            (DischargeMode.DEATH, self.tr("9 — décès")),
        ):
            self.mode.addItem(label, mode.value)
        self.destination = QComboBox()
        self.destination.setObjectName("destination")
        self.destination.addItem(self.tr("—"), "")
        for dest, label in (
            (DischargeDestination.MCO, self.tr("1 — MCO")),
            (DischargeDestination.SMR, self.tr("2 — SMR")),
            (DischargeDestination.SLD, self.tr("3 — soins de longue durée")),
            (DischargeDestination.PSY, self.tr("4 — psychiatrie")),
            (DischargeDestination.HAD, self.tr("6 — HAD")),
            (DischargeDestination.MEDICO_SOCIAL, self.tr("7 — structure médico-sociale")),
        ):
            self.destination.addItem(label, dest.value)
        self.detail = QLineEdit()
        self.detail.setObjectName("destinationDetail")
        self.form.addRow(self.tr("Mode de sortie"), self.mode)
        self.form.addRow(self.tr("Destination"), self.destination)
        self.form.addRow(self.tr("Établissement / précision"), self.detail)
        self.typed = FormFields({"destination_detail": self.detail})

    def save(self) -> None:
        mode = DischargeMode(self.mode.currentData())
        dest_code = self.destination.currentData()
        destination = DischargeDestination(dest_code) if dest_code else None
        detail, stay = self.detail.text().strip() or None, self.stay

        def work(session: Session) -> StayRecord:
            return patients.discharge(
                session,
                stay.id,
                mode,
                destination=destination,
                destination_detail=detail,
                expected_version=stay.version,
            )

        self.controller.run(work, self._done, self._show_error, write=True)


class CorrectMovementDialog(_MovementDialog):
    """Correct a movement of the stay (its time; an admission's or a transfer's UF and bed)
    without cancelling it: the HIS gets one update of that movement (PAM FR Z99)."""

    def __init__(self, controller: Controller, summary: PatientSummary, parent: QWidget | None = None):
        super().__init__(controller, summary, self.tr("Corriger un mouvement"), parent)
        self.setObjectName("correctMovementDialog")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Corriger"))
        self.movement = QComboBox()
        self.movement.setObjectName("movement")
        self.at = QDateTimeEdit()
        self.at.setObjectName("at")
        self.at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.uf = QComboBox()
        self.uf.setObjectName("uf")
        self.bed = QComboBox()
        self.bed.setObjectName("bed")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("obligatoire : pourquoi ce mouvement est corrigé"))
        self.form.addRow(self.tr("Mouvement"), self.movement)
        self.form.addRow(self.tr("Date et heure"), self.at)
        self.form.addRow(self.tr("UF"), self.uf)
        self.form.addRow(self.tr("Lit"), self.bed)
        self.form.addRow(self.tr("Motif"), self.reason)
        self.typed = FormFields({"reason": self.reason})
        self._movements: list[Movement] = []
        self.movement.currentIndexChanged.connect(self._show_movement)
        self.uf.currentIndexChanged.connect(self._load_beds)
        stay_id = self.stay.id
        controller.run(
            lambda s: (corrections.movements_in_effect(s, stay_id), patients.list_ufs(s)),
            self._fill,
            self._show_error,
        )

    def _kind_words(self, kind: MovementKind) -> str:
        return {
            MovementKind.ADMISSION: self.tr("admission"),
            MovementKind.TRANSFER: self.tr("mutation"),
            MovementKind.LEAVE: self.tr("départ en absence temporaire"),
            MovementKind.RETURN: self.tr("retour d'absence"),
            MovementKind.DISCHARGE: self.tr("sortie"),
        }.get(kind, self.tr("mouvement"))

    def _fill(self, found: tuple[list[Movement], list[tuple[str, str]]]) -> None:
        self._movements, ufs = found
        self.uf.blockSignals(True)
        for code, name in ufs:
            self.uf.addItem(f"{code} — {name}", code)
        self.uf.blockSignals(False)
        self.movement.blockSignals(True)
        for m in self._movements:
            where = f"{m.uf_code or ''} / {m.bed_code or self.tr('sans lit')}"
            when = m.at.astimezone().strftime("%d/%m/%Y %H:%M")
            self.movement.addItem(f"{self._kind_words(m.kind)} — {when} — {where}", m.id)
        self.movement.blockSignals(False)
        self.movement.setCurrentIndex(len(self._movements) - 1)  # the latest, the one most often wrong
        self._show_movement()

    def _current(self) -> Movement | None:
        index = self.movement.currentIndex()
        return self._movements[index] if 0 <= index < len(self._movements) else None

    def _show_movement(self) -> None:
        m = self._current()
        if m is None:
            return
        local = m.at.astimezone()
        self.at.setDateTime(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))
        placed = m.kind in PLACED
        self.uf.blockSignals(True)
        self.uf.setCurrentIndex(max(0, self.uf.findData(m.uf_code)))
        self.uf.blockSignals(False)
        self.uf.setEnabled(placed)  # only an admission or a transfer has a place to correct
        self.bed.setEnabled(placed)
        self._load_beds()

    def _load_beds(self) -> None:
        uf = self.uf.currentData()
        if uf:
            self.controller.run(lambda s: patients.census(s, [uf]), self._fill_beds, self._show_error)

    def _fill_beds(self, census: list[patients.UfCensus]) -> None:
        m = self._current()
        self.bed.clear()
        self.bed.addItem(self.tr("— sans lit —"), "")
        for bed in census[0].beds if census else []:
            if not bed.blocked:
                self.bed.addItem(bed.bed_code, bed.bed_code)
        if m is not None and self.uf.currentData() == m.uf_code:
            self.bed.setCurrentIndex(max(0, self.bed.findData(m.bed_code or "")))

    def save(self) -> None:
        m = self._current()
        if m is None:
            return
        d, t = self.at.dateTime().date(), self.at.dateTime().time()
        at = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()  # local time
        placed = m.kind in PLACED
        uf = self.uf.currentData() if placed else None
        bed: str | corrections.Keep | None = (self.bed.currentData() or None) if placed else corrections.KEEP
        when = None if at.replace(second=0) == m.at.astimezone().replace(second=0, microsecond=0) else at
        reason, stay, movement_id = self.reason.text(), self.stay, m.id

        def work(session: Session) -> StayRecord:
            return corrections.correct_movement(
                session,
                movement_id,
                at=when,
                uf_code=uf,
                bed_code=bed,
                reason=reason,
                expected_version=stay.version,
            )

        self.controller.run(work, self._done, self._show_error, write=True)


class ReopenBedDialog(QDialog):
    """Undoing a discharge whose bed was taken since: which bed now (or none)."""

    chosen = Signal(object)  # the bed code, or None: without a bed

    def __init__(self, summary: PatientSummary, taken: str, beds: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reopenBedDialog")
        self.setWindowTitle(self.tr("Annuler la sortie — {0}").format(patient_line(summary)))
        text = QLabel(
            self.tr(
                "Le lit {0} a été attribué à un autre patient depuis la sortie.\n"
                "Dans quel lit rouvrir le séjour de {1} ?"
            ).format(taken, summary.patient.identity.display_name)
        )
        text.setObjectName("reopenBedText")
        text.setWordWrap(True)
        self.bed = QComboBox()
        self.bed.setObjectName("bed")
        for code in beds:
            self.bed.addItem(code, code)
        self.bed.addItem(self.tr("— sans lit (en attente d'un lit) —"), "")
        self.buttons = confirm_cancel_buttons(self, self.tr("Rouvrir le séjour dans ce lit"), "okButton")
        self.buttons.accepted.connect(lambda: self.choose(self.bed.currentData()))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.bed)
        layout.addWidget(self.buttons)

    def choose(self, bed: str) -> None:
        self.chosen.emit(bed or None)
        self.accept()
