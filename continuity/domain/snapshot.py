"""A pre-outage HIS snapshot, whatever file format it came in (see ``sync.snapshot_formats``).

A snapshot is the HIS's picture, at ``taken_at``, of the identities it lists and,
when ``census`` is true, of every stay open in its scope (the UFs it names, or the
whole site): a stay of the scope that it does not list has left the HIS census.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from continuity.domain.identity import Identity


class SnapshotFormat(StrEnum):
    HL7 = "hl7v2"
    FHIR = "fhir"
    CSV = "csv"


class SnapshotPatient(BaseModel):
    model_config = ConfigDict(frozen=True)
    ipp: str = Field(min_length=1, max_length=40)
    identity: Identity
    # The domain the HIS issued the IPP in, as the file named it: the OID of the HL7 assigning
    # authority (else its namespace), the FHIR identifier system; None when the file names none.
    ipp_authority: str | None = Field(default=None, max_length=200)


class SnapshotStay(BaseModel):
    model_config = ConfigDict(frozen=True)
    nda: str = Field(min_length=1, max_length=40)
    ipp: str = Field(min_length=1, max_length=40)
    uf_code: str
    bed_code: str | None = None
    admitted_at: AwareDatetime
    nda_authority: str | None = Field(default=None, max_length=200)  # as ``SnapshotPatient.ipp_authority``


class Snapshot(BaseModel):
    model_config = ConfigDict(frozen=True)
    format: SnapshotFormat
    taken_at: AwareDatetime
    patients: list[SnapshotPatient]
    stays: list[SnapshotStay] = []
    census: bool = False
    scope: tuple[str, ...] | None = None  # UF codes the census covers; None: the whole site


class SnapshotOutcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"  # this very file was imported before
    OLDER = "older"  # identities updated where newer; census older than the one in place


class SnapshotReport(BaseModel):
    """What an import did, in counts only: it is shown and written to disk, so no patient data."""

    model_config = ConfigDict(frozen=True)
    outcome: SnapshotOutcome
    format: SnapshotFormat
    taken_at: AwareDatetime
    patients_added: int = 0
    patients_updated: int = 0
    patients_kept_local: int = 0  # identities corrected here: the HIS version does not replace them
    stays_added: int = 0
    stays_updated: int = 0
    stays_closed: int = 0  # left the HIS census since the previous snapshot
    stays_kept_local: int = 0  # touched offline: the snapshot does not change them
    stays_unknown_uf: int = 0  # in UFs this kit does not manage
    stays_older: int = 0  # a newer snapshot already placed them (or their UF)
    stays_without_bed: int = 0  # bed unknown here, blocked, or taken offline

    def summary(self) -> tuple[str, str]:
        fr = (
            f"{self.patients_added} identité(s) ajoutée(s), {self.patients_updated} mise(s) à "
            f"jour ; {self.stays_added} séjour(s) ajouté(s), {self.stays_updated} mis à jour, "
            f"{self.stays_closed} sorti(s) du recensement"
        )
        en = (
            f"{self.patients_added} identity(ies) added, {self.patients_updated} updated; "
            f"{self.stays_added} stay(s) added, {self.stays_updated} updated, "
            f"{self.stays_closed} left the census"
        )
        extra = [
            (
                self.stays_kept_local,
                "séjour(s) modifié(s) hors ligne conservé(s)",
                "stay(s) changed offline kept",
            ),
            (
                self.patients_kept_local,
                "identité(s) corrigée(s) ici conservée(s)",
                "identity(ies) corrected here kept",
            ),
            (
                self.stays_unknown_uf,
                "séjour(s) d'UF non gérées ignoré(s)",
                "stay(s) in UFs not managed here skipped",
            ),
            (
                self.stays_older,
                "séjour(s) déjà placé(s) par un instantané plus récent",
                "stay(s) already placed by a newer snapshot",
            ),
            (self.stays_without_bed, "séjour(s) placé(s) sans lit", "stay(s) placed without a bed"),
        ]
        for count, f, e in extra:
            if count:
                fr += f", {count} {f}"
                en += f", {count} {e}"
        return fr + ".", en + "."


class HisIdentifiers(BaseModel):
    """How the HIS names its identifiers (configured for the HIS sync): used to pick IPP and NDA."""

    model_config = ConfigDict(frozen=True)
    authority: str | None = None  # HL7 assigning authority's namespace (PID-3.4, PV1-19.4, HD-1)
    ipp_oid: str | None = None  # the establishment's IPP and NDA domains (HD-2; FHIR urn:oid:)
    nda_oid: str | None = None
    provisional_ipp_oid: str | None = None  # the kit's own domains: never the HIS's identifiers
    provisional_nda_oid: str | None = None
    ipp_system: str | None = None  # FHIR identifier systems
    nda_system: str | None = None
    ipp_pattern: str | None = None  # the HIS's declared formats (continuity.his_ids)
    nda_pattern: str | None = None
