"""The shared confirmation and question boxes: named buttons, « Annuler » on Esc, never blocking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.dialogs import ask_int, ask_item, confirm, inform


def _parent(qtbot: QtBot) -> QWidget:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    return parent


def test_confirm_names_its_action_and_enter_confirms(qtbot: QtBot) -> None:
    parent = _parent(qtbot)
    answers: list[str] = []
    box = confirm(
        parent,
        "Absence temporaire",
        "Enregistrer l'absence ?",
        "Confirmer l'absence",
        lambda: answers.append("oui"),
        on_cancelled=lambda: answers.append("non"),
        name="confirmLeaveBox",
    )
    assert answers == []  # opened, not run: the caller goes on (no nested event loop)
    qtbot.waitUntil(box.isVisible)
    assert box.isModal() and box.windowModality() is Qt.WindowModality.WindowModal
    assert parent.findChild(QMessageBox, "confirmLeaveBox") is box
    texts = sorted(b.text() for b in box.findChildren(QPushButton))
    assert texts == ["Annuler", "Confirmer l'absence"]  # no Yes / No / OK
    assert box.defaultButton() is box.confirm_button and box.escapeButton() is box.cancel_button
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answers == ["oui"])


def test_escape_cancels_and_a_hard_to_undo_action_defaults_to_cancel(qtbot: QtBot) -> None:
    parent = _parent(qtbot)
    answers: list[str] = []
    box = confirm(parent, "T", "Texte", "Désactiver", lambda: answers.append("oui"))
    qtbot.waitUntil(box.isVisible)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert answers == []
    box = confirm(
        parent,
        "T",
        "Texte",
        "Désactiver",
        lambda: answers.append("oui"),
        on_cancelled=lambda: answers.append("non"),
        confirm_is_default=False,
        cancel="Garder le compte",
        details="Second paragraphe",
    )
    qtbot.waitUntil(box.isVisible)
    assert box.cancel_button.text() == "Garder le compte" and box.informativeText() == "Second paragraphe"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answers == ["non"])


def test_questions_say_what_their_button_does(qtbot: QtBot) -> None:
    parent = _parent(qtbot)
    chosen: list[object] = []
    dialog = ask_item(
        parent, "Choisir l'UF", "UF :", ["CARDIO", "PNEUMO"], "Choisir", chosen.append, current=1
    )
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.okButtonText() == "Choisir" and dialog.cancelButtonText() == "Annuler"
    dialog.accept()
    assert chosen == ["PNEUMO"]
    dialog = ask_int(parent, "Formulaires", "Combien ?", 20, 1, 500, "Réserver et imprimer", chosen.append)
    qtbot.waitUntil(dialog.isVisible)
    assert isinstance(dialog, QInputDialog) and dialog.okButtonText() == "Réserver et imprimer"
    dialog.setIntValue(3)
    dialog.reject()
    assert chosen == ["PNEUMO"]  # cancelled: nothing
    notice = inform(parent, "Titre", "Rien à faire", name="noticeBox")
    qtbot.waitUntil(notice.isVisible)
    assert [b.text() for b in notice.buttons()] == ["OK"]
    notice.close()
