"""Reading HIS snapshot files: HL7 v2 ADT batches, FHIR R4 Bundles and the documented CSV.

Every reader returns a ``Snapshot`` or raises ``SnapshotRejected`` naming the
record and the problem, never the data itself: the message goes into the
quarantine report, which is a plain file on disk.
"""

from __future__ import annotations

from datetime import datetime

from continuity import his_ids
from continuity.domain.exchange import MIB, FileLimits
from continuity.domain.snapshot import HisIdentifiers, Snapshot
from continuity.errors import InvalidInput
from sync.snapshots import csv_format, fhir_format, hl7_format
from sync.snapshots.common import SnapshotRejected

__all__ = ["FILE_SUFFIXES", "SnapshotRejected", "parse_snapshot"]

FILE_SUFFIXES = (".hl7", ".txt", ".json", ".csv")


def parse_snapshot(
    raw: bytes,
    name: str,
    modified_at: datetime,
    ids: HisIdentifiers | None = None,
    *,
    max_bytes: int = FileLimits().snapshot_bytes,
) -> Snapshot:
    """Read a snapshot file of any supported format, recognised from its content.

    ``max_bytes``: a larger file is refused unread (the watched inbox reads no more than the
    site's limit, ``continuity.services.exchange.file_limits``).
    """
    ids = ids or HisIdentifiers()
    if len(raw) > max_bytes:
        mb, limit = f"{len(raw) / MIB:.1f}", f"{max_bytes / MIB:.1f}"
        raise SnapshotRejected(
            f"Fichier trop volumineux ({mb} Mo, limite {limit} Mo) : refusé sans être lu.",
            f"File too large ({mb} MB, limit {limit} MB): refused without being read.",
        )
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
    try:
        his_ids.check_snapshot(snapshot, ids)
    except InvalidInput as exc:  # names the record and the rule, never the value
        raise SnapshotRejected(exc.message_fr, exc.message_en) from None
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
