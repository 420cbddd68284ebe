"""Look of the application: normal or high-contrast palette, normal or large fonts."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.settings import Settings

BASE_POINT_SIZE = 10
LARGE_POINT_SIZE = 14

FOCUS_COLOUR = "#c00000"  # the chosen bed tile's border, in both themes

# Bed tiles: state -> (background, text); the tile also says its state in words.
TILE_COLOURS = {
    "free": ("#e3f4e1", "#1b4d1b"),
    "occupied": ("#dce8f7", "#0d2a4d"),
    "leave": ("#fdebc8", "#5c3b00"),
    "blocked": ("#e4e4e4", "#404040"),
    "bedless": ("#f9dede", "#6b0000"),  # waiting for a bed: must not be forgotten
}
TILE_COLOURS_CONTRAST = {
    "free": ("#ffffff", "#000000"),
    "occupied": ("#000000", "#ffffff"),
    "leave": ("#ffd700", "#000000"),
    "blocked": ("#5a5a5a", "#ffffff"),
    "bedless": ("#ffffff", "#c00000"),
}


# Fields need a visible edge when everything is black.
HIGH_CONTRAST_SHEET = """
QLineEdit, QComboBox, QSpinBox, QTextEdit, QPlainTextEdit, QTableView, QListView {
    border: 2px solid #ffd700;
}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus { border: 3px solid #ffffff; }
QCheckBox::indicator { border: 2px solid #ffd700; width: 14px; height: 14px; }
QCheckBox::indicator:checked { background: #ffd700; }
QPushButton { border: 2px solid #ffffff; padding: 4px 10px; }
QPushButton:disabled { border: 1px dashed #808080; color: #a0a0a0; }
"""


def tile_colours(state: str) -> tuple[str, str]:
    table = TILE_COLOURS_CONTRAST if Settings.current().high_contrast else TILE_COLOURS
    return table[state]


def apply(app: QApplication, settings: Settings) -> None:
    font = QFont("DejaVu Sans")
    font.setPointSize(LARGE_POINT_SIZE if settings.large_fonts else BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyle("Fusion")
    if settings.high_contrast:
        p = QPalette()
        black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffd700")
        for role, colour in (
            (QPalette.ColorRole.Window, black),
            (QPalette.ColorRole.WindowText, white),
            (QPalette.ColorRole.Base, black),
            (QPalette.ColorRole.Text, white),
            (QPalette.ColorRole.AlternateBase, QColor("#202020")),
            (QPalette.ColorRole.Button, black),
            (QPalette.ColorRole.ButtonText, white),
            (QPalette.ColorRole.Highlight, yellow),
            (QPalette.ColorRole.HighlightedText, black),
            (QPalette.ColorRole.ToolTipBase, white),
            (QPalette.ColorRole.ToolTipText, black),
            (QPalette.ColorRole.PlaceholderText, QColor("#c8c8c8")),
        ):
            p.setColor(role, colour)
        app.setPalette(p)
    else:
        app.setPalette(app.style().standardPalette())
    # Menus, tabs and the status bar do not follow the application font once a sheet is set.
    size = f"QMenuBar, QMenu, QTabBar, QStatusBar {{ font-size: {font.pointSize()}pt; }}"
    app.setStyleSheet(size + (HIGH_CONTRAST_SHEET if settings.high_contrast else ""))
