"""What the HIS needs to know about one outbox event when it is sent, and who is sending it.

Messages are built at sending time from the current records: an identity
corrected after the HIS refused an admission goes out corrected when the
admission is resent. Locations come from the stay's movements, so a transfer
always carries the bed it came from.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from continuity.domain.movement import Movement, StayView
from continuity.domain.outbox import IdentifierKind, IdentifierSource, OutboxEvent
from continuity.domain.records import PatientRecord, StayRecord


class SiteInfo(BaseModel):
    """Who is sending: the establishment and this workstation, and whether this is a drill."""

    model_config = ConfigDict(frozen=True)

    site_code: str
    workstation: str
    exercise: bool
    his_authority: str = "DPI"
    his_ipp_system: str | None = None  # FHIR system of the HIS's IPP (read back from FHIR responses)
    his_nda_system: str | None = None  # FHIR system of the HIS's NDA (for stays from a snapshot)
    pam_fr_version: str = "2.11"  # IHE PAM national extension France declared in MSH-12
    finess: str | None = None  # the establishment (geographic entity)
    ipp_oid: str | None = None  # OIDs of the identifier domains: the HIS's IPP, NDA, movement ids,
    nda_oid: str | None = None
    movement_oid: str | None = None
    provisional_ipp_oid: str | None = None  # and the kit's own provisional IPP and NDA
    provisional_nda_oid: str | None = None

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


class FoundIdentifier(BaseModel):
    """An identifier the HIS gave back for a record sent (server id, the HIS's own IPP or NDA)."""

    model_config = ConfigDict(frozen=True)

    entity: str  # "patient" | "stay"
    entity_id: str
    kind: IdentifierKind
    value: str
    source: IdentifierSource
