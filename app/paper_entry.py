"""Back-entry of a pre-numbered paper form: scan or type its number, then the admission form.

The number is checked by the core (check digit, reserved on paper here, never
keyed in before) before the admission dialog opens with that number set.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.dialogs import confirm_cancel_buttons
from app.errors import error_label, message_for
from continuity.domain.records import PaperForm
from continuity.services import paper


class PaperEntryDialog(QDialog):
    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.admission: AdmissionDialog | None = None
        self.setObjectName("paperEntryDialog")
        self.setWindowTitle(self.tr("Saisir un formulaire papier"))
        self.setMinimumWidth(460)
        self.number = QLineEdit()
        self.number.setObjectName("paperNumber")
        self.number.setPlaceholderText(
            self.tr("Scanner le code-barres du formulaire, ou taper ses 10 chiffres")
        )
        self.error = error_label()
        self.buttons = confirm_cancel_buttons(self, self.tr("Vérifier et saisir"), "checkButton")
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("N° pré-imprimé du formulaire d'admission papier (en haut à droite) :"))
        )
        layout.addWidget(self.number)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.number.setFocus()

    def check(self) -> None:
        text = self.number.text()
        self.error.hide()
        self.controller.run(lambda s: paper.check_paper_form(s, text), self._open_admission, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.error.setText(message_for(exc))
        self.error.show()
        self.adjustSize()
        self.number.selectAll()
        self.number.setFocus()

    def _open_admission(self, form: PaperForm) -> None:
        self.accept()
        dialog = AdmissionDialog(
            self.controller, self.parentWidget(), preset_uf=form.uf_code, paper_number=form.number
        )
        self.admission = dialog
        dialog.open()
