"""Qt translations: the sources are in French (the default); English is a translation.

``app/i18n/continuity_en.ts`` is produced from the sources by ``make
translations`` (pyside6-lupdate) and compiled to ``.qm`` (pyside6-lrelease).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

FOLDER = Path(__file__).parent / "i18n"


def install(app: QCoreApplication, language: str) -> QTranslator | None:
    if language == "fr":
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        return None
    translator = QTranslator(app)
    if translator.load(str(FOLDER / f"continuity_{language}.qm")):
        app.installTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return translator
    return None
