"""HL7 v2.5 ADT over MLLP against hl7apy's MLLP server validating every message strictly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import hl7
import pytest

from continuity.domain.movement import DischargeMode
from continuity.domain.outbox import EventStatus
from continuity.errors import Conflict, InvalidInput
from continuity.provisioning import parse_site
from continuity.services import crisis, delivery, patients, sync_state, undo
from continuity.session import Workspace
from sync import engine
from sync.hl7_adt import BadAck, build_message, parse_ack
from sync.mllp import MllpLink
from tests.conftest import ADMIN, ADMIN_PW, CRISIS, CRISIS_PW, NURSE, NURSE_PW, SITE_TOML, identity
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import FAST, assert_his_holds_exactly, counts, expected_per_patient, record_activity


@pytest.fixture
def his() -> Iterator[Hl7His]:
    peer = Hl7His().start()
    yield peer
    peer.stop()


def _activity(workspace: Workspace, admissions: int = 6, movements: int = 10) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", admissions, movements, seed=7)


def _sync(workspace: Workspace, url: str, options: engine.SyncOptions = FAST) -> engine.RunReport:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        return engine.synchronise(session, url, options=options)


def _expected(workspace: Workspace) -> dict[str, list[tuple[str, str | None, str | None]]]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        return expected_per_patient(nurse)


def test_every_kind_of_event_reaches_the_his_valid_and_in_order(workspace: Workspace, his: Hl7His) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(
            nurse, "CARDIO", identity=identity(birth_name="D'ARC-LŒUF", used_name="MARTIN"), bed_code="1A"
        )
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A")
        undo.cancel_last(nurse, a.stay.id)
        patients.start_leave(nurse, a.stay.id)
        undo.cancel_last(nurse, a.stay.id)
        patients.start_leave(nurse, a.stay.id)
        patients.end_leave(nurse, a.stay.id)
        undo.cancel_last(nurse, a.stay.id)
        patients.discharge(nurse, a.stay.id, DischargeMode.HOME)
        undo.cancel_last(nurse, a.stay.id)
        record = nurse.store.patients.get_patient(a.patient.id)
        assert record is not None
        patients.update_identity(
            nurse, a.patient.id, identity(birth_name="D'ARC-LŒUF", first="Jeanne-Marie"), record.version
        )
        b = patients.admit(nurse, "CARDIO", identity=identity(birth_name="DURAND", first="Paul", sex="M"))
        undo.cancel_last(nurse, b.stay.id)
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.refused, report.remaining) == (13, 0, 0)
    triggers = [x.trigger for x in his.state.applied]
    assert triggers == [
        "A01",
        "A02",
        "A12",
        "A21",
        "A52",
        "A21",
        "A22",
        "A53",
        "A03",
        "A13",
        "A08",
        "A01",
        "A11",
    ]
    assert_his_holds_exactly(his.state, _expected(workspace))
    assert his.state.applied[0].family == "D'ARC-LŒUF"  # UTF-8 and escaping survive the trip
    assert his.state.applied[0].processing == "P"


def test_message_content_follows_ihe_pam_fr(workspace: Workspace) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
        patients.transfer(nurse, a.stay.id, "CARDIO", "2B")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        event = session.store.outbox.outbox_by_status(EventStatus.PENDING)[1]
        ctx = delivery.event_context(session, event)
        msg = hl7.parse(build_message(ctx, delivery.sending_site(session), session.clock()))
    assert str(msg.segment("MSH")(9)) == "ADT^A02^ADT_A02"
    assert str(msg.segment("MSH")(10)) == ctx.control_id and len(ctx.control_id) == 20
    assert str(msg.segment("PID")(3)(1)) == f"{a.patient.provisional_ipp}^^^CONTINUITE-TEST-CH^PI"
    assert str(msg.segment("PV1")(3)) == "CARDIO^2^2B^TEST-CH"
    assert str(msg.segment("PV1")(6)) == "CARDIO^1^1A^TEST-CH"  # the bed it came from
    assert str(msg.segment("PV1")(19)(1)(1)) == a.stay.provisional_nda
    assert str(msg.segment("ZBE")(1)(1)(1)) == event.movement_id
    assert str(msg.segment("ZBE")(4)) == "INSERT"
    assert str(msg.segment("PID")(32)) == "PROV"


def test_msh_12_declares_ihe_pam_france_and_the_sites_version(workspace: Workspace) -> None:
    """Issue 16: MSH-12 was ``2.5``; French receivers expect ``2.5^FRA^2.11`` (VID: version,
    internationalization code, international version), or the PAM FR version the site's
    HIS declares (site file ``[his] pam_fr_version``: 2.10 or 2.11)."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        event = session.store.outbox.outbox_by_status(EventStatus.PENDING)[0]
        ctx = delivery.event_context(session, event)
        site = delivery.sending_site(session)
        msg = hl7.parse(build_message(ctx, site, session.clock()))
        assert str(msg.segment("MSH")(12)) == "2.5^FRA^2.11"
        sync_state.set_pam_fr_version(session, "2.10")
        site = delivery.sending_site(session)
        msg = hl7.parse(build_message(ctx, site, session.clock()))
        assert str(msg.segment("MSH")(12)) == "2.5^FRA^2.10"
        with pytest.raises(InvalidInput, match=r"2\.10, 2\.11"):
            sync_state.set_pam_fr_version(session, "3.0")
    assert parse_site(SITE_TOML + '\n[his]\npam_fr_version = "2.10"\n').his.pam_fr_version == "2.10"
    with pytest.raises(InvalidInput):
        parse_site(SITE_TOML + '\n[his]\npam_fr_version = "2.9"\n')


