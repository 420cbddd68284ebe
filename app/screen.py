"""Windows that fit the screen they open on: title bar, status bar and buttons stay visible.

A workstation may have a 1366x768 or 1024x768 screen (or a large font on a larger one):
the main window opens at its preferred size only where that fits, maximised otherwise;
every dialog is shrunk and moved onto the screen when it is shown (``ScreenFit``, an
application-wide event filter, so dialogs opened anywhere are covered).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QSizePolicy, QStatusBar, QWidget

PREFERRED_MAIN_SIZE = QSize(1280, 800)
# The window manager's frame before a window was ever shown (title bar and borders): a
# guess, replaced by the frame of the first window actually decorated.
DEFAULT_FRAME = QMargins(4, 30, 4, 4)
_NO_FRAME_PLATFORMS = ("offscreen", "minimal")

QWIDGETSIZE_MAX = (1 << 24) - 1
_learned_frame: QMargins | None = None


def screen_of(widget: QWidget) -> QScreen:
    """The screen ``widget`` is (or will be) on: its own, its parent window's, or the primary."""
    for candidate in (widget, widget.parentWidget()):
        if candidate is not None:
            screen = candidate.window().screen()
            if screen is not None:
                return screen
    return QGuiApplication.primaryScreen()


def _margins_of(window: QWidget) -> QMargins | None:
    outer, inner = window.frameGeometry(), window.geometry()
    if not window.isVisible() or outer == inner:
        return None
    return QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )


def frame_margins(widget: QWidget) -> QMargins:
    """The decoration around ``widget``'s window: measured when it is shown, else learnt from
    another decorated window, else a guess (none on platforms that draw no frames)."""
    global _learned_frame
    own = _margins_of(widget.window())
    if own is not None:
        _learned_frame = own
        return own
    if _learned_frame is not None:
        return _learned_frame
    for top in QApplication.topLevelWidgets():
        seen = _margins_of(top)
        if seen is not None:
            _learned_frame = seen
            return seen
    if QGuiApplication.platformName() in _NO_FRAME_PLATFORMS:
        return QMargins()
    return DEFAULT_FRAME


def client_room(widget: QWidget) -> QRect:
    """Where ``widget``'s window contents may go: the available screen minus its frame."""
    return screen_of(widget).availableGeometry().marginsRemoved(frame_margins(widget))


def fits(widget: QWidget) -> bool:
    """Whether ``widget``'s window, frame included, is wholly on its screen's available area."""
    window = widget.window()
    outer = window.geometry().marginsAdded(frame_margins(window))
    return screen_of(window).availableGeometry().contains(outer)


def fit_to_screen(widget: QWidget, preferred: QSize | None = None) -> None:
    """Give the window ``preferred`` (or its present) size, bounded by the screen; once it is
    shown, also move it so that its frame is on the screen (before, Qt places it: a dialog
    centred on its parent, then ``ScreenFit`` checks it). A minimum size larger than the
    screen is kept (the contents would not fit); such a window goes to the top left, its
    title bar visible."""
    room = client_room(widget)
    wanted = preferred if preferred is not None else widget.size()
    size = wanted.boundedTo(room.size()).expandedTo(widget.minimumSize())
    if size != widget.size():
        widget.resize(size)
    if widget.isWindow() and widget.isVisible():
        _move_frame_inside(widget, size)


def _framed(size: QSize, frame: QMargins) -> QSize:
    return QSize(size.width() + frame.left() + frame.right(), size.height() + frame.top() + frame.bottom())


def _move_frame_inside(window: QWidget, size: QSize, top_left: QPoint | None = None) -> None:
    """``move`` places a window's frame: keep all of it on the available screen."""
    area = screen_of(window).availableGeometry()
    outer = _framed(size, frame_margins(window))
    start = top_left if top_left is not None else window.frameGeometry().topLeft()
    x = max(area.left(), min(start.x(), area.right() + 1 - outer.width()))
    y = max(area.top(), min(start.y(), area.bottom() + 1 - outer.height()))
    window.move(QPoint(x, y))


def place_main_window(window: QWidget, preferred: QSize = PREFERRED_MAIN_SIZE) -> None:
    """Centred at ``preferred`` size where that fits the screen, maximised otherwise (the
    restored size, if the user un-maximises, fits as well)."""
    room = client_room(window)
    size = preferred.boundedTo(room.size())
    window.resize(size)
    centred = QRect(QPoint(0, 0), _framed(size, frame_margins(window)))
    centred.moveCenter(screen_of(window).availableGeometry().center())
    _move_frame_inside(window, size, centred.topLeft())
    if size != preferred:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


class ScreenFit(QObject):
    """Application-wide: each dialog, when shown, is shrunk to its screen's size (Qt then
    centres it on its parent, within the screen); once shown, it is moved if its frame is
    still off the screen."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # isinstance first: it is cheap, and this runs for every event of the application
        if isinstance(watched, QDialog) and event.type() == QEvent.Type.Show and watched.isWindow():
            room = client_room(watched)
            size = watched.size().boundedTo(room.size()).expandedTo(watched.minimumSize())
            if size != watched.size():
                watched.resize(size)
            QTimer.singleShot(0, watched, lambda: _keep_on_screen(watched))
        return False


def _keep_on_screen(window: QWidget) -> None:
    if window.isVisible() and not fits(window):
        fit_to_screen(window)


_filter: ScreenFit | None = None


def install(app: QApplication) -> None:
    """Fit every dialog of ``app`` to its screen (once per application)."""
    global _filter
    if _filter is None:
        _filter = ScreenFit(app)
        app.installEventFilter(_filter)


class ElidedLabel(QLabel):
    """A one-line label that shrinks with the room it gets: its text then ends in "…" and its
    tooltip gives it whole (with the label's own tooltip, if it has one). ``text()`` is the
    whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self._own_tip = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.updateGeometry()
        self._elide()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt API
        self._own_tip = tip
        self._elide()

    def clear(self) -> None:
        self.setText("")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right() + 8
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        return QSize(
            min(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("Abc…")), hint.height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(room, 0))
        super().setText(shown)
        tip = self._full if shown != self._full else ""
        super().setToolTip("\n".join(t for t in (tip, self._own_tip) if t))


def leave_room_for_message(labels: list[ElidedLabel], bar: QStatusBar, message: str) -> None:
    """A status bar message is drawn in what its permanent labels leave: while there is one,
    they shrink (elided, whole in their tooltips) so that it is not cut."""
    if not message:
        bar.setToolTip("")
        for label in labels:
            label.setMaximumWidth(QWIDGETSIZE_MAX)
        return
    needed = bar.fontMetrics().horizontalAdvance(message) + 24
    # A message longer than the bar itself is cut there: the bar's tooltip has it whole.
    least = sum(label.minimumSizeHint().width() for label in labels if label.isVisible())
    bar.setToolTip(message if needed + least > bar.width() else "")
    room = max(0, bar.width() - needed)
    wanted = sum(label.sizeHint().width() for label in labels if label.isVisible()) or 1
    for label in labels:
        label.setMaximumWidth(max(label.minimumSizeHint().width(), label.sizeHint().width() * room // wanted))
