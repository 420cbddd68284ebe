"""The identity-vigilance cell's view: its review queue, two identities side by side, merges.

The queue (possible duplicates, identities provisional for too long, doubtful, fictitious,
HIS mappings to decide) is a table; choosing a line shows its identities trait by trait,
the strict traits first and in bold, what differs highlighted. A possible duplicate can be
merged (either way round) after a reason and a confirmation; a merge made can be undone.
Everything goes through the services on the store worker (``Controller.run``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelection, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.dialogs import ask_int, ask_text, confirm, inform
from app.errors import show_error
from app.refresh import ChangeWatch
from app.settings import english
from app.table_model import Index, RowsTableModel
from continuity.changes import Changes
from continuity.domain.merges import MergeRecord
from continuity.domain.records import PatientRecord
from continuity.services import identity_merge, vigilance
from continuity.services.vigilance import ReviewItem, ReviewKind, ReviewQueue, TraitRow
from continuity.session import Session

CONCERNS = Changes.of("patients", "census", "settings")
_DISPLAY = Qt.ItemDataRole.DisplayRole
_STRICT_BACKGROUND = QColor("#eef3fb")
_DIFFERENT = QColor("#fde2e2")


@dataclass(frozen=True)
class QueueRow:
    item: ReviewItem
    people: tuple[PatientRecord, ...]


@dataclass(frozen=True)
class CivData:
    queue: ReviewQueue
    merges: list[MergeRecord]


def load_civ_data(session: Session) -> CivData:
    return CivData(queue=vigilance.review_queue(session), merges=identity_merge.merges(session, limit=200))


def _label(pair: tuple[str, str]) -> str:
    return pair[1] if english() else pair[0]


def _who(p: PatientRecord) -> str:
    i = p.identity
    used = f" ({i.used_name})" if i.used_name else ""
    return f"{i.birth_name}{used} {' '.join(i.first_names)} — {p.number}"


class QueueModel(RowsTableModel[QueueRow]):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    def headers(self) -> Sequence[str]:
        return [self.tr("À revoir"), self.tr("Identité(s)"), self.tr("Né(e) le"), self.tr("Depuis")]

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = self.row_at(index.row())
        if row is None or role not in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        item, col = row.item, index.column()
        if col == 0:
            text = _label(vigilance.REVIEW_KIND_LABELS[item.kind])
            return text + (self.tr(" (jour/mois inversés)") if item.swapped else "")
        if col == 1:
            return "  ≈  ".join(_who(p) for p in row.people)
        if col == 2:  # one date, or both when they differ (day and month swapped)
            return " / ".join(dict.fromkeys(f"{p.identity.birth_date:%d/%m/%Y}" for p in row.people))
        return item.since.astimezone().strftime("%d/%m %H:%M") if item.since else ""


class CompareModel(RowsTableModel[TraitRow]):
    """Traits side by side; strict traits bold on a tinted background, differences in red."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.single = False
        self.titles = ("", "")

    def headers(self) -> Sequence[str]:
        return [
            self.tr("Trait"),
            self.titles[0] or self.tr("Identité A"),
            self.titles[1] or self.tr("Identité B"),
        ]

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                label = row.label_en if english() else row.label_fr
                return ("● " if row.strict else "    ") + label
            if col == 1:
                return row.left
            return "" if self.single else row.right
        if role == Qt.ItemDataRole.FontRole and row.strict:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if col > 0 and not self.single and not row.same:
                return QBrush(_DIFFERENT)
            if row.strict:
                return QBrush(_STRICT_BACKGROUND)
        if role == Qt.ItemDataRole.AccessibleTextRole and col > 0 and not self.single and not row.same:
            return self.tr("{0} (différent)").format(row.left if col == 1 else row.right)
        return None


class MergesModel(RowsTableModel[MergeRecord]):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    def headers(self) -> Sequence[str]:
        return [self.tr("Fusion le"), self.tr("Par"), self.tr("Séjours déplacés"), self.tr("État")]

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        r = self.row_at(index.row())
        if r is None or role not in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        col = index.column()
        if col == 0:
            return r.merged_at.astimezone().strftime("%d/%m %H:%M")
        if col == 1:
            return r.merged_by
        if col == 2:
            return str(len(r.stays))
        if r.undone and r.undone_at is not None:
            return self.tr("annulée le {0}").format(r.undone_at.astimezone().strftime("%d/%m %H:%M"))
        return self.tr("en place") + (self.tr(" — envoyée au DPI (A40)") if r.a40_event else "")


def _table(name: str, model: RowsTableModel[Any]) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


