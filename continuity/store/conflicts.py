"""Conflicts between workstations: detected, superseded, resolved."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.exchange import ConflictKind, ConflictRecord
from continuity.store.base import Manager
from continuity.store.rows import _dt, _iso


class ConflictManager(Manager):
    """``store.conflicts``: the ``conflicts`` table."""

    def save_conflict(self, c: ConflictRecord) -> None:
        self._write(
            "INSERT INTO conflicts(entity, entity_id, kind, heads, detail, detected_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id, kind, heads)"
            " DO UPDATE SET detail = excluded.detail",
            (
                c.entity,
                c.entity_id,
                c.kind.value,
                json.dumps(sorted(c.heads)),
                json.dumps(c.detail, ensure_ascii=False, sort_keys=True, default=str),
                _iso(c.detected_at or self._clock()),
            ),
        )

    def close_conflicts(
        self,
        entity: str,
        entity_id: str,
        kind: ConflictKind,
        heads: Sequence[str] | None,
        by: str,
        resolution: dict[str, Any],
    ) -> int:
        """Mark open conflicts resolved: those with exactly ``heads``, or all of the record."""
        sql = (
            "UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?"
            " WHERE entity = ? AND entity_id = ? AND kind = ? AND resolved_at IS NULL"
        )
        params: list[Any] = [
            _iso(self._clock()),
            by,
            json.dumps(resolution, ensure_ascii=False, sort_keys=True, default=str),
            entity,
            entity_id,
            kind.value,
        ]
        if heads is not None:
            sql += " AND heads = ?"
            params.append(json.dumps(sorted(heads)))
        return int(self._write(sql, params).rowcount)

    def supersede_conflicts(
        self, entity: str, entity_id: str, kind: ConflictKind, current: Sequence[Sequence[str]]
    ) -> None:
        """Close the open conflicts of a record that the data no longer shows (outgrown forks)."""
        keep = {json.dumps(sorted(h)) for h in current}
        for row in self._all(
            "SELECT id, heads FROM conflicts WHERE entity = ? AND entity_id = ?"
            " AND kind = ? AND resolved_at IS NULL",
            (entity, entity_id, kind.value),
        ):
            if row[1] not in keep:
                self._write(
                    "UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                    (_iso(self._clock()), "@merge", json.dumps({"superseded": True}), row[0]),
                )

    def bed_was_disputed(self, uf_code: str | None, bed_code: str | None) -> bool:
        """Two workstations once gave this bed (only then may a patient wait for it)."""
        return (
            bool(uf_code and bed_code)
            and self._one(
                "SELECT 1 FROM conflicts WHERE entity = 'bed' AND entity_id = ?", (f"{uf_code}/{bed_code}",)
            )
            is not None
        )

    def conflict_resolved(
        self, entity: str, entity_id: str, kind: ConflictKind, heads: Sequence[str]
    ) -> bool:
        return (
            self._one(
                "SELECT 1 FROM conflicts WHERE entity = ? AND entity_id = ? AND kind = ?"
                " AND heads = ? AND resolved_at IS NOT NULL",
                (entity, entity_id, kind.value, json.dumps(sorted(heads))),
            )
            is not None
        )

    def conflicts(self, open_only: bool = True) -> list[ConflictRecord]:
        return self._conflicts("WHERE resolved_at IS NULL" if open_only else "", ())

    def conflict(self, conflict_id: int) -> ConflictRecord | None:
        found = self._conflicts("WHERE id = ?", (conflict_id,))
        return found[0] if found else None

    def _conflicts(self, where: str, params: Sequence[Any]) -> list[ConflictRecord]:
        return [
            ConflictRecord(
                id=r[0],
                entity=r[1],
                entity_id=r[2],
                kind=ConflictKind(r[3]),
                heads=tuple(json.loads(r[4])),
                detail=json.loads(r[5]),
                detected_at=datetime.fromisoformat(r[6]),
                resolved_at=_dt(r[7]),
                resolved_by=r[8],
            )
            for r in self._all(
                "SELECT id, entity, entity_id, kind, heads, detail, detected_at, resolved_at,"
                f" resolved_by FROM conflicts {where} ORDER BY id",
                params,
            )
        ]

    def count_open_conflicts(self) -> int:
        return int(self._one("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL")[0])
