"""Drafts of forms being typed: nothing typed is lost to a crash, a kill or a power cut.

While an admission is typed, the application saves its fields here a second after the
last key (``save_draft``), inside the encrypted store: never in clear, never in a
temporary file. The draft is deleted when the form is saved or the user abandons it
(``discard_draft``). After a crash, the same user is offered it back at their next
unlock (``drafts_of_user``, then ``take_draft``); no other user ever reads it, not even
the crisis cell or IT (every function works on the session's own user's drafts only).

No audit entry for each keystroke: a draft is not a record of care. Taking one up
again and abandoning one are audited (kind only, never a field), so a lost admission
can be traced.
"""

from __future__ import annotations

from collections.abc import Mapping

from continuity.domain.drafts import DRAFT_ID, MAX_FIELDS, MAX_TEXT, Draft, DraftKind, FieldValue
from continuity.domain.users import Permission
from continuity.errors import Conflict, InvalidInput, NotFound
from continuity.session import Session

# Every form kept as a draft today records a movement (an admission).
DRAFT_PERMISSION = Permission.RECORD_MOVEMENTS


def _check(session: Session, draft_id: str) -> None:
    session.require(DRAFT_PERMISSION)
    if not DRAFT_ID.fullmatch(draft_id):
        raise InvalidInput("Identifiant de brouillon invalide.", "Invalid draft identifier.")


def _fields(fields: Mapping[str, FieldValue]) -> dict[str, FieldValue]:
    if len(fields) > MAX_FIELDS or any(
        not isinstance(name, str) or len(name) > 64 or (isinstance(value, str) and len(value) > MAX_TEXT)
        for name, value in fields.items()
    ):
        raise InvalidInput("Brouillon trop volumineux.", "Draft too large.")
    return dict(fields)


def save_draft(session: Session, draft_id: str, kind: DraftKind, fields: Mapping[str, FieldValue]) -> Draft:
    """Keep (or update) the session user's draft ``draft_id`` of a form of ``kind``."""
    _check(session, draft_id)
    draft = Draft(
        id=draft_id,
        owner=session.actor,
        kind=DraftKind(kind),
        fields=_fields(fields),
        updated_at=session.clock(),
    )
    store = session.store
    with store.transaction():
        if not store.drafts.save_draft(draft):
            raise Conflict("Ce brouillon n'est pas le vôtre.", "This draft is not yours.")
    return draft


def drafts_of_user(session: Session) -> list[Draft]:
    """The session user's drafts, the latest typed first (none of anyone else's)."""
    if not session.user.can(DRAFT_PERMISSION):
        return []
    return session.store.drafts.drafts_of(session.actor)


def take_draft(session: Session, draft_id: str) -> Draft:
    """One of the session user's drafts, to type on (it stays kept until saved or abandoned)."""
    _check(session, draft_id)
    store = session.store
    draft = store.drafts.draft(draft_id, session.actor)
    if draft is None:
        raise NotFound("Brouillon introuvable.", "Draft not found.")
    with store.transaction():
        store.audit.append_audit(
            session.actor, "draft.resume", "draft", draft.id, 1, {"kind": draft.kind.value}
        )
    return draft


def discard_draft(session: Session, draft_id: str, *, abandoned: bool = False) -> bool:
    """Delete the session user's draft (its form was saved, or ``abandoned`` by the user's choice).

    Returns whether there was one. Only an abandoned draft is audited: a saved form has
    the audit entry of what it recorded.
    """
    _check(session, draft_id)
    store = session.store
    draft = store.drafts.draft(draft_id, session.actor)
    if draft is None:
        return False
    with store.transaction():
        store.drafts.delete_draft(draft_id, session.actor)
        if abandoned:
            store.audit.append_audit(
                session.actor, "draft.discard", "draft", draft_id, 1, {"kind": draft.kind.value}
            )
    return True