class CivView(QWidget):
    """The CIV's tab."""

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("civView")
        self._controller = controller
        self._queue: ReviewQueue | None = None
        self.summary = QLabel(self.tr("File de revue : chargement…"))
        self.summary.setObjectName("civSummary")
        self.summary.setWordWrap(True)
        self.delay_button = QPushButton(self.tr("Dé&lai des provisoires…"))
        self.delay_button.setObjectName("civDelay")
        self.delay_button.clicked.connect(self._ask_delay)
        top = QVBoxLayout()
        top.addWidget(self.summary)

        self.queue = QueueModel(self)
        self.queue_table = _table("civQueue", self.queue)
        self.queue_table.setAccessibleName(self.tr("File de revue de l'identitovigilance"))
        self.queue_table.selectionModel().selectionChanged.connect(self._queue_selected)
        header = self.queue_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

        self.compare = CompareModel(self)
        self.compare_table = _table("civCompare", self.compare)
        self.compare_table.setAccessibleName(self.tr("Comparaison des identités, traits stricts d'abord"))
        self.compare_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        cheader = self.compare_table.horizontalHeader()
        cheader.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        cheader.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        cheader.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.legend = QLabel(self.tr("● trait strict (RNIV) ; en rouge : ce qui diffère"))
        self.legend.setObjectName("civLegend")
        self.keep_left = QPushButton(self.tr("&Garder A, fusionner B…"))
        self.keep_left.setObjectName("civKeepLeft")
        self.keep_left.clicked.connect(lambda: self._ask_merge(0))
        self.keep_right = QPushButton(self.tr("Garder &B, fusionner A…"))
        self.keep_right.setObjectName("civKeepRight")
        self.keep_right.clicked.connect(lambda: self._ask_merge(1))
        # The actions above the tables: on a small screen the page may scroll (the tabs are as
        # tall as the tallest view), the buttons and the strict traits stay in sight.
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.keep_left)
        merge_row.addWidget(self.keep_right)
        merge_row.addWidget(self.legend, 1)
        merge_row.addWidget(self.delay_button)
        compare_box = QWidget()
        compare_layout = QVBoxLayout(compare_box)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        compare_layout.addWidget(self.compare_table, 1)

        self.merges = MergesModel(self)
        self.merges_table = _table("civMerges", self.merges)
        self.merges_table.setAccessibleName(self.tr("Fusions faites"))
        self.merges_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.undo_button = QPushButton(self.tr("Annuler la fusi&on…"))
        self.undo_button.setObjectName("civUndo")
        self.undo_button.clicked.connect(self._ask_undo)
        merges_box = QWidget()
        merges_layout = QVBoxLayout(merges_box)
        merges_layout.setContentsMargins(0, 0, 0, 0)
        merges_layout.addWidget(self.merges_table, 1)
        undo_row = QHBoxLayout()
        undo_row.addStretch(1)
        undo_row.addWidget(self.undo_button)
        merges_layout.addLayout(undo_row)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("civSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.queue_table)
        self.splitter.addWidget(compare_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        # 1024x768: the queue and the comparison, with its buttons, above the fold
        self.queue_table.setMinimumHeight(80)
        self.compare_table.setMinimumHeight(150)
        self.pages = QTabWidget()
        self.pages.setObjectName("civPages")
        self.pages.addTab(self.splitter, self.tr("File de &revue"))
        self.pages.addTab(merges_box, self.tr("Fusion&s faites"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(merge_row)
        layout.addWidget(self.pages, 1)
        order = [
            self.keep_left,
            self.keep_right,
            self.delay_button,
            self.pages,
            self.queue_table,
            self.compare_table,
            self.merges_table,
            self.undo_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self._watch = ChangeWatch(self, controller, CONCERNS, lambda _c: self.reload())
        self._update_buttons()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        self._controller.run(load_civ_data, self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(self.tr("File de revue indisponible."))
        show_error(self, exc)

    def _show(self, data: CivData) -> None:
        selected = self.selected_item()
        self._queue = data.queue
        q = data.queue
        rows = [QueueRow(i, tuple(q.patients[p] for p in i.patient_ids if p in q.patients)) for i in q.items]
        self.queue.set_rows(rows)
        c = q.counts
        self.summary.setText(
            self.tr(
                "À revoir : {0} — doublons possibles {1}, provisoires depuis plus de {2} h : {3}, "
                "douteuses {4}, fictives {5}, correspondances DPI {6}"
            ).format(
                len(q.items),
                c[ReviewKind.DUPLICATE],
                q.provisional_hours,
                c[ReviewKind.PROVISIONAL],
                c[ReviewKind.DOUBTFUL],
                c[ReviewKind.FICTITIOUS],
                c[ReviewKind.MAPPING],
            )
        )
        self.merges.set_rows(data.merges)
        active = sum(1 for m in data.merges if not m.undone)
        self.pages.setTabText(1, self.tr("Fusion&s faites ({0})").format(active))
        again = self.queue.find_row(lambda r: selected is not None and r.item == selected)
        if again >= 0:
            self.queue_table.selectRow(again)
        elif rows:
            self.queue_table.selectRow(0)
        else:
            self.compare.set_rows([])
        self._update_buttons()

    def selected_item(self) -> ReviewItem | None:
        rows = self.queue_table.selectionModel().selectedRows()
        row = self.queue.row_at(rows[0].row()) if rows else None
        return row.item if row else None

    def _queue_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        item = self.selected_item()
        self._update_buttons()
        if item is None:
            self.compare.set_rows([])
            return
        ids = item.patient_ids
        left, right = ids[0], ids[-1]

        def shown(rows: list[TraitRow]) -> None:
            if self.selected_item() != item:
                return  # another line was chosen meanwhile
            self.compare.single = len(ids) == 1
            people = self._queue.patients if self._queue else {}
            self.compare.titles = (
                people[left].number if left in people else "",
                "" if len(ids) == 1 else (people[right].number if right in people else ""),
            )
            self.compare.set_rows(rows)
            self.compare.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)

        self._controller.run(
            lambda s: vigilance.compare(s, left, right), shown, lambda e: show_error(self, e)
        )

    def _update_buttons(self) -> None:
        item = self.selected_item()
        pair = item is not None and item.kind is ReviewKind.DUPLICATE
        self.keep_left.setEnabled(pair)
        self.keep_right.setEnabled(pair)
        chosen = self.merges_table.selectionModel().selectedRows()
        record = self.merges.row_at(chosen[0].row()) if chosen else None
        self.undo_button.setEnabled(record is not None and not record.undone)

    # ------------------------------------------------------------------ actions
    def _ask_merge(self, keep: int) -> None:
        item = self.selected_item()
        if item is None or item.kind is not ReviewKind.DUPLICATE or self._queue is None:
            return
        kept_id, merged_id = item.patient_ids[keep], item.patient_ids[1 - keep]
        kept, merged = self._queue.patients[kept_id], self._queue.patients[merged_id]

        def with_reason(reason: str) -> None:
            confirm(
                self,
                self.tr("Fusionner deux identités"),
                self.tr("Garder {0} et y fusionner {1} ?").format(_who(kept), _who(merged)),
                self.tr("&Fusionner"),
                lambda: self._merge(kept_id, merged_id, reason),
                details=self.tr(
                    "Les séjours de l'identité fusionnée, avec leurs mouvements, passent à l'identité "
                    "gardée. La fusion peut être annulée ensuite."
                ),
                icon=QMessageBox.Icon.Warning,
                confirm_is_default=False,
                name="civMergeConfirm",
            )

        ask_text(
            self,
            self.tr("Motif de la fusion"),
            self.tr("Pourquoi ces deux identités sont-elles la même personne ?"),
            self.tr("Continuer"),
            with_reason,
            name="civMergeReason",
        )

    def _merge(self, kept_id: str, merged_id: str, reason: str) -> None:
        def done(record: MergeRecord) -> None:
            inform(
                self,
                self.tr("Fusion faite"),
                self.tr("{0} séjour(s) et {1} mouvement(s) déplacé(s).").format(
                    len(record.stays), record.movements
                )
                + "\n"
                + (
                    self.tr("Le DPI connaît les deux identités : la fusion lui sera envoyée (A40).")
                    if record.a40_event
                    else self.tr("Le DPI ne connaît pas les deux identités : rien ne lui est envoyé.")
                ),
                name="civMerged",
            )

        self._controller.run(
            lambda s: identity_merge.merge(s, kept_id, merged_id, reason=reason),
            done,
            lambda e: show_error(self, e),
            write=True,
        )

    def _ask_undo(self) -> None:
        chosen = self.merges_table.selectionModel().selectedRows()
        record = self.merges.row_at(chosen[0].row()) if chosen else None
        if record is None or record.undone:
            return

        def with_reason(reason: str) -> None:
            confirm(
                self,
                self.tr("Annuler une fusion"),
                self.tr("Rendre ses {0} séjour(s) à l'identité fusionnée ?").format(len(record.stays)),
                self.tr("Annuler la &fusion"),
                lambda: self._controller.run(
                    lambda s: identity_merge.unmerge(s, record.id, reason=reason),
                    lambda _r: None,
                    lambda e: show_error(self, e),
                    write=True,
                ),
                confirm_is_default=False,
                name="civUndoConfirm",
            )

        ask_text(
            self,
            self.tr("Motif de l'annulation"),
            self.tr("Pourquoi annuler cette fusion ?"),
            self.tr("Continuer"),
            with_reason,
            name="civUndoReason",
        )

    def _ask_delay(self) -> None:
        current = self._queue.provisional_hours if self._queue else vigilance.DEFAULT_PROVISIONAL_HOURS
        ask_int(
            self,
            self.tr("Délai des identités provisoires"),
            self.tr("Signaler une identité encore provisoire après (heures) :"),
            current,
            1,
            vigilance.MAX_PROVISIONAL_HOURS,
            self.tr("Enregistrer"),
            lambda hours: self._controller.run(
                lambda s: vigilance.set_provisional_hours(s, hours),
                lambda _r: None,
                lambda e: show_error(self, e),
                write=True,
            ),
            name="civDelayDialog",
        )

    def clear(self) -> None:
        self.queue.set_rows([])
        self.compare.set_rows([])
        self.merges.set_rows([])
