"""Workstation exchange during the outage: what to export, importing, peers and conflicts.

A workstation's changes are the entries of its own audit chain (admissions,
movements, identity corrections, paper-form reservations, conflict
resolutions), each with the site-wide id ``<workstation>:<audit seq>``. An
export takes those made since the previous export; files and encryption are
``sync.bundles``' job. HIS records that a change touches travel with it, so a
workstation that never had that snapshot still finds the stay.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity import signing, witness
from continuity.domain.exchange import (
    ApplyReport,
    BundleHeader,
    ConflictKind,
    ConflictRecord,
    FileLimits,
    PeerKey,
    PeerStatus,
    ReceivedChange,
)
from continuity.domain.identity import Identity
from continuity.domain.records import PatientRecord, Source, StayRecord
from continuity.domain.users import Permission
from continuity.errors import (
    Conflict,
    ContinuityError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from continuity.merge.apply import (
    ANY,
    apply_change,
    his_record,
    provides,
    recompute_identity,
)
from continuity.services.crisis import EXERCISE_KEY
from continuity.session import Session
from continuity.store import Store

KEY_META = "exchange.key"
EXPORTED_SEQ_META = "exchange.exported_audit_seq"
BUNDLE_SEQ_META = "exchange.bundle_seq"
EXPORTED_HEAD_META = "audit.exported_head"  # the audit head carried by the last bundle written
EXPORTED_ACTIONS = (
    "patient.create",
    "patient.update",
    "paper.reserve",
    "conflict.resolve",
    "identity.merge",  # the identity-vigilance cell's merges and their undoing
    "identity.unmerge",
    "service.status",  # the crisis cell's statuses, main courante and instructions (merge.crisis)
    "log.add",
    "instruction.send",
    "instruction.ack",
)
EXPORTED_PREFIXES = ("stay.",)
KEY_BYTES = 32
MAX_BUNDLE_META = "exchange.max_bundle_bytes"
MAX_INFLATED_META = "exchange.max_inflated_bytes"
MAX_SNAPSHOT_META = "snapshot.max_file_bytes"
BUNDLE_FORMAT = 2  # 2: signed by the workstation's own key; 1 (kit 0.2) was sealed only


class Export(BaseModel):
    """The content of one bundle, before encryption."""

    model_config = ConfigDict(frozen=True)
    header: BundleHeader
    changes: list[ReceivedChange]
    his_records: list[dict[str, Any]]
    up_to_audit_seq: int


# ------------------------------------------------------------------------- key
def key_id(key: bytes) -> str:
    """A short fingerprint of the site exchange key, written in every bundle's header."""
    return hashlib.sha256(b"continuite-echange" + key).hexdigest()[:12]


def bundle_key(session: Session) -> bytes:
    """The site key that seals and opens bundles: for the workstation's own exchange only."""
    session.require(Permission.EXCHANGE)
    return _site_key(session.store)


def _site_key(store: Store) -> bytes:
    value = store.get_meta(KEY_META)
    if not value:
        raise NotFound(
            "Clé d'échange du site non configurée sur ce poste : importez-la "
            "(continuity exchange key import FICHIER).",
            "The site exchange key is not set on this workstation: import it "
            "(continuity exchange key import FILE).",
        )
    return base64.b64decode(value)


def new_key(session: Session) -> str:
    """Create the site's exchange key here (once per site); return it encoded for the key file."""
    session.require(Permission.MANAGE_KEYS)
    key = secrets.token_bytes(KEY_BYTES)
    _store_key(session, key, "exchange.key_new")
    return base64.b64encode(key).decode()


def export_key(session: Session) -> str:
    session.require(Permission.MANAGE_KEYS)
    return base64.b64encode(_site_key(session.store)).decode()


