"""The lock shortcut (Ctrl+L) from every window of the application, an open form included.

The lock action lives in the main window's menu. A form (the admission dialog, a
question over it) is another window, modal over the main window: Qt gives no
shortcut of a blocked window to it, whatever the action's shortcut context. So the
key is also watched for the whole application: a Ctrl+L that no shortcut took
(it reached a widget as a key press) triggers the action, wherever the focus is.
The main window then hides the open forms, and gives them back to the same user.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication


class LockShortcut(QObject):
    def __init__(self, action: QAction):
        super().__init__(action)
        self._action = action
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # isinstance first: it is cheap, and this runs for every event of the application
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return False
        shortcut = self._action.shortcut()
        if shortcut.isEmpty() or not self._action.isEnabled():
            return False
        if QKeySequence(event.keyCombination()) != shortcut:
            return False
        self._action.trigger()
        return True
