"""Bed board: one tile per bed, grouped by UF; state shown by colour and in words."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app import theme
from continuity.domain.movement import StayState
from continuity.domain.records import BedView
from continuity.services.patients import UfCensus

COLUMNS = 4


MIME = "application/x-continuity-bed"


class BedTile(QFrame):
    """A bed. An occupied tile can be dragged onto a free one to start a transfer.

    The tile paints its own text: a UF of a thousand beds is a thousand light
    widgets, not three thousand labels each with its own style sheet.
    """

    chosen = Signal(object)  # the BedView
    dropped_on = Signal(object, object)  # (source BedView, target BedView)

    def __init__(self, bed: BedView, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.bed = bed
        self.setObjectName(f"bed-{bed.uf_code}-{bed.bed_code}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.Box)
        self.setMinimumWidth(112)
        # room for four lines (bed, a name that wraps, age) at any font size
        self.setFixedHeight(4 * self.fontMetrics().lineSpacing() + 14)
        occupant = bed.occupant
        if bed.blocked:
            state, title, body = "blocked", self.tr("BLOQUÉ"), ""
        elif occupant is None:
            state, title, body = "free", self.tr("LIBRE"), ""
        else:
            i = occupant.patient.identity
            on_leave = occupant.stay is not None and occupant.stay.state is StayState.ON_LEAVE
            state = "leave" if on_leave else "occupied"
            title = self.tr("ABSENT") if on_leave else ""
            name = f"{i.used_name or i.birth_name} {(i.used_first_name or i.first_names[0]).title()}"
            body = f"{name}\n{i.sex.value} · " + self.tr("{0} ans").format(i.age_on(today))
            if i.placeholder:
                body += " · " + self.tr("inconnu")
        self.state = state
        self._title, self._body = title, body
        self.setToolTip(self.tr("Chambre {0}").format(bed.room))
        self.setAcceptDrops(state == "free")
        self._press: QPoint | None = None

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        bg, fg = theme.tile_colours(self.state)
        painter = QPainter(self)
        rect = self.rect().adjusted(1, 1, -2, -2)
        painter.setBrush(QColor(bg))
        pen = QPen(QColor("#c00000") if self.hasFocus() else QColor(fg))
        pen.setWidth(3 if self.hasFocus() else 1)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(QColor(fg))
        text = rect.adjusted(6, 4, -4, -2)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        line = self.fontMetrics().lineSpacing()
        painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         self.bed.bed_code)
        painter.setFont(self.font())
        if self._title:
            offset = QFontMetrics(bold).horizontalAdvance(self.bed.bed_code + "  ")
            painter.drawText(text.adjusted(offset, 0, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self._title)
        painter.drawText(text.adjusted(0, line, 0, 0),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, self._body)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.setFocus()
        self._press = event.position().toPoint()
        self.chosen.emit(self.bed)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        moved = self._press is not None and (
            event.position().toPoint() - self._press).manhattanLength() >= \
            QApplication.startDragDistance()
        if self.bed.occupant is None or not moved:
            return
        self._press = None
        mime = QMimeData()
        mime.setData(MIME, f"{self.bed.uf_code}\t{self.bed.bed_code}".encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        board = self.parent()
        while board is not None and not isinstance(board, BedBoard):
            board = board.parent()
        uf, bed = bytes(event.mimeData().data(MIME).data()).decode().split("\t")
        source = board.tiles.get((uf, bed)) if board is not None else None
        if source is not None:
            event.acceptProposedAction()
            self.dropped_on.emit(source.bed, self.bed)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.chosen.emit(self.bed)
            return
        super().keyPressEvent(event)


class BedBoard(QWidget):
    bed_chosen = Signal(object)
    transfer_requested = Signal(object, object)  # (occupied BedView, free BedView)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tiles: dict[tuple[str, str], BedTile] = {}

    def show_census(self, census: list[UfCensus]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item and (w := item.widget()):
                w.deleteLater()
        self.tiles.clear()
        today = date.today()
        for uf in census:
            box = QGroupBox(self.tr("{0} — {1} : {2}/{3} lits occupés").format(
                uf.uf_code, uf.uf_name, uf.occupied, len(uf.beds)))
            grid = QGridLayout(box)
            grid.setSpacing(6)
            for n, bed in enumerate(uf.beds):
                tile = BedTile(bed, today, box)
                tile.chosen.connect(self.bed_chosen)
                tile.dropped_on.connect(self.transfer_requested)
                grid.addWidget(tile, n // COLUMNS, n % COLUMNS)
                self.tiles[(bed.uf_code, bed.bed_code)] = tile
            if uf.without_bed:
                extra = QLabel(self.tr("Sans lit : {0} patient(s)").format(len(uf.without_bed)))
                grid.addWidget(extra, len(uf.beds) // COLUMNS + 1, 0, 1, COLUMNS)
            self._layout.addWidget(box)
        self._layout.addStretch(1)
