"""Snapshots and exchange in the application: the watched inbox, the status bar, conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from app.conflict_dialog import ConflictDialog
from app.controller import Controller
from app.main_window import MainWindow
from app.settings import Settings
from continuity import signing
from continuity.services import exchange, patients
from tests.conftest import CRISIS, CRISIS_PW, NURSE, NURSE_PW, identity
from tests.exchange_helpers import Site
from tests.gui.conftest import unlock_window, wait_idle
from tests.snapshot_files import csv_snapshot, his_patients

TIMEOUT = 20_000


@pytest.fixture
def window_on_a(three_workstations: Site, qtbot: QtBot) -> Iterator[tuple[MainWindow, Controller, Site]]:
    site = three_workstations
    controller = Controller(site.spaces["WS-A"], idle_minutes=5)
    window = MainWindow(controller, Settings.load(site.spaces["WS-A"].folder))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window, controller, site
    window.close()


def _conflict_on_a(site: Site) -> None:
    with site.login("WS-A", NURSE.username, NURSE_PW) as a:
        admitted = patients.admit(a, "CARDIO", identity=identity(birth_name="ALPHA"), bed_code="1A")
    site.deliver("WS-B", site.export("WS-A"))
    for ws, used in (("WS-A", "MARTIN"), ("WS-B", "DURAND")):
        with site.login(ws, NURSE.username, NURSE_PW) as s:
            rec = s.store.patients.get_patient(admitted.patient.id)
            assert rec is not None
            patients.update_identity(
                s, rec.id, rec.identity.model_copy(update={"used_name": used}), rec.version
            )
    site.deliver("WS-A", site.export("WS-B"))


def test_snapshot_dropped_in_the_inbox_shows_up_and_conflict_is_settled(
    window_on_a: tuple[MainWindow, Controller, Site], qtbot: QtBot
) -> None:
    window, controller, site = window_on_a
    _conflict_on_a(site)
    unlock_window(qtbot, window, CRISIS.username, CRISIS_PW)
    assert "aucun" in window.snapshot_label.text() and "⚠" in window.snapshot_label.text()

    inbox = site.spaces["WS-A"].folder / "depot-dpi"
    qtbot.waitUntil(lambda: inbox.is_dir(), timeout=TIMEOUT)
    taken = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    (inbox / "recensement.csv").write_bytes(
        csv_snapshot(his_patients(3, {"CARDIO": ["2A", "2B"], "PNEUMO": ["3A"]}, taken), taken)
    )
    qtbot.waitUntil(lambda: "il y a 30 min" in window.snapshot_label.text(), timeout=TIMEOUT)
    assert "⚠" not in window.snapshot_label.text()
    assert "importé : recensement.csv" in window.statusBar().currentMessage()

    view = window.exchange_view
    assert view is not None
    window.tabs.setCurrentWidget(view)  # hidden during the import: it reloads when shown
    wait_idle(qtbot, controller)
    qtbot.waitUntil(lambda: view.conflicts.rowCount() == 1, timeout=TIMEOUT)
    assert "il y a 30 min" in view.snapshot_label.text()
    assert view.imports.rowCount() == 1
    peers = {p.workstation: p for p in view.peers.rows()}
    assert peers["WS-B"].last_seq == 1 and peers["WS-C"].last_seq is None
    # the signing key fingerprints, read-only, for IT to compare with each workstation's own
    session = controller.session
    assert session is not None
    shown = {
        view.peers.index(r, 0).data(): view.peers.index(r, 5).data() for r in range(view.peers.rowCount())
    }
    declared = {k.workstation: k.fingerprint for k in exchange.peer_keys(session)}
    assert next(v for k, v in shown.items() if k.startswith("WS-B")) == declared["WS-B"]
    own = signing.fingerprint(exchange.own_public_key(session))
    assert next(v for k, v in shown.items() if k.startswith("WS-A")) == own
    # no Syncthing on this workstation: whether a peer is connected is not known ("—")
    links = {
        view.peers.index(r, 0).data(): view.peers.index(r, 1).data() for r in range(view.peers.rowCount())
    }
    assert next(v for k, v in links.items() if k.startswith("WS-B")) == "—"
    assert "conflits ouverts : 1" in view.counts.text()

    row = view.conflicts.row_at(0)
    assert row is not None
    dialog = ConflictDialog(controller, row, view)
    qtbot.addWidget(dialog)
    dialog.show()
    choices = dialog.findChildren(QRadioButton)
    assert len(choices) == 2
    martin = next(b for b in choices if "MARTIN" in b.text())
    martin.setChecked(True)
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: view.conflicts.rowCount() == 0, timeout=TIMEOUT)
    wait_idle(qtbot, controller)
    session = controller.session
    assert session is not None
    assert exchange.open_conflict_count(session) == 0
    found = patients.search(session, "alpha")
    assert found[0].patient.identity.used_name == "MARTIN"


def test_the_peer_list_says_whom_syncthing_sees_connected(qtbot: QtBot) -> None:
    from app.exchange_view import PeersModel
    from continuity.domain.exchange import PeerStatus
    from continuity.domain.transport import PeerState

    now = datetime.now(UTC)
    model = PeersModel()
    model.now = now
    model.set_rows(
        [
            PeerStatus(workstation=w, name=w, is_local=False, last_seq=None, last_created_at=None, missing=())
            for w in ("WS-B", "WS-C", "WS-D")
        ]
    )
    assert [model.index(r, 1).data() for r in range(3)] == ["—"] * 3  # Syncthing not running here
    model.set_links(
        {
            "WS-B": PeerState(device_id="B", name="WS-B", connected=True),
            "WS-C": PeerState(
                device_id="C", name="WS-C", connected=False, last_seen=now - timedelta(minutes=12)
            ),
        }
    )
    assert [model.index(r, 1).data() for r in range(3)] == [
        "connecté",
        "non connecté (vu il y a 12 min)",
        "—",  # not declared to Syncthing
    ]
