"""User-interface settings of this workstation (no patient data), in the data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QSettings

from app import i18n

DEFAULT_IDLE_MINUTES = 5


@dataclass
class Settings:
    language: str = "fr"
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    large_fonts: bool = False
    high_contrast: bool = False
    band: str = "adulte"  # wristband size preset (forms.wristband.BANDS)
    label_stock: str = "3x8"  # A4 label sheet (forms.wristband.STOCKS)
    path: Path | None = None

    _current: ClassVar[Settings | None] = None

    @classmethod
    def load(cls, folder: Path) -> Settings:
        path = folder / "app-settings.ini"
        q = QSettings(str(path), QSettings.Format.IniFormat)
        s = cls(
            language=str(q.value("language", "fr")),
            idle_minutes=max(1, int(str(q.value("idle_minutes", DEFAULT_IDLE_MINUTES)))),
            large_fonts=str(q.value("large_fonts", "false")).lower() == "true",
            high_contrast=str(q.value("high_contrast", "false")).lower() == "true",
            band=str(q.value("band", "adulte")),
            label_stock=str(q.value("label_stock", "3x8")),
            path=path,
        )
        Settings._current = s
        return s

    @classmethod
    def current(cls) -> Settings:
        return cls._current or cls()

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        q = QSettings(str(self.path), QSettings.Format.IniFormat)
        q.setValue("language", self.language)
        q.setValue("idle_minutes", self.idle_minutes)
        q.setValue("large_fonts", "true" if self.large_fonts else "false")
        q.setValue("high_contrast", "true" if self.high_contrast else "false")
        q.setValue("band", self.band)
        q.setValue("label_stock", self.label_stock)
        q.sync()


def english() -> bool:
    """Whether the interface speaks English (French is the default): the language it was
    started in (``app.i18n.install``), not the one just chosen for the next start."""
    return i18n.language() == "en"
