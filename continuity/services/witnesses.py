"""Witnesses of audit chains (``continuity.witness``): this workstation's head, the peers'
heads held here, and checking this chain against the witnesses of it.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from continuity import signing, witness
from continuity.domain.users import Permission
from continuity.errors import InvalidInput, NotFound
from continuity.folders import WITNESS_NAME, write_private
from continuity.services.exchange import EXPORTED_HEAD_META, own_public_key
from continuity.session import Session
from continuity.store import Store
from continuity.witness import AuditHead


class WitnessCheck(BaseModel):
    """One witness of this workstation's chain, checked against it."""

    model_config = ConfigDict(frozen=True)
    source: str  # file | export | given | recorded (a finding at unlock not acknowledged)
    seq: int | None
    short: str | None
    held: bool  # the chain holds that entry with that hash
    signed: bool | None  # its signature is this workstation's (None: unsigned, or given by hand)
    problem_fr: str | None = None
    problem_en: str | None = None

    @property
    def ok(self) -> bool:
        return self.held and self.signed is not False


class PeerHead(BaseModel):
    """The latest head of another workstation's chain received here, in its bundles."""

    model_config = ConfigDict(frozen=True)
    head: AuditHead
    bundle_seq: int
    contradicted_by: AuditHead | None  # a later bundle showing a chain that cannot follow it


def own_head(session: Session) -> AuditHead | None:
    """This workstation's chain head now, signed (for the situation report, ``audit witness``)."""
    session.require(Permission.READ_STATUS)
    store = session.store
    head = store.audit.head()
    if head is None:
        return None
    private = _private_key(session)
    return witness.sign_head(private, store.reference.local_workstation().code, *head, session.clock())


def _private_key(session: Session) -> bytes | None:
    value = session.store.get_meta(signing.SIGNING_META_KEY)
    return base64.b64decode(value) if value else None


def peer_heads(session: Session) -> list[PeerHead]:
    """The heads of the other workstations' chains held here (what this store witnesses)."""
    session.require(Permission.READ_STATUS)
    return [
        PeerHead(
            head=head,
            bundle_seq=bundle_seq,
            contradicted_by=AuditHead.model_validate_json(other) if other else None,
        )
        for head, bundle_seq, other in session.store.audit.peer_heads()
    ]


def check_witnesses(session: Session, given: list[tuple[int, str]] | None = None) -> list[WitnessCheck]:
    """This chain against every witness of it this workstation knows, and those ``given``.

    The witness file beside the store and the head carried by the last bundle exported
    must be entries of the chain (a chain emptied, cut or rewritten no longer holds them)
    and be signed by this workstation's key; a chain with entries and no witness file is
    reported too. ``given``: (number, hash or its beginning) read on a peer or on paper.
    """
    session.require(Permission.VERIFY_AUDIT)
    store = session.store
    public = own_public_key(session)
    checks: list[WitnessCheck] = []
    try:
        found = witness.read_witness(session.workspace.folder)
    except (ValueError, OSError):
        checks.append(_file_problem("fichier témoin illisible", "witness file unreadable"))
        found = None
    else:
        if found is None and store.audit.head() is not None:
            checks.append(_file_problem("fichier témoin absent", "witness file missing"))
    for row in witness.outstanding(store):
        checks.append(_finding(row.seq, row.action, row.payload))
    exported_text = store.get_meta(EXPORTED_HEAD_META)
    try:
        exported = AuditHead.model_validate_json(exported_text) if exported_text else None
    except ValueError:  # edited behind the kit's back: said, not a crash of the verification
        exported = None
        checks.append(
            _file_problem(
                "tête du dernier lot exporté illisible", "head of the last bundle exported unreadable"
            ).model_copy(update={"source": "export"})
        )
    heads = [("file", found), ("export", exported)]
    for source, head in heads:
        if head is not None:
            checks.append(_check(session, source, head.seq, head.hash, head, public))
    for seq, prefix in given or []:
        checks.append(_check(session, "given", seq, prefix, None, public))
    return checks


