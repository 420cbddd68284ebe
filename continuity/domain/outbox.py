"""Events waiting to reach the HIS, and the HIS's own identifiers for provisional identities.

Every change is written to the outbox in the same transaction as the change
itself. An event moves pending -> sent (handed to the HIS, reply awaited) ->
acknowledged (in HL7 enhanced mode, through ``committed``: the HIS said CA, it
holds the message, and its application ACK is awaited; never resent blindly);
an HIS refusal (HL7 AE/AR, FHIR 4xx) puts it in ``error`` until
a user corrects the data and resends it. Later events of the same patient wait
behind an event in error, so the HIS always receives a patient's events in
the order they happened.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class EventStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    COMMITTED = "committed"  # HL7 enhanced mode: the HIS answered CA; its application ACK is awaited
    ACKNOWLEDGED = "acknowledged"
    ERROR = "error"
    SUPERSEDED = "superseded"  # its movement lost a merge between workstations: never sent


EVENT_STATUS_LABELS: dict[EventStatus, tuple[str, str]] = {
    EventStatus.PENDING: ("en attente", "pending"),
    EventStatus.SENT: ("envoyé, accusé attendu", "sent, awaiting acknowledgement"),
    EventStatus.COMMITTED: (
        "reçu par le DPI, accusé applicatif attendu",
        "committed by the HIS, application ACK awaited",
    ),
    EventStatus.ACKNOWLEDGED: ("accepté par le DPI", "acknowledged by the HIS"),
    EventStatus.ERROR: ("refusé par le DPI", "refused by the HIS"),
    EventStatus.SUPERSEDED: ("écarté (conflit entre postes)", "left out (workstation conflict)"),
}

EVENT_KIND_LABELS: dict[str, tuple[str, str]] = {
    "admission": ("admission", "admission"),
    "transfer": ("mutation", "transfer"),
    "leave": ("absence temporaire", "temporary leave"),
    "return": ("retour d'absence", "return from leave"),
    "discharge": ("sortie", "discharge"),
    "cancel_admission": ("annulation d'admission", "admission cancelled"),
    "cancel_transfer": ("annulation de mutation", "transfer cancelled"),
    "cancel_leave": ("annulation d'absence", "leave cancelled"),
    "cancel_return": ("annulation de retour", "return cancelled"),
    "cancel_discharge": ("annulation de sortie", "discharge cancelled"),
    "identity_update": ("modification d'identité", "identity update"),
    "movement_update": ("correction de mouvement", "movement corrected"),
    "identity_merge": ("fusion d'identités", "identity merge"),
}


class OutboxEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    event_id: str
    created_at: datetime
    kind: str
    patient_id: str
    stay_id: str | None
    movement_id: str | None
    payload: dict[str, Any]
    status: EventStatus
    attempts: int
    last_error: str | None
    his_reply: str | None
    next_attempt_at: datetime | None
    delivered_to: str | None
    exported_at: datetime | None


class IdentifierKind(StrEnum):
    IPP = "ipp"
    NDA = "nda"
    FHIR_PATIENT = "fhir_patient"
    FHIR_ENCOUNTER = "fhir_encounter"


class IdentifierSource(StrEnum):
    FHIR_RESPONSE = "fhir_response"
    FHIR_SEARCH = "fhir_search"
    HL7_MERGE = "hl7_merge"
    USER = "user"


class MappingStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


MAPPING_STATUS_LABELS: dict[MappingStatus, tuple[str, str]] = {
    MappingStatus.PROPOSED: ("à vérifier", "to be reviewed"),
    MappingStatus.CONFIRMED: ("confirmé", "confirmed"),
    MappingStatus.REJECTED: ("rejeté", "rejected"),
}


class HisIdentifier(BaseModel):
    """An identifier the HIS gave one of our patients or stays, and whether a human has agreed."""

    model_config = ConfigDict(frozen=True)

    id: int
    entity: str
    entity_id: str
    kind: IdentifierKind
    value: str
    source: IdentifierSource
    status: MappingStatus
    proposed_at: datetime
    decided_at: datetime | None
    decided_by: str | None


class HisMerge(BaseModel):
    """One merge the HIS announced (HL7 A40/A47): its own IPP(s) for the identifiers it merged."""

    model_config = ConfigDict(frozen=True)
    his_ipps: tuple[str, ...]  # the surviving patient's IPP at the HIS (PID-3)
    merged: tuple[str, ...]  # the identifiers it merged into it (MRG-1), ours among them


class MergeCounts(BaseModel):
    model_config = ConfigDict(frozen=True)
    confirmed: int = 0
    proposed: int = 0
    unknown: int = 0  # merges naming none of our provisional identifiers