def import_key(session: Session, encoded: str) -> str:
    """Set the site key from the key file made on another workstation; return its fingerprint."""
    session.require(Permission.MANAGE_KEYS)
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise InvalidInput("Fichier de clé d'échange invalide.", "Invalid exchange key file.")
    _store_key(session, key, "exchange.key_import")
    return key_id(key)


def _store_key(session: Session, key: bytes, action: str) -> None:
    store = session.store
    with store.transaction():
        store.set_meta(KEY_META, base64.b64encode(key).decode())
        store.exchange.forget_refused_bundles()
        store.audit.append_audit(session.actor, action, "site", "exchange", 1, {"key_id": key_id(key)})


# ---------------------------------------------------------------------- limits
def file_limits(session: Session) -> FileLimits:
    """The largest bundle and snapshot files read here (site settings, else the defaults)."""
    session.require(Permission.EXCHANGE)
    store = session.store
    default = FileLimits()

    def read(key: str, fallback: int) -> int:
        value = store.get_meta(key)
        return int(value) if value and value.isdigit() and int(value) > 0 else fallback

    return FileLimits(
        bundle_bytes=read(MAX_BUNDLE_META, default.bundle_bytes),
        bundle_inflated_bytes=read(MAX_INFLATED_META, default.bundle_inflated_bytes),
        snapshot_bytes=read(MAX_SNAPSHOT_META, default.snapshot_bytes),
    )


# ---------------------------------------------------------------- signing keys
def own_signing_key(session: Session) -> bytes:
    """This workstation's private signing key (raw 32 bytes), created at first need.

    Kept only in the encrypted store's meta (``signing.SIGNING_META_KEY``, base64): it signs
    this workstation's bundles (and may sign what else it vouches for, each use with its own
    label, see ``continuity.signing``).
    """
    session.require(Permission.EXCHANGE)
    return _own_key(session.store, session.actor)


def own_public_key(session: Session) -> bytes:
    """This workstation's public signing key (raw 32 bytes), for the other workstations to declare."""
    session.require(Permission.READ_STATUS)
    return signing.public_key(_own_key(session.store, session.actor))


def _own_key(store: Store, actor: str) -> bytes:
    value = store.get_meta(signing.SIGNING_META_KEY)
    if value:
        return base64.b64decode(value)
    # A store provisioned by kit 0.2: its key is made now, once (under the write lock).
    if store.in_transaction:
        return _create_own_key(store, actor)
    with store.transaction():
        return _create_own_key(store, actor)


def _create_own_key(store: Store, actor: str) -> bytes:
    value = store.get_meta(signing.SIGNING_META_KEY)  # read again under the lock
    if value:
        return base64.b64decode(value)
    private = signing.new_private_key()
    store.set_meta(signing.SIGNING_META_KEY, base64.b64encode(private).decode())
    store.audit.append_audit(
        actor,
        "exchange.signing_key_new",
        "site",
        store.reference.local_workstation().code,
        1,
        {"fingerprint": signing.fingerprint(signing.public_key(private))},
    )
    return private


def declare_peer(session: Session, workstation: str, key_text: str) -> PeerKey:
    """Declare (or replace) another workstation's public key, or its fingerprint alone.

    A person compares the fingerprint shown with the one the other workstation shows
    (``continuity exchange key show``) before trusting it. Bundles refused before (from an
    undeclared workstation, say) are looked at again.
    """
    session.require(Permission.MANAGE_KEYS)
    store = session.store
    code = workstation.strip().upper()
    fingerprint, public = signing.parse_declared(key_text)
    known = {c: is_local for c, _, is_local in store.exchange.workstations()}
    if code not in known:
        raise NotFound(
            f"Poste {code} absent du site : déclarez un poste du fichier de site.",
            f"Workstation {code} is not on the site: declare a workstation of the site file.",
        )
    if known[code]:
        raise InvalidInput(
            "C'est ce poste-ci : sa clé est la sienne, rien à déclarer.",
            "This is this very workstation: its key is its own, nothing to declare.",
        )
    with store.transaction():
        previous = store.exchange.peer_key(code)
        text = base64.b64encode(public).decode() if public is not None else None
        store.exchange.set_peer_key(code, fingerprint, text, session.actor)
        store.exchange.forget_refused_bundles()
        store.audit.append_audit(
            session.actor,
            "exchange.peer_declare",
            "workstation",
            code,
            1,
            {"fingerprint": fingerprint, "previous": previous.fingerprint if previous else None},
        )
        declared = store.exchange.peer_key(code)
    assert declared is not None
    return declared


