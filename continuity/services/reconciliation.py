"""Provisional identities reconciled with the HIS's own identifiers (IPP, NDA).

An identifier the HIS returned for exactly one of our provisional identities
(in a FHIR response, or an HL7 merge naming our provisional IPP) is recorded
as confirmed, provided nothing contradicts it. Anything else becomes a
proposal that a person from identity vigilance confirms or rejects: a match
found on identity traits, an IPP the HIS gave to two of our patients (which
would merge them), or a second IPP for the same patient. The kit never merges
two identities by itself: only a person of the identity-vigilance cell does, after
looking at both (``continuity.services.identity_merge``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from continuity.domain.outbox import (
    HisIdentifier,
    HisMerge,
    IdentifierKind,
    IdentifierSource,
    MappingStatus,
    MergeCounts,
)
from continuity.domain.users import Permission
from continuity.errors import Conflict, NotFound
from continuity.his_ids import PATTERN_KEYS, check_his_id
from continuity.session import Session
from continuity.store import Store

AUTHORITATIVE = {IdentifierSource.FHIR_RESPONSE, IdentifierSource.HL7_MERGE}
TECHNICAL = {IdentifierKind.FHIR_PATIENT, IdentifierKind.FHIR_ENCOUNTER}


class MappingView(BaseModel):
    """A mapping as shown and exported: our provisional identifier beside the HIS's."""

    model_config = ConfigDict(frozen=True)
    mapping: HisIdentifier
    provisional: str


def _clean(store: Store, kind: IdentifierKind, value: str, where: tuple[str, str] | None = None) -> str:
    """The identifier checked against the rules and the pattern declared for its kind."""
    pattern = store.get_meta(PATTERN_KEYS[kind]) if kind in PATTERN_KEYS else None
    return check_his_id(kind, value, pattern or None, where=where)


def _contradicted(store: Store, entity: str, entity_id: str, kind: IdentifierKind, value: str) -> bool:
    """Another of our records holds this value (a mapping, or an HIS patient carrying that
    IPP: from a snapshot or the index), or this record already has another value."""
    if any(m.entity_id != entity_id for m in store.his_ids.his_identifiers_with_value(kind, value)):
        return True
    if kind is IdentifierKind.IPP and any(p.id != entity_id for p in store.patients.patients_with_ipp(value)):
        return True
    return any(
        m.kind is kind and m.value != value and m.status is MappingStatus.CONFIRMED
        for m in store.his_ids.his_identifiers_of(entity, entity_id)
    )


def _apply(store: Store, mapping: HisIdentifier) -> None:
    if mapping.kind is IdentifierKind.IPP:
        store.his_ids.set_patient_ipp(mapping.entity_id, mapping.value)
    elif mapping.kind is IdentifierKind.NDA:
        store.his_ids.set_stay_nda(mapping.entity_id, mapping.value)


def record_in_transaction(
    session: Session, entity: str, entity_id: str, kind: IdentifierKind, value: str, source: IdentifierSource
) -> HisIdentifier:
    """Record an identifier received from the HIS, inside the caller's transaction (a sync
    run or a merge import, both behind the SYNC permission)."""
    session.require(Permission.SYNC)
    store = session.store
    value = _clean(store, kind, value)
    existing = [m for m in store.his_ids.his_identifiers_with_value(kind, value) if m.entity_id == entity_id]
    if existing:
        return existing[0]
    automatic = kind in TECHNICAL or (
        source in AUTHORITATIVE and not _contradicted(store, entity, entity_id, kind, value)
    )
    status = MappingStatus.CONFIRMED if automatic else MappingStatus.PROPOSED
    mapping = store.his_ids.add_his_identifier(
        entity, entity_id, kind, value, source, status, decided_by="his" if automatic else None
    )
    if automatic:
        _apply(store, mapping)
    store.audit.append_audit(
        session.actor,
        f"mapping.{status.value}",
        entity,
        entity_id,
        1,
        {"kind": kind.value, "source": source.value, "mapping_id": mapping.id},
    )
    return mapping


