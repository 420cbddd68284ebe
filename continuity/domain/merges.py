"""Identity merges by the identity-vigilance cell (CIV): what each moved, so it can be undone."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class MergeRecord(BaseModel):
    """One merge of two local identities of the same person.

    ``merged_id``'s stays (with all their movements) went to ``kept_id``; ``stays`` names
    exactly those, so that an undo moves them back and nothing else. The merged identity
    is kept (``patients.merged_into``), never deleted.
    """

    model_config = ConfigDict(frozen=True)
    id: str
    kept_id: str
    merged_id: str
    merged_at: datetime
    merged_by: str
    reason: str
    stays: tuple[str, ...]
    movements: int  # how many movements those stays held when merged
    a40_event: str | None = None  # the outbox event telling the HIS (it knew the merged identity)
    # the merged identity's outbox events not yet handed to the HIS, re-pointed here to the kept
    # identity (so that they go out under it); an undo points those still queued back
    events: tuple[str, ...] = ()
    undone_at: datetime | None = None
    undone_by: str | None = None
    version: int = 1

    @property
    def undone(self) -> bool:
        return self.undone_at is not None