def test_the_peer_really_validates(his: Hl7His) -> None:
    """A message missing the patient name (PID-5, required) is rejected by the peer."""
    link = MllpLink("127.0.0.1", his.port, timeout=2)
    try:
        raw = link.exchange(
            b"MSH|^~\\&|X|Y|DPI|CH|20260101120000||ADT^A01^ADT_A01|CTRL1|P|2.5\r"
            b"EVN||20260101120000\rPID|||123^^^A^PI\rPV1||I\r"
            b"ZBE|m1^A|20260101120000||INSERT|N\r"
        )
    finally:
        link.close()
    assert parse_ack(raw.decode(), "CTRL1").code.value == "AR"
    assert his.state.applied == [] and his.state.invalid


@pytest.mark.parametrize(
    "faults",
    [
        ["drop_before"],
        ["drop_after"],
        ["delay:1.5"],
        ["garbage"],
        ["wrong_id"],
        ["not_ack"],
        ["drop_after", "drop_after", "drop_before", "garbage"],
    ],
    ids=lambda f: "+".join(f),
)
def test_link_faults_end_with_every_movement_exactly_once(
    workspace: Workspace, his: Hl7His, faults: list[str]
) -> None:
    _activity(workspace)
    his.state.faults.extend(faults)
    report = _sync(workspace, his.url)
    his.state.settle()
    assert report.remaining == 0 and report.refused == 0
    assert_his_holds_exactly(his.state, _expected(workspace))
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.ACKNOWLEDGED: report.acknowledged}
    if "drop_after" in faults or "delay:1.5" in faults:
        assert his.state.duplicates >= 1  # the resend was recognised by its control ID


def test_peer_restarting_mid_batch(workspace: Workspace, his: Hl7His) -> None:
    _activity(workspace, admissions=10, movements=30)

    def bounce() -> None:
        while len(his.state.applied) < 12:
            time.sleep(0.005)
        his.restart(down_for=0.3)

    threading.Thread(target=bounce, daemon=True).start()
    report = _sync(
        workspace,
        his.url,
        engine.SyncOptions(timeout=1.0, attempts=20, backoff=0.05, backoff_max=0.2, chunk=7),
    )
    assert report.remaining == 0
    assert_his_holds_exactly(his.state, _expected(workspace))


def test_a_his_that_keeps_answering_garbage_stops_the_run_and_nothing_is_marked_delivered(
    workspace: Workspace, his: Hl7His
) -> None:
    _activity(workspace, admissions=2, movements=0)
    his.state.faults.extend(["garbage", "wrong_id", "not_ack"])
    report = _sync(workspace, his.url, engine.SyncOptions(timeout=1.0, attempts=3, backoff=0.01))
    assert report.stopped_en and "not an HL7 message" not in report.stopped_en
    assert "another message" not in report.stopped_en  # the last failure: an ADT instead of ACK
    assert report.acknowledged == 0 and report.remaining == 2
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        event = session.store.outbox.outbox_by_status(EventStatus.SENT)[0]
        assert event.attempts >= 1 and event.last_error and "ACK" in event.last_error
        assert EventStatus.ACKNOWLEDGED not in counts(session)
    assert his.state.applied == []
    assert _sync(workspace, his.url).acknowledged == 2  # the HIS behaves again: all goes


def test_unreachable_his_is_reported_not_lost(workspace: Workspace) -> None:
    _activity(workspace, admissions=1, movements=0)
    report = _sync(workspace, "mllp://127.0.0.1:9", engine.SyncOptions(timeout=0.5, attempts=2, backoff=0.01))
    assert report.stopped_fr and "Connexion au DPI impossible" in report.stopped_fr
    assert report.remaining == 1


