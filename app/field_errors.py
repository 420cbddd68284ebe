"""A form's errors under the fields they are about, in room kept for them: nothing moves.

Each input that can be wrong is put in a frame whose border is always there (the
colour of the window, red when the input is wrong) above an error line that is
always there too, one line high, empty until there is an error. Showing errors then
changes colours and texts only, never a size: the rows, the inputs and the buttons
stay where the mouse and the eyes were. A message too long for its line ends with
"…"; the whole of it is in the line's and the input's tooltip (and read by screen
readers as the input's description).

    errors = FieldErrors(self)
    errors.add_row(form, self.tr("Date de naissance *"), "birth_date", self.birth_date)
    ...
    errors.show({"birth_date": "Le 31/02/2020 n'existe pas."})
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings, english
from continuity.errors import FieldError

BORDER = 2  # px, in both states


def message_of(error: FieldError) -> str:
    """The error in the application's language (French unless English was chosen)."""
    return error.message_en if english() else error.message_fr


class _ErrorLine(QLabel):
    """One line, elided: its text never changes its size."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)


class _Frame(QWidget):
    """The input's frame: a border always there, painted red only while the input is wrong
    (painted, not styled: a style sheet per field made the form slow to open)."""

    def __init__(self, colour: str):
        super().__init__()
        self._colour = QColor(colour)
        self.wrong = False

    def set_wrong(self, wrong: bool) -> None:
        if wrong != self.wrong:
            self.wrong = wrong
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self.wrong:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(self._colour)
            pen.setWidth(BORDER)
            painter.setPen(pen)
            half = BORDER // 2
            painter.drawRoundedRect(self.rect().adjusted(half, half, -half, -half), 3, 3)


class FieldErrors(QObject):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._inputs: dict[str, QWidget] = {}
        self._frames: dict[str, _Frame] = {}
        self._lines: dict[str, QLabel] = {}
        self._colour = "#ffd700" if Settings.current().high_contrast else "#b00020"

    def wrap(self, field: str, widget: QWidget) -> QWidget:
        """``widget`` in its frame, with its error line below: what goes in the form's row."""
        name = widget.objectName() or field
        box = QWidget()
        box.setObjectName(f"{name}Box")
        box.setFocusProxy(widget)  # a label's mnemonic (its buddy is the box) reaches the input
        frame = _Frame(self._colour)
        frame.setObjectName(f"{name}Frame")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(BORDER, BORDER, BORDER, BORDER)
        inner.addWidget(widget)
        line = _ErrorLine()
        line.setObjectName(f"{name}Error")
        font = line.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        line.setFont(font)
        line.setFixedHeight(line.fontMetrics().height())
        line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        palette = line.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(self._colour))
        line.setPalette(palette)
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(frame)
        outer.addWidget(line)
        self._inputs[field], self._frames[field], self._lines[field] = widget, frame, line
        self._mark(field, "")

        def corrected(*_args: object) -> None:
            self._mark(field, "")

        if isinstance(widget, QLineEdit):
            widget.textChanged.connect(corrected)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(corrected)
        return box

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        """A row of ``form``: its label level with the input, not with the input and its error line."""
        box = self.wrap(field, widget)
        form.addRow(label, box)
        text = form.labelForField(box)
        if isinstance(text, QLabel):
            text.setMinimumHeight(self._frames[field].sizeHint().height())
            text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def fields(self) -> frozenset[str]:
        return frozenset(self._inputs)

    def show(self, errors: Mapping[str, str]) -> None:
        """These errors (field -> message), and no other; the focus to the first field in error."""
        for field in self._inputs:
            self._mark(field, errors.get(field, ""))
        first = next((w for f, w in self._inputs.items() if f in errors and w.isEnabled()), None)
        if first is not None:
            first.setFocus()

    def clear(self) -> None:
        self.show({})

    def _mark(self, field: str, message: str) -> None:
        widget, frame, line = self._inputs[field], self._frames[field], self._lines[field]
        frame.set_wrong(bool(message))
        line.setText(message)
        line.setToolTip(message)
        widget.setToolTip(message)
        widget.setAccessibleDescription(message)
        widget.setProperty("invalid", bool(message))
        line.update()