def forget_peer(session: Session, workstation: str) -> None:
    """Withdraw a workstation's key (a stolen or retired workstation): its bundles are refused from now on."""
    session.require(Permission.MANAGE_KEYS)
    store = session.store
    code = workstation.strip().upper()
    with store.transaction():
        previous = store.exchange.peer_key(code)
        if previous is None:
            raise NotFound(
                f"Aucune clé déclarée pour le poste {code}.", f"No key declared for workstation {code}."
            )
        store.exchange.delete_peer_key(code)
        store.audit.append_audit(
            session.actor,
            "exchange.peer_forget",
            "workstation",
            code,
            1,
            {"fingerprint": previous.fingerprint},
        )


def peer_keys(session: Session) -> list[PeerKey]:
    """The keys declared for the other workstations (public: IT and every user may see them)."""
    session.require(Permission.READ_STATUS)
    return session.store.exchange.peer_keys()


def declared_peer(session: Session, workstation: str) -> PeerKey | None:
    """The key declared for a workstation whose bundle is being imported."""
    session.require(Permission.EXCHANGE)
    return session.store.exchange.peer_key(workstation)


# ---------------------------------------------------------------------- export
def prepare_export(session: Session, *, everything: bool = False) -> Export | None:
    """The changes made here since the last export (all of them with ``everything``), or None."""
    session.require(Permission.EXCHANGE)
    store = session.store
    site_code, _ = store.reference.site_name()
    ws = store.reference.local_workstation().code
    since = 0 if everything else int(store.get_meta(EXPORTED_SEQ_META) or 0)
    rows = store.audit.audit_after(since, EXPORTED_ACTIONS, EXPORTED_PREFIXES)
    if not rows and not everything:
        return None
    changes: list[ReceivedChange] = []
    his: dict[str, dict[str, Any]] = {}
    for row in rows:
        payload: dict[str, Any] = json.loads(row.payload)
        if row.action.startswith("stay."):
            link = store.movements.movement_link(payload["movement"]["id"])
            if link is not None:
                payload["after_id"] = link[0]
                payload["recorded_at"] = link[1].isoformat()
        changes.append(
            ReceivedChange(
                change_id=f"{ws}:{row.seq}",
                origin=ws,
                origin_seq=row.seq,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                at=datetime.fromisoformat(row.at),
                actor=row.actor,
                payload=payload,
            )
        )
        if row.action.startswith("identity."):  # a merge: the HIS identity it kept, if one
            _collect_his(store, "patient", payload["kept_id"], {}, his)
        else:
            _collect_his(store, row.entity, row.entity_id, payload, his)
    seq = int(store.get_meta(BUNDLE_SEQ_META) or 0) + 1
    private = _own_key(store, session.actor)
    public = signing.public_key(private)
    head = store.audit.head()
    header = BundleHeader(
        audit_head=witness.sign_head(private, ws, head[0], head[1], session.clock()) if head else None,
        format=BUNDLE_FORMAT,
        signer=signing.fingerprint(public),
        signer_key=signing.public_key_text(public),
        site=site_code,
        workstation=ws,
        seq=seq,
        created_at=session.clock(),
        changes=len(changes),
        key_id=key_id(_site_key(store)),
        exercise=store.get_meta(EXERCISE_KEY) == "on",
    )
    return Export(
        header=header,
        changes=changes,
        his_records=list(his.values()),
        up_to_audit_seq=rows[-1].seq if rows else since,
    )


