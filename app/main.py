"""Entry point of the desktop application (``continuity-app`` or ``python -m app``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="continuity-app",
                                     description="Kit de continuité — application de bureau")
    parser.add_argument("--data", help="dossier de données (CONTINUITY_HOME)")
    parser.add_argument("--demo", action="store_true",
                        help="provisionner le site de démonstration s'il n'existe pas")
    parser.add_argument("--quit-after", type=int, default=0,
                        help="quitter après N millisecondes (tests de démarrage)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app import i18n, theme
    from app.controller import Controller
    from app.main_window import MainWindow
    from app.settings import Settings
    from continuity.provisioning import provision_demo
    from continuity.session import Workspace

    folder = Path(args.data or os.environ.get("CONTINUITY_HOME")
                  or platformdirs.user_data_dir("continuity-kit", appauthor=False))
    workspace = Workspace(folder)
    if args.demo and not workspace.is_provisioned():
        print("Provisionnement du site de démonstration… / provisioning the demo site…")
        recovery = provision_demo(workspace)
        print(f"Clé de secours / recovery key: {recovery}")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Continuity kit")
    settings = Settings.load(folder) if folder.exists() else Settings()
    i18n.install(app, settings.language)
    theme.apply(app, settings)
    controller = Controller(workspace, settings.idle_minutes)
    window = MainWindow(controller, settings)
    window.show()
    if args.quit_after:
        QTimer.singleShot(args.quit_after, window.close)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
