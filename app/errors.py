"""Showing core errors to users: a readable message, never a traceback."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app.settings import english
from continuity.errors import ContinuityError
from continuity.folders import write_failure


def message_for(exc: Exception) -> str:
    """The error in the interface language only, French or English, with its details.

    The core's errors carry both languages (``str(exc)`` has them side by side, for the
    CLI and the logs): never show ``str(exc)`` in a label or a box, show this.
    """
    failure = write_failure(exc)  # a full disk or a read-only folder a write met: said so
    if failure is not None:
        exc = failure
    if isinstance(exc, ContinuityError):
        in_english = QCoreApplication.instance() is not None and english()
        lines = [exc.message_en if in_english else exc.message_fr, *exc.details_in(in_english)]
        return "\n".join(lines)
    return QCoreApplication.translate(
        "errors",
        "Erreur interne inattendue ({0}) : vérifiez si l'action a été enregistrée avant de la refaire.",
    ).format(type(exc).__name__)


def show_error(parent: QWidget | None, exc: Exception) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("errors", "Action impossible"),
        message_for(exc),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("errorBox")
    box.open()


def error_label(name: str = "errorLabel") -> QLabel:
    """The inline error line of a form: red, bold, wrapped, hidden until there is an error."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    from app.settings import Settings

    colour = "#ffd700" if Settings.current().high_contrast else "#b00020"
    label.setStyleSheet(f"color: {colour}; font-weight: bold;")
    label.hide()
    return label