def _collect_his(
    store: Store, entity: str, entity_id: str, payload: dict[str, Any], out: dict[str, dict[str, Any]]
) -> None:
    patient_id = payload.get("patient_id") if entity == "stay" else entity_id
    stay = store.stays.get_stay(entity_id) if entity == "stay" else None
    if stay is not None:
        patient_id = stay.patient_id
    patient = store.patients.get_patient(patient_id) if patient_id else None
    if patient is not None and patient.source is Source.HIS and patient.id not in out:
        out[patient.id] = {
            "kind": "patient",
            "id": patient.id,
            "ipp": patient.ipp,
            "provisional_ipp": patient.provisional_ipp,
            "identity": patient.identity.data(),
            "as_of": patient.created_at.isoformat(),
            **({"from_index": True} if patient.from_index else {}),  # admitted from the HIS index
        }
    if stay is not None and stay.source is Source.HIS and stay.id not in out:
        first = store.movements.movements_of(stay.id)[0]
        out[stay.id] = {
            "kind": "stay",
            "id": stay.id,
            "patient_id": stay.patient_id,
            "nda": stay.nda,
            "provisional_nda": stay.provisional_nda,
            "admission": first.model_dump(mode="json"),
            "as_of": (stay.admitted_at or first.at).isoformat(),
        }


def commit_export(session: Session, export: Export) -> None:
    """The bundle file is written: remember what it carried."""
    session.require(Permission.EXCHANGE)
    store = session.store
    with store.transaction():
        store.set_meta(
            EXPORTED_SEQ_META, str(max(export.up_to_audit_seq, int(store.get_meta(EXPORTED_SEQ_META) or 0)))
        )
        store.set_meta(BUNDLE_SEQ_META, str(export.header.seq))
        if export.header.audit_head is not None:  # a witness now held by whoever reads the bundle
            store.set_meta(EXPORTED_HEAD_META, export.header.audit_head.model_dump_json())
        store.audit.append_audit(
            session.actor,
            "exchange.export",
            "bundle",
            f"{export.header.workstation}:{export.header.seq}",
            1,
            {"changes": export.header.changes},
        )


# ---------------------------------------------------------------------- import
class Receipt(StrEnum):
    """What a bundle found in the exchange folder is to this workstation, before it is opened."""

    NEW = "new"
    OWN = "own"  # written here
    DUPLICATE = "duplicate"  # this very content was imported already


def was_refused(session: Session, sha256: str) -> bool:
    """This content was refused before (foreign key, tampered): not tried again."""
    session.require(Permission.EXCHANGE)
    return session.store.exchange.bundle_refused(sha256)


def receipt(session: Session, header: BundleHeader, sha256: str) -> Receipt:
    session.require(Permission.EXCHANGE)
    store = session.store
    if header.workstation == store.reference.local_workstation().code:
        return Receipt.OWN
    return Receipt.DUPLICATE if store.exchange.bundle_known(sha256) else Receipt.NEW


def refuse_bundle(session: Session, sha256: str, file_name: str, reason_fr: str, reason_en: str) -> None:
    """Remember a bundle refused (so it is not tried again) and say why in the audit."""
    session.require(Permission.EXCHANGE)
    store = session.store
    with store.transaction():
        store.exchange.record_refused_bundle(sha256, file_name, f"{reason_fr} / {reason_en}")
        store.audit.append_audit(
            session.actor, "exchange.refused", "bundle", sha256, 1, {"file": file_name, "reason": reason_en}
        )


