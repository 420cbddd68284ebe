"""Table model of patients (search results or the census of the user's UFs).

After the patients of this store, a search lists the identities of the HIS identity index
that are not patients here yet (``hit_at``), marked « Index DPI »: ``row_at`` is None for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.table_model import RowsTableModel
from app.texts import status_text
from continuity.domain.his_index import IndexHit
from continuity.domain.identity import Identity, IdentityStatus
from continuity.domain.movement import StayState
from continuity.domain.records import PatientSummary, Source

Index = QModelIndex | QPersistentModelIndex
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1


class PatientTableModel(RowsTableModel[PatientSummary]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("PatientTableModel", "Nom"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Prénom"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Sexe"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Âge"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Naissance"),
        QT_TRANSLATE_NOOP("PatientTableModel", "UF"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Lit"),
        QT_TRANSLATE_NOOP("PatientTableModel", "IPP / n° prov."),
        QT_TRANSLATE_NOOP("PatientTableModel", "Identité"),
    )

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._today = date.today()
        self._hits: list[IndexHit] = []
        self._headers = [self.tr(str(h)) for h in self.COLUMNS]

    def headers(self) -> Sequence[str]:
        return self._headers

    def set_rows(self, rows: Sequence[PatientSummary], hits: Sequence[IndexHit] = ()) -> None:
        self._today = date.today()
        self._hits = list(hits)
        super().set_rows(rows)

    def hit_at(self, row: int) -> IndexHit | None:
        """The identity of the HIS index on that row (after the patients here), if it is one."""
        k = row - len(self._rows)
        return self._hits[k] if 0 <= k < len(self._hits) else None

    def hits(self) -> list[IndexHit]:
        return list(self._hits)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows) + len(self._hits)

    def row_of(self, patient_id: str) -> int:
        return self.find_row(lambda r: r.patient.id == patient_id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.hit_at(index.row())
        if hit is not None:
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)  # not a patient here yet
                return font
            if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return None
            return self._hit_cell(hit, index.column())
        s = self._rows[index.row()]
        if role == SUMMARY_ROLE:
            return s
        i = s.patient.identity
        if role == Qt.ItemDataRole.FontRole and i.placeholder:
            font = QFont()
            font.setItalic(True)
            return font
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self._cell(s, index.column(), role)

    def _hit_cell(self, hit: IndexHit, col: int) -> str:
        i = hit.identity
        if col == 5:
            return self.tr("« Index DPI »")
        if col == 6:
            return ""
        if col == 7:
            return self.tr("{0} (DPI)").format(hit.ipp)
        if col == 8:
            return status_text(i.status)
        return self._identity_cell(i, col)

    def _identity_cell(self, i: Identity, col: int) -> str:
        if col == 0:
            name = i.used_name or i.birth_name
            if i.used_name and i.used_name != i.birth_name:
                name += self.tr(" (naiss. {0})").format(i.birth_name)
            return name
        if col == 1:
            return (i.used_first_name or i.first_names[0]).title()
        if col == 2:
            return i.sex.value
        if col == 3:
            return str(i.age_on(self._today))
        return i.birth_date.strftime("%d/%m/%Y")

    def _cell(self, s: PatientSummary, col: int, role: int) -> str:
        i, stay = s.patient.identity, s.stay
        if col <= 4:
            return self._identity_cell(i, col)
        if col == 5:
            return stay.uf_code or "" if stay else self.tr("— sorti —")
        if col == 6:
            if stay is None:
                return ""
            bed = stay.bed_code or self.tr("sans lit")
            return bed + (self.tr(" (absent)") if stay.state is StayState.ON_LEAVE else "")
        if col == 7:
            if s.patient.source is Source.HIS:
                return self.tr("{0} (DPI)").format(s.patient.number)
            return s.patient.number
        if i.placeholder:
            return self.tr("IDENTITÉ D'ATTENTE")
        return {
            IdentityStatus.PROVISOIRE: self.tr("provisoire"),
            IdentityStatus.RECUPEREE: self.tr("récupérée"),
            IdentityStatus.VALIDEE: self.tr("validée"),
            IdentityStatus.QUALIFIEE: self.tr("qualifiée"),
        }[i.status]
