"""Reading HIS snapshot files: HL7 v2 ADT batches, FHIR R4 Bundles and the documented CSV.

Every reader returns a ``Snapshot`` or raises ``SnapshotRejected`` naming the
record and the problem, never the data itself: the message goes into the
quarantine report, which is a plain file on disk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity.domain.identity import Identity
from continuity.domain.snapshot import Snapshot
from continuity.errors import InvalidInput
from continuity.validation import build

FILE_SUFFIXES = (".hl7", ".txt", ".json", ".csv")


class SnapshotRejected(InvalidInput):
    """The file is not a valid snapshot; ``incomplete`` when it looks cut short (still being written)."""

    def __init__(
        self, message_fr: str, message_en: str, *, details: list[str] | None = None, incomplete: bool = False
    ):
        super().__init__(message_fr, message_en, details=details)
        self.incomplete = incomplete


class HisIdentifiers(BaseModel):
    """How the HIS names its identifiers (configured for the HIS sync): used to pick IPP and NDA."""

    model_config = ConfigDict(frozen=True)
    authority: str | None = None  # HL7 assigning authority (PID-3.4, PV1-19.4)
    ipp_system: str | None = None  # FHIR identifier systems
    nda_system: str | None = None


def identity(data: dict[str, Any], where_fr: str, where_en: str) -> Identity:
    """Validate identity traits; errors name the record and the field, not the value."""
    try:
        return build(Identity, data, "Identité", "Identity")
    except InvalidInput as exc:
        raise SnapshotRejected(
            f"{where_fr} : identité invalide.", f"{where_en}: invalid identity.", details=exc.details
        ) from None


def aware(moment: datetime) -> datetime:
    """A time without zone is the workstation's local time (the HIS and the kit share a site)."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def parse_snapshot(
    raw: bytes, name: str, modified_at: datetime, ids: HisIdentifiers | None = None
) -> Snapshot:
    """Read a snapshot file of any supported format, recognised from its content."""
    from sync.snapshots import csv_format, fhir_format, hl7_format

    ids = ids or HisIdentifiers()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    head = raw.lstrip()[:3]
    if not head:
        raise SnapshotRejected("Fichier vide.", "Empty file.", incomplete=True)
    try:
        if head in (b"FHS", b"BHS", b"MSH"):
            snapshot = hl7_format.parse(raw, ids)
        elif head[:1] == b"{":
            snapshot = fhir_format.parse(raw, ids)
        else:
            snapshot = csv_format.parse(raw, modified_at)
    except SnapshotRejected:
        raise
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
        # A value the readers did not foresee: refused whole, without quoting it.
        raise SnapshotRejected(
            "Fichier non conforme au format attendu (valeur illisible ou hors limites).",
            "File not in the expected format (unreadable or out-of-range value).",
        ) from None
    _check_consistent(snapshot)
    return snapshot


def _check_consistent(snapshot: Snapshot) -> None:
    """One NDA is one stay of one patient; one patient has one open stay."""
    ndas: dict[str, str] = {}
    for stay in snapshot.stays:
        if ndas.setdefault(stay.nda, stay.ipp) != stay.ipp:
            raise SnapshotRejected(
                "Un même NDA figure pour deux patients différents.",
                "One NDA is given for two different patients.",
            )
    ipps = [s.ipp for s in snapshot.stays]
    if len(ipps) != len(set(ipps)) or len(ndas) != len(snapshot.stays):
        raise SnapshotRejected(
            "Un patient a plusieurs séjours ouverts dans l'instantané.",
            "A patient has several open stays in the snapshot.",
        )
