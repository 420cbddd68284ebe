"""Correcting a past movement (IHE PAM FR: Z99, ZBE-4 UPDATE) without cancelling it.

A movement recorded at the wrong time, or a transfer into the wrong bed of the right ward,
is corrected in place: its id is kept (the HIS's ZBE-1), the stay's movements stay in
order, a bed must have been free then, and the ward may correct within the undo window
(later, the crisis cell). PAM FR 2.11 section 5.3.2, remark 2: "L'événement Z99 est le seul
événement susceptible de modifier un mouvement ... le mouvement courant ... ou un mouvement
historique"; section 5.1.4: the bed is corrected by Z99.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from continuity.domain.movement import DischargeMode, MovementKind, StayState
from continuity.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from continuity.services import corrections, patients, snapshots, undo
from continuity.session import Session
from forms import documents
from sync.snapshots import parse_snapshot
from tests.conftest import PNEUMO_NURSE, PNEUMO_PW, Clock, identity
from tests.pdf_tools import flat, pages_text
from tests.snapshot_files import csv_snapshot, his_patients


def _footprint(session: Session) -> tuple[Any, ...]:
    s = session.store
    return (
        s._all("SELECT * FROM stays ORDER BY id"),
        s._all("SELECT count(*) FROM movements"),
        s._all("SELECT count(*) FROM audit"),
        s._all("SELECT count(*) FROM outbox"),
    )


def assert_refused(
    session: Session, error: type[Exception], action: Callable[[], object], match: str | None = None
) -> None:
    before = _footprint(session)
    with pytest.raises(error, match=match):
        action()
    assert _footprint(session) == before


def _correct(session: Session, movement_id: str, at: datetime) -> Callable[[], object]:
    return lambda: corrections.correct_movement(session, movement_id, at=at, reason="r")


def _stay_with_a_transfer(nurse: Session, clock: Clock) -> tuple[str, str, str]:
    """Admitted 5 h ago in 1A, transferred 3 h ago to 2A: (stay, admission id, transfer id)."""
    adm = patients.admit(nurse, "CARDIO", identity=identity(), bed_code="1A", at=clock() - timedelta(hours=5))
    patients.transfer(nurse, adm.stay.id, "CARDIO", "2A", at=clock() - timedelta(hours=3))
    moves = patients.stay_movements(nurse, adm.stay.id)
    return adm.stay.id, moves[0].id, moves[1].id


def test_a_transfer_recorded_at_the_wrong_time_is_corrected_keeping_its_id(
    nurse: Session, clock: Clock
) -> None:
    stay_id, admission_id, transfer_id = _stay_with_a_transfer(nurse, clock)
    when = clock() - timedelta(hours=4)
    stay = corrections.correct_movement(nurse, transfer_id, at=when, reason="heure mal saisie")
    assert (stay.state, stay.uf_code, stay.bed_code) == (StayState.PRESENT, "CARDIO", "2A")
    shown = corrections.movements_in_effect(nurse, stay_id)
    assert [(m.id, m.kind) for m in shown] == [
        (admission_id, MovementKind.ADMISSION),
        (transfer_id, MovementKind.TRANSFER),
    ]
    assert shown[1].at == when
    stored = patients.stay_movements(nurse, stay_id)  # append-only: the correction is a movement
    assert [m.kind for m in stored] == [MovementKind.ADMISSION, MovementKind.TRANSFER, MovementKind.UPDATE]
    assert stored[2].corrects == transfer_id and stored[1].at == clock() - timedelta(hours=3)
    row = [r for r in nurse.store.audit.audit_rows() if r.entity == "stay"][-1]
    assert (row.actor, row.action, row.entity_id) == (nurse.actor, "stay.movement_update", stay_id)
    assert json.loads(row.payload)["movement"]["corrects"] == transfer_id
    event = nurse.store.outbox.outbox_events()[-1]
    assert (event["kind"], event["movement_id"]) == ("movement_update", stored[2].id)
    # Correcting the admission's time moves the stay's admission time too.
    stay = corrections.correct_movement(
        nurse, admission_id, at=clock() - timedelta(hours=6), reason="arrivée"
    )
    assert stay.admitted_at == clock() - timedelta(hours=6)


def test_a_corrected_time_keeps_the_movements_in_order(nurse: Session, clock: Clock) -> None:
    stay_id, admission_id, transfer_id = _stay_with_a_transfer(nurse, clock)
    patients.discharge(nurse, stay_id, DischargeMode.HOME, at=clock() - timedelta(hours=1))
    discharge_id = patients.stay_movements(nurse, stay_id)[-1].id
    for movement, hours, words in (
        (transfer_id, 6, "précède"),  # a transfer before the admission
        (admission_id, 2, "dépasse"),  # an admission after the transfer
        (discharge_id, 3.5, "précède"),  # a discharge before the last transfer
        (transfer_id, 0.5, "dépasse"),  # a transfer after the discharge
    ):
        assert_refused(
            nurse, Conflict, _correct(nurse, movement, clock() - timedelta(hours=hours)), match=words
        )
    assert_refused(
        nurse,
        InvalidInput,
        lambda: corrections.correct_movement(
            nurse, discharge_id, at=clock() + timedelta(hours=1), reason="r"
        ),
        match="futur",
    )
    assert_refused(
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, transfer_id, at=clock() - timedelta(hours=3), reason="r"),
        match="rien à corriger",
    )
    assert_refused(
        nurse,
        InvalidInput,
        lambda: corrections.correct_movement(nurse, transfer_id, at=clock() - timedelta(hours=4), reason=" "),
        match="motif",
    )
    stay = corrections.correct_movement(nurse, discharge_id, at=clock() - timedelta(minutes=30), reason="r")
    assert stay.discharged_at == clock() - timedelta(minutes=30)


def test_the_bed_of_the_current_transfer_is_corrected_if_free(nurse: Session, clock: Clock) -> None:
    stay_id, _, transfer_id = _stay_with_a_transfer(nurse, clock)
    other = patients.admit(nurse, "CARDIO", identity=identity("AUTRE", "Paul", sex="M"), bed_code="2B")
    assert_refused(
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, transfer_id, bed_code="2B", reason="mauvais lit"),
        match="2B",
    )
    assert_refused(
        nurse,
        NotFound,
        lambda: corrections.correct_movement(nurse, transfer_id, bed_code="9Z", reason="mauvais lit"),
    )
    stay = corrections.correct_movement(nurse, transfer_id, bed_code="1B", reason="mauvais lit")
    assert (stay.uf_code, stay.bed_code) == ("CARDIO", "1B")
    census = {b.bed_code: b.occupant for b in patients.census(nurse, ["CARDIO"])[0].beds}
    assert census["2A"] is None and census["1B"] is not None and census["2B"] is not None
    assert other.stay.id != stay_id
    # A transfer corrected into the bed it came from would be no transfer at all.
    assert_refused(
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, transfer_id, bed_code="1A", reason="r"),
        match="même lit",
    )


def test_a_past_bed_must_have_been_free_at_that_time(nurse: Session, clock: Clock) -> None:
    # B was in 1B from -7 h to -4 h 30; A in 1A from -5 h, then 2A from -3 h; C in 1A from -2 h.
    b = patients.admit(
        nurse,
        "CARDIO",
        identity=identity("BRUN", "Luc", sex="M"),
        bed_code="1B",
        at=clock() - timedelta(hours=7),
    )
    patients.discharge(nurse, b.stay.id, DischargeMode.HOME, at=clock() - timedelta(hours=4, minutes=30))
    stay_id, admission_id, transfer_id = _stay_with_a_transfer(nurse, clock)
    patients.admit(
        nurse, "CARDIO", identity=identity("CARON", "Léa"), bed_code="1A", at=clock() - timedelta(hours=2)
    )
    assert_refused(  # A in 1B from -5 h: B was still there
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, admission_id, bed_code="1B", reason="r"),
        match="1B",
    )
    assert_refused(  # A staying in 1A until -1 h: C came in at -2 h
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, transfer_id, at=clock() - timedelta(hours=1), reason="r"),
        match="1A",
    )
    # 1B from -4 h 15 (B had left): fine, and the stay's current bed does not change.
    stay = corrections.correct_movement(
        nurse, admission_id, at=clock() - timedelta(hours=4, minutes=15), bed_code="1B", reason="r"
    )
    assert stay.bed_code == "2A"
    first = corrections.movements_in_effect(nurse, stay_id)[0]
    assert (first.bed_code, first.at) == ("1B", clock() - timedelta(hours=4, minutes=15))


def test_a_correction_never_makes_two_stays_of_the_patient_overlap(nurse: Session, clock: Clock) -> None:
    """Stay 1 from -6 h to -4 h, stay 2 of the same patient from -2 h: neither the discharge of
    the first may be corrected to after the second began, nor the admission of the second to
    before the first ended (the HIS would get a patient in two stays at once)."""
    first = patients.admit(
        nurse, "CARDIO", identity=identity(), bed_code="1A", at=clock() - timedelta(hours=6)
    )
    patients.discharge(nurse, first.stay.id, DischargeMode.HOME, at=clock() - timedelta(hours=4))
    second = patients.admit(
        nurse, "CARDIO", patient_id=first.patient.id, bed_code="2A", at=clock() - timedelta(hours=2)
    )
    discharge = corrections.movements_in_effect(nurse, first.stay.id)[-1]
    admission = corrections.movements_in_effect(nurse, second.stay.id)[0]
    assert_refused(
        nurse, Conflict, _correct(nurse, discharge.id, clock() - timedelta(hours=1)), match="séjour"
    )
    assert_refused(
        nurse, Conflict, _correct(nurse, admission.id, clock() - timedelta(hours=5)), match="séjour"
    )
    # up to the other stay's boundary is fine
    corrections.correct_movement(nurse, discharge.id, at=clock() - timedelta(hours=3), reason="r")
    corrections.correct_movement(nurse, admission.id, at=clock() - timedelta(hours=3), reason="r")


def test_only_admissions_and_transfers_have_a_place_to_correct(nurse: Session, clock: Clock) -> None:
    stay_id, _, _ = _stay_with_a_transfer(nurse, clock)
    patients.start_leave(nurse, stay_id, at=clock() - timedelta(hours=2))
    leave_id = patients.stay_movements(nurse, stay_id)[-1].id
    assert_refused(
        nurse,
        InvalidInput,
        lambda: corrections.correct_movement(nurse, leave_id, bed_code="1B", reason="r"),
        match="admission",
    )
    stay = corrections.correct_movement(
        nurse, leave_id, at=clock() - timedelta(hours=2, minutes=30), reason="r"
    )
    assert stay.state is StayState.ON_LEAVE


def test_correcting_is_for_the_ward_within_the_undo_window_then_the_crisis_cell(
    nurse: Session, crisis: Session, clock: Clock
) -> None:
    _, admission_id, transfer_id = _stay_with_a_transfer(nurse, clock)
    pneumo = nurse.workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW)
    try:
        assert_refused(
            pneumo,
            PermissionDenied,
            lambda: corrections.correct_movement(
                pneumo, transfer_id, at=clock() - timedelta(hours=4), reason="r"
            ),
        )
    finally:
        pneumo.lock()
    clock.advance(hours=25)
    assert_refused(
        nurse,
        PermissionDenied,
        lambda: corrections.correct_movement(
            nurse, transfer_id, at=clock() - timedelta(hours=29), reason="r"
        ),
        match="24 h",
    )
    corrections.correct_movement(
        crisis, transfer_id, at=clock() - timedelta(hours=29), reason="vu le lendemain"
    )
    row = [r for r in crisis.store.audit.audit_rows() if r.entity == "stay"][-1]
    assert (row.actor, row.action) == (crisis.actor, "stay.movement_update")
    assert_refused(nurse, NotFound, lambda: corrections.correct_movement(nurse, "no-such-id", reason="r"))
    assert admission_id


def test_a_corrected_movement_can_still_be_cancelled_and_a_correction_undone(
    nurse: Session, clock: Clock
) -> None:
    stay_id, admission_id, transfer_id = _stay_with_a_transfer(nurse, clock)
    corrections.correct_movement(
        nurse, transfer_id, bed_code="2B", at=clock() - timedelta(hours=4), reason="r"
    )
    # Undoing the correction is another correction, back to what it said before (a Z99 again:
    # PAM FR has no message cancelling a Z99).
    stay = corrections.undo_correction(nurse, transfer_id, reason="correction erronée")
    assert stay.bed_code == "2A"
    assert corrections.movements_in_effect(nurse, stay_id)[1].at == clock() - timedelta(hours=3)
    assert_refused(
        nurse,
        Conflict,
        lambda: corrections.undo_correction(nurse, admission_id, reason="r"),
        match="aucune correction",
    )
    stay = undo.cancel_last(nurse, stay_id)  # the transfer itself, corrected twice
    assert (stay.uf_code, stay.bed_code) == ("CARDIO", "1A")
    assert [e["kind"] for e in nurse.store.outbox.outbox_events()] == [
        "admission",
        "transfer",
        "movement_update",
        "movement_update",
        "cancel_transfer",
    ]
    assert_refused(  # a cancelled movement is not corrected
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, transfer_id, at=clock() - timedelta(hours=4), reason="r"),
        match="en vigueur",
    )


def test_the_transfer_sheet_shows_a_corrected_movement_as_corrected(
    qapp: QApplication, nurse: Session, clock: Clock
) -> None:
    stay_id, _, transfer_id = _stay_with_a_transfer(nurse, clock)
    corrections.correct_movement(nurse, transfer_id, bed_code="2B", reason="lit")
    ipp = nurse.store.patients.get_patient(nurse.store.stays.get_stay(stay_id).patient_id).provisional_ipp  # type: ignore[union-attr]
    text = flat(pages_text(documents.transfer_sheet(nurse, ipp))[0])
    assert "CARDIO / 2B" in text and "CORRIGÉ" in text and "correction" not in text


def test_the_admission_of_a_stay_from_the_his_snapshot_is_corrected_in_the_his(
    nurse: Session, crisis: Session, clock: Clock
) -> None:
    """The HIS holds that admission (the kit never sent it): a Z99 naming it would name a
    movement the HIS does not know by that id. Later movements made here are the kit's."""
    taken = clock() - timedelta(hours=1)
    his = his_patients(1, {"CARDIO": ["1A"]}, taken)
    raw = csv_snapshot(his, taken)
    snapshots.import_snapshot(crisis, parse_snapshot(raw, "f", taken), hashlib.sha256(raw).hexdigest())
    stay = patients.find_patient(nurse, his[0].ipp).stay
    assert stay is not None
    [admission] = patients.stay_movements(nurse, stay.id)
    assert_refused(
        nurse,
        Conflict,
        lambda: corrections.correct_movement(nurse, admission.id, bed_code="1B", reason="r"),
        match="DPI",
    )
    patients.transfer(nurse, stay.id, "CARDIO", "2A")
    transfer = patients.stay_movements(nurse, stay.id)[-1]
    assert corrections.correct_movement(nurse, transfer.id, bed_code="2B", reason="r").bed_code == "2B"
