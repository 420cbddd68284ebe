"""What workstations exchange during the outage: changes, and the conflicts they can bring."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity.witness import AuditHead


class ReceivedChange(BaseModel):
    """One change made on a workstation (one entry of its audit chain), as others receive it."""

    model_config = ConfigDict(frozen=True)
    change_id: str  # "<workstation>:<audit seq>": unique on the site
    origin: str
    origin_seq: int
    action: str
    entity: str
    entity_id: str
    at: datetime
    actor: str
    payload: dict[str, Any]


class ConflictKind(StrEnum):
    IDENTITY = "identity"  # the same identity corrected differently on two workstations
    MOVEMENTS = "movements"  # movements of one stay recorded concurrently on two workstations
    BED = "bed"  # a bed given to two patients on two workstations
    DOUBLE_STAY = "double_stay"  # a patient admitted on two workstations
    UNAPPLIED = "unapplied"  # a change that contradicts what is here (a paper form keyed twice...)


CONFLICT_LABELS: dict[ConflictKind, tuple[str, str]] = {
    ConflictKind.IDENTITY: (
        "identité corrigée différemment sur deux postes",
        "identity corrected differently on two workstations",
    ),
    ConflictKind.MOVEMENTS: (
        "mouvements saisis en même temps sur deux postes",
        "movements recorded at the same time on two workstations",
    ),
    ConflictKind.BED: ("lit attribué sur deux postes", "bed given on two workstations"),
    ConflictKind.DOUBLE_STAY: ("patient admis sur deux postes", "patient admitted on two workstations"),
    ConflictKind.UNAPPLIED: (
        "changement d'un autre poste impossible à appliquer",
        "change from another workstation that cannot be applied",
    ),
}


class ConflictRecord(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: int | None = None
    entity: str  # "patient" or "stay"
    entity_id: str
    kind: ConflictKind
    heads: tuple[str, ...]  # the competing versions (identity hashes, movement ids, change ids)
    detail: dict[str, Any]
    detected_at: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None


class BundleHeader(BaseModel):
    """The clear part of a bundle file: who sent it, when, and how many changes (no patient data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: int = 1  # 2: signed by its workstation (``signer``, ``signer_key``)
    site: str
    workstation: str
    seq: int
    created_at: datetime
    changes: int
    key_id: str
    exercise: bool = False  # made in a drill: real stores refuse it, and the reverse
    signer: str | None = None  # fingerprint of the signing key of ``workstation`` (continuity.signing)
    signer_key: str | None = None  # that public key, base64 (checked against the declared one)
    # The head of the sender's audit chain, signed: every workstation receiving it is a witness.
    audit_head: AuditHead | None = None


class ApplyReport(BaseModel):
    model_config = ConfigDict(frozen=True)
    workstation: str
    seq: int
    duplicate: bool = False
    applied: int = 0
    already_known: int = 0
    waiting: int = 0  # changes waiting for one they build on (a bundle not received yet)
    failed: int = 0  # changes that contradict what is here (each has a conflict)
    conflicts: int = 0  # open conflicts after the import


class PeerStatus(BaseModel):
    """What this workstation has received from another one."""

    model_config = ConfigDict(frozen=True)
    workstation: str
    name: str
    is_local: bool
    last_seq: int | None
    last_created_at: datetime | None
    missing: tuple[int, ...]  # bundle numbers not received, below the newest one received


class PeerKey(BaseModel):
    """The public signing key declared for another workstation of the site."""

    model_config = ConfigDict(frozen=True)
    workstation: str
    fingerprint: str
    public_key: str | None  # base64; None when only the fingerprint was declared
    declared_at: datetime
    declared_by: str


MIB = 1024 * 1024


class FileLimits(BaseModel):
    """The largest files a workstation reads from its watched folders (site settings may change them).

    A bundle is refused above ``bundle_bytes`` on disk or ``bundle_inflated_bytes`` once
    decompressed (decompressed step by step, never past the ceiling: a "zip bomb" costs
    no more memory than that); a snapshot above ``snapshot_bytes`` (an identity index of
    two million patients is a few hundred MB of CSV).
    """

    model_config = ConfigDict(frozen=True)
    bundle_bytes: int = 32 * MIB
    bundle_inflated_bytes: int = 128 * MIB
    snapshot_bytes: int = 512 * MIB
