"""Patients: identities, their name index, search, and lookups by identifier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from continuity.domain.identity import Identity
from continuity.domain.records import PatientRecord
from continuity.names import prefix_upper_bound
from continuity.store.base import Manager
from continuity.store.rows import (
    _IDENTITY_COLS,
    _IDENTITY_SET,
    _PATIENT_COLS,
    _identity_values,
    _iso,
    _patient,
    _stale_or_missing,
)


class PatientManager(Manager):
    """``store.patients``: ``patients`` and ``patient_name_keys`` (each identity write reindexes names)."""

    def insert_patient(
        self, record: PatientRecord, created_by: str, his_as_of: datetime | None = None
    ) -> None:
        i = record.identity
        self._write(
            f"INSERT INTO patients(id, provisional_ipp, ipp, {_IDENTITY_COLS},"
            " created_at, created_by, version, source, his_as_of, from_index)"
            f" VALUES ({', '.join('?' * (_IDENTITY_COLS.count(',') + 10))})",
            (
                record.id,
                record.provisional_ipp,
                record.ipp,
                *_identity_values(i),
                _iso(record.created_at),
                created_by,
                record.version,
                record.source.value,
                _iso(his_as_of),
                int(record.from_index),
            ),
        )
        self._index_names(record.id, i)

    def update_identity(self, patient_id: str, identity: Identity, expected_version: int) -> int:
        cur = self._write(
            f"UPDATE patients SET {_IDENTITY_SET}, version = version + 1,"
            " edited_here = 1 WHERE id = ? AND version = ?",
            (*_identity_values(identity), patient_id, expected_version),
        )
        if cur.rowcount == 0:
            raise _stale_or_missing(self._one("SELECT 1 FROM patients WHERE id = ?", (patient_id,)))
        self._reindex_names(patient_id, identity)
        return expected_version + 1

    def _reindex_names(self, patient_id: str, i: Identity) -> None:
        self._write("DELETE FROM patient_name_keys WHERE patient_id = ?", (patient_id,))
        self._index_names(patient_id, i)

    def _index_names(self, patient_id: str, i: Identity) -> None:
        for key in i.search_keys():
            self._write("INSERT INTO patient_name_keys(key, patient_id) VALUES (?, ?)", (key, patient_id))

    def get_patient(self, patient_id: str) -> PatientRecord | None:
        row = self._one(f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.id = ?", (patient_id,))
        return _patient(row) if row else None

    def patient_by_identifier(self, text: str) -> PatientRecord | None:
        """Exact match on provisional IPP, HIS IPP, or the (provisional) NDA of one of its stays."""
        row = self._one(
            f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.provisional_ipp = ?1 OR p.ipp = ?1 "
            "UNION SELECT " + _PATIENT_COLS + " FROM stays s JOIN patients p ON p.id = s.patient_id"
            " WHERE s.provisional_nda = ?1 OR s.nda = ?1 LIMIT 1",
            (text,),
        )
        return _patient(row) if row else None

    def search_names(
        self, prefixes: Sequence[str], birth_dates: Sequence[date], limit: int
    ) -> list[PatientRecord]:
        """Patients having, for each prefix, a name key starting with it; ordered by name key.

        The longest prefix drives the index range scan (the most selective in
        practice); the others are checked per candidate.
        """
        if not prefixes:
            return self._by_birth_dates(birth_dates, limit)
        ordered = sorted(prefixes, key=len, reverse=True)
        drive, others = ordered[0], ordered[1:]
        sql = [
            f"SELECT k.key, {_PATIENT_COLS} FROM patient_name_keys k "
            "JOIN patients p ON p.id = k.patient_id WHERE k.key >= ? AND k.key < ?"
            " AND p.merged_into IS NULL"  # merged by the CIV: found through the kept patient
        ]
        params: list[Any] = [drive, prefix_upper_bound(drive)]
        for prefix in others:
            sql.append(
                "AND EXISTS (SELECT 1 FROM patient_name_keys o WHERE o.patient_id = p.id"
                " AND o.key >= ? AND o.key < ?)"
            )
            params += [prefix, prefix_upper_bound(prefix)]
        if birth_dates:
            sql.append(f"AND p.birth_date IN ({','.join('?' * len(birth_dates))})")
            params += [d.isoformat() for d in birth_dates]
        # Index order, no sort in SQL: rows stream until ``limit`` distinct patients are
        # found; only those few are then sorted by matched key, birth name and first names.
        sql.append("ORDER BY k.key, k.patient_id")
        found: dict[str, tuple[str, PatientRecord]] = {}
        cursor = self._store._conn.execute(" ".join(sql), params)
        try:
            for row in cursor:
                if row[1] not in found:
                    found[row[1]] = (row[0], _patient(row[1:]))
                    if len(found) == limit:
                        break
        finally:
            cursor.close()
        ranked = sorted(
            found.values(), key=lambda kr: (kr[0], kr[1].identity.birth_name, kr[1].identity.first_names)
        )
        return [record for _, record in ranked]

    def _by_birth_dates(self, birth_dates: Sequence[date], limit: int) -> list[PatientRecord]:
        if not birth_dates:
            return []
        marks = ",".join("?" * len(birth_dates))
        rows = self._all(
            f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.birth_date IN ({marks})"
            " AND p.merged_into IS NULL ORDER BY p.birth_name, p.first_names LIMIT ?",
            [*(d.isoformat() for d in birth_dates), limit],
        )
        return [_patient(r) for r in rows]

    def count_patients(self) -> int:
        return int(self._one("SELECT count(*) FROM patients")[0])

    def patients_born_on(self, dates: Sequence[date]) -> list[PatientRecord]:
        return self._by_birth_dates(dates, 500)

    def patient_by_provisional_ipp(self, provisional_ipp: str) -> PatientRecord | None:
        row = self._one(
            f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.provisional_ipp = ?", (provisional_ipp,)
        )
        return _patient(row) if row else None

    def patients_with_ipp(self, ipp: str) -> list[PatientRecord]:
        return [
            _patient(r) for r in self._all(f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.ipp = ?", (ipp,))
        ]

    def update_his_identity(self, patient_id: str, identity: Identity, as_of: datetime) -> None:
        self._write(
            f"UPDATE patients SET {_IDENTITY_SET}, version = version + 1, his_as_of = ? WHERE id = ?",
            (*_identity_values(identity), _iso(as_of), patient_id),
        )
        self._reindex_names(patient_id, identity)

    def replace_identity(self, patient_id: str, identity: Identity) -> None:
        """Set an identity merged from several workstations (it counts as corrected here)."""
        self._write(
            f"UPDATE patients SET {_IDENTITY_SET}, version = version + 1, edited_here = 1 WHERE id = ?",
            (*_identity_values(identity), patient_id),
        )
        self._reindex_names(patient_id, identity)

    def unmerged_patients(self) -> list[PatientRecord]:
        """Every identity not merged into another one (the identity-vigilance review)."""
        rows = self._all(f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.merged_into IS NULL")
        return [_patient(r) for r in rows]
