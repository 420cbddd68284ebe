"""Movements: the movements of a stay, the tree of what followed what, and the merge's marks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.movement import Movement, MovementNode
from continuity.store.base import Manager
from continuity.store.rows import _iso

_MOVEMENT_COLS = (
    "id, kind, at, uf_code, bed_code, discharge_mode, destination, destination_detail, cancels, reason,"
    " corrects"
)


def _movement(r: Sequence[Any]) -> Movement:
    return Movement(
        id=r[0],
        kind=r[1],
        at=datetime.fromisoformat(r[2]),
        uf_code=r[3],
        bed_code=r[4],
        discharge_mode=r[5],
        destination=r[6],
        destination_detail=r[7],
        cancels=r[8],
        reason=r[9],
        corrects=r[10],
    )


class MovementManager(Manager):
    """``store.movements``: the ``movements`` table."""

    def movements_of(self, stay_id: str) -> list[Movement]:
        rows = self._all(
            f"SELECT {_MOVEMENT_COLS} FROM movements WHERE stay_id = ? ORDER BY seq",
            (stay_id,),
        )
        return [_movement(r) for r in rows]

    def insert_movement(
        self,
        stay_id: str,
        m: Movement,
        recorded_by: str,
        *,
        origin: str | None = None,
        recorded_at: datetime | None = None,
        after_id: str | None = None,
        first: bool = False,
    ) -> None:
        """Append a movement; ``after_id`` defaults to the stay's latest movement.

        ``origin`` and ``recorded_at`` come with a movement received from another
        workstation (``None``: recorded here, now). ``first`` marks a stay's first
        movement, which follows nothing.
        """
        last = self._one(
            "SELECT coalesce(max(seq), 0) + 1, (SELECT id FROM movements"
            " WHERE stay_id = ?1 ORDER BY seq DESC LIMIT 1)"
            " FROM movements WHERE stay_id = ?1",
            (stay_id,),
        )
        seq, latest = last[0], last[1]
        after = None if first else (after_id if after_id is not None else latest)
        self._write(
            "INSERT INTO movements(id, stay_id, seq, kind, at, uf_code, bed_code, discharge_mode,"
            " destination, destination_detail, cancels, reason, recorded_at, recorded_by,"
            " after_id, origin, corrects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.id,
                stay_id,
                seq,
                m.kind.value,
                m.at.isoformat(),
                m.uf_code,
                m.bed_code,
                m.discharge_mode.value if m.discharge_mode else None,
                m.destination.value if m.destination else None,
                m.destination_detail,
                m.cancels,
                m.reason,
                _iso(recorded_at or self._clock()),
                recorded_by,
                after,
                origin,
                m.corrects,
            ),
        )

    def movement_exists(self, movement_id: str) -> bool:
        return self._one("SELECT 1 FROM movements WHERE id = ?", (movement_id,)) is not None

    def movement_tree(self, stay_id: str) -> list[MovementNode]:
        """The movements of a stay with what each followed, when and where it was recorded."""
        rows = self._all(
            f"SELECT {_MOVEMENT_COLS}, after_id, recorded_at,"
            " coalesce(origin, (SELECT code FROM workstations WHERE is_local = 1)),"
            " recorded_by FROM movements WHERE stay_id = ? ORDER BY seq",
            (stay_id,),
        )
        return [
            MovementNode(
                movement=_movement(r),
                after_id=r[11],
                recorded_at=datetime.fromisoformat(r[12]),
                origin=r[13],
                recorded_by=r[14],
            )
            for r in rows
        ]

    def mark_rejected(self, stay_id: str, rejected: Sequence[str]) -> None:
        """Record which movements the merge left out; their outbox events are superseded (and
        given back if a later merge keeps them after all)."""
        listed = json.dumps(list(rejected))
        self._write(  # only the rows that change: each row written is sealed again
            "UPDATE movements SET rejected = (id IN (SELECT value FROM json_each(?))) WHERE stay_id = ?"
            " AND rejected IS NOT (id IN (SELECT value FROM json_each(?)))",
            (listed, stay_id, listed),
        )
        self._write(
            "UPDATE outbox SET status = 'superseded', updated_at = ? WHERE stay_id = ?"
            " AND status IN ('pending', 'error') AND movement_id IN"
            " (SELECT id FROM movements WHERE stay_id = ? AND rejected = 1)",
            (_iso(self._clock()), stay_id, stay_id),
        )
        self._write(
            "UPDATE outbox SET status = 'pending', updated_at = ? WHERE stay_id = ?"
            " AND status = 'superseded' AND movement_id IN"
            " (SELECT id FROM movements WHERE stay_id = ? AND rejected = 0)",
            (_iso(self._clock()), stay_id, stay_id),
        )

    def resequence(self, stay_id: str, ordered_ids: Sequence[str]) -> None:
        """Renumber a stay's movements in the given order (two passes: ``seq`` is unique)."""
        self._write("UPDATE movements SET seq = -seq WHERE stay_id = ?", (stay_id,))
        for seq, movement_id in enumerate(ordered_ids, start=1):
            self._write(
                "UPDATE movements SET seq = ? WHERE id = ? AND stay_id = ?", (seq, movement_id, stay_id)
            )

    def stay_of_movement(self, movement_id: str) -> str | None:
        row = self._one("SELECT stay_id FROM movements WHERE id = ?", (movement_id,))
        return str(row[0]) if row else None

    def stays_ever_in_bed(self, uf_code: str, bed_code: str) -> list[str]:
        """The stays with a movement naming this bed (those that may have been in it)."""
        rows = self._all(
            "SELECT DISTINCT stay_id FROM movements WHERE uf_code = ? AND bed_code = ? ORDER BY stay_id",
            (uf_code, bed_code),
        )
        return [r[0] for r in rows]

    def movement_link(self, movement_id: str) -> tuple[str | None, datetime] | None:
        """(movement it followed, when it was recorded) of a stored movement."""
        row = self._one("SELECT after_id, recorded_at FROM movements WHERE id = ?", (movement_id,))
        return (row[0], datetime.fromisoformat(row[1])) if row else None
