"""What the HIS needs to know about one outbox event, read from the store when it is sent.

Messages are built at sending time from the current records: an identity
corrected after the HIS refused an admission goes out corrected when the
admission is resent. Locations come from the stay's movements, so a transfer
always carries the bed it came from.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from continuity.domain.movement import Movement, MovementKind, StayView, merged_view
from continuity.domain.outbox import OutboxEvent
from continuity.domain.records import PatientRecord, StayRecord
from continuity.errors import NotFound
from continuity.store import Store


class SiteInfo(BaseModel):
    """Who is sending: the establishment and this workstation, and whether this is a drill."""

    model_config = ConfigDict(frozen=True)

    site_code: str
    workstation: str
    exercise: bool
    his_authority: str = "DPI"
    his_nda_system: str | None = None  # FHIR system of the HIS's NDA (for stays from a snapshot)

    @property
    def authority(self) -> str:
        """Assigning authority of the provisional identifiers (PID-3, PV1-19, FHIR systems)."""
        return f"CONTINUITE-{self.site_code}"

    @property
    def ipp_system(self) -> str:
        return f"urn:continuite:{self.site_code}:ipp"

    @property
    def nda_system(self) -> str:
        return f"urn:continuite:{self.site_code}:nda"

    @property
    def his_ipp_fallback(self) -> str:
        """System for the HIS's IPP when none is configured (it is still told apart)."""
        return f"urn:continuite:{self.site_code}:ipp-dpi"

    @property
    def his_nda(self) -> str:
        return self.his_nda_system or f"urn:continuite:{self.site_code}:nda-dpi"


class EventContext(BaseModel):
    """An outbox event with the patient, stay and movements it concerns."""

    model_config = ConfigDict(frozen=True)

    event: OutboxEvent
    patient: PatientRecord
    stay: StayRecord | None
    movement: Movement | None
    target: Movement | None  # the movement a cancellation removes
    before: StayView | None  # the stay just before this movement
    after: StayView | None  # the stay just after it
    movements: tuple[Movement, ...]  # every movement of the stay up to this event
    rooms: dict[str, str] = {}  # "UF/bed" -> room, for the beds named in the message

    def room(self, uf: str | None, bed: str | None) -> str | None:
        return self.rooms.get(f"{uf}/{bed}") if uf and bed else None

    @property
    def control_id(self) -> str:
        return control_id(self.event.event_id)

    @property
    def at(self) -> datetime:
        return self.movement.at if self.movement else self.event.created_at


def control_id(event_id: str) -> str:
    """HL7 message control ID (20 characters max) derived from the event, stable across resends."""
    return hashlib.sha256(event_id.encode()).hexdigest()[:20].upper()


def load_context(store: Store, event: OutboxEvent) -> EventContext:
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
