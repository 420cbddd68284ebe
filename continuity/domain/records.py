"""Records as stored: identities and stays with their identifiers and versions."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from continuity.domain.identity import Identity
from continuity.domain.movement import StayState


class PatientRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    provisional_ipp: str
    ipp: str | None
    identity: Identity
    created_at: datetime
    version: int


class StayRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    patient_id: str
    provisional_nda: str
    nda: str | None
    state: StayState
    uf_code: str | None
    bed_code: str | None
    admitted_at: datetime | None
    discharged_at: datetime | None
    version: int


class PatientSummary(BaseModel):
    """A patient with the stay that is open now, if any (search results, census lines)."""

    model_config = ConfigDict(frozen=True)

    patient: PatientRecord
    stay: StayRecord | None


class BedView(BaseModel):
    model_config = ConfigDict(frozen=True)

    uf_code: str
    bed_code: str
    room: str
    blocked: bool
    occupant: PatientSummary | None


class PaperForm(BaseModel):
    """A pre-numbered blank admission form: reserved when printed, used once when keyed in."""

    model_config = ConfigDict(frozen=True)

    number: str
    uf_code: str
    batch: str
    reserved_at: datetime
    reserved_by: str
    used_at: datetime | None = None
    used_by: str | None = None
    patient_id: str | None = None
