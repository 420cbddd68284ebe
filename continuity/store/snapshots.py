"""HIS snapshots: the HIS patients and pristine HIS stays mirrored here, and the imports made."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.store.base import Manager
from continuity.store.rows import _dt, _iso


class SnapshotManager(Manager):
    """``store.snapshots``: what ``continuity.services.snapshots`` reads and writes.

    Snapshot rows are written with the actor SNAPSHOT_ACTOR; a stay is "pristine"
    while every movement it has came from a snapshot.
    """

    def his_patients(self) -> dict[str, tuple[str, datetime | None, bool]]:
        """IPP -> (patient id, snapshot time it is as of, corrected here) for HIS patients."""
        return {
            r[0]: (r[1], _dt(r[2]), bool(r[3]))
            for r in self._all("SELECT ipp, id, his_as_of, edited_here FROM patients WHERE source = 'his'")
        }

    def kit_patient_ipps(self) -> set[str]:
        """HIS IPPs already given to identities created in the kit (reconciled)."""
        return {r[0] for r in self._all("SELECT ipp FROM patients WHERE source = 'kit' AND ipp IS NOT NULL")}

    def his_stays(self, actor: str) -> list[tuple[str, str, str, str | None, bool, datetime | None]]:
        """(id, NDA, patient id, UF, pristine, as of) of the HIS stays.

        Pristine: only ``actor`` (snapshots) wrote it; such a stay is open (only a
        movement recorded on a workstation can close one).
        """
        return [
            (r[0], r[1], r[2], r[3], not r[4], _dt(r[5]))
            for r in self._all(
                "SELECT s.id, s.nda, s.patient_id, s.uf_code, EXISTS (SELECT 1 FROM movements m"
                " WHERE m.stay_id = s.id AND m.recorded_by != ?), s.his_as_of FROM stays s"
                " WHERE s.source = 'his'",
                (actor,),
            )
        ]

    def place_his_stay(
        self, stay_id: str, uf_code: str, bed_code: str | None, admitted_at: datetime, as_of: datetime
    ) -> None:
        """Move a pristine HIS stay (and its one admission movement) to the snapshot's place."""
        self._write(
            "UPDATE stays SET uf_code = ?, bed_code = ?, admitted_at = ?, his_as_of = ?,"
            " version = version + 1 WHERE id = ?",
            (uf_code, bed_code, _iso(admitted_at), _iso(as_of), stay_id),
        )
        self._write(
            "UPDATE movements SET uf_code = ?, bed_code = ?, at = ? WHERE stay_id = ?",
            (uf_code, bed_code, _iso(admitted_at), stay_id),
        )

    def delete_pristine_stays(self, stay_ids: Sequence[str]) -> None:
        """Remove HIS stays that left the HIS census (their copy here held nothing else)."""
        for stay_id in stay_ids:
            self._write("DELETE FROM movements WHERE stay_id = ?", (stay_id,))
            self._write("DELETE FROM stays WHERE id = ? AND source = 'his'", (stay_id,))

    def snapshot_seen(self, sha256: str) -> bool:
        return (
            self._one(
                "SELECT 1 FROM snapshot_imports WHERE sha256 = ? AND outcome != 'quarantined'", (sha256,)
            )
            is not None
        )

    def record_snapshot_import(
        self, sha256: str, fmt: str, taken_at: datetime, outcome: str, report: dict[str, Any]
    ) -> None:
        self._write(
            "INSERT INTO snapshot_imports(sha256, format, taken_at, imported_at, outcome,"
            " report) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET"
            " imported_at = excluded.imported_at, outcome = excluded.outcome,"
            " report = excluded.report",
            (
                sha256,
                fmt,
                _iso(taken_at),
                _iso(self._clock()),
                outcome,
                json.dumps(report, sort_keys=True, default=str),
            ),
        )

    def snapshot_imports(self, limit: int) -> list[tuple[str, str, datetime, datetime, str, str]]:
        """(sha256, format, taken at, imported at, outcome, report JSON), newest import first."""
        return [
            (r[0], r[1], datetime.fromisoformat(r[2]), datetime.fromisoformat(r[3]), r[4], r[5])
            for r in self._all(
                "SELECT sha256, format, taken_at, imported_at, outcome, report FROM snapshot_imports"
                " ORDER BY imported_at DESC, rowid DESC LIMIT ?",
                (limit,),
            )
        ]
