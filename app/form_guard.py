"""Asking before a filled form is dropped: Esc, « Annuler » and the window's close button.

A dialog routes its ``reject`` here (Qt sends all three through it)::

    self.guard = FormGuard(self, controller, fields.is_filled)

    def reject(self) -> None:  # Esc, Annuler, the window's close button
        self.guard.reject()

An empty form closes at once. A filled one asks « Abandonner la saisie ? »; continuing
is the default answer (Enter and Esc keep the form). A form is closed without a
question when its user is not the one at the workstation any more (another user
unlocked: the main window drops the forms they must not see) or when it is hidden
(locked): that closing is not the user's choice, so nothing is discarded then.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.controller import Controller


class FormGuard(QObject):
    def __init__(
        self,
        dialog: QDialog,
        controller: Controller,
        is_filled: Callable[[], bool],
        on_discard: Callable[[], None] | None = None,
    ):
        super().__init__(dialog)
        self._dialog = dialog
        self._controller = controller
        self._owner = controller.session.user.username if controller.session else None
        self._is_filled = is_filled
        self.on_discard = on_discard  # the user chose to abandon what they typed
        self._question: QMessageBox | None = None

    @property
    def owner(self) -> str | None:
        """The user the form was opened for."""
        return self._owner

    def owner_is_working(self) -> bool:
        session = self._controller.session
        return session is not None and session.user.username == self._owner

    def reject(self) -> None:
        if not self._dialog.isVisible() or not self.owner_is_working():
            if self._question is not None:
                self._question.reject()  # no answer: nothing is discarded
            QDialog.reject(self._dialog)  # not the user's choice: nothing is discarded
            return
        if self._question is not None:
            return  # already asking
        if not self._is_filled():
            self._discard()
            return
        self._ask()

    def _ask(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Abandonner la saisie"),
            self.tr("Abandonner la saisie ?"),
            QMessageBox.StandardButton.NoButton,
            self._dialog,
        )
        box.setObjectName("discardQuestion")
        box.setInformativeText(self.tr("Ce qui a été saisi dans ce formulaire sera perdu."))
        drop = box.addButton(self.tr("Abandonner la saisie"), QMessageBox.ButtonRole.DestructiveRole)
        drop.setObjectName("discardButton")
        keep = box.addButton(self.tr("Continuer la saisie"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepButton")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._question = box

        def answered() -> None:
            self._question = None
            if box.clickedButton() is drop:
                self._discard()

        box.finished.connect(answered)
        box.open()

    def _discard(self) -> None:
        if self.on_discard is not None:
            self.on_discard()
        QDialog.reject(self._dialog)