def apply_bundle(
    session: Session,
    header: BundleHeader,
    sha256: str,
    changes: list[ReceivedChange],
    his_records: list[dict[str, Any]],
) -> ApplyReport:
    """Merge a bundle from another workstation, in one transaction.

    A bundle already imported (same content) changes nothing; a bundle re-using a
    sequence number with more in it is merged too: every change is idempotent.
    """
    session.require(Permission.EXCHANGE)
    store = session.store
    local_ws = store.reference.local_workstation().code
    if header.workstation == local_ws:
        raise Conflict(
            "Lot d'échange de ce poste même : rien à importer.",
            "Exchange bundle from this very workstation: nothing to import.",
        )
    with store.transaction():
        if store.exchange.bundle_known(sha256):
            return ApplyReport(
                workstation=header.workstation,
                seq=header.seq,
                duplicate=True,
                conflicts=store.conflicts.count_open_conflicts(),
            )
        created = False
        for record in his_records:
            with contextlib.suppress(Exception), store.savepoint():
                created |= his_record(store, record)  # a copy this workstation cannot take is not needed
        counts = {"applied": 0, "waiting": 0, "failed": 0}
        known = 0
        fresh: set[str] = set()
        for change in sorted(changes, key=lambda c: c.origin_seq):
            if store.exchange.change_known(change.change_id) or change.origin == local_ws:
                known += 1
                continue
            status, waits_for = _try_apply(store, local_ws, change)
            store.exchange.insert_change(change, status, waits_for)
            counts[status] += 1
            if status == "applied":
                fresh.update(provides(change))
        counts["applied"] += _retry_waiting(store, local_ws, fresh, everything=created or _acted_here(store))
        store.exchange.record_bundle(sha256, header.workstation, header.seq, header.created_at, len(changes))
        _witness_peer_head(store, header)
        waiting = store.exchange.count_waiting()
        store.set_meta(RETRIED_AT_META, str(_audit_seq(store) + 1))  # + the entry just below
        conflicts = store.conflicts.count_open_conflicts()
        store.audit.append_audit(
            session.actor,
            "exchange.import",
            "bundle",
            f"{header.workstation}:{header.seq}",
            1,
            {
                "applied": counts["applied"],
                "already_known": known,
                "waiting": waiting,
                "failed": counts["failed"],
            },
        )
    return ApplyReport(
        workstation=header.workstation,
        seq=header.seq,
        applied=counts["applied"],
        already_known=known,
        waiting=waiting,
        failed=counts["failed"],
        conflicts=conflicts,
    )


def _witness_peer_head(store: Store, header: BundleHeader) -> None:
    """Keep the sender's signed audit head (this store is then a witness of its chain).

    A later bundle of that peer showing a shorter chain, or another entry at the same
    number, is kept as a contradiction: its chain was cut or rewritten in between.
    """
    head = header.audit_head
    if head is None or head.workstation != header.workstation or not header.signer_key:
        return
    if not head.signed_by(signing.parse_public_key(header.signer_key)):
        return
    held = store.audit.peer_head(head.workstation)
    if held is None or (header.seq >= held[1] and head.seq > held[0].seq):
        store.audit.keep_peer_head(head, header.seq)
    elif header.seq >= held[1] and (
        head.seq < held[0].seq or (head.seq == held[0].seq and head.hash != held[0].hash)
    ):
        store.audit.contradict_peer_head(head)


def _try_apply(store: Store, local_ws: str, change: ReceivedChange) -> tuple[str, str | None]:
    """('applied' | 'waiting' | 'failed', what it waits for when waiting).

    Each change is applied under a savepoint: one that contradicts what is here
    (a paper form keyed on two workstations, a damaged record) is undone alone and
    shown as a conflict, and the rest of the bundle goes on.
    """
    try:
        with store.savepoint():
            waits_for = apply_change(store, local_ws, change)
            return ("applied", None) if waits_for is None else ("waiting", waits_for)
    except Exception as exc:  # one bad change must not block the others
        fr, en = (
            (exc.message_fr, exc.message_en)
            if isinstance(exc, ContinuityError)
            else ("Donnée incohérente avec ce poste.", "Data inconsistent with this workstation.")
        )
        store.conflicts.save_conflict(
            ConflictRecord(
                entity=change.entity,
                entity_id=change.entity_id,
                kind=ConflictKind.UNAPPLIED,
                heads=(change.change_id,),
                detail={
                    "action": change.action,
                    "origin": change.origin,
                    "actor": change.actor,
                    "at": change.at.isoformat(),
                    "reason_fr": fr,
                    "reason_en": en,
                },
            )
        )
        return "failed", None


