"""Admissions and movements through the services: rules, roles, errors that write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from continuity.domain.movement import DischargeDestination, DischargeMode, MovementKind, StayState
from continuity.errors import (
    BedTaken,
    Conflict,
    ContinuityError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PossibleDuplicates,
    StaleRecord,
)
from continuity.ids import parse_id
from continuity.services import patients, undo
from continuity.session import Session, Workspace
from tests.conftest import PNEUMO_NURSE, PNEUMO_PW, Clock, identity


def _footprint(session: Session) -> tuple[Any, ...]:
    """Everything a write would touch, to prove a refused action wrote nothing."""
    s = session.store
    return (
        s.patients.count_patients(),
        s._all("SELECT * FROM stays ORDER BY id"),
        s._all("SELECT count(*) FROM movements"),
        s._all("SELECT count(*) FROM audit"),
        s._all("SELECT count(*) FROM outbox"),
        s.reference.remaining_numbers(),
    )


def assert_refused(
    session: Session, error: type[Exception], action: Callable[[], object], match: str | None = None
) -> None:
    before = _footprint(session)
    with pytest.raises(error, match=match):
        action()
    assert _footprint(session) == before


def test_admission_writes_patient_stay_movement_audit_and_outbox(nurse: Session) -> None:
    result = patients.admit(nurse, "cardio", identity=identity(), bed_code="1a", reason="Douleur")
    assert result.stay.state is StayState.PRESENT
    assert (result.stay.uf_code, result.stay.bed_code) == ("CARDIO", "1A")
    block = nurse.store.reference.local_workstation().block
    for ident in (result.patient.provisional_ipp, result.stay.provisional_nda):
        assert block[0] <= parse_id(ident) <= block[1]
    assert result.patient.provisional_ipp != result.stay.provisional_nda
    moves = patients.stay_movements(nurse, result.stay.id)
    assert [m.kind for m in moves] == [MovementKind.ADMISSION]
    assert moves[0].id == result.movement_id
    actions = [
        r[0] for r in nurse.store._all("SELECT action FROM audit WHERE entity != 'records' ORDER BY seq")
    ]
    assert actions[-2:] == ["patient.create", "stay.admission"]
    events = nurse.store.outbox.outbox_events()
    assert [e["kind"] for e in events] == ["admission"]
    assert events[0]["movement_id"] == result.movement_id
    assert events[0]["status"] == "pending"


def test_full_stay_lifecycle(nurse: Session, clock: Clock) -> None:
    stay = patients.admit(
        nurse, "CARDIO", identity=identity(), bed_code="1A", at=clock() - timedelta(hours=5)
    ).stay
    stay = patients.transfer(nurse, stay.id, "CARDIO", "2B", at=clock() - timedelta(hours=4))
    assert (stay.uf_code, stay.bed_code, stay.version) == ("CARDIO", "2B", 2)
    stay = patients.start_leave(nurse, stay.id, at=clock() - timedelta(hours=3))
    assert stay.state is StayState.ON_LEAVE
    # the bed stays reserved during a temporary leave
    assert_refused(
        nurse,
        Conflict,
        lambda: patients.admit(
            nurse,
            "CARDIO",
            identity=identity("AUTRE", born=identity().birth_date.replace(year=1960)),
            bed_code="2B",
        ),
        match="déjà occupé",
    )
    stay = patients.end_leave(nurse, stay.id, at=clock() - timedelta(hours=2))
    stay = patients.transfer(nurse, stay.id, "PNEUMO", "3A")
    # ward staff may send a patient to another UF, but then the stay is that UF's to move
    assert_refused(
        nurse,
        PermissionDenied,
        lambda: patients.discharge(nurse, stay.id, DischargeMode.HOME),
        match="PNEUMO",
    )
    pneumo = nurse.workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW)
    stay = patients.discharge(
        pneumo,
        stay.id,
        DischargeMode.TRANSFER,
        destination=DischargeDestination.SMR,
        destination_detail="SMR Rouen",
    )
    assert stay.state is StayState.DISCHARGED
    assert stay.discharged_at is not None
    kinds = [e["kind"] for e in pneumo.store.outbox.outbox_events()]
    assert kinds == ["admission", "transfer", "leave", "return", "transfer", "discharge"]
    pneumo.lock()


def test_cancel_last_movement_and_the_admission(nurse: Session) -> None:
    stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    stay = patients.transfer(nurse, stay.id, "CARDIO", "1B")
    stay = undo.cancel_last(nurse, stay.id, reason="erreur de lit")
    assert stay.bed_code == "1A"
    stay = undo.cancel_last(nurse, stay.id)
    assert stay.state is StayState.CANCELLED
    assert nurse.store.stays.bed_occupant("CARDIO", "1A") is None
    assert_refused(nurse, Conflict, lambda: undo.cancel_last(nurse, stay.id), match="annulé")
    kinds = [e["kind"] for e in nurse.store.outbox.outbox_events()]
    assert kinds == ["admission", "transfer", "cancel_transfer", "cancel_admission"]
    events = nurse.store.outbox.outbox_events()
    moves = patients.stay_movements(nurse, stay.id)
    assert moves[2].cancels == moves[1].id and moves[3].cancels == moves[0].id
    assert events[3]["movement_id"] == moves[3].id


def test_cancelling_a_discharge_gives_the_bed_back_only_if_free(nurse: Session) -> None:
    first = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    patients.discharge(nurse, first.id, DischargeMode.HOME)
    patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul", sex="M"), bed_code="1A")
    assert_refused(nurse, Conflict, lambda: undo.cancel_last(nurse, first.id), match="occupé")


@pytest.mark.parametrize(
    ("uf", "bed", "error", "match"),
    [
        ("NOPE", "1A", NotFound, "UF inconnue"),
        ("CARDIO", "9Z", NotFound, "Lit 9Z inconnu"),
        ("CARDIO", "3A", NotFound, "inconnu dans l'UF CARDIO"),
    ],
)
def test_admission_to_unknown_place_writes_nothing(
    nurse: Session, uf: str, bed: str, error: type[ContinuityError], match: str
) -> None:
    assert_refused(
        nurse, error, lambda: patients.admit(nurse, uf, identity=identity(), bed_code=bed), match=match
    )


def test_occupied_and_blocked_beds(nurse: Session) -> None:
    patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    assert_refused(
        nurse,
        Conflict,
        lambda: patients.admit(nurse, "CARDIO", identity=identity("DURAND", "Luc", sex="M"), bed_code="1A"),
        match="déjà occupé",
    )
    with nurse.store.transaction():
        nurse.store._write("UPDATE beds SET blocked = 1 WHERE code = '1B'")
    assert_refused(
        nurse,
        Conflict,
        lambda: patients.admit(nurse, "CARDIO", identity=identity("DURAND", "Luc", sex="M"), bed_code="1B"),
        match="bloqué",
    )


def test_movements_on_patients_not_admitted(nurse: Session) -> None:
    stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    patients.discharge(nurse, stay.id, DischargeMode.HOME)
    assert_refused(
        nurse, Conflict, lambda: patients.discharge(nurse, stay.id, DischargeMode.HOME), match="sorti"
    )
    assert_refused(nurse, Conflict, lambda: patients.transfer(nurse, stay.id, "CARDIO", "1B"))
    assert_refused(nurse, Conflict, lambda: patients.end_leave(nurse, stay.id))
    assert_refused(nurse, NotFound, lambda: patients.discharge(nurse, "no-such-stay", DischargeMode.HOME))


def test_impossible_times(nurse: Session, clock: Clock) -> None:
    assert_refused(
        nurse,
        InvalidInput,
        lambda: patients.admit(nurse, "CARDIO", identity=identity(), at=clock() + timedelta(hours=1)),
        match="futur",
    )
    stay = patients.admit(nurse, "CARDIO", identity=identity(), at=clock() - timedelta(hours=1)).stay
    assert_refused(
        nurse,
        Conflict,
        lambda: patients.transfer(nurse, stay.id, "CARDIO", "1A", at=clock() - timedelta(hours=2)),
        match="précède",
    )
    naive = clock().replace(tzinfo=None)
    assert_refused(
        nurse, InvalidInput, lambda: patients.start_leave(nurse, stay.id, at=naive), match="fuseau"
    )


def test_stale_update_is_refused(nurse: Session, workspace: Workspace) -> None:
    stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    # another window (same user, second session) moves the patient first
    other = workspace.unlock("ide", "ide-password-1")
    patients.transfer(other, stay.id, "CARDIO", "1B", expected_version=stay.version)
    other.lock()
    assert_refused(
        nurse,
        StaleRecord,
        lambda: patients.transfer(nurse, stay.id, "CARDIO", "2A", expected_version=stay.version),
        match="modifié entre-temps",
    )


def test_stale_identity_update_is_refused(nurse: Session) -> None:
    result = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    fixed = identity(first="Jeannine")
    updated = patients.update_identity(nurse, result.patient.id, fixed, result.patient.version)
    assert updated.identity.first_names == ["JEANNINE"] and updated.version == 2
    assert [
        r["name"]
        for r in [{"name": p.patient.identity.first_names[0]} for p in patients.search(nurse, "jeannine")]
    ] == ["JEANNINE"]
    assert patients.search(nurse, "lefevre jeanne ") == []  # old first name no longer indexed
    assert_refused(
        nurse,
        StaleRecord,
        lambda: patients.update_identity(
            nurse, result.patient.id, identity(first="Jeanne"), result.patient.version
        ),
    )
    assert nurse.store.outbox.outbox_events()[-1]["kind"] == "identity_update"


def test_roles_are_enforced_in_the_core(nurse: Session, crisis: Session) -> None:
    assert_refused(
        crisis,
        PermissionDenied,
        lambda: patients.admit(crisis, "CARDIO", identity=identity()),
        match="non autorisée",
    )
    assert_refused(
        nurse, PermissionDenied, lambda: patients.admit(nurse, "PNEUMO", identity=identity()), match="PNEUMO"
    )
    with pytest.raises(PermissionDenied):
        patients.census(nurse, ["PNEUMO"])
    assert [c.uf_code for c in patients.census(crisis)] == ["CARDIO", "PNEUMO"]


def test_admin_cannot_read_patients(admin_session: Session) -> None:
    with pytest.raises(PermissionDenied):
        patients.search(admin_session, "lef")


def test_possible_duplicates_are_proposed_before_creating(nurse: Session) -> None:
    first = patients.admit(nurse, "CARDIO", identity=identity("LEFÈVRE", "Jeanne"), bed_code="1A")
    patients.discharge(nurse, first.stay.id, DischargeMode.HOME)
    for near in (
        identity("LEFEVRE", "Jeanne"),
        identity("LEFÈBVRE", "Jeanne"),
        identity("LEFÈVRE", "Jeanne", born=identity().birth_date.replace(month=12, day=3)),
    ):
        before = _footprint(nurse)
        with pytest.raises(PossibleDuplicates) as dup:
            patients.admit(nurse, "CARDIO", identity=near)
        assert dup.value.candidate_ids == [first.patient.id]
        assert "LEF" not in str(dup.value)  # the message itself names nobody
        assert _footprint(nurse) == before
    # a different person born the same day is not a duplicate
    patients.admit(nurse, "CARDIO", identity=identity("GARNIER", "Paul", sex="M"))
    # once checked, the user confirms it is someone else, and says why: both are in the audit
    with pytest.raises(InvalidInput, match="pourquoi"):
        patients.admit(nurse, "CARDIO", identity=identity("LEFEVRE", "Jeanne"), not_a_duplicate=" ")
    second = patients.admit(
        nurse, "CARDIO", identity=identity("LEFEVRE", "Jeanne"), not_a_duplicate="pièce d'identité vue"
    )
    created = nurse.store.audit.audit_of("patient", second.patient.id, ["patient.create"])
    payload = json.loads(created[0].payload)
    assert payload["not_a_duplicate"] == {"candidates": [first.patient.id], "reason": "pièce d'identité vue"}


def test_readmission_of_a_known_patient(nurse: Session) -> None:
    first = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A")
    with pytest.raises(Conflict, match="déjà un séjour"):
        patients.admit(nurse, "CARDIO", patient_id=first.patient.id)
    patients.discharge(nurse, first.stay.id, DischargeMode.HOME)
    again = patients.admit(nurse, "CARDIO", patient_id=first.patient.id, bed_code="1B")
    assert again.patient.provisional_ipp == first.patient.provisional_ipp
    assert again.stay.provisional_nda != first.stay.provisional_nda


def test_a_readmission_never_starts_inside_an_earlier_stay_of_the_patient(nurse: Session) -> None:
    """Stay from -6 h to -4 h: a readmission recorded afterwards with a time inside it (-5 h)
    would put the patient in two stays at once for the HIS; at or after -4 h it is fine."""
    from datetime import timedelta

    now = nurse.clock()
    first = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A", at=now - timedelta(hours=6))
    patients.discharge(nurse, first.stay.id, DischargeMode.HOME, at=now - timedelta(hours=4))
    with pytest.raises(Conflict, match="séjour"):
        patients.admit(nurse, "CARDIO", patient_id=first.patient.id, at=now - timedelta(hours=5))
    with pytest.raises(Conflict, match="séjour"):
        patients.admit(nurse, "CARDIO", patient_id=first.patient.id, at=now - timedelta(hours=7))
    patients.admit(nurse, "CARDIO", patient_id=first.patient.id, at=now - timedelta(hours=4))


def test_placeholder_identity_admission(nurse: Session) -> None:
    from continuity.domain.identity import Identity, Sex

    result = patients.admit(nurse, "CARDIO", identity=Identity.unknown(Sex.M, 1980))
    assert result.patient.identity.placeholder
    assert patients.find_patient(nurse, result.patient.provisional_ipp).patient.identity.placeholder


def test_block_exhaustion_is_a_clear_error(nurse: Session) -> None:
    with nurse.store.transaction():
        nurse.store._write("UPDATE workstations SET next_number = block_end WHERE is_local = 1")
    assert_refused(
        nurse, Exception, lambda: patients.admit(nurse, "CARDIO", identity=identity()), match="épuisé"
    )


# --------------------------------------------------------------------------- undo
def test_a_discharge_is_undone_into_its_bed_when_still_free(nurse: Session) -> None:
    stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    stay = patients.discharge(nurse, stay.id, DischargeMode.HOME)
    summary = undo.last_stay_of(nurse, stay.patient_id)
    assert summary.stay is not None and summary.stay.state is StayState.DISCHARGED
    stay = undo.cancel_last(nurse, stay.id)
    assert (stay.state, stay.bed_code) == (StayState.PRESENT, "1A")
    kinds = [e["kind"] for e in nurse.store.outbox.outbox_events()]
    assert kinds == ["admission", "discharge", "cancel_discharge"]  # A03 then A13


def test_a_discharge_whose_bed_was_given_away_reopens_in_the_bed_chosen(nurse: Session) -> None:
    first = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    patients.discharge(nurse, first.id, DischargeMode.HOME)
    patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul", sex="M"), bed_code="1A")
    with pytest.raises(BedTaken) as taken:
        undo.cancel_last(nurse, first.id)
    assert (taken.value.uf_code, taken.value.bed_code) == ("CARDIO", "1A")
    assert "choisissez" in taken.value.message_fr
    stay = undo.cancel_last(nurse, first.id, reopen_bed="1B")
    assert (stay.state, stay.uf_code, stay.bed_code) == (StayState.PRESENT, "CARDIO", "1B")
    kinds = [e["kind"] for e in nurse.store.outbox.outbox_events()]
    assert kinds[-2:] == ["cancel_discharge", "transfer"]


def test_a_discharge_undone_without_a_bed_waits_bedless(nurse: Session) -> None:
    first = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    patients.discharge(nurse, first.id, DischargeMode.HOME)
    patients.admit(nurse, "CARDIO", identity=identity("MARTIN", "Paul", sex="M"), bed_code="1A")
    stay = undo.cancel_last(nurse, first.id, reopen_bed=None)
    assert (stay.state, stay.uf_code, stay.bed_code) == (StayState.PRESENT, "CARDIO", None)
    assert patients.census(nurse, ["CARDIO"])[0].bedless == 1


def test_undo_is_for_the_ward_within_the_window_then_for_the_crisis_cell(
    nurse: Session, crisis: Session, clock: Clock
) -> None:
    assert undo.undo_window(nurse) == timedelta(hours=24)
    stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    stay = patients.transfer(nurse, stay.id, "CARDIO", "1B")
    clock.advance(hours=25)
    assert_refused(nurse, PermissionDenied, lambda: undo.cancel_last(nurse, stay.id), match="24 h")
    stay = undo.cancel_last(crisis, stay.id, reason="erreur de lit constatée le lendemain")
    assert stay.bed_code == "1A"
    last = [r for r in crisis.store.audit.audit_rows() if r.entity != "records"][-1]
    assert (last.actor, last.action) == (crisis.actor, "stay.cancel_transfer")


def test_the_undo_window_is_a_site_setting(nurse: Session, clock: Clock) -> None:
    with nurse.store.transaction():
        nurse.store.set_meta(undo.UNDO_WINDOW_KEY, "120")  # minutes
    assert undo.undo_window(nurse) == timedelta(hours=2)
    stay = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A").stay
    clock.advance(hours=1)
    stay = patients.discharge(nurse, stay.id, DischargeMode.HOME)
    clock.advance(hours=1, minutes=59)
    stay = undo.cancel_last(nurse, stay.id)  # the discharge is 1 h 59 old: still the ward's
    clock.advance(minutes=2)
    assert_refused(nurse, PermissionDenied, lambda: undo.cancel_last(nurse, stay.id), match="2 h")
