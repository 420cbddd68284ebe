"""Settling a conflict between workstations: choose an identity, or acknowledge a merge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.controller import Controller
from app.dialogs import cancel_text
from app.errors import show_error
from app.settings import english
from continuity.domain.exchange import CONFLICT_LABELS, ConflictKind, ConflictRecord
from continuity.domain.identity import STATUS_LABELS, Identity
from continuity.domain.movement import KIND_LABELS, MovementKind
from continuity.services import exchange


def conflict_summary(c: ConflictRecord, in_english: bool) -> str:
    fr, en = CONFLICT_LABELS[c.kind]
    return en if in_english else fr


def _when(text: str) -> str:
    return datetime.fromisoformat(text).astimezone().strftime("%d/%m %H:%M")


class ConflictDialog(QDialog):
    def __init__(self, controller: Controller, view: exchange.ConflictView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.controller = controller
        self.view = view
        c = view.conflict
        self.setWindowTitle(self.tr("Conflit entre postes"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        who = view.patient.identity.display_name if view.patient else "?"
        title = QLabel(f"<b>{who}</b> — {conflict_summary(c, english())}")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.choices = QButtonGroup(self)
        self._keys: list[str] = []
        if c.kind is ConflictKind.IDENTITY:
            versions = c.detail.get("versions", {})
            explain = QLabel(
                self.tr(
                    "Deux postes ont corrigé cette identité différemment. Vérifiez avec le patient "
                    "ou ses documents, puis gardez la bonne version ; elle sera envoyée aux autres "
                    "postes et au DPI."
                )
                + "\n"
                + self.tr("Ce qui diffère : {0}").format(", ".join(self._differences(versions)))
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            shown = c.detail.get("shown")
            for key, version in sorted(versions.items()):
                button = QRadioButton(self._identity_text(version))
                button.setChecked(key == shown)
                self.choices.addButton(button, len(self._keys))
                self._keys.append(key)
                layout.addWidget(button)
            accept = self.tr("&Garder cette version")
        else:
            text = QLabel(self._merge_text(c))
            text.setWordWrap(True)
            layout.addWidget(text)
            accept = self.tr("&Prendre acte")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text())
        self.accept_button = buttons.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("settleButton")
        self.accept_button.setDefault(True)
        buttons.accepted.connect(self._settle)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _differences(self, versions: dict[str, dict[str, Any]]) -> list[str]:
        labels = {
            "birth_name": self.tr("nom de naissance"),
            "used_name": self.tr("nom utilisé"),
            "first_names": self.tr("prénoms"),
            "used_first_name": self.tr("prénom utilisé"),
            "birth_date": self.tr("date de naissance"),
            "sex": self.tr("sexe"),
            "birth_place_insee": self.tr("lieu de naissance"),
            "ins": self.tr("INS"),
            "status": self.tr("statut de l'identité"),
        }
        identities = [v["identity"] for v in versions.values()]
        return [label for key, label in labels.items() if len({repr(i.get(key)) for i in identities}) > 1]

    def _identity_text(self, version: dict[str, Any]) -> str:
        i = Identity.model_validate(version["identity"])
        status_fr, status_en = STATUS_LABELS[i.status]
        lines = [
            self.tr("Nom de naissance : {0} — nom utilisé : {1}").format(i.birth_name, i.used_name or "—"),
            self.tr("Prénoms : {0} — né(e) le {1} — sexe {2} — identité {3}").format(
                ", ".join(i.first_names),
                f"{i.birth_date:%d/%m/%Y}",
                i.sex.value,
                status_en if english() else status_fr,
            ),
            self.tr("Saisie sur {0} par {1} le {2}").format(
                version.get("origin", "?"), version.get("actor", "?"), _when(version["at"])
            ),
        ]
        return "\n".join(lines)

    def _merge_text(self, c: ConflictRecord) -> str:
        if c.kind is ConflictKind.MOVEMENTS:
            lines = [
                self.tr(
                    "Ces mouvements ont été saisis en même temps sur deux postes. Le kit "
                    "les a ordonnés de la même façon sur tous les postes ; un mouvement "
                    "« écarté » était impossible dans cet ordre. Vérifiez la situation "
                    "du patient, corrigez-la au besoin par un nouveau mouvement, puis "
                    "prenez acte."
                )
            ]
            for m in c.detail.get("movements", []):
                fr, en = KIND_LABELS[MovementKind(m["kind"])]
                state = self.tr("retenu") if m.get("kept") else self.tr("écarté")
                lines.append(
                    self.tr("• {0} du {1}, saisi sur {2} par {3} : {4}").format(
                        en if english() else fr,
                        _when(m["at"]),
                        m.get("origin") or self.tr("ce poste"),
                        m.get("recorded_by", "?"),
                        state,
                    )
                )
            return "\n".join(lines)
        if c.kind is ConflictKind.BED:
            return self.tr(
                "Le lit {0} de l'UF {1} a été attribué sur deux postes : un des "
                "patients a été placé sans lit. Attribuez-lui un lit par une mutation, "
                "puis prenez acte."
            ).format(c.detail.get("bed_code"), c.detail.get("uf_code"))
        return self.tr(
            "Ce patient a été admis sur deux postes. Annulez l'admission en trop (ou "
            "faites sortir le patient d'un des séjours), puis prenez acte."
        )

    def _settle(self) -> None:
        conflict_id = self.view.conflict.id or 0
        checked = self.choices.checkedId()
        keep = self._keys[checked] if 0 <= checked < len(self._keys) else None

        def work(session: Any) -> object:
            return exchange.resolve(session, conflict_id, keep)

        self.accept_button.setEnabled(False)
        self.controller.run(work, lambda _r: self.accept(), self._failed, write=True)

    def _failed(self, exc: Exception) -> None:
        self.accept_button.setEnabled(True)
        show_error(self, exc)
