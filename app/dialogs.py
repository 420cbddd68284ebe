"""Pieces every form dialog shares."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox


def confirm_cancel_buttons(confirm_text: str, confirm_name: str) -> QDialogButtonBox:
    """The confirm button is the default one (Enter); Cancel answers Esc."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    confirm = buttons.button(QDialogButtonBox.StandardButton.Ok)
    confirm.setText(confirm_text)
    confirm.setObjectName(confirm_name)
    confirm.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("dialogs", "Annuler")
    )
    return buttons
