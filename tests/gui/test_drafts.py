"""The admission form keeps an encrypted draft while it is typed, offered back after a crash."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.admission_dialog import AdmissionDialog
from app.controller import Controller
from app.drafts import SAVE_DELAY_MSECS
from app.main_window import MainWindow
from app.settings import Settings
from app.ward_view import CONCERNS as WARD_CONCERNS
from continuity.changes import Changes
from continuity.domain.drafts import Draft, DraftKind
from continuity.services import drafts, paper, patients
from continuity.session import Session, Workspace
from tests.conftest import NURSE, NURSE_PW, PNEUMO_NURSE, PNEUMO_PW
from tests.gui.conftest import type_text, unlock_window, wait_idle

TYPED = "Quirinalle"


def _session(controller: Controller) -> Session:
    assert controller.session is not None
    return controller.session


def _dialog(qtbot: QtBot, controller: Controller, **kw: object) -> AdmissionDialog:
    dialog = AdmissionDialog(controller, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, controller)
    return dialog


def _saved(qtbot: QtBot, dialog: AdmissionDialog) -> None:
    with qtbot.waitSignal(dialog.keeper.saved, timeout=5000):
        pass
    wait_idle(qtbot, dialog.controller)


def _button(box: QMessageBox, name: str) -> QPushButton:
    button = box.findChild(QPushButton, name)
    assert button is not None
    return button


def test_typing_keeps_a_draft_a_second_after_the_last_key(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    audit_before = len(list(_session(controller).store.audit.audit_rows()))
    dialog = _dialog(qtbot, controller, preset_uf="CARDIO")
    changes: list[Changes] = []
    controller.changed.connect(changes.append)
    type_text(dialog.birth_name, TYPED)
    typed_at = time.monotonic()
    wait_idle(qtbot, controller)
    assert drafts.drafts_of_user(_session(controller)) == []  # not at each key
    _saved(qtbot, dialog)
    assert time.monotonic() - typed_at >= SAVE_DELAY_MSECS / 1000 * 0.9
    [draft] = drafts.drafts_of_user(_session(controller))
    assert draft.id == dialog.keeper.draft_id and draft.kind is DraftKind.ADMISSION
    assert draft.fields["birth_name"] == TYPED and draft.fields["uf"] == "CARDIO"
    assert changes and all(c == Changes.of("drafts") and not c & WARD_CONCERNS for c in changes)
    assert len(list(_session(controller).store.audit.audit_rows())) == audit_before
    # the next keys update the same draft
    type_text(dialog.first_names, "Jeanne")
    _saved(qtbot, dialog)
    [draft] = drafts.drafts_of_user(_session(controller))
    assert draft.fields["first_names"] == "Jeanne"


def test_the_draft_goes_when_the_admission_is_saved(qtbot: QtBot, unlock: Callable[..., Controller]) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller, preset_uf="CARDIO")
    type_text(dialog.birth_name, TYPED)
    type_text(dialog.first_names, "Jeanne")
    type_text(dialog.birth_date, "12/03/1950")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    _saved(qtbot, dialog)
    assert len(drafts.drafts_of_user(_session(controller))) == 1
    type_text(dialog.reason, "Douleur")  # a key just before Enter: kept, then gone with the draft
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot, controller)
    qtbot.wait(SAVE_DELAY_MSECS + 200)  # no late save brings it back
    wait_idle(qtbot, controller)
    assert drafts.drafts_of_user(_session(controller)) == []
    assert _session(controller).store.patients.count_patients() == 1


def test_continuing_keeps_the_draft_abandoning_deletes_it(
    qtbot: QtBot, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller)
    type_text(dialog.birth_name, TYPED)
    _saved(qtbot, dialog)
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)
    box = dialog.findChild(QMessageBox, "discardQuestion")
    assert box is not None
    qtbot.mouseClick(_button(box, "keepButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert len(drafts.drafts_of_user(_session(controller))) == 1
    qtbot.keyClick(dialog.birth_name, Qt.Key.Key_Escape)
    box = next(b for b in dialog.findChildren(QMessageBox, "discardQuestion") if b.isVisible())
    qtbot.mouseClick(_button(box, "discardButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    assert not dialog.isVisible()
    assert drafts.drafts_of_user(_session(controller)) == []
    actions = [r.action for r in _session(controller).store.audit.audit_rows()]
    assert actions[-1] == "draft.discard"
    # an emptied form leaves no draft either
    dialog = _dialog(qtbot, controller)
    type_text(dialog.birth_name, TYPED)
    _saved(qtbot, dialog)
    dialog.birth_name.clear()
    _saved(qtbot, dialog)
    assert drafts.drafts_of_user(_session(controller)) == []


def test_locking_keeps_the_last_keys_at_once(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[..., Controller]
) -> None:
    controller = unlock(NURSE.username, NURSE_PW)
    dialog = _dialog(qtbot, controller)
    type_text(dialog.birth_name, TYPED)
    assert dialog.keeper._timer.isActive()  # the delay has not passed
    controller.lock()  # Ctrl+L or the idle lock: the draft is written before the store closes
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        [draft] = drafts.drafts_of_user(nurse)
    assert draft.fields["birth_name"] == TYPED


@pytest.fixture
def window(qtbot: QtBot, controller: Controller, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(controller, Settings.load(workspace.folder))
    qtbot.addWidget(win)
    win.show()
    yield win


def _question() -> QMessageBox | None:
    found = [
        w
        for w in QApplication.allWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "resumeDraftQuestion" and w.isVisible()
    ]
    return found[-1] if found else None


def _interrupted(workspace: Workspace, paper_number: str | None = None) -> Draft:
    """What a workstation that died during the typing left: a draft, and no form open."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        fields: dict[str, str | bool | int | None] = {
            "birth_name": TYPED,
            "first_names": "Jeanne",
            "uf": "CARDIO",
            "bed": "1B",
            "unknown": False,
        }
        kind = DraftKind.ADMISSION
        if paper_number:
            fields["paper_number"], kind = paper_number, DraftKind.PAPER_ADMISSION
        return drafts.save_draft(nurse, uuid.uuid4().hex, kind, fields)


