"""A corrected movement reaches the HIS as IHE PAM FR's movement update, and FHIR follows.

PAM FR 2.11: Z99 (structure ADT_A01, as IHE's Gazelle PAM profiles declare ``ADT^Z99^ADT_A01``)
with ZBE-1 the corrected movement's id, ZBE-2 its (corrected) date, ZBE-4 ``UPDATE``, ZBE-5 ``Y``
for a movement before the current one (section 6.13.5), ZBE-6 the trigger that inserted it
(section 6.13.6), and PV1-3 the place of the period that movement starts (section 7.1.3,
scenario 4: the admission's UF on the Z99 correcting the admission, though the patient has
moved on since).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import hl7
import pytest
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from continuity.domain.outbox import EventStatus
from continuity.services import corrections, delivery, patients, undo
from continuity.session import Workspace
from sync import engine
from sync.fhir import patient_bundle
from sync.hl7_adt import build_message, hl7_time
from tests.conftest import ADMIN, ADMIN_PW, NURSE, NURSE_PW, Clock, identity
from tests.peers.hl7_his import Hl7His
from tests.sync_helpers import FAST, assert_his_holds_exactly, expected_per_patient


@pytest.fixture
def his() -> Iterator[Hl7His]:
    peer = Hl7His().start()
    yield peer
    peer.stop()


def _corrected_stay(workspace: Workspace, clock: Clock) -> tuple[str, str, str]:
    """Admitted 5 h ago in 1A, moved 3 h ago to 2A; then the transfer is corrected (2B, 4 h
    ago) and the admission's time (6 h ago). Returns (provisional IPP, admission, transfer)."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(
            nurse, "CARDIO", identity=identity(), bed_code="1A", at=clock() - timedelta(hours=5)
        )
        patients.transfer(nurse, a.stay.id, "CARDIO", "2A", at=clock() - timedelta(hours=3))
        admission, transfer = (m.id for m in patients.stay_movements(nurse, a.stay.id))
        corrections.correct_movement(
            nurse, transfer, at=clock() - timedelta(hours=4), bed_code="2B", reason="mauvais lit"
        )
        corrections.correct_movement(nurse, admission, at=clock() - timedelta(hours=6), reason="heure")
    return a.patient.provisional_ipp, admission, transfer


def test_a_correction_is_a_z99_the_strict_peer_accepts_with_the_zbe_of_the_movement(
    workspace: Workspace, his: Hl7His, clock: Clock
) -> None:
    ipp, admission, transfer = _corrected_stay(workspace, clock)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        site = delivery.sending_site(session)
        events = session.store.outbox.outbox_by_status(EventStatus.PENDING)
        z99 = [
            hl7.parse(build_message(delivery.event_context(session, e), site, session.clock()))
            for e in events
            if e.kind == "movement_update"
        ]
        report = engine.synchronise(session, his.url, options=FAST)
    assert (report.acknowledged, report.refused, report.remaining) == (4, 0, 0)
    assert [(a.trigger, a.movement, a.action) for a in his.state.applied] == [
        ("A01", admission, "INSERT"),
        ("A02", transfer, "INSERT"),
        ("Z99", transfer, "UPDATE"),
        ("Z99", admission, "UPDATE"),
    ]
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        assert_his_holds_exactly(his.state, expected_per_patient(nurse))
    first, second = z99
    assert str(first.segment("MSH")(9)) == "ADT^Z99^ADT_A01"
    zbe = first.segment("ZBE")
    assert str(zbe(1)(1)(1)) == transfer
    assert str(zbe(2)) == hl7_time(clock() - timedelta(hours=4))  # the corrected time
    assert (str(zbe(4)), str(zbe(5)), str(zbe(6))) == ("UPDATE", "N", "A02")  # the current movement
    assert str(first.segment("PV1")(3)) == "CARDIO^2^2B^TEST-CH"  # the corrected bed
    assert str(first.segment("PV1")(6)) == "CARDIO^1^1A^TEST-CH"  # where it came from
    zbe = second.segment("ZBE")
    assert str(zbe(1)(1)(1)) == admission
    assert str(zbe(2)) == hl7_time(clock() - timedelta(hours=6))
    assert (str(zbe(4)), str(zbe(5)), str(zbe(6))) == ("UPDATE", "Y", "A01")  # a historic movement
    assert str(second.segment("PV1")(3)) == "CARDIO^1^1A^TEST-CH"  # the admission's place
    assert str(second.segment("PV1")(44)) == hl7_time(clock() - timedelta(hours=6))
    assert ipp


def test_the_fhir_encounter_has_the_corrected_times_and_beds(workspace: Workspace, clock: Clock) -> None:
    _corrected_stay(workspace, clock)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        site = delivery.sending_site(session)
        contexts = [
            delivery.event_context(session, e)
            for e in session.store.outbox.outbox_by_status(EventStatus.PENDING)
        ]
    encounter = patient_bundle(contexts, site, None).entry[1].resource  # type: ignore[index]
    six, four = (clock() - timedelta(hours=h) for h in (6, 4))
    assert encounter.period.start == six  # type: ignore[union-attr]
    places = [(loc.location.display, loc.period.start, loc.period.end) for loc in encounter.location]  # type: ignore[union-attr]
    assert places == [("CARDIO/1A", six, four), ("CARDIO/2B", four, None)]


def test_the_file_drop_carries_the_z99_too(workspace: Workspace, clock: Clock, tmp_path: Path) -> None:
    _, _, transfer = _corrected_stay(workspace, clock)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        report = engine.synchronise(session, f"file:{tmp_path}", options=FAST)
    assert report.exported == 4
    text = next(tmp_path.glob("*.hl7")).read_bytes().decode("utf-8")
    bodies = ["MSH|" + t.split("\rBTS|")[0] for t in text.split("\rMSH|")[1:]]
    for body in bodies:
        parse_message(body, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True).validate()
    z99 = [b for b in bodies if "|ADT^Z99^ADT_A01|" in b]
    assert len(z99) == 2 and f"ZBE|{transfer}^" in z99[0]


def test_a_cancelled_stay_keeps_its_corrected_admission_time_as_its_fhir_period(
    workspace: Workspace, clock: Clock
) -> None:
    """Admitted at -3 h, the admission corrected to -5 h (Z99 sent), then the stay cancelled: the
    Encounter's period (always present, fr-core-encounter) starts at -5 h, as the HIS was told,
    not at the time first recorded."""
    with workspace.unlock(NURSE.username, NURSE_PW) as nurse:
        a = patients.admit(
            nurse, "CARDIO", identity=identity(), bed_code="1A", at=clock() - timedelta(hours=3)
        )
        admission = corrections.movements_in_effect(nurse, a.stay.id)[0]
        corrections.correct_movement(nurse, admission.id, at=clock() - timedelta(hours=5), reason="r")
        undo.cancel_last(nurse, a.stay.id)
    with workspace.unlock(ADMIN.username, ADMIN_PW) as session:
        site = delivery.sending_site(session)
        contexts = [
            delivery.event_context(session, e)
            for e in session.store.outbox.outbox_by_status(EventStatus.PENDING)
        ]
    encounter = patient_bundle(contexts, site, None).entry[1].resource  # type: ignore[index]
    assert encounter.status == "cancelled"  # type: ignore[union-attr]
    assert encounter.period.start == clock() - timedelta(hours=5)  # type: ignore[union-attr]