RETRIED_AT_META = "exchange.retried_at_audit_seq"  # the audit seq after the last import
RETRY_CHUNK = 500  # keys per query: well under SQLite's limit on parameters


def _audit_seq(store: Store) -> int:
    head = store.audit.head()
    return head[0] if head else 0


# What, recorded here, may end a wait that no received change announces: a stay or an
# identity created or ended here, an HIS snapshot, a conflict resolved (not a login).
ENDS_WAITS = ("stay.", "patient.", "identity.", "snapshot.", "conflict.")


def _acted_here(store: Store) -> bool:
    """Something that may end a wait was recorded here since the last import."""
    since = int(store.get_meta(RETRIED_AT_META) or 0)
    return bool(store.audit.audit_after(since, (), ENDS_WAITS, limit=1))  # one is enough


def _retry_waiting(store: Store, local_ws: str, fresh: set[str], *, everything: bool) -> int:
    """Apply the waiting changes that what was just applied unblocks, until nothing moves:
    those waiting for a key in ``fresh``, then for what they provide in turn; those whose
    wait no change announces (``ANY``, or received before waits were recorded) each time;
    ``everything``: every waiting change once first (something here may have ended a wait).
    Each change is retried when its wait may be over, not at every import."""
    done = 0
    batch = (
        store.exchange.waiting_changes()
        if everything
        else store.exchange.changes_waiting_for([ANY], or_unknown=True)
    )
    while True:
        keys = sorted(fresh)
        for start in range(0, len(keys), RETRY_CHUNK):
            batch += store.exchange.changes_waiting_for(keys[start : start + RETRY_CHUNK])
        if not batch:
            return done
        fresh = set()
        for change in sorted(
            {c.change_id: c for c in batch}.values(), key=lambda c: (c.origin, c.origin_seq)
        ):
            status, waits_for = _try_apply(store, local_ws, change)
            store.exchange.set_change_status(change.change_id, status, waits_for)
            if status == "applied":
                done += 1
                fresh.update(provides(change))
        batch = []


# ---------------------------------------------------------------------- status
def peers(session: Session) -> list[PeerStatus]:
    """Every workstation of the site with the bundles received from it."""
    session.require(Permission.READ_STATUS)
    store = session.store
    received = store.exchange.bundles_by_workstation()
    own_seq = int(store.get_meta(BUNDLE_SEQ_META) or 0)
    out = []
    for code, name, is_local in store.exchange.workstations():
        bundles = received.get(code, [])
        seqs = {b[0] for b in bundles}
        last = max(bundles, default=None, key=lambda b: b[0])
        if is_local:
            out.append(
                PeerStatus(
                    workstation=code,
                    name=name,
                    is_local=True,
                    last_seq=own_seq or None,
                    last_created_at=None,
                    missing=(),
                )
            )
            continue
        missing = tuple(n for n in range(1, last[0]) if n not in seqs) if last else ()
        out.append(
            PeerStatus(
                workstation=code,
                name=name,
                is_local=False,
                last_seq=last[0] if last else None,
                last_created_at=max((b[1] for b in bundles), default=None),
                missing=missing,
            )
        )
    return out


def open_conflicts(session: Session) -> list[ConflictRecord]:
    session.require(Permission.READ_PATIENTS)
    return session.store.conflicts.conflicts(open_only=True)


class ConflictView(BaseModel):
    """An open conflict with the patient (and stay) it is about, for a person to settle."""

    model_config = ConfigDict(frozen=True)
    conflict: ConflictRecord
    patient: PatientRecord | None
    stay: StayRecord | None