def test_after_a_crash_the_same_user_is_offered_the_form_back(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    draft = _interrupted(workspace)
    # another user is never offered it
    unlock_window(qtbot, window, PNEUMO_NURSE.username, PNEUMO_PW)
    qtbot.wait(300)
    wait_idle(qtbot, window.controller)
    assert _question() is None
    window.controller.lock()
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: _question() is not None, timeout=5000)
    box = _question()
    assert box is not None
    when = draft.updated_at.astimezone().strftime("%d/%m %H:%M")
    assert box.text() == f"Reprendre la saisie interrompue du {when} ?"
    assert box.defaultButton() is _button(box, "resumeButton")
    assert box.escapeButton() is _button(box, "laterButton")
    assert {b.text() for b in box.buttons()} == {"Reprendre la saisie", "Abandonner la saisie", "Plus tard"}
    qtbot.mouseClick(_button(box, "resumeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(isinstance(w, AdmissionDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=5000,
    )
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()
    )
    assert isinstance(dialog, AdmissionDialog)
    wait_idle(qtbot, window.controller)
    assert (dialog.birth_name.text(), dialog.first_names.text()) == (TYPED, "Jeanne")
    assert dialog.uf.currentData() == "CARDIO" and dialog.bed.currentData() == "1B"
    assert dialog.keeper.draft_id == draft.id
    assert window.controller.session is not None
    assert [r.action for r in window.controller.session.store.audit.audit_rows()][-1] == "draft.resume"
    # typing on goes on in the same draft; once admitted, it is gone
    type_text(dialog.birth_date, "12/03/1950")
    dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
    qtbot.keyClick(dialog.birth_date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot, window.controller)
    assert drafts.drafts_of_user(window.controller.session) == []
    [admitted] = patients.search(window.controller.session, TYPED)
    assert admitted.stay is not None and admitted.stay.bed_code == "1B"


def test_later_keeps_the_draft_abandon_deletes_it(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        number = paper.reserve_blank_forms(nurse, "CARDIO", 1)[0].number
    draft = _interrupted(workspace, paper_number=number)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: _question() is not None, timeout=5000)
    box = _question()
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # later
    wait_idle(qtbot, window.controller)
    assert window.controller.session is not None
    assert drafts.drafts_of_user(window.controller.session) == [draft]
    assert not any(isinstance(w, AdmissionDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    for user, password in ((PNEUMO_NURSE.username, PNEUMO_PW), (NURSE.username, NURSE_PW)):
        window.controller.lock()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.unlock_view.password, timeout=3000)
        unlock_window(qtbot, window, user, password)
    qtbot.waitUntil(lambda: _question() is not None, timeout=5000)
    box = _question()
    assert box is not None
    qtbot.mouseClick(_button(box, "discardButton"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.controller)
    assert window.controller.session is not None
    assert drafts.drafts_of_user(window.controller.session) == []
    assert [r.action for r in window.controller.session.store.audit.audit_rows()][-1] == "draft.discard"


def test_a_paper_form_is_taken_up_again_with_its_number(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        number = paper.reserve_blank_forms(nurse, "CARDIO", 1)[0].number
    _interrupted(workspace, paper_number=number)
    unlock_window(qtbot, window, NURSE.username, NURSE_PW)
    qtbot.waitUntil(lambda: _question() is not None, timeout=5000)
    box = _question()
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_Return)  # resume is the default
    qtbot.waitUntil(
        lambda: any(isinstance(w, AdmissionDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=5000,
    )
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, AdmissionDialog) and w.isVisible()
    )
    assert isinstance(dialog, AdmissionDialog)
    assert dialog.paper_number == number and dialog.keeper.kind is DraftKind.PAPER_ADMISSION
    assert dialog.birth_name.text() == TYPED
