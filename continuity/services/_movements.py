"""Recording a stay's movements: the one path every movement takes (internal to services).

``record`` appends one movement in its own transaction; ``append`` inside the caller's
(for an action that records two, like a discharge undone into another bed). Both
replay the stay with the new movement, store the state, and write its audit entry
and outbox event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from continuity.domain.movement import Movement, MovementKind, StayState, StayView, accepted, replay
from continuity.domain.records import StayRecord
from continuity.domain.users import Permission
from continuity.errors import Conflict, NotFound
from continuity.merge.apply import settle_bed
from continuity.session import Session
from continuity.text import check_text

IN_PLACE = frozenset({MovementKind.LEAVE, MovementKind.RETURN, MovementKind.DISCHARGE})
MOVEMENT_UPDATE = "movement_update"  # audit ``stay.movement_update``, outbox kind (HL7 Z99)


def _keeps_place(movement: Movement, movements: list[Movement], view: StayView) -> bool:
    """A correction that leaves the stay where its movements put it (a past movement's time or bed)."""
    if movement.kind is not MovementKind.UPDATE:
        return False
    before = replay(movements)
    return before is not None and (before.uf_code, before.bed_code) == (view.uf_code, view.bed_code)


def check_bed(
    session: Session, uf_code: str, bed_code: str | None, moving_stay: str | None = None
) -> str | None:
    if bed_code is None or not bed_code.strip():
        return None
    bed = bed_code.strip().upper()
    info = session.store.reference.bed_info(uf_code, bed)
    if info is None:
        raise NotFound(f"Lit {bed} inconnu dans l'UF {uf_code}.", f"Unknown bed {bed} in UF {uf_code}.")
    if info[1]:
        raise Conflict(f"Lit {bed} bloqué (fermé).", f"Bed {bed} is blocked (closed).")
    occupant = session.store.stays.bed_occupant(uf_code, bed)
    if occupant is not None and occupant != moving_stay:
        raise Conflict(f"Lit {bed} déjà occupé.", f"Bed {bed} is already occupied.")
    return bed


def movement_payload(m: Movement) -> dict[str, Any]:
    return m.model_dump(mode="json", exclude_none=True)


MovementBuilder = Callable[[StayRecord, list[Movement]], Movement]
Authorize = Callable[[StayRecord, list[Movement]], None]


def record(
    session: Session,
    stay_id: str,
    expected_version: int | None,
    build: MovementBuilder,
    authorize: Authorize | None = None,
) -> StayRecord:
    """Append the movement ``build(stay, movements)`` returns, after replaying the stay with it."""
    with session.store.transaction():
        return append(session, stay_id, expected_version, build, authorize)


def append(
    session: Session,
    stay_id: str,
    expected_version: int | None,
    build: MovementBuilder,
    authorize: Authorize | None = None,
    bedless: bool = False,
) -> StayRecord:
    """``record`` inside the caller's transaction; ``bedless``: the stay leaves its bed.

    ``authorize(stay, movements)`` replaces the default check (recording movements in
    the stay's UF) for the actions that need another one.
    """
    store = session.store
    stay = store.stays.get_stay(stay_id)
    if stay is None:
        raise NotFound("Séjour inconnu.", "Unknown stay.")
    if stay.state is StayState.CANCELLED:
        raise Conflict(
            "Séjour annulé : aucun mouvement possible.", "Stay cancelled: no movement is possible."
        )
    movements = accepted(store.movements.movements_of(stay.id))
    if authorize is None:
        session.require(Permission.RECORD_MOVEMENTS, stay.uf_code)
    else:
        authorize(stay, movements)
    version = stay.version if expected_version is None else expected_version
    movement = build(stay, movements)
    _check_movement_text(movement)
    view = replay([*movements, movement])
    assert view is not None
    if bedless:
        view = view.model_copy(update={"bed_code": None})
    elif (
        (movement.kind in IN_PLACE or _keeps_place(movement, movements, view))
        and view.bed_code is not None
        and store.stays.bed_occupant(view.uf_code or "", view.bed_code) not in (None, stay.id)
    ):
        # The bed went to another patient when workstations merged: the patient stays
        # where the stay says (without a bed) until someone moves them.
        view = view.model_copy(update={"bed_code": stay.bed_code})
    store.movements.insert_movement(stay.id, movement, session.actor)
    new_version = store.stays.save_stay_view(stay.id, view, version)
    left_bed = (stay.uf_code, stay.bed_code) != (view.uf_code, view.bed_code) or not view.state.is_open
    if left_bed and store.conflicts.bed_was_disputed(stay.uf_code, stay.bed_code):
        settle_bed(store, stay.uf_code, stay.bed_code)  # a patient who lost it may get it
    kind = movement.kind.value
    if movement.kind is MovementKind.CANCEL:
        target = next(m for m in movements if m.id == movement.cancels)
        kind = f"cancel_{target.kind.value}"
    elif movement.kind is MovementKind.UPDATE:
        kind = MOVEMENT_UPDATE
    store.audit.append_audit(
        session.actor,
        f"stay.{kind}",
        "stay",
        stay.id,
        new_version,
        {"movement": movement_payload(movement)},
    )
    store.outbox.enqueue(
        kind,
        stay.patient_id,
        stay.id,
        movement.id,
        {
            "movement": movement_payload(movement),
            "state": view.state.value,
            "uf_code": view.uf_code,
            "bed_code": view.bed_code,
        },
    )
    updated = store.stays.get_stay(stay.id)
    assert updated is not None
    return updated


def _check_movement_text(movement: Movement) -> None:
    """The free texts of a movement (its reason, the detail of a discharge destination):
    a control character is refused (``continuity.text``), naming the field."""
    check_text(movement.reason, "Motif", "Reason")
    check_text(movement.destination_detail, "Précision sur la destination", "Destination detail")
