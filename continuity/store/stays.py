"""Stays: insertion, lookups, replayed state, census and bed occupancy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from continuity.domain.movement import StayView
from continuity.domain.records import PatientSummary, StayRecord
from continuity.errors import Conflict
from continuity.store.base import _INTEGRITY_ERRORS, Manager
from continuity.store.rows import _PATIENT_COLS, _STAY_COLS, _iso, _patient, _stale_or_missing, _stay


class StayManager(Manager):
    """``store.stays``: the ``stays`` table."""

    def insert_stay(self, stay: StayRecord, his_as_of: datetime | None = None) -> None:
        self._write(
            "INSERT INTO stays(id, patient_id, provisional_nda, nda, state, uf_code, bed_code,"
            " admitted_at, discharged_at, version, source, his_as_of)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stay.id,
                stay.patient_id,
                stay.provisional_nda,
                stay.nda,
                stay.state.value,
                stay.uf_code,
                stay.bed_code,
                _iso(stay.admitted_at),
                _iso(stay.discharged_at),
                stay.version,
                stay.source.value,
                _iso(his_as_of),
            ),
        )

    def get_stay(self, stay_id: str) -> StayRecord | None:
        row = self._one(f"SELECT {_STAY_COLS} FROM stays s WHERE s.id = ?", (stay_id,))
        return _stay(row) if row else None

    def open_stay(self, patient_id: str) -> StayRecord | None:
        row = self._one(
            f"SELECT {_STAY_COLS} FROM stays s WHERE s.patient_id = ? AND s.state IN ('present', 'leave')",
            (patient_id,),
        )
        return _stay(row) if row else None

    def open_stays_of(self, patient_ids: Sequence[str]) -> dict[str, StayRecord]:
        if not patient_ids:
            return {}
        marks = ",".join("?" * len(patient_ids))
        rows = self._all(
            f"SELECT {_STAY_COLS} FROM stays s WHERE s.patient_id IN ({marks})"
            " AND s.state IN ('present', 'leave')",
            list(patient_ids),
        )
        return {r[1]: _stay(r) for r in rows}

    def stays_of(self, patient_id: str) -> list[StayRecord]:
        return [
            _stay(r)
            for r in self._all(
                f"SELECT {_STAY_COLS} FROM stays s WHERE s.patient_id = ? ORDER BY s.rowid", (patient_id,)
            )
        ]

    def bed_occupant(self, uf_code: str, bed_code: str) -> str | None:
        row = self._one(
            "SELECT id FROM stays WHERE uf_code = ? AND bed_code = ? AND state IN ('present', 'leave')",
            (uf_code, bed_code),
        )
        return row[0] if row else None

    def save_stay_view(self, stay_id: str, view: StayView, expected_version: int) -> int:
        """Store the replayed state; refuse if someone else changed the stay meanwhile."""
        try:
            cur = self._write(
                "UPDATE stays SET state = ?, uf_code = ?, bed_code = ?, admitted_at = ?,"
                " discharged_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                (
                    view.state.value,
                    view.uf_code,
                    view.bed_code,
                    _iso(view.admitted_at),
                    _iso(view.discharged_at),
                    stay_id,
                    expected_version,
                ),
            )
        except _INTEGRITY_ERRORS:
            raise Conflict(
                "Lit déjà occupé (ou patient déjà hospitalisé).",
                "Bed already occupied (or patient already in a stay).",
            ) from None
        if cur.rowcount == 0:
            raise _stale_or_missing(self._one("SELECT 1 FROM stays WHERE id = ?", (stay_id,)))
        return expected_version + 1

    def census(self, uf_codes: Sequence[str]) -> list[PatientSummary]:
        """Open stays of the given UFs with their patients, by UF then bed."""
        if not uf_codes:
            return []
        marks = ",".join("?" * len(uf_codes))
        rows = self._all(
            f"SELECT {_PATIENT_COLS}, {_STAY_COLS} FROM stays s JOIN patients p"
            f" ON p.id = s.patient_id WHERE s.uf_code IN ({marks})"
            " AND s.state IN ('present', 'leave')"
            " ORDER BY s.uf_code, s.bed_code IS NULL, s.bed_code, p.birth_name",
            list(uf_codes),
        )
        n = _PATIENT_COLS.count(",") + 1
        return [PatientSummary(patient=_patient(r[:n]), stay=_stay(r[n:])) for r in rows]

    def count_open_stays_by_uf(self) -> dict[str, tuple[int, int]]:
        """Open stays per UF: (in a bed, present or on leave; waiting without a bed)."""
        return {
            r[0]: (r[1], r[2])
            for r in self._all(
                "SELECT uf_code, count(bed_code), count(*) - count(bed_code) FROM stays"
                " WHERE state IN ('present', 'leave') GROUP BY uf_code"
            )
        }

    def stay_by_provisional_nda(self, provisional_nda: str) -> StayRecord | None:
        row = self._one(f"SELECT {_STAY_COLS} FROM stays s WHERE s.provisional_nda = ?", (provisional_nda,))
        return _stay(row) if row else None

    def patients_with_open_stay(self) -> set[str]:
        return {r[0] for r in self._all("SELECT patient_id FROM stays WHERE state IN ('present', 'leave')")}

    def occupied_beds(self) -> set[tuple[str, str]]:
        return {
            (r[0], r[1])
            for r in self._all(
                "SELECT uf_code, bed_code FROM stays WHERE state IN ('present', 'leave')"
                " AND bed_code IS NOT NULL"
            )
        }

    def bed_claimants(self, uf_code: str, bed_code: str) -> list[str]:
        """The open stay in that bed, and those listed as maybe claiming it
        (``bed_claims``: without a bed, their claim to this bed or not yet known)."""
        return [
            r[0]
            for r in self._all(
                "SELECT id FROM stays WHERE uf_code = ? AND bed_code = ? AND state IN ('present', 'leave')"
                " UNION SELECT c.stay_id FROM bed_claims c WHERE c.uf_code = ?"
                " AND (c.bed_code = ? OR c.bed_code IS NULL)",
                (uf_code, bed_code, uf_code, bed_code),
            )
        ]

    def note_bed_claim(self, stay_id: str, uf_code: str, bed_code: str) -> None:
        """A stay without a bed that its movements place in ``bed_code``."""
        self._write(
            "INSERT INTO bed_claims(stay_id, uf_code, bed_code) VALUES (?, ?, ?)"
            " ON CONFLICT(stay_id) DO UPDATE SET uf_code = excluded.uf_code, bed_code = excluded.bed_code",
            (stay_id, uf_code, bed_code),
        )

    def kept_claim(self, stay_id: str) -> tuple[str | None, str | None, str | None] | None:
        """(placed at, UF, bed) of the stay's claim as last merged (placed at None: no bed),
        or None when its movements changed since (``stay_claims``)."""
        row = self._one("SELECT placed_at, uf_code, bed_code FROM stay_claims WHERE stay_id = ?", (stay_id,))
        return (row[0], row[1], row[2]) if row else None

    def keep_claim(
        self, stay_id: str, placed_at: str | None, uf_code: str | None, bed_code: str | None
    ) -> None:
        self._write(
            "INSERT OR REPLACE INTO stay_claims(stay_id, placed_at, uf_code, bed_code) VALUES (?, ?, ?, ?)",
            (stay_id, placed_at, uf_code, bed_code),
        )

    def drop_bed_claim(self, stay_id: str) -> None:
        self._write("DELETE FROM bed_claims WHERE stay_id = ?", (stay_id,))

    def set_stay_bed(self, stay_id: str, bed_code: str | None) -> None:
        self._write(
            "UPDATE stays SET bed_code = ? WHERE id = ? AND bed_code IS NOT ?", (bed_code, stay_id, bed_code)
        )

    def clear_beds(self, stay_ids: Sequence[str]) -> None:
        for stay_id in stay_ids:
            self._write("UPDATE stays SET bed_code = NULL WHERE id = ?", (stay_id,))

    def save_merged_stay(self, stay_id: str, view: StayView) -> None:
        """Store a stay's merged state whatever its version (the merge read every movement)."""
        try:
            self._write(
                "UPDATE stays SET state = ?, uf_code = ?, bed_code = ?, admitted_at = ?,"
                " discharged_at = ?, version = version + 1 WHERE id = ?",
                (
                    view.state.value,
                    view.uf_code,
                    view.bed_code,
                    _iso(view.admitted_at),
                    _iso(view.discharged_at),
                    stay_id,
                ),
            )
        except _INTEGRITY_ERRORS:
            raise Conflict(
                "Lit déjà occupé (ou patient déjà hospitalisé).",
                "Bed already occupied (or patient already in a stay).",
            ) from None
