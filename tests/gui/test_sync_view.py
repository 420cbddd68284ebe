"""The IT administrator's hand-back view, driven offscreen against the hl7apy HIS peer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.controller import Controller
from app.sync_view import SyncView
from continuity.domain.outbox import EventStatus
from continuity.services import patients
from continuity.session import Workspace
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, identity
from tests.gui.conftest import type_text, wait_idle
from tests.peers.hl7_his import Hl7His

TIMEOUT = 20_000


def test_sync_view_runs_shows_refusals_and_resends(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[[str, str], Controller]
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        refused = patients.admit(nurse, "CARDIO", identity=identity(birth_name="REFUS"))
        for n in range(4):
            patients.admit(
                nurse,
                "CARDIO",
                identity=identity(birth_name=f"ACCEPTE-{'ABCD'[n]}"),
                not_a_duplicate="autre patient",
            )
    his = Hl7His().start()
    his.state.refuse_patients.add(refused.patient.provisional_ipp)
    try:
        controller = unlock(ADMIN.username, ADMIN_PW)
        view = SyncView(controller)
        qtbot.addWidget(view)
        view.resize(1000, 560)
        view.show()
        wait_idle(qtbot, controller)
        assert "non commencée" in view.phase.text()
        type_text(view.target, his.url)
        with qtbot.waitSignal(controller.changed, timeout=TIMEOUT):  # status bar backlog refreshes
            QTest.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: view.start_button.isEnabled() and view.errors.rowCount() == 1, timeout=TIMEOUT
        )
        assert view.progress.value() == view.progress.maximum() == 5
        assert "bloquée" in view.phase.text()
        row = view.errors.rows()[0]
        assert row.provisional_ipp == refused.patient.provisional_ipp
        assert "Identité incomplète" in (row.event.his_reply or "")
        his.state.refuse_patients.clear()
        view.table.selectRow(0)
        QTest.mouseClick(view.resend_button, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, controller)
        QTest.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: view.start_button.isEnabled() and "rétabli" in view.phase.text(), timeout=TIMEOUT
        )
        assert view.errors.rowCount() == 0
    finally:
        his.stop()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert session.store.outbox.outbox_counts() == {EventStatus.ACKNOWLEDGED.value: 5}


def test_the_his_reply_is_shown_without_controls_or_bidi(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[[str, str], Controller]
) -> None:
    from continuity.services import delivery

    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(birth_name="REFUS"))
    with workspace.unlock(ADMIN.username, ADMIN_PW) as it:
        [event] = delivery.deliverable(it, 10)
        delivery.mark_sent(it, [event.event_id])
        delivery.refuse(it, event.event_id, "AE", "Rejet\x1b]0;pwned\x07 \x1b[31mrouge \u202etxet\x07")
    controller = unlock(ADMIN.username, ADMIN_PW)
    view = SyncView(controller)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.errors.rowCount() == 1, timeout=TIMEOUT)
    shown = view.errors.data(view.errors.index(0, 3))
    assert shown == "Rejet rouge txet"


def test_the_view_fits_a_1024_pixel_screen_with_every_count_shown(
    qtbot: QtBot, workspace: Workspace, unlock: Callable[[str, str], Controller]
) -> None:
    """The counts line (one count per outbox status, the ``committed`` one included) wraps:
    unwrapped it pushed the Synchronise button off a 1024x768 screen."""
    controller = unlock(ADMIN.username, ADMIN_PW)
    view = SyncView(controller)
    qtbot.addWidget(view)
    view.show()
    wait_idle(qtbot, controller)
    assert "accusé applicatif attendu" in view.counts.text()
    assert view.minimumSizeHint().width() <= 1000
