"""HL7 acknowledgement modes (issue 16): original mode by default, enhanced mode as a site setting.

HL7 v2.5 section 2.9: a message whose MSH-15 and MSH-16 are both empty follows the
original acknowledgement rules, the receiver answering with an application ACK
(AA/AE/AR). With MSH-15/16 set (enhanced mode) the receiver first answers a commit
ACK (CA: "stored safely, do not resend"), then the application ACK as a separate
message. Until issue 16 the kit asked for a commit ACK only (AL/NE) and counted a CA
as delivered: a conformant HIS could then never report an application error, and
the error queue could never fill.

The peer is hl7apy's MLLP server (tests/peers/hl7_his.py), validating every message
strictly and following each message's MSH-15/16 as a conformant receiver does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import hl7
import pytest

from continuity.domain.outbox import EventStatus
from continuity.errors import Conflict, InvalidInput
from continuity.provisioning import parse_site
from continuity.services import delivery, patients, sync_state
from continuity.session import Workspace
from sync import engine
from sync.hl7_adt import build_message
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, SITE_TOML, identity
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import FAST, assert_his_holds_exactly, counts, expected_per_patient, record_activity


@pytest.fixture
def his() -> Iterator[Hl7His]:
    peer = Hl7His().start()
    yield peer
    peer.stop()


def _sync(workspace: Workspace, url: str, options: engine.SyncOptions = FAST) -> engine.RunReport:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        return engine.synchronise(session, url, options=options)


def _enhanced(workspace: Workspace) -> None:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_ack_mode(session, "enhanced")


def _expected(workspace: Workspace) -> dict[str, list[tuple[str, str | None, str | None]]]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        return expected_per_patient(nurse)


def _admit(workspace: Workspace, *names: str) -> list[patients.Admission]:
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        return [patients.admit(nurse, "CARDIO", identity=identity(birth_name=n)) for n in names]


def _msh(workspace: Workspace) -> hl7.Segment:
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        event = session.store.outbox.outbox_by_status(EventStatus.PENDING)[0]
        ctx = delivery.event_context(session, event)
        return hl7.parse(build_message(ctx, delivery.sending_site(session), session.clock())).segment("MSH")


# ---------------------------------------------------------------------------- original
def test_original_mode_is_the_default_msh_15_16_empty_and_the_his_answers_aa(
    workspace: Workspace, his: Hl7His
) -> None:
    _admit(workspace, "ORIGINAL")
    msh = _msh(workspace)
    assert (str(msh(15)), str(msh(16))) == ("", "")  # both empty: original acknowledgement rules
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert sync_state.ack_mode(session) == "original"
        assert delivery.sending_site(session).ack_mode == "original"
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.refused, report.remaining) == (1, 0, 0)
    assert [a.ack_types for a in his.state.applied] == [("", "")]
    assert his.state.commits == 0  # the HIS answered with its application ACK, no commit ACK


def test_a_commit_ack_in_original_mode_is_a_protocol_error_never_success(
    workspace: Workspace, his: Hl7His
) -> None:
    _admit(workspace, "COMMIT")
    his.state.faults.extend(["CA", "CA", "CA"])
    report = _sync(workspace, his.url, engine.SyncOptions(timeout=1.0, attempts=3, backoff=0.01))
    assert report.acknowledged == 0 and report.remaining == 1
    assert report.stopped_fr and "mode original" in report.stopped_fr and "CA" in report.stopped_fr
    assert report.stopped_en and "original mode" in report.stopped_en and "AA/AE/AR" in report.stopped_en
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.SENT: 1}
        [event] = session.store.outbox.outbox_by_status(EventStatus.SENT)
        assert event.last_error and "CA" in event.last_error
    assert _sync(workspace, his.url).acknowledged == 1  # the HIS answers AA again: delivered once
    assert len(his.state.applied) == 1


# ------------------------------------------------------------------------- the setting
def test_enhanced_mode_is_a_site_setting_validated_shown_and_changed(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli import main

    assert parse_site(SITE_TOML).his.ack_mode == "original"
    assert parse_site(SITE_TOML + '\n[his]\nack_mode = "enhanced"\n').his.ack_mode == "enhanced"
    with pytest.raises(InvalidInput) as caught:
        parse_site(SITE_TOML + '\n[his]\nack_mode = "always"\n')
    [(fr, en)] = caught.value.detail_pairs
    assert fr.startswith("his") and "'original' or 'enhanced'" in fr and "'original' or 'enhanced'" in en
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    base = ["--data", str(workspace.folder), "sync", "config", "--user", ADMIN.username]
    assert main(base) == 0
    assert "original" in capsys.readouterr().out
    assert main([*base, "--ack-mode", "enhanced"]) == 0
    out = capsys.readouterr().out
    assert "enhanced" in out and "MSH-15 AL" in out
    assert main([*base, "--ack-mode", "sometimes"]) == 2
    assert "original, enhanced" in capsys.readouterr().err
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert sync_state.ack_mode(session) == "enhanced"
        audited = [
            r
            for r in session.store.audit.audit_rows()
            if r.action == "sync.endpoints" and sync_state.ACK_MODE_KEY in r.payload
        ]
        assert audited[-1].actor == ADMIN.username and '"enhanced"' in audited[-1].payload
        with pytest.raises(InvalidInput, match="original, enhanced"):
            sync_state.set_ack_mode(session, "AL")
    _admit(workspace, "ENHANCED")
    msh = _msh(workspace)
    assert (str(msh(15)), str(msh(16))) == ("AL", "AL")


# ---------------------------------------------------------------------------- enhanced
def test_enhanced_ca_then_aa_is_acknowledged_once_and_the_kit_commits_the_aa(
    workspace: Workspace, his: Hl7His
) -> None:
    _enhanced(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 4, 6, seed=3)
    report = _sync(workspace, his.url)
    assert (report.refused, report.remaining) == (0, 0)
    assert report.acknowledged == len(his.state.applied) == len(his.state.app_acks_sent)
    assert_his_holds_exactly(his.state, _expected(workspace))
    assert {a.ack_types for a in his.state.applied} == {("AL", "AL")}
    assert his.state.duplicates == 0
    # every application ACK asked for a commit ACK (its MSH-15 AL): the kit answered each one
    his.state.settle()
    time.sleep(0.1)
    assert len(his.state.commit_acks) == len(his.state.app_acks_sent)
    assert his.state.invalid == []
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.ACKNOWLEDGED: report.acknowledged}


def test_enhanced_ca_then_ae_lands_in_the_error_queue_with_the_his_text(
    workspace: Workspace, his: Hl7His
) -> None:
    _enhanced(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        refused = patients.admit(nurse, "CARDIO", identity=identity(birth_name="REFUS"))
        patients.transfer(nurse, refused.stay.id, "CARDIO", "1B")
        patients.admit(nurse, "CARDIO", identity=identity(birth_name="ACCEPTE"))
    his.state.faults.append("CA_then_AE")
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.refused, report.remaining) == (1, 1, 2)
    assert his.state.app_acks_sent[0][1] == "AE"
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        [error] = sync_state.refused_events(session)
        assert error.event.kind == "admission" and error.waiting_behind == 1
        assert error.event.his_reply and "Identité incomplète" in error.event.his_reply
        assert sync_state.status(session).phase is sync_state.SyncPhase.BLOCKED
    # the transfer was held behind the refused admission: never sent
    assert [t for t, _, _ in his.state.movements_of(refused.patient.provisional_ipp)] == []


def test_enhanced_commit_error_is_retried_and_commit_reject_is_refused(
    workspace: Workspace, his: Hl7His
) -> None:
    _enhanced(workspace)
    _admit(workspace, "RETRY", "REJECT")
    his.state.faults.extend(["CE", None, "CR"])  # type: ignore[list-item]
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.refused, report.remaining) == (1, 1, 1)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        [error] = sync_state.refused_events(session)
        assert error.event.last_error and "CR" in error.event.last_error
    assert len(his.state.applied) == 1


def test_enhanced_ca_without_application_ack_waits_is_never_resent_and_is_visible(
    workspace: Workspace, his: Hl7His, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli import main

    _enhanced(workspace)
    [first] = _admit(workspace, "SILENCE")
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        patients.transfer(nurse, first.stay.id, "CARDIO", "1B")
    his.state.app_ack_delivery = "never"
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.refused, report.remaining, report.awaiting) == (0, 0, 2, 1)
    received = his.state.received
    assert received == 1  # the transfer waits behind its admission, as behind an error
    report = _sync(workspace, his.url)  # a second run: nothing is sent blindly again
    assert his.state.received == received and report.awaiting == 1
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        status = sync_state.status(session)
        assert status.counts[EventStatus.COMMITTED] == 1 and status.awaiting == 1
        assert status.awaiting_since is not None
        assert session.clock() - status.awaiting_since < timedelta(minutes=5)
        [waiting] = sync_state.awaiting_events(session)
        assert waiting.provisional_ipp == first.patient.provisional_ipp
    monkeypatch.setenv("CONTINUITY_PASSWORD", ADMIN_PW)
    base = ["--data", str(workspace.folder), "sync"]
    assert main([*base, "status", "--user", ADMIN.username]) == 0
    out = capsys.readouterr().out
    assert "accusé applicatif attendu" in out and waiting.event.event_id in out
    # IT resends deliberately: same control ID, the HIS recognises it and answers again
    his.state.app_ack_delivery = "same"
    assert main([*base, "resend", waiting.event.event_id, "--user", ADMIN.username]) == 0
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session, pytest.raises(Conflict):
        sync_state.resend(session, waiting.event.event_id)
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.remaining, report.awaiting) == (2, 0, 0)
    assert his.state.duplicates == 1 and len(his.state.applied) == 2  # applied once each
    assert_his_holds_exactly(his.state, _expected(workspace))


def test_enhanced_application_acks_on_later_connections(workspace: Workspace, his: Hl7His) -> None:
    """The HIS hands an application ACK over on the kit's next connection (before the reply to
    the next message), or when the kit connects at the end of the run to collect them."""
    _enhanced(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 3, 5, seed=11)
    his.state.app_ack_delivery = "next"
    report = _sync(workspace, his.url)
    his.state.settle()
    assert (report.refused, report.remaining, report.awaiting) == (0, 0, 0)
    assert his.state.idle_connections >= 1
    assert_his_holds_exactly(his.state, _expected(workspace))
    assert his.state.duplicates == 0
    assert len(his.state.commit_acks) == len(his.state.app_acks_sent)


@pytest.mark.parametrize(
    "faults", [["drop_before"], ["drop_after"], ["garbage"], ["CE", "drop_after"]], ids="+".join
)
def test_enhanced_link_faults_end_with_every_movement_exactly_once(
    workspace: Workspace, his: Hl7His, faults: list[str]
) -> None:
    _enhanced(workspace)
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 4, 6, seed=5)
    his.state.faults.extend(faults)
    report = _sync(workspace, his.url)
    his.state.settle()
    assert (report.refused, report.remaining) == (0, 0)
    assert_his_holds_exactly(his.state, _expected(workspace))


def test_kit_killed_between_the_ca_and_the_aa_neither_loses_nor_duplicates(
    workspace: Workspace, his: Hl7His
) -> None:
    _enhanced(workspace)
    _admit(workspace, "KILLED")
    his.state.app_ack_delivery = "hold"  # the HIS is still processing: the AA comes later
    env = {
        **os.environ,
        "CONTINUITY_HOME": str(workspace.folder),
        "CONTINUITY_USER": "admin",
        "CONTINUITY_PASSWORD": ADMIN_PW,
    }
    command = [sys.executable, "-m", "cli", "sync", "--to", his.url, "--quiet", "--timeout", "2"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if his.state.commits >= 1 and his.state.idle_connections >= 1:
            break  # CA received, the kit is waiting for the application ACK
        time.sleep(0.01)
    assert proc.poll() is None, "the kit ended before the kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.COMMITTED: 1}
    his.state.release_app_acks()
    received = his.state.received
    report = _sync(workspace, his.url)
    assert (report.acknowledged, report.remaining, report.awaiting) == (1, 0, 0)
    assert his.state.received == received  # not resent: collected
    assert len(his.state.applied) == 1 and his.state.duplicates == 0
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        assert counts(session) == {EventStatus.ACKNOWLEDGED: 1}


def test_doctor_counts_the_awaiting_events_and_warns_when_one_is_overdue(
    workspace: Workspace, his: Hl7His
) -> None:
    from continuity import doctor

    _enhanced(workspace)
    _admit(workspace, "DOCTOR")
    his.state.app_ack_delivery = "never"
    assert _sync(workspace, his.url).awaiting == 1
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        now = session.clock()
        [check] = [c for c in doctor.run(workspace, now, session=session).checks if c.name == "sync_awaiting"]
        assert check.level is doctor.Level.PASS and "1" in check.message_en
        later = now + sync_state.APP_ACK_OVERDUE + timedelta(minutes=1)
        [check] = [
            c for c in doctor.run(workspace, later, session=session).checks if c.name == "sync_awaiting"
        ]
    assert check.level is doctor.Level.WARN
    assert "application ACK" in check.message_en and "accusé applicatif" in check.message_fr
    assert "sync resend" in check.message_en


def test_the_kits_commit_ack_names_the_establishment_as_its_messages_do(workspace: Workspace) -> None:
    """MSH-4 of the kit's commit ACK of an application ACK is the FINESS once declared, as in
    every message the kit sends (it was the workstation code)."""
    from sync.hl7_adt import commit_ack, read_ack

    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        sync_state.set_identifier_domains(session, finess="750712184")
        site = delivery.sending_site(session)
        now = session.clock()
    application = read_ack(
        "MSH|^~\\&|DPI|CHU|CONTINUITE|750712184|20261201120000||ACK^A01^ACK|ACK1|P|2.5|||AL|NE\rMSA|AA|C1\r"
    )
    msh = hl7.parse(commit_ack(application, site, now)).segment("MSH")
    assert (str(msh(4)), str(msh(6))) == ("750712184", "CHU")


def test_enhanced_an_application_ack_as_the_only_answer_is_recorded_and_commit_acknowledged(
    workspace: Workspace, his: Hl7His
) -> None:
    """An HIS in enhanced mode that answers a message with its application ACK alone (no CA
    first), asking for the kit's commit ACK (MSH-15 AL): the kit records it and answers it on the
    spot, so the HIS has nothing to hand over again (it was answered only on a later connection)."""
    _enhanced(workspace)
    his.state.app_ack_delivery = "alone"
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        record_activity(nurse, "CARDIO", 3, 4, seed=5)
    report = _sync(workspace, his.url)
    assert (report.refused, report.remaining) == (0, 0)
    assert report.acknowledged == len(his.state.applied) == len(his.state.app_acks_sent)
    his.state.settle()
    time.sleep(0.1)
    assert len(his.state.commit_acks) == len(set(his.state.commit_acks)) == len(his.state.app_acks_sent)
    assert his.state.pending_app_acks == [] and his.state.invalid == []
