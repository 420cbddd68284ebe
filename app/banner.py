"""The degraded-mode banner, also shown before unlock.

The statuses live in the encrypted store, so the last ones read are kept in a
small file beside it (service codes and statuses only, never patient data) for
the unlock screen.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from continuity.domain.crisis import DegradedStatus, ServiceStatusView
from continuity.folders import write_private

FILE_NAME = "status-banner.json"


def banner_text(site: str, statuses: list[tuple[str, str]], exercise: bool = False) -> str:
    degraded = [code for code, status in statuses if status == DegradedStatus.DEGRADED.value]
    recovery = [code for code, status in statuses if status == DegradedStatus.RECOVERY.value]
    parts = []
    if degraded:
        parts.append(QCoreApplication.translate("banner", "MODE DÉGRADÉ : {0}").format(", ".join(degraded)))
    if recovery:
        parts.append(
            QCoreApplication.translate("banner", "REPRISE EN COURS : {0}").format(", ".join(recovery))
        )
    if not parts:
        parts.append(QCoreApplication.translate("banner", "Aucun service déclaré en mode dégradé"))
    if exercise:
        parts.insert(0, QCoreApplication.translate("banner", "EXERCICE (simulation)"))
    return f"{site} — " + " — ".join(parts) if site else " — ".join(parts)


def save(folder: Path, site: str, statuses: list[ServiceStatusView], exercise: bool) -> None:
    data = {"site": site, "statuses": [[s.code, s.status.value] for s in statuses], "exercise": exercise}
    write_private(folder / FILE_NAME, json.dumps(data, ensure_ascii=False))


def load(folder: Path) -> str:
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
        return banner_text(
            str(data.get("site", "")),
            [(str(c), str(s)) for c, s in data.get("statuses", [])],
            bool(data.get("exercise", False)),
        )
    except (OSError, ValueError):
        return QCoreApplication.translate(
            "banner", "Kit de continuité : données chiffrées, déverrouillez pour continuer"
        )
