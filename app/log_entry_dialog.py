"""A ward's entry in the main courante: for one of the user's own UFs, sent to the crisis cell.

Which UFs a user may write for is the services' rule (``crisis.add_log_entry`` refuses the
others); the dialog only offers the user's own, the ward view's one chosen first.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.crisis_view import LogTableModel
from app.dialogs import confirm_cancel_buttons
from app.errors import error_label, message_for
from app.form_guard import FormGuard
from continuity.domain.crisis import LOG_TEXT_MAX, LogCategory, LogEntry
from continuity.services import crisis as crisis_service
from continuity.session import Session


class LogEntryDialog(QDialog):
    """Text, category and UF of one main courante entry; « Ajouter » (Ctrl+Entrée) saves it."""

    added = Signal(object)  # the LogEntry saved

    def __init__(
        self,
        controller: Controller,
        ufs: Sequence[str],
        preset_uf: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("logEntryDialog")
        self.setWindowTitle(self.tr("Main courante — nouvelle entrée"))
        self.setMinimumWidth(480)
        self.controller = controller
        self._ufs = list(ufs)
        self._preset = preset_uf

        intro = QLabel(
            self.tr(
                "L'entrée est datée et signée de votre nom ; elle part vers la cellule de crise "
                "avec le prochain lot d'échange."
            )
        )
        intro.setWordWrap(True)
        self.uf = QComboBox()
        self.uf.setObjectName("logEntryUf")
        for code in self._ufs:
            self.uf.addItem(code, code)
        self.uf.setCurrentIndex(max(0, self.uf.findData(preset_uf)))
        self.category = QComboBox()
        self.category.setObjectName("logEntryCategory")
        labels = LogTableModel(self)
        for category in LogCategory:
            self.category.addItem(labels.category_label(category), category.value)
        self.text = QPlainTextEdit()
        self.text.setObjectName("logEntryText")
        self.text.setTabChangesFocus(True)  # Tab goes on to the buttons
        self.text.setPlaceholderText(self.tr("Ce qui se passe dans le service, ce qui a été décidé…"))
        self.text.setMinimumHeight(5 * self.text.fontMetrics().lineSpacing())
        self.text.textChanged.connect(self._count)
        self.counter = QLabel()
        self.counter.setObjectName("logEntryCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)

        form = QFormLayout()
        form.addRow(self.tr("UF"), self.uf)
        form.addRow(self.tr("Catégorie"), self.category)
        form.addRow(self.tr("Texte"), self.text)
        self.error = error_label()
        self.buttons = confirm_cancel_buttons(
            self, self.tr("Ajouter à la main courante"), "addLogEntryButton"
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setToolTip(self.tr("Ajouter (Ctrl+Entrée)"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.counter)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.guard = FormGuard(self, controller, lambda: bool(self.text.toPlainText().strip()))
        self._count()
        self.text.setFocus()
        controller.run(crisis_service.uf_names, self._name_ufs, lambda _e: None)

    def _name_ufs(self, names: dict[str, str]) -> None:
        for row in range(self.uf.count()):
            code = self.uf.itemData(row)
            if code in names:
                self.uf.setItemText(row, f"{code} — {names[code]}")

    def _count(self) -> None:
        length = len(self.text.toPlainText())
        self.counter.setText(self.tr("{0} / {1} caractères").format(length, LOG_TEXT_MAX))
        self.counter.setStyleSheet("color: #b00020; font-weight: bold;" if length > LOG_TEXT_MAX else "")

    def reject(self) -> None:  # Esc, Annuler, the window's close button: asks when something was typed
        self.guard.reject()

    def save(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.error.setText(self.tr("Écrivez le texte de l'entrée."))
            self.error.show()
            self.text.setFocus()
            return
        uf = self.uf.currentData()
        category = LogCategory(self.category.currentData())
        self.add_button.setEnabled(False)

        def work(session: Session) -> LogEntry:
            return crisis_service.add_log_entry(session, text, category, uf)

        self.controller.run(work, self._done, self._show_error, write=True)

    def _done(self, entry: LogEntry) -> None:
        self.added.emit(entry)
        self.accept()

    def _show_error(self, exc: Exception) -> None:
        self.add_button.setEnabled(True)
        self.error.setText(message_for(exc))
        self.error.show()
