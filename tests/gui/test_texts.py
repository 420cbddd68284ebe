"""Ages on screen: the parts ``continuity.dates`` computes, in the user's language."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from app.texts import age_text
from continuity import dates
from tests.gui.test_i18n import _compile

DURATIONS = [
    timedelta(seconds=-30),
    timedelta(seconds=59),
    timedelta(minutes=12),
    timedelta(hours=3, minutes=5),
    timedelta(days=2, hours=4, minutes=59),
]


def test_in_french_the_same_text_as_the_command_line_and_the_pages() -> None:
    assert [age_text(d) for d in DURATIONS] == [dates.age_text(d) for d in DURATIONS]
    assert [age_text(d) for d in DURATIONS] == ["0 min", "0 min", "12 min", "3 h 05", "2 j 4 h"]
    assert age_text(None) == "—"


def test_in_english_the_units_are_translated(qapp: QApplication, tmp_path: Path) -> None:
    translator = QTranslator()
    assert translator.load(str(_compile(tmp_path)))
    assert qapp.installTranslator(translator)
    try:
        assert [age_text(d) for d in DURATIONS[2:]] == ["12 min", "3 h 05 min", "2 d 4 h"]
    finally:
        assert QApplication.removeTranslator(translator)
