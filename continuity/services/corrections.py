"""Correcting a past movement of a stay without cancelling it (IHE PAM France's movement update).

A movement recorded at the wrong time, or a transfer into the wrong bed or UF, is corrected
in place: the correction is itself a movement (kind ``update``, appended like any other,
exchanged between workstations like any other) naming the movement it corrects, whose id
is kept: the HIS receives one Z99 message (ZBE-4 UPDATE, ZBE-1 that id, ZBE-6 its original
trigger), never a cancellation and a new movement. IHE PAM FR 2.11, section 5.3.2 remark 2:
Z99 "est exclusivement un événement de correction de mouvement", of the current movement
or of an earlier one; section 5.1.4: a bed is corrected by Z99.

Rules: the stay's movements stay in order (``continuity.domain.movement``), a bed the
correction puts the stay in was free at that time (no other stay's movements had it there),
the stay as corrected overlaps no other stay of the same patient,
and who may correct is who may undo (``undo.require_late_right``): the ward within the undo
window after the movement was recorded, later the crisis cell. The admission of a stay from
the HIS's snapshot is the HIS's to correct (it holds it under its own movement id).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from continuity.domain.movement import (
    PLACED,
    Movement,
    MovementKind,
    StayState,
    accepted,
    bed_periods,
    effective_movements,
    replay,
)
from continuity.domain.records import Source, StayRecord
from continuity.domain.users import Permission
from continuity.errors import Conflict, InvalidInput, NotFound
from continuity.services._common import event_time, require_uf
from continuity.services._movements import check_bed, record
from continuity.services.undo import require_late_right
from continuity.session import Session
from continuity.text import check_text


class Keep:
    """``correct_movement``'s default for the bed: leave it as the movement has it."""


KEEP = Keep()


def movements_in_effect(session: Session, stay_id: str) -> list[Movement]:
    """The stay's movements in effect, in order, each as corrected (what may be corrected)."""
    session.require(Permission.READ_PATIENTS)
    return effective_movements(session.store.movements.movements_of(stay_id))


def correct_movement(
    session: Session,
    movement_id: str,
    *,
    at: datetime | None = None,
    uf_code: str | None = None,
    bed_code: str | Keep | None = KEEP,
    reason: str,
    expected_version: int | None = None,
) -> StayRecord:
    """Correct a movement in effect: its time ``at``; for an admission or a transfer, also its
    UF and bed (``bed_code=None``: without a bed). What is not given stays as it is.

    The correction is refused if it puts the stay's movements out of order, or the stay in a
    bed another patient had then, or changes nothing; ``reason`` is required (audit).
    """
    text = check_text(reason, "Motif", "Reason")
    if text is None or not text.strip():
        raise InvalidInput(
            "Dites pourquoi ce mouvement est corrigé (motif obligatoire).",
            "Say why this movement is corrected (a reason is required).",
        )
    when = event_time(session, at) if at is not None else None
    store = session.store
    stay_id = store.movements.stay_of_movement(movement_id)
    if stay_id is None:
        raise NotFound("Mouvement inconnu.", "Unknown movement.")

    def target_in(movements: list[Movement]) -> Movement:
        target = next((m for m in effective_movements(movements) if m.id == movement_id), None)
        if target is None or target.kind in (MovementKind.CANCEL, MovementKind.UPDATE):
            raise Conflict(
                "Seul un mouvement en vigueur peut être corrigé (pas un mouvement annulé).",
                "Only a movement in effect can be corrected (not a cancelled one).",
            )
        return target

    def authorize(stay: StayRecord, movements: list[Movement]) -> None:
        target = target_in(movements)
        if stay.source is Source.HIS and target.kind is MovementKind.ADMISSION:
            # The HIS holds that admission under its own movement id: it corrects it itself.
            raise Conflict(
                "Cette admission vient du DPI (instantané d'avant la panne) : elle se corrige dans le DPI.",
                "This admission comes from the HIS (pre-outage snapshot): correct it in the HIS.",
            )
        require_late_right(session, stay, target, ("le corriger", "correct it"))

    def build(stay: StayRecord, movements: list[Movement]) -> Movement:
        target = target_in(movements)
        uf = require_uf(session, uf_code) if uf_code else target.uf_code
        if isinstance(bed_code, Keep):
            bed = target.bed_code if uf == target.uf_code else None
        else:
            bed = bed_code.strip().upper() if bed_code and bed_code.strip() else None
        update = Movement(
            id=str(uuid.uuid4()),
            kind=MovementKind.UPDATE,
            at=when or target.at,
            uf_code=uf,
            bed_code=bed,
            corrects=target.id,
            reason=text.strip(),
        )
        replay([*movements, update])  # order kept, a place only for an admission or a transfer
        _check_other_stays(session, stay, [*movements, update])
        if target.kind in PLACED:
            _check_beds(session, stay, movements, update)
        return update

    return record(session, stay_id, expected_version, build, authorize)


