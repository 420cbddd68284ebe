"""Qt translations: the sources are in French (the default); English is a translation.

``app/i18n/continuity_en.ts`` is produced from the sources by ``make
translations`` (pyside6-lupdate) and compiled to ``.qm`` (pyside6-lrelease).

Qt's own texts (the standard buttons of message boxes and button boxes, the file
and print dialogs, the context menu of a text field) come from Qt's catalogue
``qtbase_<language>.qm``, shipped in the PySide6 wheel: without it they would be
in English in the French interface.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

FOLDER = Path(__file__).parent / "i18n"

_installed: list[QTranslator] = []
_language = "fr"


def qt_translations_folder() -> Path:
    """Where the PySide6 wheel keeps Qt's own ``.qm`` catalogues."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def language() -> str:
    """The language the interface was started in ("fr" unless ``install`` was told otherwise)."""
    return _language


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load Qt's texts and the application's for ``language`` (French when unknown).

    Returns the translators installed on ``app`` (parented to it); a second call
    replaces those of the first.
    """
    global _language
    uninstall(app)
    if language != "fr" and not _load(app, FOLDER, f"continuity_{language}"):
        language = "fr"  # unknown or not compiled: the French sources, with Qt's French
    if language == "fr":
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English))
    _load(app, qt_translations_folder(), f"qtbase_{language}")  # none for English is fine
    _language = language
    return list(_installed)


def _load(app: QCoreApplication, folder: Path, name: str) -> bool:
    translator = QTranslator(app)
    if translator.load(name, str(folder)) and app.installTranslator(translator):
        _installed.append(translator)
        return True
    translator.deleteLater()
    return False


def uninstall(app: QCoreApplication) -> None:
    """Remove the translators ``install`` put on ``app`` (the sources' French remains)."""
    global _language
    while _installed:
        translator = _installed.pop()
        app.removeTranslator(translator)
        translator.deleteLater()
    _language = "fr"


def translate_in(language: str, context: str, source: str) -> str:
    """``source`` (French) in ``language``, whichever language the interface runs in now
    (to say something in the language just chosen); the French source when there is no
    translation for it yet."""
    if language == "fr":
        return source
    translator = QTranslator()
    if translator.load(f"continuity_{language}", str(FOLDER)):
        return translator.translate(context, source) or source
    return source
