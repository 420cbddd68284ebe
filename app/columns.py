"""Table columns that fit their view: where the room runs out, the long text columns give
width (their texts are elided with "…", the whole text in the tooltip), never cut at the
view's edge behind a scroll bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QTableView

MIN_SHRUNK = 40  # a shrunk column still shows a few letters and its "…"


class ColumnFit(QObject):
    """Keeps ``table``'s columns at their preferred widths (``measure()``, measured again
    when the font changes: large fonts) while they fit its viewport, and shrinks the
    ``shrinkable`` ones (in proportion) when they do not."""

    def __init__(self, table: QTableView, measure: Callable[[], Sequence[int]], shrinkable: Sequence[int]):
        super().__init__(table)
        self.table = table
        self.measure = measure
        self.widths = list(measure())
        self.shrinkable = [c for c in shrinkable if c < len(self.widths)]
        table.horizontalHeader().setStretchLastSection(False)  # apply() sizes the last one
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        header = self.table.horizontalHeader()
        count = header.count()
        room = self.table.viewport().width() - 2  # rounding: never a 1-pixel scroll
        extra = 0  # the last column, if not measured, takes what is left (at least its title)
        if count > len(self.widths):
            title = str(self.table.model().headerData(count - 1, Qt.Orientation.Horizontal))
            extra = header.fontMetrics().horizontalAdvance(title) + 18
        sizes = self._shrunk(room - extra)
        used = 0
        for column, width in enumerate(sizes[:count]):
            used += width
            if self.table.columnWidth(column) != width:
                self.table.setColumnWidth(column, width)
        if count > len(self.widths):
            self.table.setColumnWidth(count - 1, max(extra, room - used))

    def _shrunk(self, room: int) -> list[int]:
        """The widths within ``room``: the shrinkable columns in proportion, none below
        ``MIN_SHRUNK`` (those that reach it stay there and the others give the rest)."""
        sizes = list(self.widths)
        fixed = sum(w for c, w in enumerate(sizes) if c not in self.shrinkable)
        if room <= 0 or fixed + sum(sizes[c] for c in self.shrinkable) <= room:
            return sizes
        free = list(self.shrinkable)
        while free:
            floored = sum(sizes[c] for c in self.shrinkable if c not in free)
            scale = max(0.0, (room - fixed - floored) / sum(self.widths[c] for c in free))
            low = [c for c in free if self.widths[c] * scale < MIN_SHRUNK]
            for c in free:
                sizes[c] = min(self.widths[c], MIN_SHRUNK) if c in low else int(self.widths[c] * scale)
            if not low:
                break
            free = [c for c in free if c not in low]
        return sizes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FontChange and watched is self.table:
            self.widths = list(self.measure())
            self.apply()
        elif event.type() == QEvent.Type.Resize and watched is not self.table:
            self.apply()
        return False