def _file_problem(problem_fr: str, problem_en: str) -> WitnessCheck:
    """The witness file beside the store cannot be checked: it is missing or unreadable."""
    return WitnessCheck(
        source="file",
        seq=None,
        short=None,
        held=False,
        signed=None,
        problem_fr=problem_fr,
        problem_en=problem_en,
    )


def _check(
    session: Session, source: str, seq: int, digest: str, head: AuditHead | None, public: bytes
) -> WitnessCheck:
    actual = session.store.audit.hash_at(seq)
    held = actual is not None and actual.startswith(digest.lower())
    signed = None if head is None or head.signature is None else head.signed_by(public)
    problem = None
    if not held:
        problem = (
            (f"le journal n'a plus d'entrée n°{seq}", f"the chain has no entry {seq} any more")
            if actual is None
            else (f"l'entrée n°{seq} n'est plus celle vue", f"entry {seq} is not the one witnessed")
        )
    elif signed is False:
        problem = ("signature du témoin invalide", "witness signature invalid")
    return WitnessCheck(
        source=source,
        seq=seq,
        short=digest[: witness.SHORT],
        held=held,
        signed=signed,
        problem_fr=problem[0] if problem else None,
        problem_en=problem[1] if problem else None,
    )


ACK_HINT = (
    "à acquitter par l'informatique : continuity audit witness --acknowledge RAISON",
    "to be acknowledged by IT: continuity audit witness --acknowledge REASON",
)


def _finding(seq: int, action: str, payload: str) -> WitnessCheck:
    """A finding an unlock recorded about the witness file, not acknowledged yet."""
    if action == witness.MISSING:
        fr, en = "fichier témoin absent à une ouverture", "witness file missing at an unlock"
    else:
        seen = json.loads(payload).get("seq")
        fr = f"fichier témoin d'une entrée n°{seen} que le journal n'a pas"
        en = f"witness file of an entry {seen} the chain does not hold"
    return WitnessCheck(
        source="recorded",
        seq=seq,
        short=None,
        held=False,
        signed=None,
        problem_fr=f"{fr} ({ACK_HINT[0]})",
        problem_en=f"{en} ({ACK_HINT[1]})",
    )


def findings(session: Session) -> list[WitnessCheck]:
    """The findings about the witness file no acknowledgement followed (doctor)."""
    session.require(Permission.READ_STATUS)
    return [_finding(r.seq, r.action, r.payload) for r in witness.outstanding(session.store)]


def acknowledge(session: Session, reason: str) -> int:
    """IT has looked at the findings about the witness file (missing, or of a head the chain
    does not hold): recorded with ``reason`` (``witness.acknowledged``), the file is written
    again at the chain's head, and ``audit verify`` no longer reports them. How many."""
    session.require(Permission.MANAGE_KEYS)
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise InvalidInput("Donnez la raison de l'acquittement.", "Give the reason for the acknowledgement.")
    store = session.store
    pending = witness.outstanding(store)
    if not pending:
        raise NotFound(
            "Aucun constat sur le fichier témoin à acquitter.",
            "No finding about the witness file to acknowledge.",
        )
    with store.transaction():
        store.audit.append_audit(
            session.actor,
            witness.ACKNOWLEDGED,
            "audit",
            "witness",
            1,
            {"reason": reason, "findings": [r.seq for r in pending]},
        )
    witness.attach(session.workspace.folder, store, session.clock, session.actor, fresh=True)
    return len(pending)


def write_copy_witness(session: Session, db_copy: Path) -> None:
    """Beside a copy of the store (a backup): the signed witness of the copy's own head, so
    the store restored from it has the witness its chain expects (not a finding)."""
    session.require(Permission.MANAGE_KEYS)
    copy = Store.open_encrypted(db_copy, session.db_key, session.clock)
    try:
        head = copy.audit.head()
        ws = copy.reference.local_workstation().code
    finally:
        copy.close()
    if head is not None:
        signed = witness.sign_head(_private_key(session), ws, *head, session.clock())
        write_private(db_copy.parent / WITNESS_NAME, signed.model_dump_json())
