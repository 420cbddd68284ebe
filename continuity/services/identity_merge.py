"""Merging two local identities of one person, and undoing it (identity-vigilance cell only).

A merge is a movement of records, never a deletion: the merged identity's stays, with
every movement they hold, go to the kept identity; the merged identity stays in the
store, marked ``merged_into`` the kept one, and disappears from search, the census and
the review queue (its wristband still finds the kept patient). One transaction writes
the stays moved, the mark, a row of ``identity_merges`` naming exactly the stays moved
(what an undo moves back), and the audit entry saying what moved.

The HIS is told (an ADT^A40, IHE PAM France: PID the kept patient, MRG-1 the merged
identity as the HIS knows it) when it knows the merged identity: it has an HIS IPP, or one
of its events already left this workstation (sent, held, accepted or exported), under its
provisional IPP (MRG-1 that IPP in the kit's domain). Its events still queued then go out as
they are, before the A40 (which waits behind those of them refused or held). When the HIS
never saw it, its events not yet handed to the HIS are re-pointed to the kept identity
(recorded in the merge row, ``moved.events``), so that they go out under it, and nothing
else is needed; the audit entry says which case it was (``continuity.merge.apply.tell_his_of_merge``).
An undo points the events still queued back (those it re-pointed, and those made since for
the stays moved back; the audit names those that already left under the kept identity) and
withdraws an A40 not yet handed to the HIS; one already sent cannot be undone by a message
(PAM has no cancellation of A40): the audit says that the HIS's own identity vigilance must
separate the two records.

The merge and its undo are carried to the other workstations in the exchange bundles
(``identity.merge`` / ``identity.unmerge``, ``continuity.merge.apply``). A merge received
also moves the merged identity's stays it does not list (readmitted elsewhere meanwhile) and
records them in the row here; a stay of the merged identity received later goes to the kept
one and is recorded the same way: a merged identity holds nothing on any workstation, and an
undo (made here or received) moves back what the row here records.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from continuity.domain.identity import IdentityStatus
from continuity.domain.merges import MergeRecord
from continuity.domain.movement import StayState
from continuity.domain.outbox import IdentifierKind, MappingStatus
from continuity.domain.records import PatientRecord, Source, StayRecord
from continuity.domain.users import Permission
from continuity.errors import Conflict, InvalidInput, NotFound
from continuity.merge.apply import MERGE_KIND as MERGE_KIND  # outbox kind: an ADT^A40
from continuity.merge.apply import tell_his_of_merge, untell_his_of_merge
from continuity.session import Session
from continuity.store import Store
from continuity.text import check_text

_RANK = {
    IdentityStatus.PROVISOIRE: 0,
    IdentityStatus.RECUPEREE: 1,
    IdentityStatus.VALIDEE: 2,
    IdentityStatus.QUALIFIEE: 3,
}


def _reason(reason: str | None) -> str:
    text = check_text(reason, "Motif", "Reason")
    if not text or not text.strip():
        raise InvalidInput(
            "Dites pourquoi ces deux identités sont la même personne (motif obligatoire).",
            "Say why these two identities are the same person (a reason is required).",
        )
    return text.strip()


def _patient(store: Store, patient_id: str) -> PatientRecord:
    record = store.patients.get_patient(patient_id)
    if record is None:
        raise NotFound("Patient inconnu.", "Unknown patient.")
    return record


def _span(stay: StayRecord) -> tuple[datetime, datetime | None] | None:
    if stay.state is StayState.CANCELLED or stay.admitted_at is None:
        return None
    return stay.admitted_at, stay.discharged_at


def _overlap(a: StayRecord, b: StayRecord) -> bool:
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return False
    (a0, a1), (b0, b1) = sa, sb
    return (a1 is None or b0 < a1) and (b1 is None or a0 < b1)


def _check_mergeable(store: Store, kept: PatientRecord, merged: PatientRecord) -> None:
    """Refuse a merge that the CIV may not make here, or that would lose something."""
    for record in (kept, merged):
        if record.merged_into is not None:
            raise Conflict(
                "Une des deux identités est déjà fusionnée dans une autre.",
                "One of the two identities is already merged into another one.",
            )
    if merged.source is Source.HIS:
        raise Conflict(
            "L'identité à fusionner vient du DPI : c'est au DPI de la fusionner (gardez-la, "
            "fusionnez-y l'identité locale).",
            "The identity to merge comes from the HIS: the HIS merges it (keep it, merge the "
            "local identity into it).",
        )
    if kept.source is Source.HIS and merged.identity.status is not IdentityStatus.PROVISOIRE:
        raise Conflict(
            "Seule une identité locale provisoire peut être fusionnée dans une identité du DPI.",
            "Only a provisional local identity can be merged into an identity from the HIS.",
        )
    if merged.ipp and not kept.ipp:
        raise Conflict(
            "L'identité à fusionner est connue du DPI (IPP), pas celle à garder : son IPP serait "
            "perdu. Gardez celle que le DPI connaît.",
            "The identity to merge is known to the HIS (IPP), the one to keep is not: its IPP "
            "would be lost. Keep the one the HIS knows.",
        )
    if _RANK[merged.identity.status] > _RANK[kept.identity.status]:
        raise Conflict(
            "L'identité à fusionner a un statut plus fiable que celle à garder : gardez la plus "
            "fiable (ou corrigez-la d'abord).",
            "The identity to merge has a more trustworthy status than the one to keep: keep the "
            "more trustworthy one (or correct it first).",
        )
    waiting = [
        m
        for m in store.his_ids.his_identifiers_of("patient", merged.id)
        if m.status is MappingStatus.PROPOSED and m.kind is IdentifierKind.IPP
    ]
    if waiting:
        raise Conflict(
            "Une correspondance avec le DPI attend d'être confirmée ou rejetée pour l'identité à "
            "fusionner : décidez-la d'abord.",
            "A mapping with the HIS is waiting to be confirmed or rejected for the identity to "
            "merge: decide it first.",
        )
    if store.stays.open_stay(kept.id) is not None and store.stays.open_stay(merged.id) is not None:
        raise Conflict(
            "Les deux identités ont chacune un séjour en cours : le patient serait dans deux "
            "séjours à la fois. Clôturez ou annulez d'abord l'un des deux.",
            "Both identities have a stay in progress: the patient would be in two stays at once. "
            "Close or cancel one of them first.",
        )
    kept_stays, merged_stays = store.stays.stays_of(kept.id), store.stays.stays_of(merged.id)
    if any(_overlap(a, b) for a in kept_stays for b in merged_stays):
        raise Conflict(
            "Des séjours des deux identités se chevauchent dans le temps : le patient aurait été "
            "dans deux séjours à la fois. Corrigez d'abord les dates.",
            "Stays of the two identities overlap in time: the patient would have been in two "
            "stays at once. Correct the times first.",
        )


def merge(session: Session, kept_id: str, merged_id: str, *, reason: str | None) -> MergeRecord:
    """Merge ``merged_id`` into ``kept_id`` (two local identities of one person)."""
    session.require(Permission.MERGE_IDENTITIES)
    text = _reason(reason)
    if kept_id == merged_id:
        raise InvalidInput("Choisissez deux identités différentes.", "Choose two different identities.")
    store = session.store
    with store.transaction():
        kept, merged = _patient(store, kept_id), _patient(store, merged_id)
        _check_mergeable(store, kept, merged)
        stays = tuple(s.id for s in store.stays.stays_of(merged.id))
        movements = store.merges.count_movements(stays)
        store.merges.move_stays(stays, kept.id)
        store.merges.set_merged_into(merged.id, kept.id)
        side = tell_his_of_merge(store, kept, merged)
        event = side.a40_event
        record = MergeRecord(
            id=str(uuid.uuid4()),
            kept_id=kept.id,
            merged_id=merged.id,
            merged_at=session.clock(),
            merged_by=session.actor,
            reason=text,
            stays=stays,
            movements=movements,
            a40_event=event,
            events=side.events,
        )
        store.merges.insert_merge(record)
        store.audit.append_audit(
            session.actor,
            "identity.merge",
            "identity_merge",
            record.id,
            1,
            {
                "kept_id": kept.id,
                "merged_id": merged.id,
                "reason": text,
                "moved": {"stays": list(stays), "movements": movements},
                "his": {
                    "a40": event is not None,
                    "event_id": event,
                    "why_fr": side.why_fr,
                    "why_en": side.why_en,
                    "events_repointed": list(side.events),
                },
            },
        )
    return record


def unmerge(session: Session, merge_id: str, *, reason: str | None) -> MergeRecord:
    """Undo a merge: exactly the stays it moved go back to the merged identity."""
    session.require(Permission.MERGE_IDENTITIES)
    text = _reason(reason)
    store = session.store
    with store.transaction():
        record = store.merges.get_merge(merge_id)
        if record is None:
            raise NotFound("Fusion inconnue.", "Unknown merge.")
        if record.undone:
            raise Conflict("Cette fusion a déjà été annulée.", "This merge was already undone.")
        kept, merged = _patient(store, record.kept_id), _patient(store, record.merged_id)
        if kept.merged_into is not None:
            raise Conflict(
                "L'identité gardée a depuis été fusionnée dans une autre : annulez d'abord cette fusion-là.",
                "The kept identity was merged into another one since: undo that merge first.",
            )
        for stay_id in record.stays:
            stay = store.stays.get_stay(stay_id)
            if stay is None or stay.patient_id != kept.id:
                raise Conflict(
                    "Un séjour déplacé par cette fusion n'est plus sous l'identité gardée.",
                    "A stay this merge moved is no longer under the kept identity.",
                )
        if store.stays.open_stay(merged.id) is not None:  # readmitted meanwhile (older kits)
            raise Conflict(
                "L'identité fusionnée a un séjour en cours.", "The merged identity has a stay in progress."
            )
        store.merges.move_stays(record.stays, merged.id)
        store.merges.set_merged_into(merged.id, None)
        events = untell_his_of_merge(store, record)
        his: dict[str, Any] = {"a40_withdrawn": False}
        if record.a40_event is not None:
            if store.merges.supersede_event(record.a40_event):
                his = {
                    "a40_withdrawn": True,
                    "why_fr": "la fusion n'avait pas encore été envoyée au DPI : retirée.",
                    "why_en": "the merge had not reached the HIS yet: withdrawn.",
                }
            else:
                his = {
                    "a40_withdrawn": False,
                    "why_fr": "la fusion a déjà été envoyée au DPI (ADT^A40), qu'aucun message ne "
                    "défait : l'identitovigilance du DPI doit séparer les deux dossiers.",
                    "why_en": "the merge was already sent to the HIS (ADT^A40), which no message "
                    "undoes: the HIS's identity vigilance must separate the two records.",
                }
        now = session.clock()
        store.merges.mark_undone(record.id, now, session.actor, record.version)
        store.audit.append_audit(
            session.actor,
            "identity.unmerge",
            "identity_merge",
            record.id,
            record.version + 1,
            {
                "kept_id": kept.id,
                "merged_id": merged.id,
                "reason": text,
                "moved_back": {"stays": list(record.stays)},
                "his": {**his, **events},
            },
        )
        undone = store.merges.get_merge(record.id)
    assert undone is not None
    return undone


def merges(session: Session, limit: int = 1000) -> list[MergeRecord]:
    """The merges made (latest first), undone ones included."""
    session.require(Permission.REVIEW_IDENTITIES)
    return session.store.merges.list_merges(limit)
