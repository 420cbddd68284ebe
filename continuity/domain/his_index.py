"""The HIS identity index: every identity the HIS knows, kept on each workstation.

A census snapshot lists the patients in a bed; the index lists the others too (a CHU
holds 1-2 million), so that a returning patient is admitted under the HIS's IPP and
identity instead of a provisional one that must be reconciled after the outage.

An index file is *full* (it replaces the index) or a *delta* over the extraction it
names (``base``): only the identities changed since, and those the HIS removed. A delta
applies only over that very extraction: over another one, or none, it is refused.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from continuity.domain.identity import Identity

EXTRACTION_ID = r"^[A-Za-z0-9._:\-]{1,64}$"


class IndexHeader(BaseModel):
    """What an index file declares about itself, before its identities."""

    model_config = ConfigDict(frozen=True)
    format: str
    taken_at: AwareDatetime
    extraction: str = Field(pattern=EXTRACTION_ID)  # the HIS's id of this extraction
    base: str | None = Field(default=None, pattern=EXTRACTION_ID)  # a delta: the extraction it follows
    count: int | None = Field(default=None, ge=0)  # the identities it lists, when declared

    @property
    def delta(self) -> bool:
        return self.base is not None


class IndexEntry(BaseModel):
    """One identity of the index; ``removed``: a delta's line for an identity the HIS removed
    (merged into another, deleted), which carries no identity."""

    model_config = ConfigDict(frozen=True)
    ipp: str = Field(min_length=1, max_length=40)
    authority: str | None = Field(default=None, max_length=200)
    identity: Identity | None = None
    removed: bool = False


class IndexState(BaseModel):
    """The index in use on this workstation."""

    model_config = ConfigDict(frozen=True)
    extraction: str
    taken_at: AwareDatetime
    imported_at: AwareDatetime
    count: int
    digest: str  # order-independent digest of every row: the index's compact seal


class IndexHit(BaseModel):
    """An identity found in the index (search, duplicate check, admission)."""

    model_config = ConfigDict(frozen=True)
    ipp: str
    authority: str | None
    identity: Identity


class IndexOutcome(StrEnum):
    IMPORTED = "imported"  # a full index, now the one in use
    DELTA = "delta"  # a delta, applied over the index in use
    DUPLICATE = "duplicate"  # this extraction is the one in use already
    OLDER = "older"  # a full index taken before the one in use: not imported
    CANCELLED = "cancelled"  # stopped by the user: nothing changed


class IndexReport(BaseModel):
    """What an index import did, in counts only (shown, written to the audit)."""

    model_config = ConfigDict(frozen=True)
    outcome: IndexOutcome
    extraction: str
    taken_at: AwareDatetime
    read: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    total: int = 0  # identities in the index afterwards
    patients_refreshed: int = 0  # patients admitted from the index whose identity it changed
    seconds: float = 0.0

    def summary(self) -> tuple[str, str]:
        if self.outcome is IndexOutcome.CANCELLED:
            return (
                f"Import de l'index annulé après {self.read} identité(s) lue(s) : l'index en place "
                "n'a pas changé.",
                f"Index import cancelled after {self.read} identity(ies) read: the index in use "
                "did not change.",
            )
        if self.outcome is IndexOutcome.OLDER:
            return (
                "Index plus ancien que celui en place : non importé.",
                "Index older than the one in use: not imported.",
            )
        if self.outcome is IndexOutcome.DUPLICATE:
            return (
                "Cette extraction de l'index est déjà celle en place : rien à faire.",
                "This index extraction is already the one in use: nothing to do.",
            )
        kind_fr, kind_en = (
            ("Mise à jour (delta)", "Delta")
            if self.outcome is IndexOutcome.DELTA
            else (
                "Index complet",
                "Full index",
            )
        )
        return (
            f"{kind_fr} importé(e) en {self.seconds:.0f} s : {self.added} identité(s) ajoutée(s), "
            f"{self.updated} mise(s) à jour, {self.removed} retirée(s) ; {self.total} dans l'index"
            + (
                f" ; {self.patients_refreshed} patient(s) admis mis à jour."
                if self.patients_refreshed
                else "."
            ),
            f"{kind_en} imported in {self.seconds:.0f} s: {self.added} identity(ies) added, "
            f"{self.updated} updated, {self.removed} removed; {self.total} in the index"
            + (
                f"; {self.patients_refreshed} admitted patient(s) updated."
                if self.patients_refreshed
                else "."
            ),
        )
