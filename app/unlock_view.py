"""Unlock screen: per-user unlock of the encrypted store, with the degraded-mode banner."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import error_label, message_for


class UnlockView(QWidget):
    unlock_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unlockView")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #8b0000; color: white; font-weight: bold; padding: 10px;")
        title = QLabel(self.tr("Kit de continuité — mode dégradé"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(self.tr("Déverrouiller"))
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.error = error_label("unlockError")
        self.error.show()  # empty until an attempt fails
        self.hint = QLabel(
            self.tr(
                "Les données des patients sont chiffrées sur ce poste. Le poste se verrouille "
                "seul après une période d'inactivité."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #505050;")

        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(460)
        form = QFormLayout(card)
        form.addRow(self.tr("Identifiant"), self.username)
        form.addRow(self.tr("Mot de passe"), self.password)
        form.addRow(self.button)
        form.addRow(self.error)
        card.setMinimumWidth(420)
        self.hint.setFixedWidth(460)
        self.hint.setMinimumHeight(3 * self.hint.fontMetrics().lineSpacing())

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(20)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)

    def set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self.banner.setVisible(bool(self.banner.text()))
        super().showEvent(event)  # type: ignore[arg-type]

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)

    def _submit(self) -> None:
        if not self.username.text().strip() or not self.password.text():
            self.error.setText(self.tr("Saisissez votre identifiant et votre mot de passe."))
            return
        self.error.clear()
        self.button.setEnabled(False)
        self.button.setText(self.tr("Déverrouillage…"))
        self.unlock_requested.emit(self.username.text().strip(), self.password.text())

    def failed(self, exc: Exception) -> None:
        self.password.clear()
        self.password.setFocus()
        self.error.setText(message_for(exc))
        self.reset_button()

    def reset_button(self) -> None:
        self.button.setEnabled(True)
        self.button.setText(self.tr("Déverrouiller"))

    def prepare(self, username: str | None) -> None:
        """Ready for a new unlock: the password is always cleared."""
        self.password.clear()
        self.error.clear()
        self.reset_button()
        if username:
            self.username.setText(username)
            self.password.setFocus()
        else:
            self.username.setFocus()
