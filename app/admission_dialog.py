"""Admission dialog: keyboard-first entry of RNIV identity traits, UF and free bed.

Tab walks the fields in reading order, Enter saves, Esc cancels. The form
only gathers text: validation, duplicate detection and the admission itself
are the services' work, whose French messages are shown inline.

Above the form, "Patient déjà connu ?" searches the patients of this store and the HIS
identity index as the user types (``patients.search_all``): the arrows choose a result,
Enter readmits a local patient or admits an index identity under the HIS's IPP and
identity (« Index DPI »), with the UF and bed of the form.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.dialogs import confirm_cancel_buttons
from app.drafts import DraftKeeper
from app.duplicate_dialog import DuplicateDialog
from app.errors import error_label, message_for
from app.field_errors import FieldErrors, message_of
from app.form_fields import FormFields
from app.form_guard import FormGuard
from app.texts import index_hit_line, summary_line
from continuity.dates import parse_date, parse_local_datetime, try_parse_date
from continuity.domain.drafts import Draft, DraftKind
from continuity.domain.his_index import IndexHit
from continuity.domain.identity import (
    CollectionMode,
    Identity,
    IdentityDocument,
    IdentityStatus,
    UnknownPatient,
)
from continuity.domain.records import PatientSummary
from continuity.errors import ContinuityError, InvalidInput, PossibleDuplicates
from continuity.ins_datamatrix import ScannedIns, looks_like_ins_datamatrix, parse_ins_datamatrix
from continuity.services import patients
from continuity.services.patients import Admission, Found
from continuity.session import Session
from continuity.validation import build

NO_BED = ""
KNOWN_LIMIT = 20  # results of the "already known?" search shown at once
KNOWN_ROWS = 6  # rows of the results list before it scrolls
KNOWN_HINT = QT_TRANSLATE_NOOP(
    "AdmissionDialog",
    "↑ ↓ puis Entrée : réadmettre ce patient, ou l'admettre sous son identité du DPI (« Index DPI »), "
    "dans l'UF et le lit choisis ci-dessous.",
)
RULE_NOTE_WIDTH = 400  # px: about the right column at the dialog's narrowest
# The form's rows (object names) and the fields of the core's errors they show.
FIELDS_OF_ROWS = {
    "datamatrix": "datamatrix",
    "birthName": "birth_name",
    "usedName": "used_name",
    "firstNames": "first_names",
    "usedFirstName": "used_first_name",
    "birthDate": "birth_date",
    "sex": "sex",
    "estimatedYear": "estimated_year",
    "birthPlace": "birth_place_insee",
    "birthPlaceName": "birth_place_name",
    "ins": "ins",
    "identityStatus": "status",
    "collectionMode": "collection_mode",
    "documentType": "document_type",
    "documentExpiresOn": "document_expires_on",
    "identityAttributes": "doubtful",
    "uf": "uf",
    "bed": "bed",
    "reason": "reason",
    "admittedAt": "admitted_at",
}


class AdmissionDialog(QDialog):
    admitted = Signal(object)  # Admission
    open_existing = Signal(object)  # PatientSummary: the patient was already in a stay

    def __init__(
        self,
        controller: Controller,
        parent: QWidget | None = None,
        preset_uf: str | None = None,
        preset_bed: str | None = None,
        paper_number: str | None = None,
        draft: Draft | None = None,
        known_query: str | None = None,
    ):
        super().__init__(parent)
        self.controller = controller
        self.paper_number = paper_number
        self.setObjectName("admissionDialog")
        self.setWindowTitle(
            self.tr("Ressaisie d'un formulaire papier") if paper_number else self.tr("Nouvelle admission")
        )
        self.setMinimumWidth(900)  # two columns, room for the error lines under the fields
        self._preset = (preset_uf, preset_bed)
        self._saving = False
        self._pending_index: IndexHit | None = None  # the index identity being admitted, if so

        # "already known?": first in the Tab chain, the form keeps the focus it had
        self.known_search = QLineEdit()
        self.known_search.setObjectName("knownSearch")
        self.known_search.setPlaceholderText(
            self.tr("Patient déjà connu ? nom, prénom, naissance, IPP — ici et dans l'index du DPI (Ctrl+F)")
        )
        self.known_search.setToolTip(self.tr(str(KNOWN_HINT)))
        self.known_search.setClearButtonEnabled(True)
        self.known_search.textEdited.connect(lambda _t: self._search_known())
        self.known_search.installEventFilter(self)
        # The results drop down over the form, as a completer's list does: the dialog keeps
        # its size (it fills a 768-pixel screen already); they hide when the search is left.
        self.known_list = QListWidget(self)
        self.known_list.setObjectName("knownList")
        self.known_list.setToolTip(self.tr(str(KNOWN_HINT)))
        self.known_list.itemActivated.connect(lambda _i: self._choose_known())
        self.known_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.known_list.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole line in its tooltip
        self.known_list.setFrameShape(QFrame.Shape.Box)
        self.known_list.hide()
        self._known: list[Found] = []
        self._known_generation = 0
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_known)

        self.unknown = QCheckBox(self.tr("Patient inconnu / inconscient (identité d'attente)"))
        self.scan = QLineEdit()  # what a keyboard scanner types: the INS Datamatrix
        self.scan.setPlaceholderText(self.tr("scannez ici le code 2D de la carte Vitale ou du document INS"))
        self._scanned: ScannedIns | None = None
        self._scan_timer = QTimer(self)
        self._scan_timer.setSingleShot(True)
        self._scan_timer.setInterval(400)  # a scanner types a whole code well within this
        self._scan_timer.timeout.connect(self._read_scan)
        self.scan_note = QLabel()
        self.scan_note.setObjectName("scanNote")
        self.scan_note.setWordWrap(True)
        self.scan_note.hide()
        self.birth_name = QLineEdit()
        self.used_name = QLineEdit()
        self.first_names = QLineEdit()
        self.first_names.setPlaceholderText(self.tr("dans l'ordre de l'état civil, séparés par des virgules"))
        self.used_first_name = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(self.tr("JJ/MM/AAAA"))
        self.sex = QComboBox()
        for code, label in (
            ("", self.tr("—")),
            ("F", self.tr("F — féminin")),
            ("M", self.tr("M — masculin")),
            ("I", self.tr("I — indéterminé")),
        ):
            self.sex.addItem(label, code)
        self.estimated_year = QSpinBox()
        self.estimated_year.setRange(1900, 2100)
        self.estimated_year.setValue(1970)
        self.birth_place = QLineEdit()
        self.birth_place.setPlaceholderText(self.tr("INSEE"))
        self.birth_place_name = QLineEdit()
        self.birth_place_name.setPlaceholderText(self.tr("commune ou pays"))
        self.ins = QLineEdit()
        self.ins.setPlaceholderText(self.tr("15 chiffres : gardé non vérifié"))
        self.status = QComboBox()
        # never « qualifiée » nor « récupérée »: both need INSi, so only the HIS's identities are
        for status, label in (
            (IdentityStatus.PROVISOIRE, self.tr("provisoire")),
            (IdentityStatus.VALIDEE, self.tr("validée (pièce d'identité vérifiée)")),
        ):
            self.status.addItem(label, status.value)
        self.collection_mode = QComboBox()
        self.collection_mode.addItem(self.tr("—"), "")
        for mode, label in (
            (CollectionMode.SM, self.tr("saisie manuelle")),
            (CollectionMode.CB, self.tr("code 2D (Datamatrix INS)")),
            (CollectionMode.CV, self.tr("carte Vitale")),
            (CollectionMode.INSI, self.tr("téléservice INSi")),
            (CollectionMode.RFID, self.tr("puce RFID")),
        ):
            self.collection_mode.addItem(label, mode.value)
        self.document_type = QComboBox()
        self.document_type.addItem(self.tr("— aucun —"), "")
        for document, label in (
            (IdentityDocument.CN, self.tr("carte nationale d'identité")),
            (IdentityDocument.PA, self.tr("passeport")),
            (IdentityDocument.CS, self.tr("titre ou carte de séjour")),
            (IdentityDocument.LE, self.tr("livret de famille (mineur)")),
            (IdentityDocument.AN, self.tr("extrait d'acte de naissance (mineur)")),
            (IdentityDocument.DC, self.tr("document de circulation (étranger mineur)")),
            (IdentityDocument.PC, self.tr("permis de conduire (ne valide pas)")),
            (IdentityDocument.CE, self.tr("carte européenne (ne valide pas)")),
            (IdentityDocument.TC, self.tr("tiers de confiance (ne valide pas)")),
        ):
            self.document_type.addItem(label, document.value)
        self.document_expires = QLineEdit()
        self.document_expires.setPlaceholderText(self.tr("JJ/MM/AAAA (si elle figure)"))
        self.doubtful = QCheckBox(self.tr("identité &douteuse"))
        self.doubtful.setObjectName("doubtful")
        self.fictitious = QCheckBox(self.tr("identité &fictive"))
        self.fictitious.setObjectName("fictitious")
        attributes = QWidget()
        attributes.setObjectName("identityAttributes")
        row = QHBoxLayout(attributes)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.doubtful)
        row.addWidget(self.fictitious)
        row.addStretch(1)
        self.rule_note = QLabel(
            self.tr(
                "Validée : seulement sur une pièce d'identité à haut niveau de confiance, vue et "
                "vérifiée par vous (carte d'identité, passeport, titre de séjour ; pour un mineur, "
                "livret de famille ou extrait d'acte de naissance) ; votre nom et la date sont "
                "enregistrés. Une carte Vitale n'est pas une pièce d'identité. Qualifiée : jamais "
                "hors ligne (INSi). Douteuse ou fictive : reste provisoire."
            )
        )
        self.rule_note.setObjectName("validationRule")
        self.rule_note.setWordWrap(True)
        small = self.rule_note.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.rule_note.setFont(small)
        # its height wrapped in the narrowest column it may get: a dialog sized for one line
        # of it squeezed the rows above (the combo boxes were cut)
        wrapped = QFontMetrics(small).boundingRect(
            QRect(0, 0, RULE_NOTE_WIDTH, 10_000), int(Qt.TextFlag.TextWordWrap), self.rule_note.text()
        )
        self.rule_note.setMinimumHeight(wrapped.height() + 4)
        self.uf = QComboBox()
        self.bed = QComboBox()
        self.reason = QLineEdit()
        self.admitted_at = QLineEdit()
        self.admitted_at.setPlaceholderText(self.tr("JJ/MM/AAAA HH:MM, comme sur le formulaire"))
        names = {
            self.scan: "datamatrix",
            self.birth_name: "birthName",
            self.used_name: "usedName",
            self.first_names: "firstNames",
            self.used_first_name: "usedFirstName",
            self.birth_date: "birthDate",
            self.sex: "sex",
            self.estimated_year: "estimatedYear",
            self.birth_place: "birthPlace",
            self.birth_place_name: "birthPlaceName",
            self.ins: "ins",
            self.status: "identityStatus",
            self.collection_mode: "collectionMode",
            self.document_type: "documentType",
            self.document_expires: "documentExpiresOn",
            self.uf: "uf",
            self.bed: "bed",
            self.reason: "reason",
            self.admitted_at: "admittedAt",
        }
        for widget, name in names.items():
            widget.setObjectName(name)
        self.unknown.setObjectName("unknownPatient")
        self.field_errors = FieldErrors(self)  # each error under its input, in room kept for it

        def form_of(rows: list[tuple[str, QWidget | list[QWidget]]]) -> QFormLayout:
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for label, widgets in rows:
                if isinstance(widgets, list):  # two inputs on one row, each with its error line
                    pair = QHBoxLayout()
                    for w in widgets:
                        pair.addWidget(self.field_errors.wrap(FIELDS_OF_ROWS[w.objectName()], w), 1)
                    form.addRow(label, pair)
                    text = form.labelForField(pair)
                    if isinstance(text, QLabel):
                        text.setBuddy(widgets[0])
                        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                        text.setContentsMargins(0, 6, 0, 0)
                else:
                    field = FIELDS_OF_ROWS.get(widgets.objectName())
                    if field:
                        self.field_errors.add_row(form, label, field, widgets)
                    else:
                        form.addRow(label, widgets)
            return form

        def group(title: str, name: str, form: QFormLayout, *extra: QWidget) -> QGroupBox:
            box = QGroupBox(title)
            box.setObjectName(name)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(8, 4, 8, 4)
            inner.addLayout(form)
            for w in extra:
                inner.addWidget(w)
            return box

        strict = group(
            self.tr("Traits stricts — tels que sur la pièce d'identité"),
            "strictTraits",
            form_of(
                [
                    (self.tr("&Nom de naissance *"), self.birth_name),
                    (self.tr("&Prénoms de naissance *"), self.first_names),
                    (self.tr("Né(e) le * / sexe *"), [self.birth_date, self.sex]),
                    (self.tr("&Lieu de naissance"), [self.birth_place, self.birth_place_name]),
                    (self.tr("Matricule INS"), self.ins),
                ]
            ),
        )
        complementary = group(
            self.tr("Traits complémentaires"),
            "complementaryTraits",
            form_of(
                [
                    (self.tr("Nom &utilisé"), self.used_name),
                    (self.tr("Prénom u&tilisé"), self.used_first_name),
                ]
            ),
        )
        reliability = group(
            self.tr("Fiabilité de l'identité (RNIV)"),
            "identityReliability",
            form_of(
                [
                    (self.tr("&Statut de l'identité"), self.status),
                    (self.tr("&Justificatif présenté"), self.document_type),
                    (self.tr("Valable jusqu'au"), self.document_expires),
                    (self.tr("&Mode de recueil"), self.collection_mode),
                    (self.tr("Attributs"), attributes),
                ]
            ),
            self.rule_note,
        )
        stay_rows: list[tuple[str, QWidget | list[QWidget]]] = [
            (self.tr("UF *"), self.uf),
            (self.tr("Lit"), self.bed),
            (self.tr("Motif"), self.reason),
        ]
        if paper_number:
            stay_rows.append((self.tr("Admis le *"), self.admitted_at))
        stay = group(self.tr("Séjour"), "stayGroup", form_of(stay_rows))

        top = QHBoxLayout()
        if paper_number:
            number = QLabel(self.tr("N° du formulaire (IPP provisoire) : <b>{0}</b>").format(paper_number))
            number.setObjectName("paperNumber")
            top.addWidget(number)
            top.addSpacing(16)
        top.addWidget(self.unknown)
        top.addStretch(1)
        year_label = QLabel(self.tr("&Année de naissance estimée"))
        year_label.setBuddy(self.estimated_year)
        top.addWidget(year_label)
        top.addWidget(self.field_errors.wrap("estimated_year", self.estimated_year))
        scan_form = form_of([(self.tr("Code 2D (Datamatrix &INS)"), self.scan)])
        self.full_note = QLabel()
        self.full_note.setObjectName("wardFullNote")
        self.full_note.setWordWrap(True)
        self.full_note.setStyleSheet("font-weight: bold;")
        self.full_note.hide()
        stay.layout().addWidget(self.full_note)  # type: ignore[union-attr]
        left = QVBoxLayout()
        left.addWidget(strict)
        left.addWidget(complementary)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(reliability)
        right.addWidget(stay)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.error = error_label()
        self.buttons = confirm_cancel_buttons(self, self.tr("Enregistrer l'admission"), "saveButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(self.known_search)
        layout.addLayout(top)
        layout.addLayout(scan_form)
        layout.addWidget(self.scan_note)
        layout.addLayout(columns)
        layout.addWidget(self.buttons)
        layout.addWidget(self.error)  # below the buttons: they do not move when it shows
        order = [
            self.unknown,
            self.estimated_year,
            self.scan,
            self.birth_name,
            self.first_names,
            self.birth_date,
            self.sex,
            self.birth_place,
            self.birth_place_name,
            self.ins,
            self.used_name,
            self.used_first_name,
            self.status,
            self.document_type,
            self.document_expires,
            self.collection_mode,
            self.doubtful,
            self.fictitious,
            self.uf,
            self.bed,
            self.reason,
            *([self.admitted_at] if paper_number else []),
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

        self.unknown.toggled.connect(self._unknown_toggled)
        self.uf.currentIndexChanged.connect(self._load_beds)
        self.scan.textChanged.connect(self._scan_typed)
        self.birth_name.textChanged.connect(self._name_typed)
        self._unknown_toggled(False)
        self.fields = FormFields(
            {
                "unknown": self.unknown,
                "birth_name": self.birth_name,
                "used_name": self.used_name,
                "first_names": self.first_names,
                "used_first_name": self.used_first_name,
                "birth_date": self.birth_date,
                "sex": self.sex,
                "estimated_year": self.estimated_year,
                "birth_place": self.birth_place,
                "birth_place_name": self.birth_place_name,
                "ins": self.ins,
                "status": self.status,
                "collection_mode": self.collection_mode,
                "document_type": self.document_type,
                "document_expires_on": self.document_expires,
                "doubtful": self.doubtful,
                "fictitious": self.fictitious,
                "uf": self.uf,
                "bed": self.bed,
                "reason": self.reason,
                "admitted_at": self.admitted_at,
            },
            context=("uf", "bed"),
        )
        self.keeper = DraftKeeper(
            self,
            controller,
            DraftKind.PAPER_ADMISSION if paper_number else DraftKind.ADMISSION,
            self.fields,
            draft=draft,
            extra={"paper_number": paper_number} if paper_number else None,
        )
        self.guard = FormGuard(self, controller, self.fields.is_filled, self.keeper.discard)
        self.birth_name.setFocus()
        controller.run(patients.ufs_of, self._fill_ufs, self._show_error)
        if known_query:  # opened on a search result (an identity of the HIS index)
            self.known_search.setText(known_query)
            self.known_search.setFocus()
            self._search_known()

    @classmethod
    def resume(cls, controller: Controller, parent: QWidget | None, draft: Draft) -> AdmissionDialog:
        """The form of an interrupted admission, filled back from its draft."""
        uf, bed, number = (draft.fields.get(k) for k in ("uf", "bed", "paper_number"))
        return cls(
            controller,
            parent,
            preset_uf=uf if isinstance(uf, str) else None,
            preset_bed=bed if isinstance(bed, str) and bed else None,
            paper_number=number if isinstance(number, str) else None,
            draft=draft,
        )

    # ------------------------------------------------------------------ loading
    def _fill_ufs(self, ufs: list[tuple[str, str]]) -> None:
        self.uf.blockSignals(True)
        for code, name in ufs:
            self.uf.addItem(f"{code} — {name}", code)
        self.uf.blockSignals(False)
        if self._preset[0]:
            self.uf.setCurrentIndex(max(0, self.uf.findData(self._preset[0])))
        self._load_beds()

    def _load_beds(self) -> None:
        uf = self.uf.currentData()
        if not uf:
            return
        self.controller.run(lambda s: patients.free_beds(s, uf), self._fill_beds, self._show_error)

    def _fill_beds(self, beds: list[str]) -> None:
        self.full_note.setVisible(not beds)
        if not beds:
            self.full_note.setText(
                self.tr(
                    "L'UF {0} est complète : le patient sera admis sans lit et restera en vue "
                    "dans la bande « sans lit » du plan des lits, jusqu'à ce qu'un lit se libère."
                ).format(self.uf.currentData())
            )
        self.bed.clear()
        self.bed.addItem(self.tr("— sans lit —"), NO_BED)
        for code in beds:
            self.bed.addItem(code, code)
        if self._preset[1]:
            self.bed.setCurrentIndex(max(0, self.bed.findData(self._preset[1])))
        elif beds:
            self.bed.setCurrentIndex(1)

    def _unknown_toggled(self, unknown: bool) -> None:
        for w in (
            self.scan,
            self.birth_name,
            self.used_name,
            self.first_names,
            self.used_first_name,
            self.birth_date,
            self.birth_place,
            self.birth_place_name,
            self.ins,
            self.status,
            self.collection_mode,
            self.document_type,
            self.document_expires,
            self.doubtful,
            self.fictitious,
        ):
            w.setEnabled(not unknown)
        self.estimated_year.setEnabled(unknown)

    # ------------------------------------------------------------------ already known?
    def _focus_known(self) -> None:
        self.known_search.setFocus()
        self.known_search.selectAll()

    def _search_known(self) -> None:
        text = self.known_search.text().strip()
        self._known_generation += 1
        generation = self._known_generation
        if not text:
            self._show_known([])
            return

        def work(session: Session) -> list[Found] | None:
            if generation != self._known_generation:
                return None  # typed more meanwhile: skip this one
            return patients.search_all(session, text, limit=KNOWN_LIMIT)

        def shown(found: list[Found] | None) -> None:
            if found is not None and generation == self._known_generation:
                self._show_known(found)

        def failed(exc: Exception) -> None:
            if generation == self._known_generation:
                self._show_known([])
                self._show_error(exc)

        self.controller.run(work, shown, failed)

    def _show_known(self, found: list[Found]) -> None:
        self._known = found
        self.known_list.clear()
        for f in found:
            line = index_hit_line(f) if isinstance(f, IndexHit) else summary_line(f)
            self.known_list.addItem(line)
            item = self.known_list.item(self.known_list.count() - 1)
            item.setToolTip(line)
        if found:
            self.known_list.setCurrentRow(0)
            self.error.hide()
            self._place_known()
        else:
            self.known_list.hide()

    def _place_known(self) -> None:
        """The results under the search field, over the form, as many rows as fit KNOWN_ROWS."""
        field = self.known_search.geometry()
        rows = min(len(self._known), KNOWN_ROWS)
        height = rows * self.known_list.sizeHintForRow(0) + 2 * self.known_list.frameWidth() + 2
        self.known_list.setGeometry(field.x(), field.bottom() + 2, field.width(), height)
        self.known_list.show()
        self.known_list.raise_()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.known_list.isVisible():
            self._place_known()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """In the search: the arrows move in the results, Enter takes the one chosen (and never
        saves the form below)."""
        if watched is self.known_search and event.type() == QEvent.Type.FocusOut:
            if QApplication.focusWidget() is not self.known_list:
                self.known_list.hide()  # the form under it is used: out of the way
        elif watched is self.known_search and event.type() == QEvent.Type.FocusIn and self._known:
            self._place_known()
        if watched is self.known_search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key, row = event.key(), self.known_list.currentRow()
            if key == Qt.Key.Key_Escape and self.known_list.isVisible():
                self.known_list.hide()  # Esc closes the results first, then (again) the dialog
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._known:
                step = 1 if key == Qt.Key.Key_Down else -1
                self.known_list.setCurrentRow(max(0, min(len(self._known) - 1, row + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose_known()
                return True
        return super().eventFilter(watched, event)

    def _choose_known(self) -> None:
        row = self.known_list.currentRow()
        if self._saving or not 0 <= row < len(self._known):
            return
        chosen = self._known[row]
        if isinstance(chosen, IndexHit):
            self._admit_from_index(chosen)
        else:
            self._use_existing(chosen)

    def _admit_from_index(self, hit: IndexHit, not_a_duplicate: str | None = None) -> None:
        """Admit the identity of the HIS index under the HIS's IPP (or readmit that patient);
        ``not_a_duplicate``: why the identities made here that resemble it are someone else."""
        uf, bed = self.uf.currentData(), self.bed.currentData() or None
        reason = self.reason.text().strip() or None
        ipp = hit.ipp
        self._pending_index = hit
        self._saving = True
        self.error.hide()
        keeper = self.keeper

        def work(session: Session) -> Admission:
            admission = patients.admit(
                session, uf or "", index_ipp=ipp, bed_code=bed, reason=reason, not_a_duplicate=not_a_duplicate
            )
            keeper.forget_in(session)  # admitted: the draft goes
            return admission

        self.controller.run(work, self._done, self._failed, write=True)

    # ------------------------------------------------------------------ the INS Datamatrix
    def _name_typed(self, text: str) -> None:
        """A scanner typing into the birth name (the field that has the focus): the code goes
        to its own field, and so do the keys still coming."""
        scanning = self._scan_timer.isActive() and bool(self.scan.text())
        if looks_like_ins_datamatrix(text) or (scanning and text):
            self.birth_name.blockSignals(True)
            self.birth_name.clear()
            self.birth_name.blockSignals(False)
            self.scan.setText(self.scan.text() + text if scanning else text)
            self.scan.setFocus()
            self.scan.end(False)

    def _scan_typed(self, text: str) -> None:
        if text.strip():
            self._scan_timer.start()  # read when the scanner has finished typing

    def _read_scan(self) -> None:
        """Fill the strict traits from the code: the INS stays unverified, collected by code 2D."""
        self._scan_timer.stop()
        text = self.scan.text()
        if not text.strip():
            return
        self.scan.blockSignals(True)
        self.scan.clear()  # patient data: not kept in the field, nor in the draft
        self.scan.blockSignals(False)
        try:
            scanned = parse_ins_datamatrix(text)
        except InvalidInput as exc:
            self.scan_note.hide()
            self.field_errors.show({"datamatrix": message_for(exc)})
            self.scan.setFocus()
            return
        self._scanned = scanned
        self.birth_name.setText(scanned.birth_name)
        self.first_names.setText(", ".join(scanned.first_names))
        self.birth_date.setText(f"{scanned.birth_date:%d/%m/%Y}")
        self.sex.setCurrentIndex(max(0, self.sex.findData(scanned.sex)))
        self.birth_place.setText(scanned.birth_place_insee or "")
        self.ins.setText(scanned.ins)
        self.collection_mode.setCurrentIndex(max(0, self.collection_mode.findData(CollectionMode.CB.value)))
        self.field_errors.clear()
        self.scan_note.setText(
            self.tr(
                "Code 2D lu : traits stricts remplis. Le matricule INS reste un trait non vérifié "
                "(seul le DPI, par INSi, qualifie l'identité). Comparez avec la pièce d'identité."
            )
        )
        self.scan_note.show()
        self.used_name.setFocus()

    # ------------------------------------------------------------------ saving
    def _identity(self) -> Identity | UnknownPatient:
        model: type[Identity] | type[UnknownPatient] = Identity
        if self.unknown.isChecked():  # the admission names them (a distinct placeholder name)
            sex = self.sex.currentData()
            data: dict[str, Any] = {
                "estimated_birth_year": self.estimated_year.value(),
                "sex": sex or None,
            }
            model = UnknownPatient
        else:
            scanned = self._scanned
            data = {
                "birth_name": self.birth_name.text(),
                "used_name": self.used_name.text() or None,
                "first_names": [n.strip() for n in self.first_names.text().split(",") if n.strip()],
                "used_first_name": self.used_first_name.text() or None,
                "birth_date": try_parse_date(self.birth_date.text()),  # not a date: see _date_errors
                "sex": self.sex.currentData() or None,
                "birth_place_insee": self.birth_place.text() or None,
                "birth_place_name": self.birth_place_name.text() or None,
                "ins": self.ins.text() or None,
                "status": self.status.currentData(),
                "collection_mode": self.collection_mode.currentData() or None,
                "document_type": self.document_type.currentData() or None,
                "document_expires_on": try_parse_date(self.document_expires.text()),
                "doubtful": self.doubtful.isChecked() or None,
                "fictitious": self.fictitious.isChecked() or None,
            }
            if scanned is not None and self.ins.text().strip() == scanned.ins:
                data["ins_oid"] = scanned.identity_data().get("ins_oid")  # a test arc's
        return build(model, {k: v for k, v in data.items() if v is not None}, self.tr("Identité"), "Identity")

    def _date_errors(self) -> dict[str, str]:
        """The dates typed that are not dates (a day that does not exist, a wrong format)."""
        errors: dict[str, str] = {}
        checks = [
            (self.birth_date, "birth_date", parse_date),
            (self.document_expires, "document_expires_on", parse_date),
        ]
        if self.paper_number:
            checks.append((self.admitted_at, "admitted_at", parse_local_datetime))
        for widget, field, parse in checks:
            if widget.isEnabled() and (widget.text().strip() or field == "admitted_at"):
                try:
                    parse(widget.text())
                except ContinuityError as exc:
                    errors[field] = message_for(exc)
        return errors

    def save(self, not_a_duplicate: str | None = None) -> None:
        if self._saving:
            return
        self._pending_index = None
        errors = self._date_errors()
        identity: Identity | UnknownPatient | None = None
        try:
            identity = self._identity()
        except InvalidInput as exc:
            if not exc.fields:
                self._show_error(exc)
                return
            shown = self.field_errors.fields()
            for e in exc.fields:
                if e.field in shown:
                    errors.setdefault(e.field, message_of(e))  # a date's own message first
                else:
                    errors.setdefault("", message_of(e))
        except ContinuityError as exc:
            self._show_error(exc)
            return
        self.field_errors.show({f: m for f, m in errors.items() if f})
        if errors or identity is None:
            if "" in errors:
                self.error.setText(errors[""])
                self.error.show()
            else:
                self.error.hide()
            return
        unknown = identity if isinstance(identity, UnknownPatient) else None
        known = identity if isinstance(identity, Identity) else None
        uf, bed = self.uf.currentData(), self.bed.currentData() or None
        reason = self.reason.text().strip() or None
        at = parse_local_datetime(self.admitted_at.text()) if self.paper_number else None
        paper_number = self.paper_number
        self._saving = True
        self.error.hide()
        self.keeper.flush()  # the draft holds the last keys, should the admission be refused
        keeper = self.keeper

        def work(session: Session) -> Admission:
            admission = patients.admit(
                session,
                uf or "",
                identity=known,
                unknown=unknown,
                bed_code=bed,
                reason=reason,
                not_a_duplicate=not_a_duplicate,
                at=at,
                paper_number=paper_number,
            )
            keeper.forget_in(session)  # admitted: the draft goes
            return admission

        self.controller.run(work, self._done, self._failed, write=True)

    def _done(self, admission: Admission) -> None:
        self._saving = False
        self.admitted.emit(admission)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._saving = False
        if isinstance(exc, PossibleDuplicates):
            self.controller.run(
                lambda s: (
                    patients.get_patients(s, exc.candidate_ids),
                    patients.index_entries(s, exc.index_ipps),
                ),
                lambda found: self._ask_duplicates(*found),
                self._show_error,
            )
            return
        shown = self.field_errors.fields()
        if isinstance(exc, InvalidInput) and exc.fields and all(e.field in shown for e in exc.fields):
            self.field_errors.show({e.field: message_of(e) for e in exc.fields})  # the RNIV rules
        self._show_error(exc)

    def _ask_duplicates(self, candidates: list[PatientSummary], index_hits: list[IndexHit]) -> None:
        dialog = DuplicateDialog(
            candidates, self, index_hits=index_hits, admitting_index=self._pending_index is not None
        )
        dialog.use_existing.connect(self._use_existing)
        dialog.use_index.connect(self._admit_from_index)
        pending = self._pending_index
        if pending is not None:  # the HIS's identity resembles ones made here: admit it all the same
            dialog.create_new.connect(lambda reason: self._admit_from_index(pending, reason))
        else:
            dialog.create_new.connect(lambda reason: self.save(not_a_duplicate=reason))
        dialog.open()

    def _use_existing(self, summary: PatientSummary) -> None:
        """The default of the duplicate warning: open the patient in a stay, else readmit them."""
        if summary.stay is not None and summary.stay.state.is_open:
            self.keeper.discard()  # nothing to keep: the patient was there already
            self.open_existing.emit(summary)
            self.accept()
            return
        uf, bed = self.uf.currentData(), self.bed.currentData() or None
        reason = self.reason.text().strip() or None
        patient_id = summary.patient.id
        self._saving = True
        keeper = self.keeper

        def work(session: Session) -> Admission:
            admission = patients.admit(session, uf or "", patient_id=patient_id, bed_code=bed, reason=reason)
            keeper.forget_in(session)  # readmitted: the draft goes
            return admission

        self.controller.run(work, self._done, self._failed, write=True)

    def _show_error(self, exc: Exception) -> None:
        self.error.setText(message_for(exc))
        self.error.show()

    def reject(self) -> None:  # Esc, Annuler, the window's close button: asks when something was typed
        self.guard.reject()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.scan.text().strip():  # the scanner's Enter ends its code: read it, save nothing
                self._read_scan()
                return
            self.save()
            return
        super().keyPressEvent(event)
