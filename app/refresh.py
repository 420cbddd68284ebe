"""Reloading a view when a write changed what it shows, and only then.

Each view declares the concerns (``continuity.changes.Changes``) it reads. On
``Controller.changed``, a view that is on screen reloads what the write concerned;
a hidden one (a tab not in front) notes it and reloads when it is shown again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.controller import Controller
from continuity.changes import Changes


class ChangeWatch(QObject):
    """``reload(changes)`` of ``view`` for the changes that concern it (``concerns``)."""

    def __init__(
        self,
        view: QWidget,
        controller: Controller,
        concerns: Changes,
        reload: Callable[[Changes], None],
    ):
        super().__init__(view)
        self.concerns = concerns
        self._view = view
        self._reload = reload
        self._missed = Changes.none()
        controller.changed.connect(self._changed)
        controller.locked.connect(self._forget)
        view.installEventFilter(self)

    def _changed(self, changes: Changes) -> None:
        relevant = changes & self.concerns
        if not relevant:
            return
        if self._view.isVisible():
            self._reload(relevant)
        else:
            self._missed |= relevant

    def _forget(self) -> None:
        self._missed = Changes.none()  # every view loads again at unlock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._view and event.type() == QEvent.Type.Show and self._missed:
            missed, self._missed = self._missed, Changes.none()
            self._reload(missed)
        return False
