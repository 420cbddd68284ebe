"""Entry point of the desktop application (``continuity-app`` or ``python -m app``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="continuity-app", description="Kit de continuité — application de bureau"
    )
    parser.add_argument("--data", help="dossier de données (CONTINUITY_HOME)")
    parser.add_argument(
        "--demo", action="store_true", help="provisionner le site de démonstration s'il n'existe pas"
    )
    parser.add_argument(
        "--exercise", action="store_true", help="ouvrir la base d'exercice (continuity exercise start)"
    )
    parser.add_argument(
        "--quit-after", type=int, default=0, help="quitter après N millisecondes (tests de démarrage)"
    )
    return parser.parse_args(argv)


_shown: list[object] = []


def _install_excepthook() -> None:
    """An unexpected error becomes a message naming its type only: its text or traceback
    could quote patient data, and nothing of it is written to disk."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.errors import message_for

    def hook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        if os.environ.get("CONTINUITY_DEBUG"):
            sys.__excepthook__(kind, exc, tb)  # type: ignore[arg-type]
        if isinstance(exc, Exception) and QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Critical, "Continuity", message_for(exc))
            box.setObjectName("crashBox")
            _shown.append(box)  # a parentless box lives as long as Python holds it
            box.finished.connect(lambda _r: _shown.remove(box))
            box.show()

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if (
        not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and sys.platform.startswith("linux")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app import i18n, theme
    from app.controller import Controller
    from app.main_window import MainWindow
    from app.settings import Settings
    from continuity import journal
    from continuity.provisioning import provision_demo
    from continuity.session import Workspace

    journal.confine()  # no library writes anything anywhere (python-hl7 would quote HL7 fields)
    folder = Path(
        args.data
        or os.environ.get("CONTINUITY_HOME")
        or platformdirs.user_data_dir("continuity-kit", appauthor=False)
    )
    workspace = Workspace(folder)
    if args.exercise or os.environ.get("CONTINUITY_EXERCISE") == "1":
        from continuity.maintenance import exercise_workspace

        workspace = exercise_workspace(workspace)
        folder = workspace.folder
        if not workspace.is_provisioned():
            print(
                "Aucun exercice préparé : continuity exercise start / no exercise prepared.", file=sys.stderr
            )
            return 2
    if args.demo and not workspace.is_provisioned():
        print("Provisionnement du site de démonstration… / provisioning the demo site…")
        recovery = provision_demo(workspace)
        print(f"Clé de secours / recovery key: {recovery}")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Continuity kit")
    _install_excepthook()
    if folder.is_dir():
        journal.start(folder)  # the kit's own warnings, for IT (no patient data)
    settings = Settings.load(folder) if folder.exists() else Settings()
    i18n.install(app, settings.language)
    theme.apply(app, settings)
    controller = Controller(workspace, settings.idle_minutes)
    window = MainWindow(controller, settings)
    window.show()
    if args.quit_after:
        QTimer.singleShot(args.quit_after, window.close)
    try:
        return int(app.exec())
    finally:
        journal.stop()


if __name__ == "__main__":
    sys.exit(main())