def _stay_of(store: Store, c: ConflictRecord) -> StayRecord | None:
    """The stay a conflict is about (for a bed: a patient who went without it)."""
    if c.entity == "stay":
        return store.stays.get_stay(c.entity_id)
    if c.entity == "bed" and c.detail.get("without_bed"):
        return store.stays.get_stay(c.detail["without_bed"][0])
    return None


def conflict_views(session: Session) -> list[ConflictView]:
    store = session.store
    out = []
    for c in open_conflicts(session):
        stay = _stay_of(store, c)
        patient = store.patients.get_patient(stay.patient_id if stay else c.entity_id)
        out.append(
            ConflictView(
                conflict=c,
                patient=patient,
                stay=stay or (store.stays.open_stay(patient.id) if patient else None),
            )
        )
    return out


def waiting_count(session: Session) -> int:
    session.require(Permission.READ_STATUS)
    return session.store.exchange.count_waiting()


def open_conflict_count(session: Session) -> int:
    """How many conflicts wait for a user (without showing them: IT may see the count)."""
    session.require(Permission.READ_STATUS)
    return session.store.conflicts.count_open_conflicts()


# ------------------------------------------------------------------ resolution
def resolve(session: Session, conflict_id: int, keep: str | None = None) -> ConflictRecord:
    """Settle a conflict; for an identity, ``keep`` is the version hash chosen.

    The resolution is itself a change: exported, it settles the same conflict on
    every workstation. An identity chosen here is also queued for the HIS.
    """
    store = session.store
    with store.transaction():
        conflict = store.conflicts.conflict(conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise NotFound("Conflit introuvable ou déjà résolu.", "Conflict not found or already resolved.")
        _require_resolver(session, conflict)
        payload: dict[str, Any] = {
            "entity": conflict.entity,
            "entity_id": conflict.entity_id,
            "kind": conflict.kind.value,
            "heads": list(conflict.heads),
            "detail": conflict.detail,
        }
        if conflict.kind is ConflictKind.IDENTITY:
            versions = conflict.detail.get("versions", {})
            if keep not in versions:
                raise InvalidInput(
                    "Choisissez l'une des versions de l'identité en conflit.",
                    "Choose one of the conflicting identity versions.",
                )
            chosen = Identity.model_validate(versions[keep]["identity"])
            payload["identity"] = chosen.data()
        store.conflicts.close_conflicts(
            conflict.entity, conflict.entity_id, conflict.kind, conflict.heads, session.actor, {"keep": keep}
        )
        store.audit.append_audit(
            session.actor, "conflict.resolve", conflict.entity, conflict.entity_id, 1, payload
        )
        if conflict.kind is ConflictKind.IDENTITY:
            ws = store.reference.local_workstation().code
            recompute_identity(store, ws, conflict.entity_id)
            patient = store.patients.get_patient(conflict.entity_id)
            assert patient is not None
            stay = store.stays.open_stay(patient.id)
            store.outbox.enqueue(
                "identity_update",
                patient.id,
                stay.id if stay else None,
                None,
                {
                    "identity": patient.identity.data(),
                    "provisional_ipp": patient.provisional_ipp,
                },
            )
        resolved = store.conflicts.conflict(conflict_id)
    assert resolved is not None
    return resolved


def _require_resolver(session: Session, conflict: ConflictRecord) -> None:
    """The crisis cell, or staff of the UF where the patient is."""
    user = session.user
    if user.can(Permission.RECONCILE_IDENTITIES):
        return
    store = session.store
    stay = _stay_of(store, conflict) or store.stays.open_stay(conflict.entity_id)
    if stay is not None and user.can(Permission.RECORD_MOVEMENTS, stay.uf_code):
        return
    raise PermissionDenied(
        "Seuls la cellule de crise ou l'unité du patient règlent ce conflit.",
        "Only the crisis cell or the patient's unit can settle this conflict.",
    )
