"""Undoing the last movement of a stay, where it was made: a discharge and an admission too.

The ward that may record a stay's movements may undo the latest one for the site's
undo window after it was recorded (``undo_hours`` in the site file, 24 h by default);
later, only the crisis cell (``Permission.CANCEL_LATE``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from continuity.domain.movement import Movement, MovementKind, StayState, accepted, merged_view
from continuity.domain.records import PatientSummary, StayRecord
from continuity.domain.users import Permission
from continuity.errors import BedTaken, Conflict, NotFound, PermissionDenied
from continuity.services._movements import append, check_bed
from continuity.session import Session

UNDO_WINDOW_KEY = "policy.undo_minutes"
DEFAULT_UNDO_WINDOW = timedelta(hours=24)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SameBed:
    """``cancel_last``'s default: a discharge undone goes back to the bed it left."""


SAME_BED = SameBed()


def undo_window(session: Session) -> timedelta:
    """How long after it was recorded the ward may undo a movement (then the crisis cell)."""
    session.require(Permission.READ_STATUS)
    value = session.store.get_meta(UNDO_WINDOW_KEY)
    return timedelta(minutes=int(value)) if value and value.isdigit() else DEFAULT_UNDO_WINDOW


def _window_text(window: timedelta) -> str:
    hours, rest = divmod(int(window.total_seconds()) // 60, 60)
    return f"{hours} h" + (f" {rest:02d}" if rest else "")


def require_late_right(
    session: Session, stay: StayRecord, target: Movement, verb: tuple[str, str] = ("l'annuler", "cancel it")
) -> None:
    """The ward that may record the stay's movements, within the undo window after ``target``
    was recorded; later, only the crisis cell (``CANCEL_LATE``). ``verb``: what is refused."""
    window = undo_window(session)
    link = session.store.movements.movement_link(target.id)
    recorded_at = link[1] if link else target.at
    late = session.clock() - recorded_at > window
    if late and session.user.can(Permission.CANCEL_LATE):
        return
    if late:
        raise PermissionDenied(
            f"Ce mouvement a été enregistré il y a plus de {_window_text(window)} : "
            f"seule la cellule de crise peut {verb[0]}.",
            f"This movement was recorded more than {_window_text(window)} ago: "
            f"only the crisis cell may {verb[1]}.",
        )
    session.require(Permission.RECORD_MOVEMENTS, stay.uf_code)


def cancel_last(
    session: Session,
    stay_id: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
    reopen_bed: str | SameBed | None = SAME_BED,
) -> StayRecord:
    """Cancel the latest movement still in effect (the admission itself if it is the only one).

    The ward that may record the stay's movements may undo one within the site's undo
    window after it was recorded; later, only the crisis cell (``CANCEL_LATE``). A
    discharge undone reopens the stay in the bed it left; if another patient took
    that bed since, ``BedTaken`` asks for ``reopen_bed``: a free bed of the UF (the
    stay reopens without a bed, then moves to it: A13 then A02), or None (without a bed).
    """
    store = session.store
    now = session.clock()
    cancelled: list[Movement] = []

    def authorize(stay: StayRecord, movements: list[Movement]) -> None:
        view = merged_view(movements)
        if view is None or not view.effective:
            raise Conflict("Aucun mouvement à annuler.", "No movement to cancel.")
        target = next(m for m in movements if m.id == view.effective[-1])
        cancelled.append(target)
        require_late_right(session, stay, target)

    def build(stay: StayRecord, movements: list[Movement]) -> Movement:
        return Movement(
            id=str(uuid.uuid4()),
            kind=MovementKind.CANCEL,
            at=now,
            uf_code=stay.uf_code,
            bed_code=stay.bed_code,
            cancels=cancelled[-1].id,
            reason=reason,
        )

    with store.transaction():
        stay = store.stays.get_stay(stay_id)
        taken = None
        if stay is not None and stay.state is StayState.DISCHARGED and stay.uf_code and stay.bed_code:
            occupant = store.stays.bed_occupant(stay.uf_code, stay.bed_code)
            taken = occupant if occupant not in (None, stay_id) else None
        if taken is None or stay is None or stay.uf_code is None:
            return append(session, stay_id, expected_version, build, authorize)
        if isinstance(reopen_bed, SameBed):
            append(session, stay_id, expected_version, build, authorize, bedless=True)
            raise BedTaken(stay.uf_code, stay.bed_code or "")  # rolls the cancel back: nothing written
        uf = stay.uf_code
        reopened = append(session, stay_id, expected_version, build, authorize, bedless=True)
        if reopen_bed is None:
            return reopened
        bed = reopen_bed

        def move(moved: StayRecord, _: list[Movement]) -> Movement:
            return Movement(
                id=str(uuid.uuid4()),
                kind=MovementKind.TRANSFER,
                at=now,
                uf_code=uf,
                bed_code=check_bed(session, uf, bed, moving_stay=moved.id),
                reason=reason,
            )

        return append(session, stay_id, None, move, authorize=lambda _s, _m: None)


def undoable(session: Session, stay_id: str) -> Movement | None:
    """The movement ``cancel_last`` would cancel (None when nothing is left to undo)."""
    session.require(Permission.READ_PATIENTS)
    movements = accepted(session.store.movements.movements_of(stay_id))
    view = merged_view(movements)
    if view is None or not view.effective or view.state is StayState.CANCELLED:
        return None
    return next(m for m in movements if m.id == view.effective[-1])


def last_stay_of(session: Session, patient_id: str) -> PatientSummary:
    """The patient with their open stay, else the stay they left last (to undo a discharge)."""
    session.require(Permission.READ_PATIENTS)
    store = session.store
    record = store.patients.get_patient(patient_id)
    if record is None:
        raise NotFound("Patient inconnu.", "Unknown patient.")
    stay = store.stays.open_stay(patient_id)
    if stay is None:
        left = [s for s in store.stays.stays_of(patient_id) if s.state is StayState.DISCHARGED]
        stay = max(left, key=lambda s: s.discharged_at or s.admitted_at or _EPOCH, default=None)
    return PatientSummary(patient=record, stay=stay)
