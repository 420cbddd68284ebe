"""Applying pre-outage HIS snapshots to the store, and how fresh the newest one is.

Snapshot records are marked as coming from the HIS (``Source.HIS``) with the
HIS's own IPP and NDA, and importing writes nothing to the outbox: they are the
HIS's data, never sent back to it as new. What was recorded offline always
wins: a stay with a movement recorded here (or received from another
workstation) and an identity corrected here are never changed by a snapshot.

Identifiers of HIS records are derived from the site and the IPP/NDA, so every
workstation that imports a snapshot gives a patient the same internal id, and
movements exchanged between workstations find their stay.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity import oids
from continuity.domain.movement import Movement, MovementKind, StayState
from continuity.domain.records import HIS_PREFIX, PatientRecord, Source, StayRecord
from continuity.domain.snapshot import (
    HisIdentifiers,
    Snapshot,
    SnapshotOutcome,
    SnapshotReport,
    SnapshotStay,
)
from continuity.domain.users import Permission
from continuity.errors import InvalidInput
from continuity.his_ids import check_snapshot
from continuity.services import sync_state
from continuity.services.indicators import (
    MAX_AGE_META_KEY,
    SNAPSHOT_META_KEY,
    parse_meta_time,
    snapshot_max_age,
)
from continuity.session import Session
from continuity.store import Store

SNAPSHOT_ACTOR = "@dpi"
CENSUS_META_KEY = "his_census_at"  # JSON: UF code -> time of the newest census applied to it
INBOX_META_KEY = "watch.inbox"  # folder where the HIS drops its snapshots
EXCHANGE_META_KEY = "watch.exchange"  # folder (USB stick, isolated share) for exchange bundles
_NAMESPACE = uuid.UUID("5f0c6a52-8d0e-4c0b-9a57-2f1e3c4d5e6f")


def his_patient_id(site_code: str, ipp: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{site_code}/ipp/{ipp}"))


def his_stay_id(site_code: str, nda: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{site_code}/nda/{nda}"))


def his_admission_id(site_code: str, nda: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{site_code}/nda/{nda}/admission"))


class ImportEntry(BaseModel):
    """One file the watcher handled: imported (with its counts) or quarantined (with the reason)."""

    model_config = ConfigDict(frozen=True)
    sha256: str
    format: str
    taken_at: datetime
    imported_at: datetime
    outcome: str
    report: dict[str, Any]


class Freshness(BaseModel):
    """Age of the newest snapshot against the configured threshold."""

    model_config = ConfigDict(frozen=True)
    taken_at: datetime | None
    now: datetime
    max_age: timedelta

    @property
    def age(self) -> timedelta | None:
        return None if self.taken_at is None else self.now - self.taken_at

    @property
    def stale(self) -> bool:
        """No snapshot at all, or one older than the threshold."""
        return self.age is None or self.age > self.max_age


def freshness(session: Session) -> Freshness:
    session.require(Permission.READ_STATUS)
    store = session.store
    return Freshness(
        taken_at=parse_meta_time(store.get_meta(SNAPSHOT_META_KEY)),
        now=session.clock(),
        max_age=snapshot_max_age(session),
    )


def set_max_age(session: Session, minutes: int) -> None:
    """The age past which the newest snapshot is shown as too old (IT administrators)."""
    session.require(Permission.SYNC)
    if not 5 <= minutes <= 7 * 24 * 60:
        raise InvalidInput(
            "Seuil d'ancienneté invalide : entre 5 minutes et 7 jours.",
            "Invalid age threshold: between 5 minutes and 7 days.",
        )
    store = session.store
    with store.transaction():
        store.set_meta(MAX_AGE_META_KEY, str(minutes))
        store.audit.append_audit(
            session.actor, "snapshot.max_age", "site", "snapshot", 1, {"minutes": minutes}
        )


def watch_folders(session: Session) -> tuple[str | None, str | None]:
    """(inbox, exchange folder) configured on this workstation, if any."""
    session.require(Permission.EXCHANGE)
    store = session.store
    return store.get_meta(INBOX_META_KEY) or None, store.get_meta(EXCHANGE_META_KEY) or None


def set_watch_folders(session: Session, inbox: str | None, exchange: str | None) -> None:
    """Set the watched folders (IT administrators); ``None`` leaves one unchanged."""
    session.require(Permission.SYNC)
    store = session.store
    with store.transaction():
        for key, value in ((INBOX_META_KEY, inbox), (EXCHANGE_META_KEY, exchange)):
            if value is not None:
                store.set_meta(key, value)
        store.audit.append_audit(
            session.actor, "watch.folders", "site", "watch", 1, {"inbox": inbox, "exchange": exchange}
        )


def his_identifiers(session: Session) -> HisIdentifiers:
    """How the HIS names its identifiers (set for the sync), to pick IPP and NDA in its files."""
    session.require(Permission.EXCHANGE)
    store = session.store
    domains = {name: store.get_meta(key) or None for name, key in sync_state.DOMAIN_KEYS.items()}
    return HisIdentifiers(
        authority=store.get_meta(sync_state.HIS_AUTHORITY_KEY) or None,
        ipp_oid=domains["ipp_oid"],
        nda_oid=domains["nda_oid"],
        provisional_ipp_oid=domains["provisional_ipp_oid"],
        provisional_nda_oid=domains["provisional_nda_oid"],
        ipp_system=store.get_meta(sync_state.HIS_IPP_SYSTEM_KEY) or None,
        nda_system=store.get_meta(sync_state.HIS_NDA_SYSTEM_KEY) or None,
        ipp_pattern=store.get_meta(sync_state.HIS_IPP_PATTERN_KEY) or None,
        nda_pattern=store.get_meta(sync_state.HIS_NDA_PATTERN_KEY) or None,
    )


def already_imported(session: Session, sha256: str) -> bool:
    session.require(Permission.EXCHANGE)
    return session.store.snapshots.snapshot_seen(sha256)


def record_refusal(session: Session, sha256: str, message_fr: str, message_en: str) -> None:
    """Remember a file sent to quarantine (the message names no patient data)."""
    session.require(Permission.EXCHANGE)
    store = session.store
    body = {"error_fr": message_fr, "error_en": message_en}
    with store.transaction():
        store.snapshots.record_snapshot_import(sha256, "unknown", session.clock(), "quarantined", body)
        store.audit.append_audit(session.actor, "snapshot.quarantine", "snapshot", sha256, 1, body)


def recent_imports(session: Session, limit: int = 50) -> list[ImportEntry]:
    session.require(Permission.READ_STATUS)
    return [
        ImportEntry(
            sha256=r[0], format=r[1], taken_at=r[2], imported_at=r[3], outcome=r[4], report=json.loads(r[5])
        )
        for r in session.store.snapshots.snapshot_imports(limit)
    ]


def import_snapshot(session: Session, snapshot: Snapshot, sha256: str) -> SnapshotReport:
    """Apply a snapshot in one transaction: all of it, or (on any error) nothing.

    Files may arrive in any order: an identity is replaced only by a newer
    snapshot, and a census only by a newer census, so the result does not
    depend on the order the files were imported in.
    """
    session.require(Permission.EXCHANGE)
    store = session.store
    site_code, _ = store.reference.site_name()
    his = his_identifiers(session)
    check_snapshot(snapshot, his)  # whoever built it (sync.snapshots checked too)
    _check_domains(snapshot, his)
    with store.transaction():
        if store.snapshots.snapshot_seen(sha256):
            return SnapshotReport(
                outcome=SnapshotOutcome.DUPLICATE, format=snapshot.format, taken_at=snapshot.taken_at
            )
        counts: dict[str, int] = {}
        ids = _apply_identities(session, snapshot, site_code, counts)
        applied: set[str] = set()
        if snapshot.census:
            census_at = _census_times(store)
            known_ufs = {code for code, _ in store.reference.list_ufs()}
            scope = set(snapshot.scope) & known_ufs if snapshot.scope is not None else known_ufs
            applied = {uf for uf in scope if uf not in census_at or snapshot.taken_at > census_at[uf]}
            _apply_census(store, snapshot, site_code, ids, counts, applied)
            census_at.update({uf: snapshot.taken_at for uf in applied})
            store.set_meta(
                CENSUS_META_KEY, json.dumps({uf: at.isoformat() for uf, at in sorted(census_at.items())})
            )
        newer_census = bool(applied)
        newest = parse_meta_time(store.get_meta(SNAPSHOT_META_KEY))
        if newest is None or snapshot.taken_at > newest:
            store.set_meta(SNAPSHOT_META_KEY, snapshot.taken_at.isoformat())
        outcome = SnapshotOutcome.OLDER if snapshot.census and not newer_census else SnapshotOutcome.IMPORTED
        report = SnapshotReport(outcome=outcome, format=snapshot.format, taken_at=snapshot.taken_at, **counts)
        body = report.model_dump(mode="json")
        store.snapshots.record_snapshot_import(
            sha256, snapshot.format.value, snapshot.taken_at, outcome.value, body
        )
        store.audit.append_audit(session.actor, "snapshot.import", "snapshot", sha256, 1, body)
    return report


def _oid(authority: str | None) -> str | None:
    """The OID an authority names (``2.999.1``, ``urn:oid:2.999.1``), or None (a namespace, a URL)."""
    if authority is None:
        return None
    text = authority.removeprefix("urn:oid:")
    return text if oids.is_oid(text) else None


def _check_domains(snapshot: Snapshot, ids: HisIdentifiers) -> None:
    """The IPP and NDA of a snapshot are the establishment's: one whose authority is another
    OID than the declared domain's (or the kit's own provisional one) is not imported."""
    checks = [
        (_oid(p.ipp_authority), ids.ipp_oid, ids.provisional_ipp_oid, "IPP") for p in snapshot.patients
    ] + [(_oid(s.nda_authority), ids.nda_oid, ids.provisional_nda_oid, "NDA") for s in snapshot.stays]
    for oid, declared, provisional, kind in checks:
        if oid is not None and ((declared and oid != declared) or oid == provisional):
            raise InvalidInput(
                f"Instantané refusé : {kind} d'un autre domaine que celui de l'établissement.",
                f"Snapshot refused: {kind} of another domain than the establishment's.",
            )


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _apply_identities(
    session: Session, snapshot: Snapshot, site_code: str, counts: dict[str, int]
) -> dict[str, str]:
    """Add or refresh the HIS identities; return IPP -> patient id for the census."""
    store = session.store
    known = store.snapshots.his_patients()
    reconciled = store.snapshots.kit_patient_ipps()
    ids: dict[str, str] = {}
    for p in snapshot.patients:
        if p.ipp in reconciled:
            continue  # an identity created offline already carries this IPP: it stays the one
        found = known.get(p.ipp)
        if found is None:
            record = PatientRecord(
                id=his_patient_id(site_code, p.ipp),
                provisional_ipp=HIS_PREFIX + p.ipp,
                ipp=p.ipp,
                identity=p.identity,
                created_at=snapshot.taken_at,
                version=1,
                source=Source.HIS,
            )
            store.patients.insert_patient(record, SNAPSHOT_ACTOR, his_as_of=snapshot.taken_at)
            known[p.ipp] = (record.id, snapshot.taken_at, False)
            _bump(counts, "patients_added")
        else:
            patient_id, as_of, corrected_here = found
            if corrected_here:
                _bump(counts, "patients_kept_local")
            elif as_of is None or snapshot.taken_at > as_of:
                store.patients.update_his_identity(patient_id, p.identity, snapshot.taken_at)
                known[p.ipp] = (patient_id, snapshot.taken_at, False)
                _bump(counts, "patients_updated")
        ids[p.ipp] = known[p.ipp][0]
    return ids


def _census_times(store: Store) -> dict[str, datetime]:
    raw = store.get_meta(CENSUS_META_KEY)
    times = json.loads(raw) if raw and raw.startswith("{") else {}
    return {uf: datetime.fromisoformat(at) for uf, at in times.items()}


def _apply_census(
    store: Store,
    snapshot: Snapshot,
    site_code: str,
    ids: dict[str, str],
    counts: dict[str, int],
    applied: set[str],
) -> None:
    """Apply the census to the UFs where it is the newest one.

    Each HIS stay remembers the snapshot that last placed it, and only a newer one
    moves or removes it: files of different scopes, in any order, end the same.
    """
    taken = snapshot.taken_at
    existing = store.snapshots.his_stays(SNAPSHOT_ACTOR)
    pristine = {nda: (sid, pid, uf, as_of) for sid, nda, pid, uf, clean, as_of in existing if clean}
    touched = {nda for _, nda, _, _, clean, _ in existing if not clean}
    wanted = []
    for stay in snapshot.stays:
        if stay.uf_code not in applied:
            _bump(
                counts, "stays_unknown_uf" if not store.reference.uf_exists(stay.uf_code) else "stays_older"
            )
        elif stay.nda in touched:
            _bump(counts, "stays_kept_local")
        elif stay.nda in pristine and not _newer(taken, pristine[stay.nda][3]):
            _bump(counts, "stays_older")
        else:
            wanted.append(stay)
    listed = {s.nda for s in snapshot.stays}
    gone = [
        sid
        for nda, (sid, _, uf, as_of) in pristine.items()
        if uf in applied and nda not in listed and _newer(taken, as_of)
    ]
    store.snapshots.delete_pristine_stays(gone)
    counts["stays_closed"] = len(gone)
    moving = {s.nda for s in wanted}
    # Free the beds of the stays about to be placed again, so that two of them can swap.
    store.stays.clear_beds([sid for nda, (sid, *_) in pristine.items() if nda in moving])
    beds = store.reference.all_beds()
    occupied = store.stays.occupied_beds()
    freed = {pid for nda, (_, pid, _, _) in pristine.items() if nda in moving}
    busy = store.stays.patients_with_open_stay() - freed
    for stay in wanted:
        patient_id = ids.get(stay.ipp)
        if patient_id is None or patient_id in busy:
            _bump(counts, "stays_kept_local")  # the patient was admitted offline meanwhile
            continue
        busy.add(patient_id)
        bed = _free_bed(stay, beds, occupied, counts)
        if stay.nda in pristine:
            store.snapshots.place_his_stay(pristine[stay.nda][0], stay.uf_code, bed, stay.admitted_at, taken)
            _bump(counts, "stays_updated")
        else:
            _insert_stay(store, stay, site_code, patient_id, bed, taken)
            _bump(counts, "stays_added")


def _newer(taken: datetime, as_of: datetime | None) -> bool:
    return as_of is None or taken > as_of


def _free_bed(
    stay: SnapshotStay,
    beds: dict[tuple[str, str], bool],
    occupied: set[tuple[str, str]],
    counts: dict[str, int],
) -> str | None:
    if stay.bed_code is None:
        return None
    place = (stay.uf_code, stay.bed_code)
    if beds.get(place, True) or place in occupied:  # unknown, blocked, or taken
        _bump(counts, "stays_without_bed")
        return None
    occupied.add(place)
    return stay.bed_code


def _insert_stay(
    store: Store, stay: SnapshotStay, site_code: str, patient_id: str, bed: str | None, as_of: datetime
) -> None:
    record = StayRecord(
        id=his_stay_id(site_code, stay.nda),
        patient_id=patient_id,
        provisional_nda=HIS_PREFIX + stay.nda,
        nda=stay.nda,
        state=StayState.PRESENT,
        uf_code=stay.uf_code,
        bed_code=bed,
        admitted_at=stay.admitted_at,
        discharged_at=None,
        version=1,
        source=Source.HIS,
    )
    store.stays.insert_stay(record, his_as_of=as_of)
    movement = Movement(
        id=his_admission_id(site_code, stay.nda),
        kind=MovementKind.ADMISSION,
        at=stay.admitted_at,
        uf_code=stay.uf_code,
        bed_code=bed,
    )
    store.movements.insert_movement(record.id, movement, SNAPSHOT_ACTOR, first=True)