def _check_other_stays(session: Session, stay: StayRecord, movements: list[Movement]) -> None:
    """The stay as corrected does not overlap another stay of the same patient (one stay at a
    time: the HIS would otherwise hold the patient in two stays at once)."""
    view = replay(movements)
    if view is None or view.admitted_at is None:
        return
    start, end = view.admitted_at, view.discharged_at
    for other in session.store.stays.stays_of(stay.patient_id):
        if other.id == stay.id or other.state is StayState.CANCELLED or other.admitted_at is None:
            continue
        if (other.discharged_at is None or start < other.discharged_at) and (
            end is None or other.admitted_at < end
        ):
            raise Conflict(
                "Correction refusée : le patient serait alors dans deux séjours à la fois "
                "(elle chevauche un autre de ses séjours).",
                "Correction refused: the patient would then be in two stays at once "
                "(it overlaps another of their stays).",
            )


def _check_beds(session: Session, stay: StayRecord, movements: list[Movement], update: Movement) -> None:
    """Every bed period the correction makes (a new bed, or a bed held longer) was free then."""
    store = session.store
    before = bed_periods(movements)
    for period in bed_periods([*movements, update]):
        if period in before:
            continue
        uf, bed = period.uf_code, period.bed_code
        if period.end is None:
            check_bed(session, uf, bed, moving_stay=stay.id)  # exists, not blocked, free now
        elif store.reference.bed_info(uf, bed) is None:
            raise NotFound(f"Lit {bed} inconnu dans l'UF {uf}.", f"Unknown bed {bed} in UF {uf}.")
        for other in store.movements.stays_ever_in_bed(uf, bed):
            if other != stay.id and any(
                period.overlaps(p) for p in bed_periods(store.movements.movements_of(other))
            ):
                raise Conflict(
                    f"Lit {bed} occupé par un autre patient à cette heure-là.",
                    f"Bed {bed} was taken by another patient at that time.",
                )


def undo_correction(
    session: Session, movement_id: str, *, reason: str, expected_version: int | None = None
) -> StayRecord:
    """Undo the latest correction of a movement: correct it back to what it said before.

    PAM FR has no message cancelling a Z99: the HIS receives another Z99 with the values
    from before, so this is a correction too (same rules, same rights).
    """
    session.require(Permission.READ_PATIENTS)
    store = session.store
    stay_id = store.movements.stay_of_movement(movement_id)
    if stay_id is None:
        raise NotFound("Mouvement inconnu.", "Unknown movement.")
    kept = accepted(store.movements.movements_of(stay_id))
    last = max(
        (i for i, m in enumerate(kept) if m.kind is MovementKind.UPDATE and m.corrects == movement_id),
        default=None,
    )
    if last is None:
        raise Conflict(
            "Ce mouvement n'a aucune correction à défaire.", "This movement has no correction to undo."
        )
    previous = next(m for m in effective_movements(kept[:last]) if m.id == movement_id)
    return correct_movement(
        session,
        movement_id,
        at=previous.at,
        uf_code=previous.uf_code if previous.kind in PLACED else None,
        bed_code=previous.bed_code if previous.kind in PLACED else KEEP,
        reason=reason,
        expected_version=expected_version,
    )
