"""English translation: complete, faithful to the placeholders, and really loaded by Qt.

The sources are French; English comes from ``app/i18n/continuity_en.ts`` compiled by
pyside6-lrelease, as ``make`` does for the application.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from app import i18n
from app.unlock_view import UnlockView

TS = Path(__file__).resolve().parents[2] / "app" / "i18n" / "continuity_en.ts"
# str.format fields: {0}, {1:02d}…
PLACEHOLDER = re.compile(r"\{\d+(?::[^{}]*)?\}")
# a keyboard accelerator: "&" before a character ("&&" is a literal ampersand)
ACCELERATOR = re.compile(r"(?<!&)&(?!&)\S")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    translations: tuple[str, ...]  # several when the message has plural forms (numerus)
    unfinished: bool
    where: str

    def __str__(self) -> str:
        return f"{self.where} [{self.context}] {self.source!r}"


def _messages() -> list[Message]:
    found = []
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: message without <translation>"
            forms = translation.findall("numerusform")
            texts = tuple(f.text or "" for f in forms) if forms else (translation.text or "",)
            location = message.find("location")
            where = "" if location is None else f"{location.get('filename', '')}:{location.get('line', '')}"
            found.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    message.findtext("comment") or "",
                    texts,
                    translation.get("type") in ("unfinished", "vanished", "obsolete"),
                    where,
                )
            )
    return found


def _compile(tmp_path: Path) -> Path:
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    assert lrelease.exists(), f"pyside6-lrelease not found next to {sys.executable}"
    qm = tmp_path / "continuity_en.qm"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(qm)], check=True)
    assert qm.stat().st_size > 100
    return qm


def test_every_message_is_translated_with_its_placeholders() -> None:
    messages = _messages()
    assert len(messages) > 100  # the whole GUI, not an empty file
    problems = []
    for m in messages:
        if m.unfinished:
            problems.append(f"unfinished: {m}")
        for text in m.translations:
            if not text.strip():
                problems.append(f"empty translation: {m}")
                continue
            wanted, got = set(PLACEHOLDER.findall(m.source)), set(PLACEHOLDER.findall(text))
            if wanted != got:
                problems.append(f"placeholders {sorted(wanted)} != {sorted(got)}: {m} -> {text!r}")
            if bool(ACCELERATOR.search(m.source)) != bool(ACCELERATOR.search(text)):
                problems.append(f"keyboard accelerator (&) lost or added: {m} -> {text!r}")
            if sorted(HTML_TAG.findall(m.source)) != sorted(HTML_TAG.findall(text)):
                problems.append(f"HTML tags differ: {m} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_compiled_translation_covers_every_message(tmp_path: Path) -> None:
    translator = QTranslator()
    assert translator.load(str(_compile(tmp_path)))
    missing = [
        str(m)
        for m in _messages()
        if len(m.translations) == 1
        and translator.translate(m.context, m.source, m.comment or None) != m.translations[0]
    ]
    assert not missing, "\n".join(missing)


def test_unlock_view_in_english_then_french_again(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> None:
    english = {(m.context, m.source): m.translations[0] for m in _messages()}
    unlock = english[("UnlockView", "Déverrouiller")]
    assert unlock == "Unlock"
    translator = QTranslator()
    assert translator.load(str(_compile(tmp_path)))
    assert qapp.installTranslator(translator)
    try:
        view = UnlockView()
        qtbot.addWidget(view)
        assert view.button.text() == unlock
        view.password.setText("x")
        view.button.click()  # no username: the error is in English too
        assert (
            view.error.text() == english[("UnlockView", "Saisissez votre identifiant et votre mot de passe.")]
        )
    finally:
        assert QApplication.removeTranslator(translator)

    french = UnlockView()  # the other tests expect the French sources
    qtbot.addWidget(french)
    assert french.button.text() == "Déverrouiller"


def _qt_texts_in_french(qtbot: QtBot) -> None:
    """Qt's own texts in the French interface: standard buttons, file and print dialogs."""
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Titre",
        "Texte",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    assert [
        box.button(b).text()
        for b in (
            QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Cancel,
        )
    ] == ["&Oui", "&Non", "Annuler"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
    assert buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Enregistrer"
    assert buttons.button(QDialogButtonBox.StandardButton.Close).text() == "Fermer"
    files = QFileDialog()
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    assert "Annuler" in [b.text() for b in files.findChildren(QPushButton)]
    assert "&Nom de fichier\xa0:" in [label.text() for label in files.findChildren(QLabel)]
    printing = QPrintDialog(QPrinter())
    qtbot.addWidget(printing)
    assert printing.windowTitle() == "Imprimer"


def test_qt_own_dialogs_speak_the_interface_language(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (qt_folder / "qtbase_fr.qm").is_file()  # shipped in the PySide6 wheel
    try:
        i18n.install(qapp, "fr")
        _qt_texts_in_french(qtbot)
        assert i18n.language() == "fr"

        monkeypatch.setattr(i18n, "FOLDER", _compile(tmp_path).parent)
        i18n.install(qapp, "en")  # replaces the French catalogues
        assert i18n.language() == "en"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
        assert QCoreApplication.translate("UnlockView", "Déverrouiller") == "Unlock"
    finally:
        i18n.uninstall(qapp)
    assert i18n.language() == "fr"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"  # sources only
