"""Drafts of forms being typed: read and written for their owner only."""

from __future__ import annotations

import json

from continuity.domain.drafts import Draft, DraftKind
from continuity.store.base import Manager
from continuity.store.rows import _dt, _iso

_DRAFT_COLS = "id, owner, kind, fields, updated_at"


def _draft(row: tuple[str, str, str, str, str]) -> Draft:
    updated_at = _dt(row[4])
    assert updated_at is not None
    return Draft(
        id=row[0], owner=row[1], kind=DraftKind(row[2]), fields=json.loads(row[3]), updated_at=updated_at
    )


class DraftManager(Manager):
    """``store.drafts``: the ``drafts`` table."""

    def save_draft(self, draft: Draft) -> bool:
        """Insert or update; ``False`` when the id is another user's draft (or another form's)."""
        cur = self._write(
            "INSERT INTO drafts (id, owner, kind, fields, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at "
            "WHERE drafts.owner = excluded.owner AND drafts.kind = excluded.kind",
            (
                draft.id,
                draft.owner,
                draft.kind.value,
                json.dumps(draft.fields, ensure_ascii=False, sort_keys=True),
                _iso(draft.updated_at),
            ),
        )
        return bool(cur.rowcount == 1)

    def draft(self, draft_id: str, owner: str) -> Draft | None:
        row = self._one(f"SELECT {_DRAFT_COLS} FROM drafts WHERE id = ? AND owner = ?", (draft_id, owner))
        return _draft(row) if row else None

    def drafts_of(self, owner: str) -> list[Draft]:
        """The user's drafts, the latest typed first."""
        return [
            _draft(r)
            for r in self._all(
                f"SELECT {_DRAFT_COLS} FROM drafts WHERE owner = ? ORDER BY updated_at DESC, id", (owner,)
            )
        ]

    def delete_draft(self, draft_id: str, owner: str) -> bool:
        cur = self._write("DELETE FROM drafts WHERE id = ? AND owner = ?", (draft_id, owner))
        return bool(cur.rowcount == 1)
