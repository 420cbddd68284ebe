"""Bed board: one tile per bed, grouped by UF; state shown by colour and in words.

Model/view: a list model of tiles (a header row per UF, then its beds) shown
by one list view whose delegate paints every tile. A UF of a thousand beds is
a thousand small records, not a thousand widgets: a census refresh changes
the rows that changed, and only the tiles on screen are painted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app import theme
from continuity.domain.movement import StayState
from continuity.domain.records import BedView, PatientSummary
from continuity.services.patients import UfCensus

MIME = "application/x-continuity-bed"
BEDLESS_KEY = "~"  # a bedless patient's tile: "~" + patient id (no bed code starts with it)
COLUMNS = 4  # tiles a row at the default width of the board
TILE_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER = "header"

Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


@dataclass(frozen=True)
class Tile:
    """What one row of the board shows: a UF header (``bed`` None) or a bed."""

    uf_code: str
    bed: BedView | None
    state: str  # header, free, occupied, leave, blocked, bedless
    title: str  # the state in words, beside the bed code
    body: str
    patient: PatientSummary | None = None  # a bedless patient's tile (no bed)

    @property
    def key(self) -> tuple[str, str]:
        if self.patient is not None:
            return (self.uf_code, BEDLESS_KEY + self.patient.patient.id)
        return (self.uf_code, self.bed.bed_code if self.bed else "")

    @property
    def occupant(self) -> PatientSummary | None:
        return self.bed.occupant if self.bed is not None else self.patient

    @property
    def code(self) -> str:
        """The bed code, or the words of the bedless strip."""
        return self.bed.bed_code if self.bed else self.title if self.patient else ""

    @property
    def text(self) -> str:
        """Everything the tile says, in one line (screen readers, type-ahead)."""
        code = self.bed.bed_code if self.bed else ""
        return " ".join(p for p in (code, self.title, self.body.replace("\n", " ")) if p)


class BedBoardModel(QAbstractListModel):
    transfer_requested = Signal(object, object)  # (PatientSummary, free BedView)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tiles: list[Tile] = []
        self._rows: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------------ content
    def set_census(self, census: Sequence[UfCensus], today: date) -> None:
        """Show a census; rows that did not change are left alone."""
        tiles = self._tiles_of(census, today)
        if [t.key for t in tiles] != [t.key for t in self._tiles]:
            self.beginResetModel()
            self._tiles = tiles
            self._rows = {t.key: n for n, t in enumerate(tiles)}
            self.endResetModel()
            return
        old, self._tiles = self._tiles, tiles
        changed = [n for n, (a, b) in enumerate(zip(old, tiles, strict=True)) if a != b]
        for n in changed:
            self.dataChanged.emit(self.index(n), self.index(n))

    def _tiles_of(self, census: Sequence[UfCensus], today: date) -> list[Tile]:
        words = {"free": self.tr("LIBRE"), "blocked": self.tr("BLOQUÉ"), "leave": self.tr("ABSENT")}
        years, unknown = self.tr("{0} ans"), self.tr("inconnu")
        header, no_bed = self.tr("{0} — {1} : {2}/{3} lits occupés"), self.tr(" · sans lit : {0} patient(s)")
        bedless = self.tr("SANS LIT")

        def body_of(occupant: PatientSummary) -> str:
            i = occupant.patient.identity
            name = f"{i.used_name or i.birth_name} {(i.used_first_name or i.first_names[0]).title()}"
            body = f"{name}\n{i.sex.value} · " + years.format(i.age_on(today))
            return body + (" · " + unknown if i.placeholder else "")

        tiles: list[Tile] = []
        for uf in census:
            title = header.format(uf.uf_code, uf.uf_name, uf.occupied, len(uf.beds))
            if uf.without_bed:
                title += no_bed.format(len(uf.without_bed))
            tiles.append(Tile(uf.uf_code, None, HEADER, title, ""))
            for bed in uf.beds:
                occupant = bed.occupant
                if bed.blocked:
                    state, body = "blocked", ""
                elif occupant is None:
                    state, body = "free", ""
                else:
                    stay = occupant.stay
                    state = "leave" if stay and stay.state is StayState.ON_LEAVE else "occupied"
                    body = body_of(occupant)
                tiles.append(Tile(uf.uf_code, bed, state, words.get(state, ""), body))
            # the "sans lit" strip: patients waiting for a bed stay in sight, after the beds
            tiles.extend(Tile(uf.uf_code, None, "bedless", bedless, body_of(p), p) for p in uf.without_bed)
        return tiles

    def tile(self, uf_code: str, bed_code: str) -> Tile | None:
        row = self._rows.get((uf_code, bed_code))
        return None if row is None else self._tiles[row]

    def tiles(self) -> list[Tile]:
        return list(self._tiles)

    def index_of(self, uf_code: str, bed_code: str) -> QModelIndex:
        row = self._rows.get((uf_code, bed_code))
        return QModelIndex() if row is None else self.index(row)

    def index_of_patient(self, patient_id: str) -> QModelIndex:
        for n, t in enumerate(self._tiles):
            occupant = t.occupant
            if occupant is not None and occupant.patient.id == patient_id:
                return self.index(n)
        return QModelIndex()

    def bed_count(self) -> int:
        return sum(1 for t in self._tiles if t.bed is not None)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = _NO_INDEX) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._tiles)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tiles):
            return None
        tile = self._tiles[index.row()]
        if role == TILE_ROLE:
            return tile
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return tile.text
        if role == Qt.ItemDataRole.ToolTipRole and tile.bed is not None:
            return self.tr("Chambre {0}").format(tile.bed.room) + ("\n" + tile.body if tile.body else "")
        if role == Qt.ItemDataRole.ToolTipRole and tile.state == HEADER:
            return tile.title
        if role == Qt.ItemDataRole.ToolTipRole and tile.patient is not None:
            return self.tr("En attente d'un lit — faites glisser sur un lit libre") + "\n" + tile.body
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._tiles):
            return Qt.ItemFlag.NoItemFlags
        state = self._tiles[index.row()].state
        if state == HEADER:
            return Qt.ItemFlag.NoItemFlags  # not a stop for the keyboard
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if state in ("occupied", "leave", "bedless"):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        elif state == "free":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # ------------------------------------------------------------------ drag and drop
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802 - Qt API
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt API
        mime = QMimeData()
        tiles = [t for i in indexes if (t := self._tiles[i.row()]).occupant is not None]
        if tiles:
            mime.setData(MIME, "\t".join(tiles[0].key).encode())
        return mime

    def _drop_pair(self, mime: QMimeData, parent: Index) -> tuple[PatientSummary, BedView] | None:
        if not mime.hasFormat(MIME) or not parent.isValid():
            return None
        target = self._tiles[parent.row()]
        uf, _, code = bytes(mime.data(MIME).data()).decode().partition("\t")
        source = self.tile(uf, code)
        occupant = source.occupant if source is not None else None
        if target.state != "free" or target.bed is None or occupant is None:
            return None
        return occupant, target.bed

    def canDropMimeData(  # noqa: N802 - Qt API
        self,
        mime: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        return self._drop_pair(mime, parent) is not None

    def dropMimeData(  # noqa: N802 - Qt API
        self,
        mime: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        """A patient dropped on a free bed asks for a transfer; the board itself does not change."""
        pair = self._drop_pair(mime, parent)
        if pair is None:
            return False
        self.transfer_requested.emit(*pair)
        return True


class BedTileDelegate(QStyledItemDelegate):
    """Paints the tiles; a header spans the board's width so that each UF starts a new row."""

    def __init__(self, view: QListView):
        super().__init__(view)
        self._view = view

    def _row_width(self) -> int:
        """The width QListView lays a row out in: it keeps room for a vertical scroll bar."""
        view = self._view
        scroll_bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        return view.maximumViewportSize().width() - scroll_bar - view.spacing()

    def tile_size(self) -> QSize:
        metrics = self._view.fontMetrics()
        step = 2 * self._view.spacing()
        width = self._row_width()
        minimum = metrics.averageCharWidth() * 15
        columns = max(1, min(COLUMNS, width // (minimum + step)))
        # room for four lines: bed and state, a name that wraps, sex and age
        return QSize(max(minimum, width // columns - step - 1), 4 * metrics.lineSpacing() + 14)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        tile: Tile = index.data(TILE_ROLE)
        if tile.state == HEADER:
            return QSize(
                self._row_width() - 2 * self._view.spacing() - 1, self._view.fontMetrics().lineSpacing() + 12
            )
        return self.tile_size()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        tile: Tile = index.data(TILE_ROLE)
        rect = QRect(option.rect)
        font = QFont(option.font)
        bold = QFont(font)
        bold.setBold(True)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        if tile.state == HEADER:
            painter.setFont(bold)
            painter.setPen(
                self._view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
            )
            band = rect.adjusted(2, 8, 0, 0)
            title = QFontMetrics(bold).elidedText(tile.title, Qt.TextElideMode.ElideRight, band.width())
            painter.drawText(band, top_left, title)  # elided: the whole line is in the tooltip
            painter.restore()
            return
        bg, fg = theme.tile_colours(tile.state)
        state = option.state
        focused = bool(state & QStyle.StateFlag.State_HasFocus) or bool(
            state & QStyle.StateFlag.State_Selected
        )
        box = rect.adjusted(1, 1, -2, -2)
        painter.setBrush(QColor(bg))
        pen = QPen(QColor(theme.FOCUS_COLOUR) if focused else QColor(fg))
        pen.setWidth(3 if focused else 1)
        painter.setPen(pen)
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor(fg))
        text = box.adjusted(6, 4, -4, -2)
        painter.setFont(bold)
        bold_metrics, metrics = QFontMetrics(bold), QFontMetrics(font)
        painter.drawText(
            text, top_left, bold_metrics.elidedText(tile.code, Qt.TextElideMode.ElideRight, text.width())
        )
        painter.setFont(font)
        if tile.title and tile.bed is not None:
            offset = bold_metrics.horizontalAdvance(tile.code + "  ")
            room = text.width() - offset
            painter.drawText(
                text.adjusted(offset, 0, 0, 0),
                top_left,
                metrics.elidedText(tile.title, Qt.TextElideMode.ElideRight, room),
            )
        line = metrics.lineSpacing()
        # each line elided to the tile (the whole text is in the tooltip): never cut silently
        lines = [
            metrics.elidedText(b, Qt.TextElideMode.ElideRight, text.width()) for b in tile.body.split("\n")
        ]
        for n, body_line in enumerate(lines[:3]):
            painter.drawText(text.adjusted(0, line * (n + 1), 0, 0), top_left, body_line)
        painter.restore()


class BedBoard(QListView):
    """The tiles of the census. Click or Enter on a bed chooses it; drag a patient to a free bed."""

    bed_chosen = Signal(object)  # the Tile clicked or activated (a bed, or a bedless patient)
    patient_focused = Signal(object)  # PatientSummary or None: the current tile changed
    transfer_requested = Signal(object, object)  # (PatientSummary, free BedView)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bedBoard")
        self.board_model = BedBoardModel(self)
        self.board_model.transfer_requested.connect(self.transfer_requested)
        self.setModel(self.board_model)
        self.setItemDelegate(BedTileDelegate(self))
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setSpacing(3)
        self.setUniformItemSizes(False)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        # two tiles a row at least (four when there is room): the ward fits 1024 px, large fonts too
        self.setMinimumWidth(2 * self.fontMetrics().averageCharWidth() * 15 + 60)
        self.clicked.connect(self._choose)
        self.activated.connect(self._choose)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self._quiet = False

    def show_census(self, census: Sequence[UfCensus]) -> None:
        self.board_model.set_census(census, date.today())

    def tile(self, uf_code: str, bed_code: str) -> Tile | None:
        return self.board_model.tile(uf_code, bed_code)

    def bed_rect(self, uf_code: str, bed_code: str) -> QRect:
        """Where a bed's tile is, in viewport coordinates (empty if unknown)."""
        return self.visualRect(self.board_model.index_of(uf_code, bed_code))

    def show_patient(self, patient_id: str | None) -> None:
        """Frame this patient's tile (if any), without choosing it; no other patient stays framed."""
        index = self.board_model.index_of_patient(patient_id) if patient_id else QModelIndex()
        self._quiet = True
        try:
            if index.isValid():
                self.setCurrentIndex(index)
                self.scrollTo(index)
            else:
                self.clearSelection()
                current: Tile | None = self.currentIndex().data(TILE_ROLE)
                if current is not None and current.occupant is not None:
                    self.setCurrentIndex(QModelIndex())  # the frame is on nobody's tile
        finally:
            self._quiet = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """A press, a nudge or an arrow moved the frame: the current patient follows it."""
        if self._quiet:
            return
        tile: Tile | None = current.data(TILE_ROLE)
        self.patient_focused.emit(tile.occupant if tile is not None else None)

    def _choose(self, index: QModelIndex) -> None:
        tile: Tile | None = index.data(TILE_ROLE)
        if tile is not None and tile.state != HEADER:
            self.bed_chosen.emit(tile)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self._choose(self.currentIndex())
            return
        super().keyPressEvent(event)
