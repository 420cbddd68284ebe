"""The encrypted store: the only module that speaks SQL.

One SQLCipher database per workstation, opened with a raw 256-bit key (no
passphrase KDF: the key slots already did that work). WAL journal,
foreign keys, full fsync on commit, temporary tables in memory so no
plaintext temp file ever reaches the disk.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3

from continuity import audit
from continuity.changes import Changes, WriteLog
from continuity.domain.crisis import DegradedStatus, LogCategory, LogEntry, ServiceStatusView
from continuity.domain.exchange import ConflictKind, ConflictRecord, ReceivedChange
from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.domain.movement import Movement, MovementKind, MovementNode, StayState, StayView
from continuity.domain.outbox import (
    EventStatus,
    HisIdentifier,
    IdentifierKind,
    IdentifierSource,
    MappingStatus,
    OutboxEvent,
)
from continuity.domain.records import PaperForm, PatientRecord, PatientSummary, Source, StayRecord
from continuity.domain.site import ServiceSpec, Site, WorkstationSpec
from continuity.domain.users import Role, User
from continuity.errors import (
    Conflict,
    IdentifiersExhausted,
    NotFound,
    StaleRecord,
    StoreError,
)
from continuity.names import name_keys, prefix_upper_bound
from continuity.schema import LATEST_VERSION, MIGRATIONS

WAL_AUTOCHECKPOINT_PAGES = 10_000
_DB_ERRORS: tuple[type[Exception], ...] = (sqlcipher3.DatabaseError, sqlite3.DatabaseError)
_INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlcipher3.IntegrityError, sqlite3.IntegrityError)


class Connection(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...
    def executescript(self, sql: str, /) -> Any: ...
    def close(self) -> None: ...


def _configure(conn: Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA cache_size = -131072")  # 128 MiB: the search working set, decrypted
    # Checkpoint rarely during work (it was the admission p99); ``close()`` checkpoints.
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store:
    """Typed access to one workstation database. Writes happen inside ``transaction()``."""

    def __init__(self, conn: Connection, clock: Callable[[], datetime]):
        self._conn = conn
        self._clock = clock
        self._in_tx = False
        self._writes = WriteLog()  # tables written, for ``take_changes``

    # ----------------------------------------------------------------- opening
    @classmethod
    def open_encrypted(
        cls, path: Path, key: bytes | bytearray, clock: Callable[[], datetime], *, create: bool = False
    ) -> Store:
        if not create and not path.exists():
            raise NotFound("Base de données introuvable.", "Database file not found.")
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except _DB_ERRORS:
            conn.close()
            raise StoreError(
                "Impossible d'ouvrir la base : clé incorrecte ou fichier abîmé.",
                "Cannot open the database: wrong key or damaged file.",
            ) from None
        _configure(conn)
        return cls(conn, clock)

    @classmethod
    def open_plain_for_benchmark(cls, path: Path, clock: Callable[[], datetime]) -> Store:
        """Unencrypted stdlib sqlite3 with the same schema and settings: benchmark baseline only."""
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        _configure(conn)
        return cls(conn, clock)

    @staticmethod
    def encryption_probe() -> tuple[str, bool]:
        """(SQLCipher version, whether a file it writes is unreadable without the key).

        Writes a throw-away database with a random key and a marker in a temporary
        folder, reads the raw bytes back, tries to open it without the key, deletes it.
        """
        folder = Path(tempfile.mkdtemp(prefix="continuity-sonde-"))
        path = folder / "probe.db"
        marker = "CONTINUITE-SONDE-" + secrets.token_hex(8)
        try:
            conn = sqlcipher3.connect(str(path), isolation_level=None)
            try:
                conn.execute(f"PRAGMA key = \"x'{secrets.token_hex(32)}'\"")
                version = str(conn.execute("PRAGMA cipher_version").fetchone()[0] or "")
                conn.execute("CREATE TABLE t (v TEXT)")
                conn.execute("INSERT INTO t VALUES (?)", (marker,))
            finally:
                conn.close()
            raw = path.read_bytes()
            sealed = marker.encode() not in raw and not raw.startswith(b"SQLite format 3")
            other = sqlcipher3.connect(str(path))
            try:
                other.execute("SELECT count(*) FROM sqlite_master").fetchone()
                readable_without_key = True
            except _DB_ERRORS:
                readable_without_key = False
            finally:
                other.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return version, bool(version) and sealed and not readable_without_key

    def close(self) -> None:
        """Fold the WAL back into the database, then close (a crash here loses nothing)."""
        with contextlib.suppress(*_DB_ERRORS):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def checkpoint(self) -> None:
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -------------------------------------------------------------- migrations
    def user_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int = LATEST_VERSION, before: Callable[[int], None] | None = None) -> int:
        """Apply migrations up to ``target``; return the version.

        Every step runs under one exclusive lock, the version being read under it, so
        two processes opening an old store at once migrate it once. ``before(version)``
        runs under that lock first, when there is something to migrate (the kit keeps a
        copy of the store as it was).
        """
        if self.user_version() == target:
            return target  # the usual case: no lock taken at each unlock
        self._conn.execute("BEGIN EXCLUSIVE")
        try:
            current = self.user_version()  # read again under the lock
            if current > LATEST_VERSION:
                raise StoreError(
                    "Base créée par une version plus récente du kit : mettez le kit à jour.",
                    "Database made by a newer version of the kit: update the kit.",
                )
            if before is not None and 0 < current < target:
                before(current)
            for version in range(current, target):
                for statement in _split_sql(MIGRATIONS[version]):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {version + 1}")
            self._conn.execute("COMMIT")
            self._writes.note_everything()
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        return self.user_version()

    def copy_files_into(self, source: Path, folder: Path, key: bytes | bytearray) -> int:
        """Copy this store's files (``source`` and its WAL) into ``folder``; return the copy's
        schema version, read back from the copy.

        Called inside ``migrate``'s exclusive lock, where no one can write: the database
        file and its WAL are then one consistent, still encrypted, store.
        """
        for suffix in ("", "-wal"):
            if Path(f"{source}{suffix}").exists():
                shutil.copy2(f"{source}{suffix}", folder / f"{source.name}{suffix}")
        copy = sqlcipher3.connect(str(folder / source.name), isolation_level=None)
        try:
            copy.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
            version = int(copy.execute("PRAGMA user_version").fetchone()[0])
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            copy.close()
        return version

    def integrity_ok(self) -> bool:
        return bool(self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_tx:
            raise StoreError("Transaction imbriquée.", "Nested transaction.")
        self._conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
        except BaseException:
            self._in_tx = False
            self._writes.rollback()
            self._conn.execute("ROLLBACK")
            raise
        self._in_tx = False
        try:
            self._conn.execute("COMMIT")
        except _DB_ERRORS as exc:
            self._writes.rollback()
            self._conn.execute("ROLLBACK")
            raise StoreError(
                "L'enregistrement a échoué ; rien n'a été écrit.", "Saving failed; nothing was written."
            ) from exc
        self._writes.commit()

    def take_changes(self) -> Changes:
        """What the transactions committed since the last call changed (``continuity.changes``)."""
        return self._writes.take()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: undo only this part if it fails (the error goes on)."""
        if not self._in_tx:
            raise StoreError("Point de sauvegarde hors transaction.", "Savepoint outside a transaction.")
        self._conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK TO part")
            self._conn.execute("RELEASE part")
            raise
        self._conn.execute("RELEASE part")

    def _write(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if not self._in_tx:
            raise StoreError("Écriture hors transaction.", "Write outside a transaction.")
        self._writes.note(sql, params)
        return self._conn.execute(sql, params)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._conn.execute(sql, params).fetchall())

    # -------------------------------------------------------------------- meta
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --------------------------------------------------------- reference data
    def insert_site(self, site: Site, local_workstation: str) -> None:
        self._write("INSERT INTO site(code, name) VALUES (?, ?)", (site.code, site.name))
        for uf in site.ufs:
            self._write("INSERT INTO ufs(code, name) VALUES (?, ?)", (uf.code, uf.name))
            for room in uf.rooms:
                for bed in room.beds:
                    self._write(
                        "INSERT INTO beds(uf_code, code, room) VALUES (?, ?, ?)", (uf.code, bed, room.code)
                    )
        for ws in site.workstations:
            self._write(
                "INSERT INTO workstations(code, name, block_start, block_end, next_number, is_local)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (ws.code, ws.name, ws.block[0], ws.block[1], ws.block[0], int(ws.code == local_workstation)),
            )
        if self.user_version() >= 3:
            self.insert_services(site.all_services())

    def insert_services(self, services: Sequence[ServiceSpec]) -> None:
        start = self._one("SELECT coalesce(max(position), 0) FROM services")[0]
        for i, s in enumerate(services, start=start + 1):
            self._write(
                "INSERT OR IGNORE INTO services(code, name, position) VALUES (?, ?, ?)", (s.code, s.name, i)
            )

    def site_name(self) -> tuple[str, str]:
        row = self._one("SELECT code, name FROM site")
        if row is None:
            raise NotFound("Site non provisionné.", "Site not provisioned.")
        return row[0], row[1]

    def list_ufs(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._all("SELECT code, name FROM ufs ORDER BY rowid")]

    def uf_exists(self, uf_code: str) -> bool:
        return self._one("SELECT 1 FROM ufs WHERE code = ?", (uf_code,)) is not None

    def bed_info(self, uf_code: str, bed_code: str) -> tuple[str, bool] | None:
        row = self._one("SELECT room, blocked FROM beds WHERE uf_code = ? AND code = ?", (uf_code, bed_code))
        return (row[0], bool(row[1])) if row else None

    def beds_of(self, uf_code: str) -> list[tuple[str, str, bool]]:
        return [
            (r[0], r[1], bool(r[2]))
            for r in self._all(
                "SELECT code, room, blocked FROM beds WHERE uf_code = ? ORDER BY rowid", (uf_code,)
            )
        ]

    def local_workstation(self) -> WorkstationSpec:
        row = self._one("SELECT code, name, block_start, block_end FROM workstations WHERE is_local = 1")
        if row is None:
            raise NotFound("Poste non provisionné.", "Workstation not provisioned.")
        return WorkstationSpec(code=row[0], name=row[1], block=(row[2], row[3]))

    def allocate_number(self) -> int:
        """Next number of the local block; numbers only move forward, so none is reused."""
        row = self._write(
            "UPDATE workstations SET next_number = next_number + 1 "
            "WHERE is_local = 1 AND next_number <= block_end RETURNING next_number - 1"
        ).fetchone()
        if row is None:
            raise IdentifiersExhausted(
                "Bloc d'identifiants provisoires épuisé sur ce poste : demandez un nouveau bloc "
                "à l'informatique.",
                "This workstation's block of provisional identifiers is used up: ask IT for a new block.",
            )
        return int(row[0])

    def remaining_numbers(self) -> int:
        row = self._one("SELECT block_end - next_number + 1 FROM workstations WHERE is_local = 1")
        return int(row[0]) if row else 0

    # ------------------------------------------------------------- paper forms
    def insert_paper_form(self, form: PaperForm) -> None:
        self._write(
            "INSERT INTO paper_forms (number, uf_code, batch, reserved_at, reserved_by) "
            "VALUES (?, ?, ?, ?, ?)",
            (form.number, form.uf_code, form.batch, _iso(form.reserved_at), form.reserved_by),
        )

    def paper_form(self, number: str) -> PaperForm | None:
        row = self._one(f"SELECT {_PAPER_COLS} FROM paper_forms WHERE number = ?", (number,))
        return _paper_form(row) if row else None

    def paper_forms_of_batch(self, batch: str) -> list[PaperForm]:
        return [
            _paper_form(r)
            for r in self._all(
                f"SELECT {_PAPER_COLS} FROM paper_forms WHERE batch = ? ORDER BY number", (batch,)
            )
        ]

    def use_paper_form(self, number: str, used_by: str, patient_id: str) -> None:
        """Mark a reserved form as keyed in; refused if it is unknown or already used."""
        cur = self._write(
            "UPDATE paper_forms SET used_at = ?, used_by = ?, patient_id = ? "
            "WHERE number = ? AND used_at IS NULL",
            (_iso(self._clock()), used_by, patient_id, number),
        )
        if cur.rowcount != 1:
            raise Conflict(
                "Ce formulaire papier a déjà été saisi ou n'a pas été réservé.",
                "This paper form was already keyed in or was never reserved.",
            )

    def count_unused_paper_forms(self) -> dict[str, int]:
        return {
            r[0]: int(r[1])
            for r in self._all(
                "SELECT uf_code, count(*) FROM paper_forms WHERE used_at IS NULL GROUP BY uf_code"
            )
        }

    # ------------------------------------------------------------------- users
    def insert_user(self, user: User) -> None:
        try:
            self._write(
                "INSERT INTO users(username, display_name, role, ufs, active) VALUES (?, ?, ?, ?, ?)",
                (
                    user.username,
                    user.display_name,
                    user.role.value,
                    json.dumps(list(user.ufs)),
                    int(user.active),
                ),
            )
        except _INTEGRITY_ERRORS:
            raise Conflict("Cet identifiant existe déjà.", "This user name already exists.") from None

    def set_user_active(self, username: str, active: bool) -> None:
        cur = self._write(
            "UPDATE users SET active = ?, version = version + 1 WHERE username = ?", (int(active), username)
        )
        if cur.rowcount == 0:
            raise NotFound("Utilisateur inconnu.", "Unknown user.")

    def get_user(self, username: str) -> User | None:
        row = self._one(
            "SELECT username, display_name, role, ufs, active FROM users WHERE username = ?", (username,)
        )
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        return [
            _user(r)
            for r in self._all(
                "SELECT username, display_name, role, ufs, active FROM users ORDER BY username"
            )
        ]

    # ---------------------------------------------------------------- patients
    def insert_patient(
        self, record: PatientRecord, created_by: str, his_as_of: datetime | None = None
    ) -> None:
        i = record.identity
        self._write(
            "INSERT INTO patients(id, provisional_ipp, ipp, birth_name, used_name, first_names,"
            " used_first_name, birth_date, sex, birth_place_insee, ins, identity_status,"
            " placeholder, created_at, created_by, version, source, his_as_of)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.provisional_ipp,
                record.ipp,
                i.birth_name,
                i.used_name,
                json.dumps(i.first_names, ensure_ascii=False),
                i.used_first_name,
                i.birth_date.isoformat(),
                i.sex.value,
                i.birth_place_insee,
                i.ins,
                i.status.value,
                int(i.placeholder),
                _iso(record.created_at),
                created_by,
                record.version,
                record.source.value,
                _iso(his_as_of),
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
        keys: set[str] = set()
        for name in [i.birth_name, i.used_name, i.used_first_name, *i.first_names]:
            if name:
                keys |= name_keys(name)
        for key in keys:
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
        cursor = self._conn.execute(" ".join(sql), params)
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
            " ORDER BY p.birth_name, p.first_names LIMIT ?",
            [*(d.isoformat() for d in birth_dates), limit],
        )
        return [_patient(r) for r in rows]

    def count_patients(self) -> int:
        return int(self._one("SELECT count(*) FROM patients")[0])

    # ------------------------------------------------------------------- stays
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

    def patients_born_on(self, dates: Sequence[date]) -> list[PatientRecord]:
        return self._by_birth_dates(dates, 500)

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

    def movements_of(self, stay_id: str) -> list[Movement]:
        rows = self._all(
            "SELECT id, kind, at, uf_code, bed_code, discharge_mode, destination,"
            " destination_detail, cancels, reason FROM movements WHERE stay_id = ? ORDER BY seq",
            (stay_id,),
        )
        return [
            Movement(
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
            )
            for r in rows
        ]

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
            " after_id, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            ),
        )

    def movement_exists(self, movement_id: str) -> bool:
        return self._one("SELECT 1 FROM movements WHERE id = ?", (movement_id,)) is not None

    def movement_tree(self, stay_id: str) -> list[MovementNode]:
        """The movements of a stay with what each followed, when and where it was recorded."""
        rows = self._all(
            "SELECT id, kind, at, uf_code, bed_code, discharge_mode, destination,"
            " destination_detail, cancels, reason, after_id, recorded_at,"
            " coalesce(origin, (SELECT code FROM workstations WHERE is_local = 1)),"
            " recorded_by FROM movements WHERE stay_id = ? ORDER BY seq",
            (stay_id,),
        )
        return [
            MovementNode(
                movement=Movement(
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
                ),
                after_id=r[10],
                recorded_at=datetime.fromisoformat(r[11]),
                origin=r[12],
                recorded_by=r[13],
            )
            for r in rows
        ]

    def mark_rejected(self, stay_id: str, rejected: Sequence[str]) -> None:
        """Record which movements the merge left out; their outbox events are superseded (and
        given back if a later merge keeps them after all)."""
        self._write(
            "UPDATE movements SET rejected = (id IN (SELECT value FROM json_each(?))) WHERE stay_id = ?",
            (json.dumps(list(rejected)), stay_id),
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

    def count_open_stays_by_uf(self) -> dict[str, int]:
        return {
            r[0]: r[1]
            for r in self._all(
                "SELECT uf_code, count(*) FROM stays WHERE state IN ('present', 'leave') GROUP BY uf_code"
            )
        }

    # ------------------------------------------------------------------- audit
    def append_audit(
        self, actor: str, action: str, entity: str, entity_id: str, version: int, payload: dict[str, Any]
    ) -> None:
        last = self._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        seq, prev = (last[0] + 1, last[1]) if last else (1, audit.GENESIS)
        at = _iso(self._clock()) or ""
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        digest = audit.entry_hash(prev, seq, at, actor, action, entity, entity_id, version, body)
        self._write(
            "INSERT INTO audit(seq, at, actor, action, entity, entity_id, version, payload,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, action, entity, entity_id, version, body, prev, digest),
        )
        self.set_meta("audit_head", f"{seq}:{digest}")

    def audit_rows(self) -> Iterator[audit.AuditRow]:
        cur = self._conn.execute(
            "SELECT seq, at, actor, action, entity, entity_id, version, payload, prev_hash, hash"
            " FROM audit ORDER BY seq"
        )
        for r in cur:
            yield audit.AuditRow(*r)

    # ------------------------------------------------------------------ outbox
    def enqueue(
        self,
        kind: str,
        patient_id: str,
        stay_id: str | None,
        movement_id: str | None,
        payload: dict[str, Any],
    ) -> str:
        event_id = str(uuid.uuid4())
        self._write(
            "INSERT INTO outbox(event_id, created_at, kind, patient_id, stay_id,"
            " movement_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                _iso(self._clock()),
                kind,
                patient_id,
                stay_id,
                movement_id,
                json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
            ),
        )
        return event_id

    def outbox_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._all("SELECT status, count(*) FROM outbox GROUP BY status")}

    def count_unacknowledged(self) -> int:
        """The sync backlog: events the HIS has not acknowledged yet (pending, sent, refused)."""
        return int(
            self._one("SELECT count(*) FROM outbox WHERE status NOT IN ('acknowledged', 'superseded')")[0]
        )

    def outbox_events(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._all(
            "SELECT seq, event_id, created_at, kind, patient_id, stay_id,"
            " movement_id, status FROM outbox ORDER BY seq LIMIT ?",
            (limit,),
        )
        keys = ("seq", "event_id", "created_at", "kind", "patient_id", "stay_id", "movement_id", "status")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def deliverable_events(
        self, limit: int, *, not_exported: bool = False, after_seq: int = 0
    ) -> list[OutboxEvent]:
        """Events not yet acknowledged, oldest first, except those behind an event in error.

        A patient's events wait behind its earliest event in error, so the HIS never
        receives a patient's events out of order, and while a conflict between
        workstations about the patient is open, so the HIS gets the settled history.
        """
        sql = (
            f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.status IN ('pending', 'sent')"
            " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.patient_id = o.patient_id"
            " AND e.status = 'error' AND e.seq < o.seq) AND o.seq > ?"
            # ...and behind a conflict between workstations not settled yet
            " AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.resolved_at IS NULL"
            " AND ((c.entity = 'patient' AND c.entity_id = o.patient_id) OR (c.entity = 'stay'"
            " AND c.entity_id IN (SELECT id FROM stays WHERE patient_id = o.patient_id))))"
        )
        params: list[Any] = [after_seq]
        if not_exported:
            sql += " AND o.exported_at IS NULL"
        return [_outbox_event(r) for r in self._all(sql + " ORDER BY o.seq LIMIT ?", [*params, limit])]

    def outbox_event(self, event_id: str) -> OutboxEvent | None:
        row = self._one(f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.event_id = ?", (event_id,))
        return _outbox_event(row) if row else None

    def outbox_by_status(self, status: EventStatus, limit: int = 1000) -> list[OutboxEvent]:
        return [
            _outbox_event(r)
            for r in self._all(
                f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.status = ? ORDER BY o.seq LIMIT ?",
                (status.value, limit),
            )
        ]

    def outbox_of_patient(self, patient_id: str) -> list[OutboxEvent]:
        return [
            _outbox_event(r)
            for r in self._all(
                f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.patient_id = ? ORDER BY o.seq", (patient_id,)
            )
        ]

    def mark_events_sent(self, event_ids: Sequence[str]) -> None:
        now = _iso(self._clock())
        for event_id in event_ids:
            self._write(
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1,"
                " updated_at = ? WHERE event_id = ? AND status IN ('pending', 'sent')",
                (now, event_id),
            )

    def mark_events_pending(self, event_ids: Sequence[str]) -> None:
        """Marked sent for a chunk but never put on the wire (run stopped or patient held)."""
        for event_id in event_ids:
            self._write(
                "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0)"
                " WHERE event_id = ? AND status = 'sent'",
                (event_id,),
            )

    def mark_events_acknowledged(self, event_ids: Sequence[str], target: str) -> None:
        now = _iso(self._clock())
        for event_id in event_ids:
            self._write(
                "UPDATE outbox SET status = 'acknowledged', delivered_to = ?,"
                " last_error = NULL, next_attempt_at = NULL, updated_at = ?"
                " WHERE event_id = ?",
                (target, now, event_id),
            )

    def mark_event_retry(self, event_id: str, error: str, next_attempt_at: datetime) -> None:
        """A delivery that failed on the way (no reply, dropped connection): try again later."""
        self._write(
            "UPDATE outbox SET last_error = ?, next_attempt_at = ?, updated_at = ?"
            " WHERE event_id = ? AND status IN ('pending', 'sent')",
            (error, _iso(next_attempt_at), _iso(self._clock()), event_id),
        )

    def mark_event_refused(self, event_id: str, error: str, his_reply: str) -> None:
        self._write(
            "UPDATE outbox SET status = 'error', last_error = ?, his_reply = ?,"
            " next_attempt_at = NULL, updated_at = ? WHERE event_id = ?",
            (error, his_reply, _iso(self._clock()), event_id),
        )

    def requeue_event(self, event_id: str) -> None:
        cur = self._write(
            "UPDATE outbox SET status = 'pending', next_attempt_at = NULL,"
            " updated_at = ? WHERE event_id = ? AND status = 'error'",
            (_iso(self._clock()), event_id),
        )
        if cur.rowcount != 1:
            raise Conflict("Cet événement n'est pas en erreur.", "This event is not in error.")

    def mark_events_exported(self, event_ids: Sequence[str]) -> None:
        now = _iso(self._clock())
        for event_id in event_ids:
            self._write("UPDATE outbox SET exported_at = ? WHERE event_id = ?", (now, event_id))

    # ---------------------------------------------------------- HIS identifiers
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

    def patient_by_provisional_ipp(self, provisional_ipp: str) -> PatientRecord | None:
        row = self._one(
            f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.provisional_ipp = ?", (provisional_ipp,)
        )
        return _patient(row) if row else None

    def patients_with_ipp(self, ipp: str) -> list[PatientRecord]:
        return [
            _patient(r) for r in self._all(f"SELECT {_PATIENT_COLS} FROM patients p WHERE p.ipp = ?", (ipp,))
        ]

    def stay_by_provisional_nda(self, provisional_nda: str) -> StayRecord | None:
        row = self._one(f"SELECT {_STAY_COLS} FROM stays s WHERE s.provisional_nda = ?", (provisional_nda,))
        return _stay(row) if row else None

    # ----------------------------------------------------------- HIS snapshots
    # Used by continuity.services.snapshots. Snapshot rows are written with the actor
    # SNAPSHOT_ACTOR; a stay is "pristine" while every movement it has came from a snapshot.
    def his_patients(self) -> dict[str, tuple[str, datetime | None, bool]]:
        """IPP -> (patient id, snapshot time it is as of, corrected here) for HIS patients."""
        return {
            r[0]: (r[1], _dt(r[2]), bool(r[3]))
            for r in self._all("SELECT ipp, id, his_as_of, edited_here FROM patients WHERE source = 'his'")
        }

    def kit_patient_ipps(self) -> set[str]:
        """HIS IPPs already given to identities created in the kit (reconciled)."""
        return {r[0] for r in self._all("SELECT ipp FROM patients WHERE source = 'kit' AND ipp IS NOT NULL")}

    def update_his_identity(self, patient_id: str, identity: Identity, as_of: datetime) -> None:
        self._write(
            f"UPDATE patients SET {_IDENTITY_SET}, version = version + 1, his_as_of = ? WHERE id = ?",
            (*_identity_values(identity), _iso(as_of), patient_id),
        )
        self._reindex_names(patient_id, identity)

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

    def all_beds(self) -> dict[tuple[str, str], bool]:
        """(UF, bed) -> blocked."""
        return {(r[0], r[1]): bool(r[2]) for r in self._all("SELECT uf_code, code, blocked FROM beds")}

    def stays_maybe_in_bed(self, uf_code: str, bed_code: str) -> list[str]:
        """Open stays of a UF in that bed, or without a bed (they may have lost it)."""
        return [
            r[0]
            for r in self._all(
                "SELECT id FROM stays WHERE uf_code = ? AND state IN ('present', 'leave')"
                " AND (bed_code = ? OR bed_code IS NULL)",
                (uf_code, bed_code),
            )
        ]

    def set_stay_bed(self, stay_id: str, bed_code: str | None) -> None:
        self._write(
            "UPDATE stays SET bed_code = ? WHERE id = ? AND bed_code IS NOT ?", (bed_code, stay_id, bed_code)
        )

    def clear_beds(self, stay_ids: Sequence[str]) -> None:
        for stay_id in stay_ids:
            self._write("UPDATE stays SET bed_code = NULL WHERE id = ?", (stay_id,))

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

    # ---------------------------------------------------- workstation exchange
    # Used by continuity.services.exchange: what this workstation exports is read from
    # its audit chain; what others sent is kept in ``changes``.
    def audit_after(
        self, seq: int, actions: Sequence[str], prefixes: Sequence[str] = ()
    ) -> list[audit.AuditRow]:
        """Audit rows after ``seq`` whose action is one of ``actions`` or starts with a prefix."""
        clauses = [f"action IN ({','.join('?' * len(actions))})"] if actions else []
        clauses += ["action LIKE ?"] * len(prefixes)
        rows = self._all(
            "SELECT seq, at, actor, action, entity, entity_id, version, payload, prev_hash, hash"
            f" FROM audit WHERE seq > ? AND ({' OR '.join(clauses)}) ORDER BY seq",
            [seq, *actions, *(p + "%" for p in prefixes)],
        )
        return [audit.AuditRow(*r) for r in rows]

    def audit_of(self, entity: str, entity_id: str, actions: Sequence[str]) -> list[audit.AuditRow]:
        rows = self._all(
            "SELECT seq, at, actor, action, entity, entity_id, version, payload, prev_hash, hash"
            f" FROM audit WHERE entity = ? AND entity_id = ? AND action IN"
            f" ({','.join('?' * len(actions))}) ORDER BY seq",
            [entity, entity_id, *actions],
        )
        return [audit.AuditRow(*r) for r in rows]

    def movement_link(self, movement_id: str) -> tuple[str | None, datetime] | None:
        """(movement it followed, when it was recorded) of a stored movement."""
        row = self._one("SELECT after_id, recorded_at FROM movements WHERE id = ?", (movement_id,))
        return (row[0], datetime.fromisoformat(row[1])) if row else None

    def change_known(self, change_id: str) -> bool:
        return self._one("SELECT 1 FROM changes WHERE change_id = ?", (change_id,)) is not None

    def insert_change(self, change: ReceivedChange, status: str) -> None:
        self._write(
            "INSERT INTO changes(change_id, origin, origin_seq, action, entity, entity_id,"
            " at, actor, payload, status, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.change_id,
                change.origin,
                change.origin_seq,
                change.action,
                change.entity,
                change.entity_id,
                _iso(change.at),
                change.actor,
                json.dumps(change.payload, ensure_ascii=False, sort_keys=True, default=str),
                status,
                _iso(self._clock()),
            ),
        )

    def set_change_status(self, change_id: str, status: str) -> None:
        self._write("UPDATE changes SET status = ? WHERE change_id = ?", (status, change_id))

    def _changes(self, where: str, params: Sequence[Any]) -> list[ReceivedChange]:
        return [
            ReceivedChange(
                change_id=r[0],
                origin=r[1],
                origin_seq=r[2],
                action=r[3],
                entity=r[4],
                entity_id=r[5],
                at=datetime.fromisoformat(r[6]),
                actor=r[7],
                payload=json.loads(r[8]),
            )
            for r in self._all(
                "SELECT change_id, origin, origin_seq, action, entity, entity_id, at, actor, payload"
                f" FROM changes WHERE {where} ORDER BY origin, origin_seq",
                params,
            )
        ]

    def waiting_changes(self) -> list[ReceivedChange]:
        return self._changes("status = 'waiting'", ())

    def received_changes_of(
        self, entity: str, entity_id: str, actions: Sequence[str]
    ) -> list[ReceivedChange]:
        marks = ",".join("?" * len(actions))
        return self._changes(
            f"status = 'applied' AND entity = ? AND entity_id = ? AND action IN ({marks})",
            [entity, entity_id, *actions],
        )

    def count_changes(self) -> dict[str, int]:
        return {r[0]: int(r[1]) for r in self._all("SELECT status, count(*) FROM changes GROUP BY status")}

    def bundle_known(self, sha256: str) -> bool:
        return self._one("SELECT 1 FROM exchange_bundles WHERE sha256 = ?", (sha256,)) is not None

    def record_bundle(
        self, sha256: str, workstation: str, seq: int, created_at: datetime, changes: int
    ) -> None:
        self._write(
            "INSERT OR IGNORE INTO exchange_bundles(sha256, workstation, seq, created_at,"
            " received_at, changes) VALUES (?, ?, ?, ?, ?, ?)",
            (sha256, workstation, seq, _iso(created_at), _iso(self._clock()), changes),
        )

    def bundles_by_workstation(self) -> dict[str, list[tuple[int, datetime, datetime]]]:
        """Workstation -> [(seq, created at, received at)] of the bundles received, by seq."""
        out: dict[str, list[tuple[int, datetime, datetime]]] = {}
        for r in self._all(
            "SELECT workstation, seq, created_at, received_at FROM exchange_bundles ORDER BY workstation, seq"
        ):
            out.setdefault(r[0], []).append(
                (int(r[1]), datetime.fromisoformat(r[2]), datetime.fromisoformat(r[3]))
            )
        return out

    def workstations(self) -> list[tuple[str, str, bool]]:
        """(code, name, is this one) of the site's workstations."""
        return [
            (r[0], r[1], bool(r[2]))
            for r in self._all("SELECT code, name, is_local FROM workstations ORDER BY code")
        ]

    def bundle_refused(self, sha256: str) -> bool:
        return self._one("SELECT 1 FROM exchange_refused WHERE sha256 = ?", (sha256,)) is not None

    def record_refused_bundle(self, sha256: str, file_name: str, reason: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO exchange_refused(sha256, file_name, refused_at, reason)"
            " VALUES (?, ?, ?, ?)",
            (sha256, file_name, _iso(self._clock()), reason),
        )

    def forget_refused_bundles(self) -> None:
        """A new exchange key: bundles refused under the old one are looked at again."""
        self._write("DELETE FROM exchange_refused")

    def refused_bundles(self) -> list[tuple[str, datetime, str]]:
        return [
            (r[0], datetime.fromisoformat(r[1]), r[2])
            for r in self._all(
                "SELECT file_name, refused_at, reason FROM exchange_refused ORDER BY refused_at DESC"
            )
        ]

    def replace_identity(self, patient_id: str, identity: Identity) -> None:
        """Set an identity merged from several workstations (it counts as corrected here)."""
        self._write(
            f"UPDATE patients SET {_IDENTITY_SET}, version = version + 1, edited_here = 1 WHERE id = ?",
            (*_identity_values(identity), patient_id),
        )
        self._reindex_names(patient_id, identity)

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

    def add_paper_form_if_absent(self, form: PaperForm) -> None:
        self._write(
            "INSERT OR IGNORE INTO paper_forms (number, uf_code, batch, reserved_at,"
            " reserved_by) VALUES (?, ?, ?, ?, ?)",
            (form.number, form.uf_code, form.batch, _iso(form.reserved_at), form.reserved_by),
        )

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

    # ------------------------------------------------------------------ crisis
    def service_exists(self, code: str) -> bool:
        return self._one("SELECT 1 FROM services WHERE code = ?", (code,)) is not None

    def service_statuses(self) -> list[ServiceStatusView]:
        rows = self._all(
            "SELECT s.code, s.name, c.status, c.changed_at, c.changed_by, c.note FROM services s"
            " LEFT JOIN status_changes c ON c.seq = (SELECT max(seq) FROM status_changes"
            " WHERE service_code = s.code) ORDER BY s.position"
        )
        return [
            ServiceStatusView(
                code=r[0],
                name=r[1],
                status=r[2] or DegradedStatus.NORMAL,
                changed_at=_dt(r[3]),
                changed_by=r[4],
                note=r[5],
            )
            for r in rows
        ]

    def add_status_change(self, code: str, status: DegradedStatus, by: str, note: str | None) -> int:
        cur = self._write(
            "INSERT INTO status_changes(service_code, status, changed_at,"
            " changed_by, note) VALUES (?, ?, ?, ?, ?)",
            (code, status.value, _iso(self._clock()), by, note),
        )
        return int(cur.lastrowid)

    def add_log_entry(
        self, author: str, category: LogCategory, text: str, service_code: str | None
    ) -> LogEntry:
        at = self._clock()
        cur = self._write(
            "INSERT INTO crisis_log(at, author, category, text, service_code) VALUES (?, ?, ?, ?, ?)",
            (_iso(at), author, category.value, text, service_code),
        )
        return LogEntry(
            seq=int(cur.lastrowid),
            at=at,
            author=author,
            category=category,
            text=text,
            service_code=service_code,
        )

    def log_entries(
        self, since: datetime | None, category: LogCategory | None, service_code: str | None, limit: int
    ) -> list[LogEntry]:
        sql = ["SELECT seq, at, author, category, text, service_code FROM crisis_log WHERE 1=1"]
        params: list[Any] = []
        if since is not None:
            sql.append("AND at >= ?")
            params.append(_iso(since))
        if category is not None:
            sql.append("AND category = ?")
            params.append(category.value)
        if service_code is not None:
            sql.append("AND service_code = ?")
            params.append(service_code)
        sql.append("ORDER BY seq DESC LIMIT ?")
        params.append(limit)
        return [
            LogEntry(
                seq=r[0],
                at=datetime.fromisoformat(r[1]),
                author=r[2],
                category=LogCategory(r[3]),
                text=r[4],
                service_code=r[5],
            )
            for r in self._all(" ".join(sql), params)
        ]

    # ============================================================ indicators
    # Read-only queries for the crisis-cell dashboard (continuity.services.indicators).
    # Times are compared with julianday() so ISO strings with different offsets compare
    # as instants.
    def first_status_change_at(self, status: DegradedStatus) -> datetime | None:
        """When any service first took ``status`` (the earliest such change recorded)."""
        row = self._one(
            "SELECT changed_at FROM status_changes WHERE status = ? ORDER BY seq LIMIT 1", (status.value,)
        )
        return _dt(row[0]) if row else None

    def count_movements_since(self, kind: MovementKind, since: datetime) -> int:
        """Movements of ``kind`` at or after ``since`` that no cancellation has removed."""
        row = self._one(
            "SELECT count(*) FROM movements m WHERE m.kind = ?"
            " AND julianday(m.at) >= julianday(?)"
            " AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.cancels = m.id)",
            (kind.value, _iso(since)),
        )
        return int(row[0])

    def movement_times_since(self, kind: MovementKind, since: datetime) -> list[datetime]:
        """Times of the movements of ``kind`` at or after ``since`` not cancelled, oldest first."""
        rows = self._all(
            "SELECT m.at FROM movements m WHERE m.kind = ?"
            " AND julianday(m.at) >= julianday(?)"
            " AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.cancels = m.id)"
            " ORDER BY julianday(m.at)",
            (kind.value, _iso(since)),
        )
        return [datetime.fromisoformat(r[0]) for r in rows]

    def bed_counts_by_uf(self) -> dict[str, tuple[int, int]]:
        """UF code -> (number of beds, number of blocked beds)."""
        return {
            r[0]: (int(r[1]), int(r[2]))
            for r in self._all(
                "SELECT uf_code, count(*), coalesce(sum(blocked != 0), 0) FROM beds GROUP BY uf_code"
            )
        }

    def count_open_stays_with_identity(self, status: IdentityStatus) -> int:
        """Patients in an open stay (present or on leave) whose identity has ``status``."""
        row = self._one(
            "SELECT count(*) FROM stays s JOIN patients p ON p.id = s.patient_id"
            " WHERE s.state IN ('present', 'leave') AND p.identity_status = ?",
            (status.value,),
        )
        return int(row[0])

    # ================================================================== backup
    # Used by continuity.services.admin (backup and workstation information).
    def backup_into(self, path: Path, key: bytes | bytearray) -> None:
        """Copy the whole database, as one consistent snapshot, into a new encrypted file.

        SQLite's online backup API copies every page (WAL content included) under one
        read transaction into a second SQLCipher connection keyed with the same raw key,
        so each page is re-encrypted on its way out: the copy never exists in clear, not
        even as a temporary file. ``path`` must not exist yet or be an empty file.
        """
        if self._in_tx:
            raise StoreError(
                "Sauvegarde impossible pendant une transaction.", "Cannot back up during a transaction."
            )
        source: Any = self._conn
        target = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            target.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
            target.execute("PRAGMA temp_store = MEMORY")
            source.backup(target)
            checked = target.execute("PRAGMA quick_check").fetchone()
        except _DB_ERRORS as exc:
            raise StoreError(
                "La copie de la base a échoué (support plein, retiré ou en lecture seule ?) : "
                "la sauvegarde est incomplète.",
                "Copying the database failed (medium full, removed or read-only?): the backup is incomplete.",
            ) from exc
        finally:
            target.close()
        if checked is None or checked[0] != "ok":
            raise StoreError(
                "La copie de la base ne passe pas le contrôle d'intégrité.",
                "The database copy fails its integrity check.",
            )

    def cipher_version(self) -> str:
        """SQLCipher version, or an empty string for plain SQLite (benchmark baseline)."""
        row = self._one("PRAGMA cipher_version")
        return str(row[0]) if row and row[0] else ""

    def count_audit(self) -> int:
        return int(self._one("SELECT count(*) FROM audit")[0])


_IDENTITY_SET = (
    "birth_name = ?, used_name = ?, first_names = ?, used_first_name = ?,"
    " birth_date = ?, sex = ?, birth_place_insee = ?, ins = ?, identity_status = ?,"
    " placeholder = ?"
)


def _identity_values(i: Identity) -> tuple[Any, ...]:
    return (
        i.birth_name,
        i.used_name,
        json.dumps(i.first_names, ensure_ascii=False),
        i.used_first_name,
        i.birth_date.isoformat(),
        i.sex.value,
        i.birth_place_insee,
        i.ins,
        i.status.value,
        int(i.placeholder),
    )


_PATIENT_COLS = (
    "p.id, p.provisional_ipp, p.ipp, p.birth_name, p.used_name, p.first_names,"
    " p.used_first_name, p.birth_date, p.sex, p.birth_place_insee, p.ins,"
    " p.identity_status, p.placeholder, p.created_at, p.version, p.source"
)
_STAY_COLS = (
    "s.id, s.patient_id, s.provisional_nda, s.nda, s.state, s.uf_code, s.bed_code,"
    " s.admitted_at, s.discharged_at, s.version, s.source"
)


_OUTBOX_COLS = (
    "o.seq, o.event_id, o.created_at, o.kind, o.patient_id, o.stay_id, o.movement_id,"
    " o.payload, o.status, o.attempts, o.last_error, o.his_reply, o.next_attempt_at,"
    " o.delivered_to, o.exported_at"
)


def _outbox_event(r: Sequence[Any]) -> OutboxEvent:
    return OutboxEvent.model_construct(
        seq=r[0],
        event_id=r[1],
        created_at=datetime.fromisoformat(r[2]),
        kind=r[3],
        patient_id=r[4],
        stay_id=r[5],
        movement_id=r[6],
        payload=json.loads(r[7]),
        status=EventStatus(r[8]),
        attempts=r[9],
        last_error=r[10],
        his_reply=r[11],
        next_attempt_at=_dt(r[12]),
        delivered_to=r[13],
        exported_at=_dt(r[14]),
    )


_HIS_ID_COLS = "id, entity, entity_id, kind, value, source, status, proposed_at, decided_at, decided_by"


def _his_identifier(r: Sequence[Any]) -> HisIdentifier:
    return HisIdentifier(
        id=r[0],
        entity=r[1],
        entity_id=r[2],
        kind=IdentifierKind(r[3]),
        value=r[4],
        source=IdentifierSource(r[5]),
        status=MappingStatus(r[6]),
        proposed_at=datetime.fromisoformat(r[7]),
        decided_at=_dt(r[8]),
        decided_by=r[9],
    )


_PAPER_COLS = "number, uf_code, batch, reserved_at, reserved_by, used_at, used_by, patient_id"


def _paper_form(r: Sequence[Any]) -> PaperForm:
    return PaperForm(
        number=r[0],
        uf_code=r[1],
        batch=r[2],
        reserved_at=datetime.fromisoformat(r[3]),
        reserved_by=r[4],
        used_at=_dt(r[5]),
        used_by=r[6],
        patient_id=r[7],
    )


def _patient(r: Sequence[Any]) -> PatientRecord:
    identity = Identity.model_construct(
        birth_name=r[3],
        used_name=r[4],
        first_names=json.loads(r[5]),
        used_first_name=r[6],
        birth_date=date.fromisoformat(r[7]),
        sex=Sex(r[8]),
        birth_place_insee=r[9],
        ins=r[10],
        status=IdentityStatus(r[11]),
        placeholder=bool(r[12]),
    )
    return PatientRecord.model_construct(
        id=r[0],
        provisional_ipp=r[1],
        ipp=r[2],
        identity=identity,
        created_at=datetime.fromisoformat(r[13]),
        version=r[14],
        source=Source(r[15]),
    )


def _stay(r: Sequence[Any]) -> StayRecord:
    return StayRecord.model_construct(
        id=r[0],
        patient_id=r[1],
        provisional_nda=r[2],
        nda=r[3],
        state=StayState(r[4]),
        uf_code=r[5],
        bed_code=r[6],
        admitted_at=_dt(r[7]),
        discharged_at=_dt(r[8]),
        version=r[9],
        source=Source(r[10]),
    )


def _user(r: Sequence[Any]) -> User:
    return User(
        username=r[0], display_name=r[1], role=Role(r[2]), ufs=tuple(json.loads(r[3])), active=bool(r[4])
    )


def _stale_or_missing(exists: Any) -> Exception:
    if exists is None:
        return NotFound("Enregistrement introuvable.", "Record not found.")
    return StaleRecord(
        "Ce dossier a été modifié entre-temps (autre poste ou autre fenêtre) : rechargez-le "
        "avant de recommencer.",
        "This record was changed meanwhile (another workstation or window): reload it and try again.",
    )


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    if "".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
