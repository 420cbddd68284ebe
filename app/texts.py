"""Texts that several views show, in the user's language."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication

from continuity import dates


def age_text(delta: timedelta | None) -> str:
    """A duration as ``continuity.dates.age_text`` reads it (12 min, 3 h 05, 2 j 4 h),
    translated; "—" when there is none."""
    if delta is None:
        return "—"
    days, hours, minutes = dates.age_parts(delta)
    if days:
        return QCoreApplication.translate("Age", "{0} j {1} h").format(days, hours)
    if hours:
        return QCoreApplication.translate("Age", "{0} h {1:02d}").format(hours, minutes)
    return QCoreApplication.translate("Age", "{0} min").format(minutes)
