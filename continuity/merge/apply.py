"""Applying changes received from other workstations: idempotent, in any order, conflicts kept.

Every change has a site-wide id, so receiving it twice does nothing. A change
that builds on something not received yet (a movement of a stay whose
admission is in a bundle still on its way) waits and is applied when that
arrives. The result depends only on the set of changes received, never on
their order: a stay's movements are merged by ``continuity.domain.movement.merge``
and an identity is the one version no later correction replaced. When two
workstations changed the same thing concurrently, both versions are kept, a
deterministic one is shown everywhere, and a conflict waits for a user.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from continuity.domain.exchange import ConflictKind, ConflictRecord, ReceivedChange
from continuity.domain.identity import Identity
from continuity.domain.merges import MergeRecord
from continuity.domain.movement import (
    MergedStay,
    Movement,
    MovementKind,
    MovementNode,
    StayState,
    effective_movements,
    merge,
)
from continuity.domain.outbox import IdentifierKind
from continuity.domain.records import PaperForm, PatientRecord, Source, StayRecord
from continuity.errors import Conflict
from continuity.his_ids import PATTERN_KEYS, check_his_id
from continuity.ids import format_id, parse_id
from continuity.merge import crisis
from continuity.store import Store

IDENTITY_ACTIONS = ("patient.update", "conflict.resolve")


def identity_hash(data: dict[str, Any]) -> str:
    canonical = Identity.model_validate(data).data()
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


ANY = "*"  # a wait whose end no received change announces: looked at after every bundle


def apply_change(store: Store, local_ws: str, change: ReceivedChange) -> str | None:
    """Apply one received change: None once applied, or, when it must wait for another
    change, the key of what it waits for (``provides`` of that change, or ``ANY``)."""
    action = change.action
    if action == "patient.create":
        return _done(_patient_create(store, change), ANY)
    if action == "patient.update":
        if store.patients.get_patient(change.entity_id) is None:
            return f"patient:{change.entity_id}"
        recompute_identity(store, local_ws, change.entity_id, extra=change)
        return None
    if action == "conflict.resolve":
        return _resolution(store, local_ws, change)
    if action == "stay.admission":
        return _admission(store, change)
    if action.startswith("stay."):
        return _movement(store, change)
    if action == "paper.reserve":
        _paper_reserve(store, change)
        return None
    if action == "identity.merge":
        return _done(_identity_merge(store, change), ANY)
    if action == "identity.unmerge":
        return _done(_identity_unmerge(store, change), f"merge:{change.entity_id}")
    if action in crisis.ACTIONS:
        return crisis.apply_crisis_change(store, change)
    return None  # an action this version does not know: kept in ``changes``, nothing to do


def _done(applied: bool, waits_for: str) -> str | None:
    return None if applied else waits_for


def provides(change: ReceivedChange) -> tuple[str, ...]:
    """The keys a change, once applied, may end the wait of (``apply_change``)."""
    action = change.action
    if action == "patient.create":
        return (f"patient:{change.entity_id}",)
    if action.startswith("stay."):
        movement = change.payload.get("movement") or {}
        return (f"stay:{change.entity_id}", f"movement:{movement.get('id')}")
    if action == "identity.merge":
        return (f"merge:{change.entity_id}",)
    return crisis.provides(change)


def his_record(store: Store, record: dict[str, Any]) -> bool:
    """Create an HIS patient or stay that another workstation's snapshot had (if missing
    here); True when it did.

    Its IPP or NDA is checked as if it came from the HIS itself (``continuity.his_ids``)."""
    kind = IdentifierKind.IPP if record["kind"] == "patient" else IdentifierKind.NDA
    check_his_id(
        kind,
        record["ipp" if kind is IdentifierKind.IPP else "nda"],
        store.get_meta(PATTERN_KEYS[kind]) or None,
    )
    if record["kind"] == "patient":
        if store.patients.get_patient(record["id"]) is None:
            store.patients.insert_patient(
                PatientRecord(
                    id=record["id"],
                    provisional_ipp=record["provisional_ipp"],
                    ipp=record["ipp"],
                    identity=Identity.model_validate(record["identity"]),
                    created_at=datetime.fromisoformat(record["as_of"]),
                    version=1,
                    source=Source.HIS,
                    from_index=bool(record.get("from_index")),
                ),
                "@dpi",
                his_as_of=datetime.fromisoformat(record["as_of"]),
            )
            return True
        return False
    if (
        store.stays.get_stay(record["id"]) is not None
        or store.patients.get_patient(record["patient_id"]) is None
    ):
        return False
    admission = Movement.model_validate(record["admission"])
    bed = admission.bed_code
    if bed and store.stays.bed_occupant(admission.uf_code or "", bed) is not None:
        bed = None
    if store.stays.open_stay(record["patient_id"]) is not None:
        return False
    store.stays.insert_stay(
        StayRecord(
            id=record["id"],
            patient_id=record["patient_id"],
            provisional_nda=record["provisional_nda"],
            nda=record["nda"],
            state=StayState.PRESENT,
            uf_code=admission.uf_code,
            bed_code=bed,
            admitted_at=admission.at,
            discharged_at=None,
            version=1,
            source=Source.HIS,
        ),
        his_as_of=datetime.fromisoformat(record["as_of"]),
    )
    store.movements.insert_movement(
        record["id"], admission.model_copy(update={"bed_code": bed}), "@dpi", first=True
    )
    return True


def _patient_create(store: Store, change: ReceivedChange) -> bool:
    p = change.payload
    if "from_index" in p:  # an HIS patient admitted from the index: created from its HIS record
        return True
    same_number = store.patients.patient_by_provisional_ipp(p["provisional_ipp"])
    if same_number is not None and same_number.id != change.entity_id:
        raise Conflict(
            "Le même formulaire papier (même numéro provisoire) a été saisi sur deux "
            "postes pour deux patients : un des deux doit être ressaisi.",
            "The same paper form (same provisional number) was keyed in on two "
            "workstations for two patients: one of them must be keyed in again.",
        )
    if store.patients.get_patient(change.entity_id) is None:
        store.patients.insert_patient(
            PatientRecord(
                id=change.entity_id,
                provisional_ipp=p["provisional_ipp"],
                ipp=None,
                identity=Identity.model_validate(p["identity"]),
                created_at=change.at,
                version=1,
            ),
            f"{change.actor}@{change.origin}",
        )
    if p.get("paper_form"):
        form = store.paper.paper_form(p["provisional_ipp"])
        if form is not None and form.used_at is None:
            store.paper.use_paper_form(form.number, f"{change.actor}@{change.origin}", change.entity_id)
    return True


def _paper_reserve(store: Store, change: ReceivedChange) -> None:
    p = change.payload
    first = parse_id(p["first"])
    for number in range(first, first + int(p["count"])):
        form = PaperForm(
            number=format_id(number),
            uf_code=p["uf_code"],
            batch=change.entity_id,
            reserved_at=change.at,
            reserved_by=f"{change.actor}@{change.origin}",
        )
        store.paper.add_paper_form_if_absent(form)
        keyed = store.patients.patient_by_provisional_ipp(form.number)
        stored = store.paper.paper_form(form.number)
        if keyed is not None and stored is not None and stored.used_at is None:
            store.paper.use_paper_form(form.number, f"{change.actor}@{change.origin}", keyed.id)


def _admission(store: Store, change: ReceivedChange) -> str | None:
    p = change.payload
    if store.stays.get_stay(change.entity_id) is not None:
        return None
    if store.patients.get_patient(p["patient_id"]) is None:
        return f"patient:{p['patient_id']}"
    # a patient merged here by the CIV: the stay goes to the identity it was merged into
    patient_id, merge_row = _admit_under(store, p["patient_id"])
    movement = Movement.model_validate(p["movement"])
    other = store.stays.open_stay(patient_id)
    if other is not None:
        store.conflicts.save_conflict(
            ConflictRecord(
                entity="patient",
                entity_id=patient_id,
                kind=ConflictKind.DOUBLE_STAY,
                heads=tuple(sorted((other.id, change.entity_id))),
                detail={"stays": [other.id, change.entity_id], "origin": change.origin},
            )
        )
        return f"stay:{other.id}"  # until the other stay ends (received; or here: "acted here")
    store.stays.insert_stay(
        StayRecord(
            id=change.entity_id,
            patient_id=patient_id,
            provisional_nda=p["provisional_nda"],
            nda=None,
            state=StayState.PRESENT,
            uf_code=movement.uf_code,
            bed_code=None,
            admitted_at=movement.at,
            discharged_at=None,
            version=1,
        )
    )
    store.movements.insert_movement(
        change.entity_id,
        movement,
        change.actor,
        origin=change.origin,
        recorded_at=_recorded_at(change),
        first=True,
    )
    if movement.bed_code is None:
        store.stays.drop_bed_claim(change.entity_id)  # admitted without a bed: claims none
    settle_bed(store, movement.uf_code, movement.bed_code, also=(change.entity_id,))
    store.conflicts.supersede_conflicts("patient", patient_id, ConflictKind.DOUBLE_STAY, [])
    if merge_row is not None:
        store.merges.add_merge_stays(merge_row.id, [change.entity_id])
    return None


def _recorded_at(change: ReceivedChange) -> datetime:
    value = change.payload.get("recorded_at")
    return datetime.fromisoformat(value) if value else change.at


def _movement(store: Store, change: ReceivedChange) -> str | None:
    movement = Movement.model_validate(change.payload["movement"])
    if store.movements.movement_exists(movement.id):
        return None
    after = change.payload.get("after_id")
    if store.stays.get_stay(change.entity_id) is None:
        return f"stay:{change.entity_id}"
    if after and not store.movements.movement_exists(after):
        return f"movement:{after}"
    # A correction (or a cancellation) names a movement that need not be one it followed: made
    # after another branch's movement, it may arrive before the one it acts on. It waits for it.
    for named in (movement.corrects, movement.cancels):
        if named and not store.movements.movement_exists(named):
            return f"movement:{named}"
    store.movements.insert_movement(
        change.entity_id,
        movement,
        change.actor,
        origin=change.origin,
        recorded_at=_recorded_at(change),
        after_id=after,
    )
    remerge_stay(store, change.entity_id, change)
    return None


class _Claim(NamedTuple):
    placed: tuple[datetime, str]  # when the stay was put in the bed, then its id: the order
    uf_code: str | None
    bed_code: str


def _claim(store: Store, stay_id: str) -> _Claim | None:
    """The bed the stay's movements place it in, and when, as kept since they last changed
    (``stay_claims``), or merged from them now and kept."""
    kept = store.stays.kept_claim(stay_id)
    if kept is not None:
        placed, uf, bed = kept
        return _Claim((datetime.fromisoformat(placed), stay_id), uf, bed) if placed and bed else None
    nodes = store.movements.movement_tree(stay_id)
    return _keep(store, stay_id, _claim_of(stay_id, nodes, merge(nodes)))


def _keep(store: Store, stay_id: str, claim: _Claim | None) -> _Claim | None:
    if claim is None:
        store.stays.keep_claim(stay_id, None, None, None)
    else:
        store.stays.keep_claim(stay_id, claim.placed[0].isoformat(), claim.uf_code, claim.bed_code)
    return claim


def _claim_of(stay_id: str, nodes: Sequence[MovementNode], merged: MergedStay) -> _Claim | None:
    view = merged.view
    if view is None or view.bed_code is None or view.state not in (StayState.PRESENT, StayState.ON_LEAVE):
        return None
    by_id = {n.movement.id: n.movement for n in nodes}
    placed = [  # as corrected: a corrected transfer was put in its bed at its corrected time
        m.at
        for m in effective_movements(by_id[i] for i in merged.order)
        if m.kind in (MovementKind.ADMISSION, MovementKind.TRANSFER)
    ]
    return _Claim(
        (placed[-1] if placed else view.admitted_at or datetime.min, stay_id), view.uf_code, view.bed_code
    )


def settle_bed(
    store: Store,
    uf: str | None,
    bed: str | None,
    also: tuple[str, ...] = (),
    known: Mapping[str, _Claim | None] | None = None,
) -> None:
    """Give a bed that several open stays' movements place in to the one put there first.

    Decided from the stays as they are, so every workstation gives it to the same
    stay whatever order the movements arrived in; the others stay without a bed (a
    conflict says so) until someone moves them, or the bed is free again. Only the stay
    in the bed, those listed as maybe claiming it (``bed_claims``) and ``also`` (a stay
    just re-merged) are looked at: never every bedless stay of the UF. ``known`` holds the
    claims the caller has just computed (a re-merged stay's), not computed again.
    """
    if not uf or not bed:
        return
    claims = []
    for stay_id in dict.fromkeys([*store.stays.bed_claimants(uf, bed), *also]):
        claim = known[stay_id] if known and stay_id in known else _claim(store, stay_id)
        if claim is not None and (claim.uf_code, claim.bed_code) == (uf, bed):
            claims.append(claim.placed)
        elif claim is not None and claim.uf_code and stay_id not in also:
            store.stays.note_bed_claim(stay_id, claim.uf_code, claim.bed_code)  # another bed
        elif stay_id not in also:
            store.stays.drop_bed_claim(stay_id)  # no bed to claim
    claims.sort()
    for _, stay_id in claims[1:]:
        store.stays.set_stay_bed(stay_id, None)
        store.stays.note_bed_claim(stay_id, uf, bed)
    if claims:
        store.stays.set_stay_bed(claims[0][1], bed)
        store.stays.drop_bed_claim(claims[0][1])
    key = f"{uf}/{bed}"
    heads = [sorted(sid for _, sid in claims)] if len(claims) > 1 else []
    store.conflicts.supersede_conflicts("bed", key, ConflictKind.BED, heads)
    if len(claims) > 1:
        store.conflicts.save_conflict(
            ConflictRecord(
                entity="bed",
                entity_id=key,
                kind=ConflictKind.BED,
                heads=tuple(heads[0]),
                detail={
                    "uf_code": uf,
                    "bed_code": bed,
                    "holder": claims[0][1],
                    "without_bed": [sid for _, sid in claims[1:]],
                },
            )
        )


def remerge_stay(store: Store, stay_id: str, change: ReceivedChange) -> None:
    """Recompute a stay from all its movements; report forks and beds taken twice."""
    nodes = store.movements.movement_tree(stay_id)
    merged = merge(nodes)
    if merged.order != tuple(n.movement.id for n in nodes):
        store.movements.resequence(stay_id, merged.order)
    store.movements.mark_rejected(stay_id, merged.rejected)
    by_id = {n.movement.id: n for n in nodes}
    store.conflicts.supersede_conflicts("stay", stay_id, ConflictKind.MOVEMENTS, merged.forks)
    for group in merged.forks:
        if store.conflicts.conflict_resolved("stay", stay_id, ConflictKind.MOVEMENTS, group):
            continue
        store.conflicts.save_conflict(
            ConflictRecord(
                entity="stay",
                entity_id=stay_id,
                kind=ConflictKind.MOVEMENTS,
                heads=group,
                detail={
                    "movements": [
                        {
                            "id": mid,
                            "kind": by_id[mid].movement.kind.value,
                            "at": by_id[mid].movement.at.isoformat(),
                            "origin": by_id[mid].origin,
                            "recorded_by": by_id[mid].recorded_by,
                            "kept": mid not in merged.rejected,
                        }
                        for mid in group
                    ],
                    "rejected": list(merged.rejected),
                },
            )
        )
    view = merged.view
    before = store.stays.get_stay(stay_id)
    if view is None or before is None:
        return
    try:  # an open stay gets its bed from settle_bed; a closed one keeps where it ended
        store.stays.save_merged_stay(
            stay_id, view.model_copy(update={"bed_code": None}) if view.state.is_open else view
        )
    except Conflict:
        store.conflicts.save_conflict(
            ConflictRecord(
                entity="patient",
                entity_id=before.patient_id,
                kind=ConflictKind.DOUBLE_STAY,
                heads=(stay_id,),
                detail={"stays": [stay_id], "origin": change.origin},
            )
        )
        return
    if view.bed_code is None:
        store.stays.drop_bed_claim(stay_id)  # its movements place it in no bed: it claims none
    known = {stay_id: _keep(store, stay_id, _claim_of(stay_id, nodes, merged))}  # as merged above
    settle_bed(store, before.uf_code, before.bed_code, also=(stay_id,), known=known)
    settle_bed(store, view.uf_code, view.bed_code, also=(stay_id,), known=known)


@dataclass(frozen=True)
class _Edit:
    befores: tuple[str, ...]
    after: str
    identity: dict[str, Any]
    at: datetime
    change_id: str
    origin: str
    actor: str


def _edits(store: Store, local_ws: str, patient_id: str, extra: ReceivedChange | None) -> list[_Edit]:
    edits: list[_Edit] = []

    def add(
        payload: dict[str, Any], action: str, at: datetime, change_id: str, origin: str, actor: str
    ) -> None:
        if action == "patient.update":
            befores = (identity_hash(payload["before"]),)
            after = payload["after"]
        elif payload.get("kind") == ConflictKind.IDENTITY.value and payload.get("identity"):
            befores, after = tuple(payload["heads"]), payload["identity"]
        else:
            return
        edits.append(_Edit(befores, identity_hash(after), after, at, change_id, origin, actor))

    for row in store.audit.audit_of("patient", patient_id, IDENTITY_ACTIONS):
        add(
            json.loads(row.payload),
            row.action,
            datetime.fromisoformat(row.at),
            f"{local_ws}:{row.seq}",
            local_ws,
            row.actor,
        )
    received = store.exchange.received_changes_of("patient", patient_id, IDENTITY_ACTIONS)
    if extra is not None:
        received.append(extra)
    for c in received:
        add(c.payload, c.action, c.at, c.change_id, c.origin, c.actor)
    return edits


def _supersedes(later: _Edit, earlier: _Edit) -> bool:
    """``later`` was made on the version ``earlier`` produced (and after it: reverts make cycles)."""
    return (
        later is not earlier
        and earlier.after in later.befores
        and (later.at, later.change_id) > (earlier.at, earlier.change_id)
    )


def recompute_identity(
    store: Store, local_ws: str, patient_id: str, extra: ReceivedChange | None = None
) -> None:
    """Set the identity no correction replaced; two such versions make a conflict."""
    edits = _edits(store, local_ws, patient_id, extra)
    if not edits:
        return
    heads = [e for e in edits if not any(_supersedes(f, e) for f in edits)]
    latest: dict[str, _Edit] = {}
    for e in heads:
        if e.after not in latest or (e.at, e.change_id) > (latest[e.after].at, latest[e.after].change_id):
            latest[e.after] = e
    winner = max(latest.values(), key=lambda e: (e.at, e.change_id))
    patient = store.patients.get_patient(patient_id)
    if patient is not None and identity_hash(patient.identity.data()) != winner.after:
        store.patients.replace_identity(patient_id, Identity.model_validate(winner.identity))
    store.conflicts.supersede_conflicts(
        "patient", patient_id, ConflictKind.IDENTITY, [sorted(latest)] if len(latest) > 1 else []
    )
    if len(latest) > 1:
        store.conflicts.save_conflict(
            ConflictRecord(
                entity="patient",
                entity_id=patient_id,
                kind=ConflictKind.IDENTITY,
                heads=tuple(sorted(latest)),
                detail={
                    "versions": {
                        h: {
                            "identity": e.identity,
                            "at": e.at.isoformat(),
                            "origin": e.origin,
                            "actor": e.actor,
                        }
                        for h, e in latest.items()
                    },
                    "shown": winner.after,
                },
            )
        )


def _resolution(store: Store, local_ws: str, change: ReceivedChange) -> str | None:
    p = change.payload
    entity, entity_id, kind = p["entity"], p["entity_id"], ConflictKind(p["kind"])
    exists = {"patient": store.patients.get_patient, "stay": store.stays.get_stay}.get(entity)
    if exists is not None and exists(entity_id) is None:
        return f"{entity}:{entity_id}"
    heads = tuple(p["heads"])
    store.conflicts.save_conflict(
        ConflictRecord(entity=entity, entity_id=entity_id, kind=kind, heads=heads, detail=p.get("detail", {}))
    )
    store.conflicts.close_conflicts(
        entity,
        entity_id,
        kind,
        heads,
        f"{change.actor}@{change.origin}",
        {"change": change.change_id, **{k: v for k, v in p.items() if k not in ("detail",)}},
    )
    if kind is ConflictKind.IDENTITY:
        recompute_identity(store, local_ws, entity_id, extra=change)
    return None


MERGE_KIND = "identity_merge"  # outbox kind: an ADT^A40 to the HIS


@dataclass(frozen=True)
class HisSide:
    """What a merge does about the HIS on this workstation."""

    a40_event: str | None  # the A40 queued here (the HIS knew the merged identity)
    events: tuple[str, ...]  # the merged identity's queued events re-pointed to the kept one
    why_fr: str
    why_en: str


def tell_his_of_merge(
    store: Store, kept: PatientRecord, merged: PatientRecord, *, told_elsewhere: bool = False
) -> HisSide:
    """The HIS's side of a merge, decided from this workstation's outbox.

    The HIS knows the merged identity when it has an HIS IPP or when one of its events left
    this workstation (sent, held, accepted or exported): an A40 is queued (MRG-1 that IPP, or
    the provisional IPP in the kit's domain), after the merged identity's events still queued,
    which go out as they were (the HIS must get them under the identity it knows) and which
    the A40 waits behind. Otherwise the HIS never saw it: its events not handed to the HIS yet
    are re-pointed to the kept identity, so that they go out under it, and no A40 is needed.
    ``told_elsewhere``: a merge received whose own workstation queued the A40.
    """
    if merged.ipp and merged.ipp == kept.ipp:  # one HIS identity twice here: nothing to merge there
        return HisSide(
            None,
            (),
            "les deux dossiers portent le même IPP du DPI : rien à fusionner dans le DPI.",
            "both records carry the same HIS IPP: nothing to merge in the HIS.",
        )
    known = bool(merged.ipp) or store.outbox.his_may_know(merged.id)
    if known and not told_elsewhere:
        event = store.outbox.enqueue(
            MERGE_KIND,
            kept.id,
            None,
            None,
            {
                "merged_id": merged.id,
                "merged_ipp": merged.ipp,
                "merged_provisional_ipp": merged.provisional_ipp,
                "kept_ipp": kept.ipp,
            },
        )
        if merged.ipp:
            return HisSide(
                event,
                (),
                "les deux identités sont connues du DPI : fusion envoyée (ADT^A40).",
                "both identities are known to the HIS: merge sent (ADT^A40).",
            )
        return HisSide(
            event,
            (),
            "le DPI a déjà reçu l'identité fusionnée sous son IPP provisoire : fusion envoyée "
            "(ADT^A40, MRG-1 l'IPP provisoire), après ses messages encore en attente.",
            "the HIS already received the merged identity under its provisional IPP: merge sent "
            "(ADT^A40, MRG-1 the provisional IPP), after its messages still queued.",
        )
    if known:  # received: the workstation that made the merge tells the HIS
        moved = tuple(store.outbox.repoint_events(store.outbox.unsent_event_ids(merged.id), kept.id))
        return HisSide(
            None,
            moved,
            "le poste qui a fait la fusion l'envoie au DPI (ADT^A40) ; les messages de l'identité "
            "fusionnée en attente ici partent sous l'identité gardée.",
            "the workstation that made the merge sends it to the HIS (ADT^A40); the merged "
            "identity's messages queued here go out under the kept identity.",
        )
    moved = tuple(store.outbox.repoint_events(store.outbox.unsent_event_ids(merged.id), kept.id))
    # Said from this workstation's outbox: one from which its events did leave sends the A40
    # when the merge reaches it.
    if kept.ipp or store.outbox.his_may_know(kept.id):
        return HisSide(
            None,
            moved,
            "l'identité fusionnée n'a pas d'IPP du DPI et aucun de ses messages n'est parti de ce "
            "poste : aucune fusion n'est envoyée d'ici ; ses messages en attente partent sous "
            "l'identité gardée.",
            "the merged identity has no HIS IPP and none of its messages left this workstation: "
            "no merge is sent from here; its queued messages go out under the kept identity.",
        )
    return HisSide(
        None,
        moved,
        "aucune des deux identités n'a d'IPP du DPI ni de message parti de ce poste : aucune "
        "fusion n'est envoyée d'ici (le DPI recevra les séjours sous l'identité gardée).",
        "neither identity has an HIS IPP or a message that left this workstation: no merge is "
        "sent from here (the HIS gets the stays under the kept identity).",
    )


def untell_his_of_merge(store: Store, record: MergeRecord) -> dict[str, Any]:
    """On an undo: the events still queued that the merge re-pointed, and those made since for
    the stays moved back, go back to the merged identity; the audit says which already left."""
    since = store.outbox.unsent_event_ids(record.kept_id, record.stays)
    wanted = [*record.events, *(e for e in since if e not in record.events)]
    back = store.outbox.repoint_events(wanted, record.merged_id)
    gone = [e for e in record.events if e not in back]
    out: dict[str, Any] = {"events_repointed_back": back}
    if gone:
        out["events_left_under_kept"] = gone
        out["events_why_fr"] = (
            "des messages de l'identité fusionnée sont déjà partis sous l'identité gardée : "
            "l'identitovigilance du DPI doit les rattacher à nouveau à l'autre dossier."
        )
        out["events_why_en"] = (
            "messages of the merged identity already went out under the kept identity: the HIS's "
            "identity vigilance must attach them to the other record again."
        )
    return out


def _admit_under(store: Store, patient_id: str) -> tuple[str, MergeRecord | None]:
    """The patient a stay of ``patient_id`` belongs to here: the one it was merged into (the
    end of the chain), with the merge that must record it (so that an undo moves it back)."""
    record, seen = store.patients.get_patient(patient_id), {patient_id}
    merge_row = None
    while record is not None and record.merged_into is not None and record.merged_into not in seen:
        merge_row = store.merges.active_merge_of(record.id) or merge_row
        seen.add(record.merged_into)
        record = store.patients.get_patient(record.merged_into)
    return (record.id if record is not None else patient_id), merge_row


def _identity_merge(store: Store, change: ReceivedChange) -> bool:
    """A merge made by the CIV elsewhere: the same stays move, the same row is kept here.

    It waits until both identities and every stay it moved are here. Stays of the merged
    identity it does not list (admitted here, or received from a third workstation, before
    the merge arrived) move too and are recorded in the row, so that the merged identity
    holds nothing and an undo, here or received, moves them back; a stay of the merged
    identity received after the merge goes to the kept one (``_admission``), recorded the
    same way. The A40 for the HIS stays with the workstation that made the merge; the merged
    identity's events queued here follow ``tell_his_of_merge``."""
    p = change.payload
    if store.merges.get_merge(change.entity_id) is not None:
        return True
    kept, merged = store.patients.get_patient(p["kept_id"]), store.patients.get_patient(p["merged_id"])
    listed = tuple(p["moved"]["stays"])
    stays = [store.stays.get_stay(s) for s in listed]
    if kept is None or merged is None or any(s is None for s in stays):
        return False
    if merged.merged_into not in (None, kept.id):
        raise Conflict(
            "Cette identité a été fusionnée dans une autre sur un autre poste.",
            "This identity was merged into another one on another workstation.",
        )
    extra = [s for s in store.stays.stays_of(merged.id) if s.id not in listed]
    if any(s.state.is_open for s in extra) and store.stays.open_stay(kept.id) is not None:
        raise Conflict(
            "L'identité fusionnée a été réadmise sur un autre poste alors que l'identité gardée est "
            "en séjour : le patient serait dans deux séjours à la fois. Clôturez ou annulez l'un des "
            "deux séjours.",
            "The merged identity was readmitted on another workstation while the kept identity is "
            "in a stay: the patient would be in two stays at once. Close or cancel one of the two.",
        )
    moved = [s.id for s in stays if s is not None and s.patient_id == merged.id] + [s.id for s in extra]
    store.merges.move_stays(moved, kept.id)
    store.merges.set_merged_into(merged.id, kept.id)
    side = tell_his_of_merge(store, kept, merged, told_elsewhere=bool(p.get("his", {}).get("a40")))
    store.merges.insert_merge(
        MergeRecord(
            id=change.entity_id,
            kept_id=kept.id,
            merged_id=merged.id,
            merged_at=change.at,
            merged_by=f"{change.actor}@{change.origin}",
            reason=p.get("reason") or "",
            stays=listed + tuple(s.id for s in extra),
            movements=int(p["moved"].get("movements", 0)),
            a40_event=side.a40_event,
            events=side.events,
        )
    )
    return True


def _identity_unmerge(store: Store, change: ReceivedChange) -> bool:
    """The undoing of a merge made elsewhere: waits for the merge itself."""
    record = store.merges.get_merge(change.entity_id)
    if record is None:
        return False
    if record.undone:
        return True
    back = [
        s
        for s in record.stays
        if (stay := store.stays.get_stay(s)) is not None and stay.patient_id == record.kept_id
    ]
    store.merges.move_stays(back, record.merged_id)
    store.merges.set_merged_into(record.merged_id, None)
    untell_his_of_merge(store, record)
    if record.a40_event is not None:
        store.merges.supersede_event(record.a40_event)
    store.merges.mark_undone(record.id, change.at, f"{change.actor}@{change.origin}", record.version)
    return True
