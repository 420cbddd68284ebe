"""Drafts of forms being typed: kept encrypted, for their owner only, no audit per keystroke."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from continuity.changes import Changes
from continuity.domain.drafts import DraftKind
from continuity.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from continuity.services import drafts
from continuity.session import Session, Workspace
from tests.conftest import PNEUMO_NURSE, PNEUMO_PW, Clock

TYPED = "Quirinalle"  # a name no fixture uses: found in a file only if a draft leaked


def _audit_actions(session: Session) -> list[str]:
    return [row.action for row in session.store.audit.audit_rows()]


def test_a_draft_is_kept_updated_and_taken_back_by_its_owner(nurse: Session, clock: Clock) -> None:
    draft_id = uuid.uuid4().hex
    first = drafts.save_draft(nurse, draft_id, DraftKind.ADMISSION, {"birth_name": "Quiri"})
    clock.advance(seconds=3)
    drafts.save_draft(
        nurse, draft_id, DraftKind.ADMISSION, {"birth_name": TYPED, "unknown": False, "year": 1970}
    )
    [kept] = drafts.drafts_of_user(nurse)
    assert kept.id == draft_id and kept.owner == nurse.actor and kept.kind is DraftKind.ADMISSION
    assert kept.fields == {"birth_name": TYPED, "unknown": False, "year": 1970}
    assert kept.updated_at == clock.now != first.updated_at
    audit_before = _audit_actions(nurse)
    assert "draft.resume" not in audit_before  # saving is not audited, keystroke by keystroke
    assert drafts.take_draft(nurse, draft_id) == kept
    assert _audit_actions(nurse)[len(audit_before) :] == ["draft.resume"]
    # saved: deleted without an audit entry; abandoned: audited
    assert drafts.discard_draft(nurse, draft_id) is True
    assert drafts.drafts_of_user(nurse) == [] and _audit_actions(nurse)[-1] == "draft.resume"
    assert drafts.discard_draft(nurse, draft_id) is False
    other = uuid.uuid4().hex
    drafts.save_draft(nurse, other, DraftKind.PAPER_ADMISSION, {"birth_name": TYPED})
    assert drafts.discard_draft(nurse, other, abandoned=True) is True
    assert _audit_actions(nurse)[-1] == "draft.discard"
    payloads = [row.payload for row in nurse.store.audit.audit_rows() if row.action.startswith("draft.")]
    assert all(TYPED not in p and "Quiri" not in p for p in payloads)  # the kind only, never a field


def test_no_one_else_ever_reads_or_touches_a_draft(
    nurse: Session, crisis: Session, admin_session: Session, workspace: Workspace
) -> None:
    draft_id = uuid.uuid4().hex
    drafts.save_draft(nurse, draft_id, DraftKind.ADMISSION, {"birth_name": TYPED})
    with workspace.unlock(PNEUMO_NURSE.username, PNEUMO_PW) as pneumo:
        assert drafts.drafts_of_user(pneumo) == []
        with pytest.raises(NotFound):
            drafts.take_draft(pneumo, draft_id)
        assert drafts.discard_draft(pneumo, draft_id, abandoned=True) is False
        with pytest.raises(Conflict):  # nor overwrite it by its id
            drafts.save_draft(pneumo, draft_id, DraftKind.ADMISSION, {"birth_name": "X"})
    # roles that do not admit keep no drafts and see none
    for session in (crisis, admin_session):
        assert drafts.drafts_of_user(session) == []
        with pytest.raises(PermissionDenied):
            drafts.save_draft(session, uuid.uuid4().hex, DraftKind.ADMISSION, {"birth_name": "X"})
        with pytest.raises(PermissionDenied):
            drafts.take_draft(session, draft_id)
    [kept] = drafts.drafts_of_user(nurse)
    assert kept.fields == {"birth_name": TYPED}


def test_bad_drafts_are_refused(nurse: Session) -> None:
    with pytest.raises(InvalidInput):
        drafts.save_draft(nurse, "../../etc", DraftKind.ADMISSION, {})
    with pytest.raises(InvalidInput):
        drafts.save_draft(nurse, uuid.uuid4().hex, DraftKind.ADMISSION, {"birth_name": "A" * 5000})
    with pytest.raises(ValueError):
        drafts.save_draft(nurse, uuid.uuid4().hex, "nonsense", {})  # type: ignore[arg-type]


def test_a_draft_changes_the_drafts_concern_only(nurse: Session) -> None:
    nurse.take_changes()
    draft_id = uuid.uuid4().hex
    drafts.save_draft(nurse, draft_id, DraftKind.ADMISSION, {"birth_name": TYPED})
    assert nurse.take_changes() == Changes.of("drafts")  # no screen reloads on a keystroke
    drafts.discard_draft(nurse, draft_id)
    assert nurse.take_changes() == Changes.of("drafts")


def test_a_draft_is_never_in_clear_on_disk(nurse: Session, workspace: Workspace) -> None:
    draft_id = uuid.uuid4().hex
    drafts.save_draft(nurse, draft_id, DraftKind.ADMISSION, {"birth_name": TYPED, "first_names": "Zéphyrine"})
    for word in (TYPED, "Zéphyrine"):
        assert _files_holding(workspace.folder, word) == []
    nurse.store.checkpoint()
    drafts.discard_draft(nurse, draft_id)
    nurse.store.checkpoint()
    assert _files_holding(workspace.folder, TYPED) == []


def _files_holding(folder: Path, word: str) -> list[Path]:
    needles = [word.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    needles += [word.upper().encode("utf-8")]
    return [p for p in folder.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]