def enter(session: Session, provisional_ipp: str, ipp: str) -> HisIdentifier:
    """A person of identity vigilance states the HIS IPP of a provisional identity."""
    session.require(Permission.RECONCILE_IDENTITIES)
    store = session.store
    with store.transaction():
        patient = store.patients.patient_by_provisional_ipp(provisional_ipp.strip())
        if patient is None:
            raise NotFound(
                "Aucun patient avec ce numéro provisoire.", "No patient with this provisional number."
            )
        value = _clean(store, IdentifierKind.IPP, ipp)
        if _contradicted(store, "patient", patient.id, IdentifierKind.IPP, value):
            raise Conflict(
                "Cet IPP est déjà attribué à un autre patient, ou ce patient a déjà "
                "un autre IPP : vérifiez les deux dossiers (vigilance identité).",
                "This IPP is already given to another patient, or this patient already "
                "has another IPP: check both records (identity vigilance).",
            )
        mapping = store.his_ids.add_his_identifier(
            "patient",
            patient.id,
            IdentifierKind.IPP,
            value,
            IdentifierSource.USER,
            MappingStatus.CONFIRMED,
            decided_by=session.actor,
        )
        _apply(store, mapping)
        store.audit.append_audit(
            session.actor, "mapping.entered", "patient", patient.id, 1, {"mapping_id": mapping.id}
        )
    return mapping


def decide(session: Session, mapping_id: int, confirm: bool) -> HisIdentifier:
    """Confirm or reject a proposed mapping, after looking at both records."""
    session.require(Permission.RECONCILE_IDENTITIES)
    store = session.store
    with store.transaction():
        mapping = store.his_ids.his_identifier(mapping_id)
        if mapping is None:
            raise NotFound("Correspondance inconnue.", "Unknown mapping.")
        status = MappingStatus.CONFIRMED if confirm else MappingStatus.REJECTED
        store.his_ids.decide_his_identifier(mapping_id, status, session.actor)
        decided = store.his_ids.his_identifier(mapping_id)
        assert decided is not None
        if confirm:
            _apply(store, decided)
        store.audit.append_audit(
            session.actor,
            f"mapping.{status.value}",
            mapping.entity,
            mapping.entity_id,
            1,
            {"mapping_id": mapping_id},
        )
    return decided


def mappings(session: Session, status: MappingStatus | None = None) -> list[MappingView]:
    """Identity and stay mappings, with our provisional identifier (no names)."""
    if not (session.user.can(Permission.SYNC) or session.user.can(Permission.RECONCILE_IDENTITIES)):
        session.require(Permission.RECONCILE_IDENTITIES)
    store = session.store
    views = []
    for m in store.his_ids.his_identifiers(status):
        if m.entity == "patient":
            patient = store.patients.get_patient(m.entity_id)
            provisional = patient.provisional_ipp if patient else "?"
        else:
            stay = store.stays.get_stay(m.entity_id)
            provisional = stay.provisional_nda if stay else "?"
        views.append(MappingView(mapping=m, provisional=provisional))
    return views


def apply_his_merges(session: Session, merges: Sequence[HisMerge]) -> MergeCounts:
    """Map each provisional identity the HIS merged to the HIS's IPP, in one transaction.

    A mapping is confirmed automatically only where nothing contradicts it; the
    rest is proposed to the identity-vigilance cell (``record_in_transaction``).
    """
    session.require(Permission.SYNC)
    store = session.store
    counts = {"confirmed": 0, "proposed": 0, "unknown": 0}
    with store.transaction():
        for number, merge in enumerate(merges, start=1):
            for ipp in merge.his_ipps[:1]:  # a file with one hostile IPP is refused whole
                _clean(store, IdentifierKind.IPP, ipp, (f"Fusion n°{number}", f"Merge #{number}"))
            matched = False
            for prior in merge.merged:
                patient = store.patients.patient_by_provisional_ipp(prior)
                if patient is None:
                    continue
                for ipp in merge.his_ipps[:1]:
                    mapping = record_in_transaction(
                        session, "patient", patient.id, IdentifierKind.IPP, ipp, IdentifierSource.HL7_MERGE
                    )
                    counts["confirmed" if mapping.status is MappingStatus.CONFIRMED else "proposed"] += 1
                    matched = True
            if not matched:
                counts["unknown"] += 1
    return MergeCounts(**counts)
