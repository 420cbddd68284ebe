"""The application, typing an admission until the test SIGKILLs it (tests/test_draft_crash.py).

Run as ``python tests/draft_crash_child.py DATA_FOLDER USERNAME`` with the password in
``DRAFT_CHILD_PASSWORD`` and the text to type, as ``birth name|first names``, in
``DRAFT_CHILD_TEXT`` (the environment, never a file). It starts the application as
``continuity-app`` does (journal, settings, theme, main window; offscreen), unlocks
from the unlock screen, opens the admission form with Ctrl+N, types the text key by
key, and prints ``{"op": "saved"}`` once the form's draft is in the store. Then it
waits to be killed. It prints nothing else: no typed text.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app import theme
from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.main_window import MainWindow
from app.settings import Settings
from continuity import journal
from continuity.session import Workspace

PASSWORD_ENV = "DRAFT_CHILD_PASSWORD"
TEXT_ENV = "DRAFT_CHILD_TEXT"


def report(op: str) -> None:
    sys.stdout.write(json.dumps({"op": op}) + "\n")
    sys.stdout.flush()


def type_text(widget: QWidget, text: str) -> None:
    """Key events, one per character, accents included."""
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def main(argv: list[str]) -> int:
    folder, username = Path(argv[1]), argv[2]
    birth_name, first_names = os.environ[TEXT_ENV].split("|")
    app = QApplication(argv[:1])
    journal.start(folder)
    settings = Settings.load(folder)
    theme.apply(app, settings)
    controller = Controller(Workspace(folder), settings.idle_minutes)
    window = MainWindow(controller, settings)
    window.show()

    def open_form() -> None:
        admit = window.findChild(QAction, "admitAction")
        assert admit is not None
        admit.trigger()  # Patient > Admettre… (Ctrl+N)
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog)]
        dialog = next(d for d in dialogs if d.isVisible())
        dialog.keeper.saved.connect(lambda: report("saved"))
        type_text(dialog.birth_name, birth_name)
        type_text(dialog.first_names, first_names)

    def unlocked(_user: object) -> None:
        QTimer.singleShot(300, open_form)  # the views load first, as for a user

    def failed(exc: Exception) -> None:
        sys.stderr.write(f"unlock failed: {type(exc).__name__}\n")
        app.exit(2)

    controller.unlocked.connect(unlocked)
    view = window.unlock_view
    view.username.setText(username)
    view.password.setText(os.environ[PASSWORD_ENV])
    controller.unlock(username, view.password.text(), failed)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
