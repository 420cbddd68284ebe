"""Pieces every dialog shares: confirm/cancel buttons, confirmations, notices and questions.

Buttons say what they do: never a bare Yes/No or OK for an action (« Désactiver »,
« Confirmer l'absence », « Réserver et imprimer »), and « Annuler » answers Esc. Every
box here is opened with ``open()``: window-modal, it never blocks the GUI thread in a
nested event loop (the store worker's results keep arriving, the idle lock still
fires and hides it like any other dialog); the answer comes through a callback.

Usage::

    from app.dialogs import confirm

    confirm(
        self,
        self.tr("Absence temporaire"),
        self.tr("Enregistrer l'absence temporaire de ce patient ?"),
        self.tr("Confirmer l'absence"),
        lambda: self.controller.run(work, done, failed, write=True),
        name="confirmLeaveBox",
    )

Tests find the box by its object name and click ``box.confirm_button`` or
``box.cancel_button`` (or press Enter / Esc).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)


def cancel_text() -> str:
    """« Annuler », in the interface language."""
    return QCoreApplication.translate("dialogs", "Annuler")


def confirm_cancel_buttons(dialog: QDialog, confirm_text: str, confirm_name: str) -> QDialogButtonBox:
    """The buttons of a form dialog: the confirm button is the default one (Enter, from
    any field); « Annuler » answers Esc. Made in ``dialog``: a button is the default of
    the dialog it is in when it is made so (made loose, Enter in a field did nothing)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    confirm = buttons.button(QDialogButtonBox.StandardButton.Ok)
    confirm.setText(confirm_text)
    confirm.setObjectName(confirm_name)
    confirm.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text())
    return buttons


class ConfirmBox(QMessageBox):
    """A question with two named buttons: ``confirm_button`` (the action) and
    ``cancel_button`` (« Annuler », also Esc and the window's close button)."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        confirm_text: str,
        *,
        cancel: str | None = None,
        icon: QMessageBox.Icon = QMessageBox.Icon.Question,
        confirm_is_default: bool = True,
    ):
        super().__init__(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
        self.confirm_button: QPushButton = self.addButton(confirm_text, QMessageBox.ButtonRole.AcceptRole)
        self.confirm_button.setObjectName("confirmButton")
        self.cancel_button: QPushButton = self.addButton(
            cancel if cancel is not None else cancel_text(), QMessageBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancelButton")
        self.setEscapeButton(self.cancel_button)
        self.setDefaultButton(self.confirm_button if confirm_is_default else self.cancel_button)

    @property
    def confirmed(self) -> bool:
        """Whether the user chose the action (after the box closed)."""
        return self.clickedButton() is self.confirm_button


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    confirm_text: str,
    on_confirmed: Callable[[], None],
    *,
    on_cancelled: Callable[[], None] | None = None,
    cancel: str | None = None,
    details: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    confirm_is_default: bool = True,
    name: str = "confirmBox",
) -> ConfirmBox:
    """Ask before an action; ``on_confirmed()`` runs once if the user chose ``confirm_text``.

    - ``confirm_text``: what the button does (« Désactiver », « Confirmer la sortie »), with an
      optional ``&`` accelerator; it is the default button (Enter) unless
      ``confirm_is_default=False`` (for an action hard to undo: then Enter cancels).
    - ``cancel``: the other button's text, « Annuler » by default; it answers Esc and the
      window's close button, and then ``on_cancelled()`` runs (if given), as it does when
      the box is rejected (a different user unlocked the workstation).
    - ``details``: a second paragraph under ``text`` (QMessageBox's informative text).
    - ``name``: the box's object name, for tests and for ``findChild``.

    The box is opened with ``open()`` (window-modal, non-blocking) and returned; it deletes
    itself once answered.
    """
    box = ConfirmBox(
        parent, title, text, confirm_text, cancel=cancel, icon=icon, confirm_is_default=confirm_is_default
    )
    box.setObjectName(name)
    if details:
        box.setInformativeText(details)

    def answered(_result: int) -> None:
        chosen = box.confirmed
        box.deleteLater()
        if chosen:
            on_confirmed()
        elif on_cancelled is not None:
            on_cancelled()

    box.finished.connect(answered)
    box.open()
    return box


def inform(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    name: str = "noticeBox",
) -> QMessageBox:
    """A notice with one « OK » button (Qt's, translated), opened with ``open()``; it
    deletes itself once closed."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _question(parent: QWidget | None, title: str, label: str, confirm_text: str, name: str) -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setOkButtonText(confirm_text)
    dialog.setCancelButtonText(cancel_text())
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    return dialog


def ask_item(
    parent: QWidget | None,
    title: str,
    label: str,
    items: Sequence[str],
    confirm_text: str,
    on_chosen: Callable[[str], None],
    *,
    current: int = 0,
    name: str = "askItemDialog",
) -> QInputDialog:
    """Choose one of ``items`` (a list, not editable); ``on_chosen(item)`` runs if the user
    pressed ``confirm_text``. Opened with ``open()``, like ``confirm``."""
    dialog = _question(parent, title, label, confirm_text, name)
    dialog.setComboBoxItems(list(items))
    dialog.setComboBoxEditable(False)
    if 0 <= current < len(items):
        dialog.setTextValue(items[current])
    dialog.textValueSelected.connect(on_chosen)
    dialog.open()
    return dialog


def ask_int(
    parent: QWidget | None,
    title: str,
    label: str,
    value: int,
    minimum: int,
    maximum: int,
    confirm_text: str,
    on_chosen: Callable[[int], None],
    *,
    name: str = "askIntDialog",
) -> QInputDialog:
    """A whole number between ``minimum`` and ``maximum``; ``on_chosen(number)`` runs if the
    user pressed ``confirm_text``. Opened with ``open()``."""
    dialog = _question(parent, title, label, confirm_text, name)
    dialog.setInputMode(QInputDialog.InputMode.IntInput)
    dialog.setIntRange(minimum, maximum)
    dialog.setIntValue(value)
    dialog.intValueSelected.connect(on_chosen)
    dialog.open()
    return dialog


def ask_text(
    parent: QWidget | None,
    title: str,
    label: str,
    confirm_text: str,
    on_chosen: Callable[[str], None],
    *,
    text: str = "",
    name: str = "askTextDialog",
) -> QInputDialog:
    """A line of text (may be empty); ``on_chosen(text)`` runs if the user pressed
    ``confirm_text``. Opened with ``open()``."""
    dialog = _question(parent, title, label, confirm_text, name)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    dialog.textValueSelected.connect(on_chosen)
    dialog.open()
    return dialog