def test_refusal_goes_to_the_error_queue_and_holds_only_that_patient(
    workspace: Workspace, his: Hl7His
) -> None:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        refused = patients.admit(nurse, "CARDIO", identity=identity(birth_name="REFUS"))
        patients.transfer(nurse, refused.stay.id, "CARDIO", "1B")
        other = patients.admit(nurse, "CARDIO", identity=identity(birth_name="ACCEPTE"))
    his.state.refuse_patients.add(refused.patient.provisional_ipp)
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.refused, report.remaining) == (1, 1, 2)
    assert [a.patient for a in his.state.applied] == [other.patient.provisional_ipp]
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        [error] = sync_state.refused_events(session)
        assert error.event.kind == "admission" and error.waiting_behind == 1
        assert error.event.his_reply and "Identité incomplète" in error.event.his_reply
        assert sync_state.status(session).phase is sync_state.SyncPhase.BLOCKED
    # Identity vigilance corrects the identity; IT resends; the HIS now accepts (AE then AA).
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record = nurse.store.patients.get_patient(refused.patient.id)
        assert record is not None
        patients.update_identity(
            nurse, record.id, identity(birth_name="REFUS", first="Jeanne-Ann"), record.version
        )
    his.state.refuse_patients.clear()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.resend(session, error.event.event_id)
        with pytest.raises(Conflict):
            sync_state.resend(session, error.event.event_id)
        report = engine.synchronise(session, his.url, options=FAST)
        assert (report.refused, report.remaining) == (0, 0)
        assert sync_state.status(session).phase is sync_state.SyncPhase.RESTORED
    assert his.state.movements_of(refused.patient.provisional_ipp)[0][0] == "A01"
    assert [t for t, _, _ in his.state.movements_of(refused.patient.provisional_ipp)] == ["A01", "A02", "A08"]
    assert_his_holds_exactly(his.state, _expected(workspace))


def test_exercise_mode_never_reaches_the_real_his(workspace: Workspace, his: Hl7His) -> None:
    drill = Hl7His().start()
    try:
        _activity(workspace, admissions=1, movements=0)
        with workspace.unlock(CRISIS.username, CRISIS_PW) as cell:
            crisis.set_exercise_mode(cell, True)
        with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
            sync_state.set_endpoints(session, his.url, None)
            for target in (his.url, None, drill.url):
                with pytest.raises(Conflict, match="exercice"):
                    engine.synchronise(session, target, options=FAST)
            sync_state.set_endpoints(session, None, drill.url)
            with pytest.raises(Conflict):
                engine.synchronise(session, his.url.replace("127.0.0.1", "localhost"), options=FAST)
            assert engine.synchronise(session, None, options=FAST).acknowledged == 1
    finally:
        drill.stop()
    assert his.state.received == 0
    assert [(a.trigger, a.processing) for a in drill.state.applied] == [("A01", "T")]


@pytest.mark.slow
def test_kit_killed_mid_batch_then_restarted(workspace: Workspace, his: Hl7His, tmp_path: Path) -> None:
    _activity(workspace, admissions=30, movements=60)
    expected = _expected(workspace)
    env = {
        **os.environ,
        "CONTINUITY_HOME": str(workspace.folder),
        "CONTINUITY_USER": "admin",
        "CONTINUITY_PASSWORD": ADMIN_PW,
    }
    command = [sys.executable, "-m", "cli", "sync", "--to", his.url, "--quiet", "--timeout", "2"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(his.state.applied) < 25 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < len(his.state.applied) < 90, "the kill did not land mid-batch"
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_his_holds_exactly(his.state, expected)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.ACKNOWLEDGED: 90}


def test_bad_ack_text_is_explained(his: Hl7His) -> None:
    for raw, fragment in [
        ("hello", "not an HL7 message"),
        ("MSH|^~\\&|A|B|C|D|20260101||ACK^A01^ACK|1|P|2.5\r", "MSA"),
        ("MSH|^~\\&|A|B|C|D|20260101||ACK^A01^ACK|1|P|2.5\rMSA|ZZ|X\r", "Unknown acknowledgement code"),
        ("MSH|^~\\&|A|B|C|D|20260101||ACK^A01^ACK|1|P|2.5\rMSA|AA|OTHER\r", "another message"),
    ]:
        with pytest.raises(BadAck) as caught:
            parse_ack(raw, "X")
        assert fragment in caught.value.en


def test_cli_status_and_errors(workspace: Workspace, his: Hl7His, capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    _activity(workspace, admissions=2, movements=1)
    os.environ["CONTINUITY_PASSWORD"] = ADMIN_PW
    try:
        base = ["--data", str(workspace.folder)]
        assert main([*base, "sync", "status", "--user", "admin", "--json"]) == 0
        out = capsys.readouterr().out
        assert '"phase": "not_started"' in out and '"pending": 3' in out
        assert main([*base, "sync", "--user", "admin", "--to", his.url, "--quiet"]) == 0
        assert "Acceptés par le DPI / acknowledged : 3" in capsys.readouterr().out
        assert main([*base, "sync", "status", "--user", "admin"]) == 0
        assert "rétabli" in capsys.readouterr().out
        assert main([*base, "sync", "--user", "admin", "--to", "gopher://x"]) == 2
        assert "non reconnue" in capsys.readouterr().err
    finally:
        del os.environ["CONTINUITY_PASSWORD"]


def test_sync_config_shows_and_changes_the_pam_fr_version(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli import main

    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    base = ["--data", str(workspace.folder), "sync", "config", "--user", ADMIN.username]
    assert main(base) == 0
    assert "IHE PAM France 2.11" in capsys.readouterr().out
    assert main([*base, "--pam-fr-version", "2.10"]) == 0
    assert "IHE PAM France 2.10" in capsys.readouterr().out
    assert main([*base, "--pam-fr-version", "9"]) == 2
    assert "2.10, 2.11" in capsys.readouterr().err
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert sync_state.pam_fr_version(session) == "2.10"
