"""HIS identifiers: IPP and NDA the HIS gave, their reconciliation, and setting them on records."""

from __future__ import annotations

from continuity.domain.outbox import HisIdentifier, IdentifierKind, IdentifierSource, MappingStatus
from continuity.errors import Conflict
from continuity.store.base import Manager
from continuity.store.rows import _HIS_ID_COLS, _his_identifier, _iso


class HisIdManager(Manager):
    """``store.his_ids``: the ``his_identifiers`` table."""

    def add_his_identifier(
        self,
        entity: str,
        entity_id: str,
        kind: IdentifierKind,
        value: str,
        source: IdentifierSource,
        status: MappingStatus,
        decided_by: str | None = None,
    ) -> HisIdentifier:
        """Record an identifier the HIS gave; an identical one already recorded is returned."""
        now = _iso(self._clock())
        decided = now if status is not MappingStatus.PROPOSED else None
        self._write(
            "INSERT INTO his_identifiers(entity, entity_id, kind, value, source, status,"
            " proposed_at, decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(entity, entity_id, kind, value) DO NOTHING",
            (entity, entity_id, kind.value, value, source.value, status.value, now, decided, decided_by),
        )
        row = self._one(
            f"SELECT {_HIS_ID_COLS} FROM his_identifiers WHERE entity = ?"
            " AND entity_id = ? AND kind = ? AND value = ?",
            (entity, entity_id, kind.value, value),
        )
        return _his_identifier(row)

    def his_identifier(self, mapping_id: int) -> HisIdentifier | None:
        row = self._one(f"SELECT {_HIS_ID_COLS} FROM his_identifiers WHERE id = ?", (mapping_id,))
        return _his_identifier(row) if row else None

    def his_identifiers(
        self, status: MappingStatus | None = None, kind: IdentifierKind | None = None
    ) -> list[HisIdentifier]:
        sql, params = f"SELECT {_HIS_ID_COLS} FROM his_identifiers WHERE 1=1", []
        if status is not None:
            sql += " AND status = ?"
            params.append(status.value)
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind.value)
        return [_his_identifier(r) for r in self._all(sql + " ORDER BY id", params)]

    def his_identifiers_with_value(self, kind: IdentifierKind, value: str) -> list[HisIdentifier]:
        return [
            _his_identifier(r)
            for r in self._all(
                f"SELECT {_HIS_ID_COLS} FROM his_identifiers WHERE kind = ? AND value = ?"
                " AND status != 'rejected' ORDER BY id",
                (kind.value, value),
            )
        ]

    def his_identifiers_of(self, entity: str, entity_id: str) -> list[HisIdentifier]:
        return [
            _his_identifier(r)
            for r in self._all(
                f"SELECT {_HIS_ID_COLS} FROM his_identifiers WHERE entity = ? AND entity_id = ? ORDER BY id",
                (entity, entity_id),
            )
        ]

    def decide_his_identifier(self, mapping_id: int, status: MappingStatus, by: str) -> None:
        cur = self._write(
            "UPDATE his_identifiers SET status = ?, decided_at = ?, decided_by = ?"
            " WHERE id = ? AND status = 'proposed'",
            (status.value, _iso(self._clock()), by, mapping_id),
        )
        if cur.rowcount != 1:
            raise Conflict("Cette correspondance a déjà été traitée.", "This mapping was already decided.")

    def set_patient_ipp(self, patient_id: str, ipp: str) -> None:
        self._write("UPDATE patients SET ipp = ?, version = version + 1 WHERE id = ?", (ipp, patient_id))

    def set_stay_nda(self, stay_id: str, nda: str) -> None:
        self._write("UPDATE stays SET nda = ?, version = version + 1 WHERE id = ?", (nda, stay_id))
