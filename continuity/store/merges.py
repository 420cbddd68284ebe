"""Identity merges: the ``identity_merges`` table, and moving stays between patients."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.merges import MergeRecord
from continuity.store.base import Manager
from continuity.store.rows import _iso, _stale_or_missing

_COLS = "id, kept_id, merged_id, merged_at, merged_by, reason, moved, undone_at, undone_by, version"


def _merge(r: Sequence[Any]) -> MergeRecord:
    moved = json.loads(r[6])
    return MergeRecord(
        id=r[0],
        kept_id=r[1],
        merged_id=r[2],
        merged_at=datetime.fromisoformat(r[3]),
        merged_by=r[4],
        reason=r[5],
        stays=tuple(moved.get("stays", ())),
        movements=int(moved.get("movements", 0)),
        a40_event=moved.get("a40_event"),
        events=tuple(moved.get("events", ())),
        undone_at=datetime.fromisoformat(r[7]) if r[7] else None,
        undone_by=r[8],
        version=r[9],
    )


class MergeManager(Manager):
    """``store.merges``: ``identity_merges``, ``patients.merged_into`` and the stays they move."""

    def insert_merge(self, record: MergeRecord) -> None:
        moved = {
            "stays": list(record.stays),
            "movements": record.movements,
            "a40_event": record.a40_event,
            **({"events": list(record.events)} if record.events else {}),
        }
        self._write(
            f"INSERT INTO identity_merges({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.kept_id,
                record.merged_id,
                _iso(record.merged_at),
                record.merged_by,
                record.reason,
                json.dumps(moved, sort_keys=True),
                _iso(record.undone_at),
                record.undone_by,
                record.version,
            ),
        )

    def get_merge(self, merge_id: str) -> MergeRecord | None:
        row = self._one(f"SELECT {_COLS} FROM identity_merges WHERE id = ?", (merge_id,))
        return _merge(row) if row else None

    def list_merges(self, limit: int = 1000) -> list[MergeRecord]:
        rows = self._all(f"SELECT {_COLS} FROM identity_merges ORDER BY merged_at DESC, id LIMIT ?", (limit,))
        return [_merge(r) for r in rows]

    def active_merges_into(self, patient_id: str) -> list[MergeRecord]:
        """Merges not undone that kept ``patient_id``."""
        rows = self._all(
            f"SELECT {_COLS} FROM identity_merges WHERE kept_id = ? AND undone_at IS NULL", (patient_id,)
        )
        return [_merge(r) for r in rows]

    def add_merge_stays(self, merge_id: str, stay_ids: Sequence[str]) -> None:
        """Record stays a merge moved after it was made (received or admitted elsewhere meanwhile)."""
        row = self._one("SELECT moved FROM identity_merges WHERE id = ?", (merge_id,))
        if row is None or not stay_ids:
            return
        moved = json.loads(row[0])
        moved["stays"] = [*moved.get("stays", ()), *(s for s in stay_ids if s not in moved.get("stays", ()))]
        self._write(
            "UPDATE identity_merges SET moved = ? WHERE id = ?", (json.dumps(moved, sort_keys=True), merge_id)
        )

    def active_merge_of(self, merged_id: str) -> MergeRecord | None:
        """The merge not undone that merged ``merged_id``."""
        row = self._one(
            f"SELECT {_COLS} FROM identity_merges WHERE merged_id = ? AND undone_at IS NULL"
            " ORDER BY merged_at DESC LIMIT 1",
            (merged_id,),
        )
        return _merge(row) if row else None

    def mark_undone(self, merge_id: str, at: datetime, by: str, expected_version: int) -> None:
        cur = self._write(
            "UPDATE identity_merges SET undone_at = ?, undone_by = ?, version = version + 1"
            " WHERE id = ? AND version = ? AND undone_at IS NULL",
            (_iso(at), by, merge_id, expected_version),
        )
        if cur.rowcount == 0:
            raise _stale_or_missing(self._one("SELECT 1 FROM identity_merges WHERE id = ?", (merge_id,)))

    def set_merged_into(self, patient_id: str, into: str | None) -> None:
        self._write(
            "UPDATE patients SET merged_into = ?, version = version + 1 WHERE id = ?", (into, patient_id)
        )

    def move_stays(self, stay_ids: Sequence[str], patient_id: str) -> None:
        """Give stays (their movements follow: they hang on the stay) to another patient."""
        for stay_id in stay_ids:
            self._write(
                "UPDATE stays SET patient_id = ?, version = version + 1 WHERE id = ?", (patient_id, stay_id)
            )

    def count_movements(self, stay_ids: Sequence[str]) -> int:
        if not stay_ids:
            return 0
        marks = ",".join("?" * len(stay_ids))
        return int(self._one(f"SELECT count(*) FROM movements WHERE stay_id IN ({marks})", list(stay_ids))[0])

    def supersede_event(self, event_id: str) -> bool:
        """Withdraw an outbox event never handed to the HIS; False if it already left."""
        cur = self._write(
            "UPDATE outbox SET status = 'superseded', updated_at = ?"
            " WHERE event_id = ? AND status = 'pending'",
            (_iso(self._clock()), event_id),
        )
        return bool(cur.rowcount)
