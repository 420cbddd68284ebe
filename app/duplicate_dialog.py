"""The possible-duplicate warning of an admission: the identities that resemble the new one.

Enter uses the existing patient (opens them if they are in a stay, readmits them
otherwise); for an identity of the HIS index (« Index DPI », not a patient here yet) it
admits the patient under that HIS identity and IPP. Creating a new identity beside them
is deliberate: a separate button (mouse or Alt+N) that asks for a reason, then another
button (mouse or Alt+C); Enter never creates an identity here. The reason goes in the audit with the choice.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.texts import index_hit_line, patient_line
from continuity.domain.his_index import IndexHit
from continuity.domain.records import PatientSummary


class DuplicateDialog(QDialog):
    use_existing = Signal(object)  # the PatientSummary chosen
    create_new = Signal(str)  # the reason why this is another patient
    use_index = Signal(object)  # the IndexHit chosen: admit under the HIS identity

    def __init__(
        self,
        candidates: list[PatientSummary],
        parent: QWidget | None = None,
        index_hits: list[IndexHit] | None = None,
        *,
        admitting_index: bool = False,
    ):
        """``admitting_index``: the identity being admitted is the HIS index's, not a new one."""
        super().__init__(parent)
        self.candidates: list[PatientSummary | IndexHit] = [*candidates, *(index_hits or [])]
        self.setObjectName("duplicateDialog")
        self.setWindowTitle(self.tr("Patient peut-être déjà connu"))
        intro = QLabel(
            self.tr(
                "<b>Ce patient est peut-être déjà connu.</b> Vérifiez avec lui ou sa pièce "
                "d'identité : en cas de doute, utilisez l'identité existante."
            )
        )
        intro.setWordWrap(True)
        self.listing = QListWidget()
        self.listing.setObjectName("duplicateList")
        for c in candidates:
            i = c.patient.identity
            self.listing.addItem(
                f"{i.birth_name} {' '.join(i.first_names).title()} — {i.birth_date:%d/%m/%Y} — "
                f"{i.sex.value} — {c.patient.number}"
                + (f" — {c.stay.uf_code}/{c.stay.bed_code or '-'}" if c.stay else "")
            )
        for hit in index_hits or []:  # the HIS's identities after the patients here
            self.listing.addItem(index_hit_line(hit))
        self.listing.setCurrentRow(0)
        self.listing.currentRowChanged.connect(lambda _r: self._update())
        self.listing.itemActivated.connect(lambda _i: self._use())

        self.use = QPushButton()
        self.use.setObjectName("useExistingButton")
        self.use.setDefault(True)
        self.use.clicked.connect(self._use)
        back = QPushButton(self.tr("Revenir à la saisie"))
        back.setObjectName("backButton")
        back.setAutoDefault(False)
        back.clicked.connect(self.reject)
        self.new_identity = QPushButton(
            self.tr("C'est un autre patient : &admettre l'identité du DPI…")
            if admitting_index
            else self.tr("C'est un autre patient : &nouvelle identité…")
        )
        self.new_identity.setObjectName("newIdentityButton")
        self.new_identity.setAutoDefault(False)
        self.new_identity.clicked.connect(self._ask_reason)

        self.reason_label = QLabel(
            self.tr("Pourquoi est-ce un autre patient ? (motif obligatoire, inscrit au journal d'audit)")
        )
        self.reason_label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("duplicateReason")
        self.reason.setPlaceholderText(self.tr("ex. homonyme, pièce d'identité vue, autre date de naissance"))
        self.reason.textChanged.connect(lambda _t: self._update())
        self.create_button = QPushButton(
            self.tr("&Admettre l'identité du DPI")
            if admitting_index
            else self.tr("&Créer la nouvelle identité")
        )
        self.create_button.setObjectName("createIdentityButton")
        self.create_button.setAutoDefault(False)
        self.create_button.clicked.connect(self._create)
        for w in (self.reason_label, self.reason, self.create_button):
            w.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_identity)
        buttons.addStretch()
        buttons.addWidget(back)
        buttons.addWidget(self.use)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.listing)
        layout.addLayout(buttons)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        self._update()
        self.use.setFocus()

    def chosen(self) -> PatientSummary | IndexHit | None:
        row = self.listing.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def _update(self) -> None:
        c = self.chosen()
        if isinstance(c, IndexHit):
            self.use.setText(self.tr("Admettre sous l'identité du DPI"))
            self.use.setToolTip(escape(index_hit_line(c)))
        else:
            open_stay = c is not None and c.stay is not None and c.stay.state.is_open
            self.use.setText(
                self.tr("Ouvrir ce patient (déjà en séjour)")
                if open_stay
                else self.tr("Réadmettre ce patient")
            )
            self.use.setToolTip(escape(patient_line(c)) if c else "")
        self.create_button.setEnabled(bool(self.reason.text().strip()))

    def _use(self) -> None:
        c = self.chosen()
        if isinstance(c, IndexHit):
            self.use_index.emit(c)
            self.accept()
        elif c is not None:
            self.use_existing.emit(c)
            self.accept()

    def _ask_reason(self) -> None:
        for w in (self.reason_label, self.reason, self.create_button):
            w.show()
        self.use.setDefault(False)
        self.reason.setFocus()

    def _create(self) -> None:
        reason = self.reason.text().strip()
        if reason:
            self.create_new.emit(reason)
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter while the reason is asked creates nothing (the button must be pressed)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.reason.isVisible():
            event.accept()
            return
        super().keyPressEvent(event)
