"""Crisis-cell indicators, computed on a real encrypted store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from continuity.domain.crisis import DegradedStatus
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import DischargeMode
from continuity.errors import PermissionDenied
from continuity.services import crisis as crisis_service
from continuity.services import indicators, undo
from continuity.services import patients as patient_service
from continuity.session import Session
from tests.conftest import Clock, identity
from tests.his_identity import import_his_identity

NIR_F_1950_03 = "250037511512348"  # a valid NIR for a woman born in March 1950


def _admit(
    session: Session,
    name: str,
    *,
    bed: str | None = None,
    uf: str = "CARDIO",
    at: datetime | None = None,
    status: IdentityStatus = IdentityStatus.PROVISOIRE,
) -> patient_service.Admission:
    return patient_service.admit(
        session,
        uf,
        identity=identity(
            name, status=status, document_type="CN" if status is IdentityStatus.VALIDEE else None
        ),
        bed_code=bed,
        at=at,
        not_a_duplicate="autre patient",
    )


def _occupancy(board: indicators.Dashboard) -> dict[str, tuple[int, int]]:
    return {u.uf_code: (u.occupied, u.total_beds) for u in board.occupancy}


def test_empty_site(crisis: Session, clock: Clock) -> None:
    board = indicators.dashboard(crisis)
    assert board.now == clock()
    assert board.outage_started_at is None
    assert board.counted_since == clock() - timedelta(hours=24)
    assert (board.admissions, board.discharges) == (0, 0)
    assert (board.provisional_identities, board.pending_sync) == (0, 0)
    assert board.last_snapshot_at is None and board.snapshot_age is None
    assert [(u.uf_code, u.uf_name, u.occupied, u.total_beds, u.blocked_beds) for u in board.occupancy] == [
        ("CARDIO", "Cardiologie", 0, 4, 0),
        ("PNEUMO", "Pneumologie", 0, 3, 0),
    ]
    assert len(board.admissions_per_hour) == 24
    assert all(count == 0 for _, count in board.admissions_per_hour)


def test_without_outage_counts_the_last_24_hours(crisis: Session, nurse: Session, clock: Clock) -> None:
    _admit(nurse, "ANCIEN", bed="1A", at=clock() - timedelta(hours=30))
    _admit(nurse, "RECENT", bed="1B", at=clock() - timedelta(hours=2))
    board = indicators.dashboard(crisis)
    assert board.outage_started_at is None
    assert board.admissions == 1
    assert _occupancy(board)["CARDIO"] == (2, 4)


def test_outage_start_is_the_first_degraded_status(crisis: Session, nurse: Session, clock: Clock) -> None:
    crisis_service.set_status(crisis, "LABO", DegradedStatus.RECOVERY)  # not an outage
    clock.advance(minutes=5)
    _admit(nurse, "AVANT", bed="1A")
    clock.advance(minutes=10)
    start = clock()
    crisis_service.set_status(crisis, "CARDIO", DegradedStatus.DEGRADED, "DPI indisponible")
    clock.advance(hours=1)
    crisis_service.set_status(crisis, "PNEUMO", DegradedStatus.DEGRADED)
    crisis_service.set_status(crisis, "CARDIO", DegradedStatus.RESTORED)
    clock.advance(minutes=1)
    _admit(nurse, "APRES", bed="1B")
    board = indicators.dashboard(crisis)
    assert board.outage_started_at == start
    assert board.counted_since == start
    assert board.admissions == 1
    # An admission keyed in afterwards but dated before the outage is not counted in it.
    _admit(nurse, "RETARD", bed="2A", at=start - timedelta(minutes=1))
    assert indicators.dashboard(crisis).admissions == 1


def test_cancelled_movements_are_not_counted(crisis: Session, nurse: Session, clock: Clock) -> None:
    kept = _admit(nurse, "GARDE", bed="1A")
    dropped = _admit(nurse, "ERREUR", bed="1B")
    undo.cancel_last(nurse, dropped.stay.id, reason="erreur de patient")
    clock.advance(minutes=10)
    patient_service.discharge(nurse, kept.stay.id, DischargeMode.HOME)
    board = indicators.dashboard(crisis)
    assert (board.admissions, board.discharges) == (1, 1)
    undo.cancel_last(nurse, kept.stay.id)  # the discharge was a mistake
    board = indicators.dashboard(crisis)
    assert (board.admissions, board.discharges) == (1, 0)
    assert _occupancy(board)["CARDIO"] == (1, 4)


def test_occupancy_counts_leave_in_the_beds_and_bedless_patients_apart(
    crisis: Session, nurse: Session
) -> None:
    on_leave = _admit(nurse, "PERMISSION", bed="1A")
    patient_service.start_leave(nurse, on_leave.stay.id)
    _admit(nurse, "COULOIR")  # waiting without a bed
    _admit(nurse, "LIT", bed="2B")
    gone = _admit(nurse, "PARTI", bed="2A")
    patient_service.discharge(nurse, gone.stay.id, DischargeMode.HOME)
    with crisis.store.transaction():
        crisis.store._write("UPDATE beds SET blocked = 1 WHERE uf_code = 'PNEUMO' AND code = '3C'")
    board = indicators.dashboard(crisis)
    assert [(u.uf_code, u.occupied, u.bedless, u.total_beds, u.blocked_beds) for u in board.occupancy] == [
        ("CARDIO", 2, 1, 4, 0),
        ("PNEUMO", 0, 0, 3, 1),
    ]
    assert board.occupancy[0].rate == pytest.approx(0.5)
    assert (board.occupied_total, board.bedless_total, board.beds_total) == (2, 1, 7)


def test_a_bedless_patient_never_pushes_occupancy_above_100_percent(crisis: Session, nurse: Session) -> None:
    for n, bed in enumerate(("1A", "1B", "2A", "2B")):
        _admit(nurse, f"LIT{chr(65 + n)}", bed=bed)
    _admit(nurse, "COULOIR")  # the ward is full: waiting without a bed
    board = indicators.dashboard(crisis)
    cardio = board.occupancy[0]
    assert (cardio.occupied, cardio.bedless, cardio.total_beds) == (4, 1, 4)
    assert cardio.rate == pytest.approx(1.0)
    census = patient_service.census(nurse, ["CARDIO"])[0]
    assert (census.occupied, census.bedless, len(census.beds)) == (4, 1, 4)


def test_ward_staff_see_the_occupancy_of_their_ufs_only(nurse: Session) -> None:
    _admit(nurse, "LIT", bed="1A")
    board = indicators.dashboard(nurse)
    assert _occupancy(board) == {"CARDIO": (1, 4)}
    assert board.admissions == 1


def test_provisional_identities_in_open_stays(crisis: Session, nurse: Session) -> None:
    _admit(nurse, "PROVISOIRE", bed="1A")
    _admit(nurse, "VALIDEE", bed="1B", status=IdentityStatus.VALIDEE)
    # a qualified identity comes from the HIS only
    qualified = identity("QUALIFIEE", status=IdentityStatus.QUALIFIEE, ins=NIR_F_1950_03)
    patient_service.admit(nurse, "CARDIO", patient_id=import_his_identity(crisis, qualified), bed_code="2A")
    unknown = patient_service.admit(nurse, "CARDIO", identity=Identity.unknown(Sex.M, 1970), bed_code="2B")
    gone = _admit(nurse, "SORTIE")
    patient_service.discharge(nurse, gone.stay.id, DischargeMode.HOME)
    assert unknown.patient.identity.status is IdentityStatus.PROVISOIRE
    assert indicators.dashboard(crisis).provisional_identities == 2


def test_records_waiting_to_sync(crisis: Session, nurse: Session) -> None:
    first = _admit(nurse, "UN", bed="1A")
    _admit(nurse, "DEUX", bed="1B")
    patient_service.start_leave(nurse, first.stay.id)
    assert indicators.dashboard(crisis).pending_sync == 3
    with crisis.store.transaction():  # sent but not yet acknowledged: still in the backlog
        crisis.store.outbox.mark_events_sent([crisis.store.outbox.outbox_events()[0]["event_id"]])
    assert indicators.dashboard(crisis).pending_sync == 3
    with crisis.store.transaction():  # what the sync does once the HIS acknowledged it
        crisis.store.outbox.mark_events_acknowledged(
            [crisis.store.outbox.outbox_events()[0]["event_id"]], "mllp://test"
        )
    assert indicators.dashboard(crisis).pending_sync == 2


def test_age_of_the_last_his_snapshot(crisis: Session, clock: Clock) -> None:
    taken = clock() - timedelta(hours=3, minutes=20)
    with crisis.store.transaction():
        crisis.store.set_meta("last_snapshot_at", taken.astimezone(timezone(timedelta(hours=2))).isoformat())
    board = indicators.dashboard(crisis)
    assert board.last_snapshot_at == taken
    assert board.snapshot_age == timedelta(hours=3, minutes=20)
    with crisis.store.transaction():
        crisis.store.set_meta("last_snapshot_at", "pas une date")
    assert indicators.dashboard(crisis).last_snapshot_at is None


def test_admissions_per_hour(crisis: Session, nurse: Session, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 12, 14, 25, tzinfo=UTC)
    _admit(nurse, "CETTE-HEURE", bed="1A", at=datetime(2026, 3, 12, 14, 0, tzinfo=UTC))
    _admit(nurse, "MIDI", bed="1B", at=datetime(2026, 3, 12, 12, 59, tzinfo=UTC))
    # Same instant written with a French summer offset: 12:30 UTC.
    _admit(
        nurse, "MIDI-DEMI", bed="2A", at=datetime(2026, 3, 12, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    )
    _admit(nurse, "HIER", bed="2B", at=datetime(2026, 3, 11, 15, 0, tzinfo=UTC))
    _admit(nurse, "TROP-VIEUX", at=datetime(2026, 3, 11, 14, 59, tzinfo=UTC))
    hours = indicators.dashboard(crisis).admissions_per_hour
    assert len(hours) == 24
    assert hours[0][0] == datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
    assert hours[-1][0] == datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
    counts = {h.hour: c for h, c in hours if c}
    assert counts == {15: 1, 12: 2, 14: 1}
    assert sum(c for _, c in hours) == 4


def test_admin_cannot_read_indicators(admin_session: Session) -> None:
    with pytest.raises(PermissionDenied):
        indicators.dashboard(admin_session)
