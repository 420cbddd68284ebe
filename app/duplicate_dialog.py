"""The possible-duplicate warning of an admission: the identities that resemble the new one."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget


class DuplicateDialog(QDialog):
    """Shows the existing identities that resemble the new one; the user decides."""

    def __init__(self, candidates: list[Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("duplicateDialog")
        self.setWindowTitle(self.tr("Doublon possible"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Ces identités existent déjà et ressemblent à celle saisie.\n"
                    "Vérifiez avec le patient ou sa pièce d'identité avant de créer une nouvelle "
                    "identité."
                )
            )
        )
        listing = QListWidget()
        listing.setObjectName("duplicateList")
        for c in candidates:
            i = c.patient.identity
            where = f" — {c.stay.uf_code}/{c.stay.bed_code or '-'}" if c.stay else ""
            listing.addItem(
                f"{i.birth_name} {' '.join(i.first_names).title()} — "
                f"{i.birth_date:%d/%m/%Y} — {i.sex.value} — "
                f"{c.patient.number}{where}"
            )
        layout.addWidget(listing)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(
            self.tr("C'est un autre patient : créer l'identité"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm.setObjectName("confirmNewButton")
        cancel = buttons.addButton(self.tr("Revenir à la saisie"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
