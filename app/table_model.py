"""Base of the read-only table models: a list of rows under fixed column headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


class RowsTableModel(QAbstractTableModel, Generic[R]):
    """Subclasses give ``headers()`` (translated) and their own ``data()``."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[R] = []

    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[R]:
        return list(self._rows)

    def find_row(self, match: Callable[[R], bool]) -> int:
        """Index of the first row that matches, or -1."""
        return next((i for i, r in enumerate(self._rows) if match(r)), -1)

    def rowCount(self, parent: Index = _NO_INDEX) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _NO_INDEX) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers())

    def headerData(  # noqa: N802 - Qt API
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        headers = self.headers()
        if (
            orientation is Qt.Orientation.Horizontal
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and 0 <= section < len(headers)
        ):
            return headers[section]  # the tooltip: the whole title, if the column elides it
        return None
