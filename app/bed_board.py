"""Bed board: one tile per bed, grouped by UF; state shown by colour and in words."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app import theme
from continuity.domain.movement import StayState
from continuity.domain.records import BedView
from continuity.services.patients import UfCensus

COLUMNS = 4


class BedTile(QFrame):
    chosen = Signal(object)  # the BedView

    def __init__(self, bed: BedView, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.bed = bed
        self.setObjectName(f"bed-{bed.uf_code}-{bed.bed_code}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.Box)
        self.setMinimumWidth(128)
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
        bg, fg = theme.tile_colours(state)
        self.state = state
        self.setStyleSheet(f"BedTile {{ background: {bg}; border: 1px solid {fg}; "
                           f"border-radius: 4px; }} QLabel {{ color: {fg}; }}"
                           f"BedTile:focus {{ border: 3px solid #c00000; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(1)
        head = QLabel(f"<b>{bed.bed_code}</b>" + (f"  {title}" if title else ""))
        layout.addWidget(head)
        text = QLabel(body)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addStretch()
        self.setToolTip(self.tr("Chambre {0}").format(bed.room))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.setFocus()
        self.chosen.emit(self.bed)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.chosen.emit(self.bed)
            return
        super().keyPressEvent(event)


class BedBoard(QWidget):
    bed_chosen = Signal(object)

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
                grid.addWidget(tile, n // COLUMNS, n % COLUMNS)
                self.tiles[(bed.uf_code, bed.bed_code)] = tile
            if uf.without_bed:
                extra = QLabel(self.tr("Sans lit : {0} patient(s)").format(len(uf.without_bed)))
                grid.addWidget(extra, len(uf.beds) // COLUMNS + 1, 0, 1, COLUMNS)
            self._layout.addWidget(box)
        self._layout.addStretch(1)
