"""The outbox as the HIS delivery sees it: what to send, with what context, and what became of it.

``sync.engine`` speaks MLLP, FHIR and files; this module is its only way to the
store. Every function needs the SYNC permission; each write is one transaction,
so what the HIS acknowledged is committed a chunk at a time and never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from continuity.domain.delivery import EventContext, FoundIdentifier, SiteInfo
from continuity.domain.movement import Movement, MovementKind, merged_view
from continuity.domain.outbox import OutboxEvent
from continuity.domain.users import Permission
from continuity.errors import InvalidInput, NotFound
from continuity.services import crisis, reconciliation, sync_state
from continuity.session import Session


def sending_site(session: Session) -> SiteInfo:
    """This establishment and workstation, and how the HIS names its identifiers."""
    session.require(Permission.SYNC)
    store = session.store
    return SiteInfo(
        site_code=store.reference.site_name()[0],
        workstation=store.reference.local_workstation().code,
        exercise=crisis.exercise_mode(session),
        his_authority=store.get_meta(sync_state.HIS_AUTHORITY_KEY) or "DPI",
        his_ipp_system=store.get_meta(sync_state.HIS_IPP_SYSTEM_KEY),
        his_nda_system=store.get_meta(sync_state.HIS_NDA_SYSTEM_KEY),
        pam_fr_version=store.get_meta(sync_state.PAM_FR_VERSION_KEY) or sync_state.DEFAULT_PAM_FR_VERSION,
        **{name: store.get_meta(key) or None for name, key in sync_state.DOMAIN_KEYS.items()},
    )


def deliverable(
    session: Session, limit: int, *, not_exported: bool = False, after_seq: int = 0
) -> list[OutboxEvent]:
    """The next events that may go out, in order (a patient's events wait behind one refused)."""
    session.require(Permission.SYNC)
    return session.store.outbox.deliverable_events(limit, not_exported=not_exported, after_seq=after_seq)


def event_context(session: Session, event: OutboxEvent) -> EventContext:
    """The patient, stay and movements an event concerns, as they are now."""
    session.require(Permission.SYNC)
    store = session.store
    patient = store.patients.get_patient(event.patient_id)
    if patient is None:
        raise NotFound("Patient de l'événement introuvable.", "The event's patient was not found.")
    stay = store.stays.get_stay(event.stay_id) if event.stay_id else None
    movement = target = before = after = None
    upto: list[Movement] = []
    if stay is not None:
        movements = store.movements.movements_of(stay.id)
        if event.movement_id is not None:
            index = next((i for i, m in enumerate(movements) if m.id == event.movement_id), None)
            if index is None:
                raise NotFound("Mouvement de l'événement introuvable.", "The event's movement was not found.")
            upto = movements[: index + 1]
            movement = movements[index]
            before = merged_view(upto[:-1])
            after = merged_view(upto)
            if movement.kind is MovementKind.CANCEL:
                target = next(m for m in movements if m.id == movement.cancels)
        else:
            upto = movements
            after = merged_view(movements)
    rooms: dict[str, str] = {}
    for view in (before, after):
        if view is not None and view.uf_code and view.bed_code:
            info = store.reference.bed_info(view.uf_code, view.bed_code)
            if info is not None:
                rooms[f"{view.uf_code}/{view.bed_code}"] = info[0]
    return EventContext(
        event=event,
        patient=patient,
        stay=stay,
        movement=movement,
        target=target,
        before=before,
        after=after,
        movements=tuple(upto),
        rooms=rooms,
    )


def mark_sent(session: Session, event_ids: Sequence[str]) -> None:
    """Handed to the HIS: a reply is awaited (a crash now means a resend, never a loss)."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        store.outbox.mark_events_sent(event_ids)


def settle(session: Session, acknowledged: Sequence[str], target: str, unsent: Sequence[str]) -> None:
    """End of a chunk: what the HIS accepted, and what was never sent goes back to pending."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        store.outbox.mark_events_acknowledged(acknowledged, target)
        store.outbox.mark_events_pending(unsent)


def acknowledge(
    session: Session, event_ids: Sequence[str], target: str, found: Sequence[FoundIdentifier] = ()
) -> None:
    """Accepted by the HIS, with the identifiers its reply gave back, in one transaction."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        store.outbox.mark_events_acknowledged(event_ids, target)
        for f in found:
            try:
                reconciliation.record_in_transaction(
                    session, f.entity, f.entity_id, f.kind, f.value, f.source
                )
            except InvalidInput as exc:
                # The HIS accepted the event; the identifier it sent back breaks the rules
                # (continuity.his_ids): not recorded, and said in the audit (never the value).
                store.audit.append_audit(
                    session.actor,
                    "mapping.refused",
                    f.entity,
                    f.entity_id,
                    1,
                    {"kind": f.kind.value, "source": f.source.value, "reason": exc.message_en},
                )


def retry_later(session: Session, event_id: str, error: str, when: datetime) -> None:
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        store.outbox.mark_event_retry(event_id, error, when)


def refuse(session: Session, event_id: str, error: str, his_reply: str) -> None:
    """The HIS refused it (AE/AR, 4xx): into the error queue; that patient's later events wait."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        store.outbox.mark_event_refused(event_id, error, his_reply)


def mark_exported(session: Session, event_ids: Sequence[str]) -> None:
    """Written to an export file: still queued for the network."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        store.outbox.mark_events_exported(event_ids)
