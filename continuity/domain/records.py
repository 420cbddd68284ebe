"""Records as stored: identities and stays with their identifiers and versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from continuity.domain.identity import Identity
from continuity.domain.movement import StayState


class Source(StrEnum):
    """Who created a record: the kit (offline, on some workstation) or the HIS (a snapshot)."""

    KIT = "kit"
    HIS = "his"


HIS_PREFIX = "DPI:"  # fills provisional_ipp / provisional_nda of HIS records; never shown or sent


class PatientRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    provisional_ipp: str
    ipp: str | None
    identity: Identity
    created_at: datetime
    version: int
    source: Source = Source.KIT
    from_index: bool = False  # taken from the HIS identity index at admission
    merged_into: str | None = None  # merged by the identity-vigilance cell into that patient

    @property
    def number(self) -> str:
        """The identifier to show, print and scan: the HIS IPP of an HIS patient, else the provisional one."""
        return self.ipp or self.provisional_ipp if self.source is Source.HIS else self.provisional_ipp

    @property
    def numbers(self) -> str:
        """Every identifier to print: "provisional / HIS IPP" once reconciled."""
        if self.source is Source.KIT and self.ipp:
            return f"{self.provisional_ipp} / {self.ipp}"
        return self.number


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
    source: Source = Source.KIT

    @property
    def number(self) -> str:
        """The NDA to show and print: the HIS's for an HIS stay, else the provisional one."""
        return self.nda or self.provisional_nda if self.source is Source.HIS else self.provisional_nda


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
