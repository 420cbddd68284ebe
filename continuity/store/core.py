"""The Store: opening the encrypted database, migrations, transactions and meta.

One SQLCipher database per workstation, opened with a raw 256-bit key (no
passphrase KDF: the key slots already did that work). WAL journal,
foreign keys, full fsync on commit, temporary tables in memory so no
plaintext temp file ever reaches the disk.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from continuity.changes import Changes, WriteLog
from continuity.errors import StoreError
from continuity.folders import owner_only, write_failure
from continuity.schema import LATEST_VERSION, MIGRATIONS, split_sql
from continuity.store import cipher, opening, seal
from continuity.store import rekey as rekey_files
from continuity.store.audit import AuditManager
from continuity.store.backup import BackupManager
from continuity.store.base import _DB_ERRORS
from continuity.store.conflicts import ConflictManager
from continuity.store.crisis import CrisisManager
from continuity.store.drafts import DraftManager
from continuity.store.exchange import ExchangeManager
from continuity.store.his_ids import HisIdManager
from continuity.store.his_index import HisIndexManager
from continuity.store.merges import MergeManager
from continuity.store.movements import MovementManager
from continuity.store.opening import STATEMENT_CACHE, Connection, configure, connect
from continuity.store.outbox import OutboxManager
from continuity.store.paper import PaperManager
from continuity.store.patients import PatientManager
from continuity.store.reference import ReferenceManager
from continuity.store.snapshots import SnapshotManager
from continuity.store.stays import StayManager
from continuity.store.users import UserManager


class Store:
    """One workstation database: opening, migrations, transactions, meta.

    What the data is about lives in the managers (``store.patients``, ``store.outbox``...),
    which share this connection and this transaction. Writes happen inside ``transaction()``.
    """

    def __init__(
        self, conn: Connection, clock: Callable[[], datetime], *, cannot_write: StoreError | None = None
    ):
        self._conn = conn
        self._clock = clock
        # Opened read-only (a read-only or full data folder): why every write is refused.
        self.cannot_write = cannot_write
        self._in_tx = False
        self._writes = WriteLog()  # tables written, for ``take_changes``
        self._seal = seal.Seal()  # every record written is committed in the audit chain (seal.py)
        self._seal_ready = False  # its triggers are made at the first transaction
        self.tx_actor: str | None = None  # who wrote the open transaction's audit entries
        self._quiet = False  # writes not noted as changes (the seal's own entry)
        self.pending_head: tuple[int, str] | None = None  # the transaction's last audit entry
        self.after_commit: Callable[[int, str], None] | None = None  # (seq, hash): witness.Witness
        # The managers: one concern each, all on this connection and its transaction.
        self.reference = ReferenceManager(self)
        self.paper = PaperManager(self)
        self.users = UserManager(self)
        self.patients = PatientManager(self)
        self.stays = StayManager(self)
        self.movements = MovementManager(self)
        self.audit = AuditManager(self)
        self.outbox = OutboxManager(self)
        self.his_ids = HisIdManager(self)
        self.snapshots = SnapshotManager(self)
        self.exchange = ExchangeManager(self)
        self.conflicts = ConflictManager(self)
        self.crisis = CrisisManager(self)
        self.backup = BackupManager(self)
        self.drafts = DraftManager(self)
        self.his_index = HisIndexManager(self)
        self.merges = MergeManager(self)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open_encrypted(
        cls, path: Path, key: bytes | bytearray, clock: Callable[[], datetime], *, create: bool = False
    ) -> Store:
        """Open the store, to read and write; read-only when its folder is (a read-only medium)
        or when a full disk leaves no room to open it: it is then read as it is, and every
        write is refused with ``ReadOnlyFolder`` or ``DiskFull`` (``cannot_write``).
        See ``continuity.store.opening``."""
        conn, cannot_write = connect(path, key, create=create)
        return cls(conn, clock, cannot_write=cannot_write)

    @classmethod
    def open_plain_for_benchmark(cls, path: Path, clock: Callable[[], datetime]) -> Store:
        """Unencrypted stdlib sqlite3 with the same schema and settings: benchmark baseline only."""
        conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, cached_statements=STATEMENT_CACHE
        )
        configure(conn)
        return cls(conn, clock)

    # (SQLCipher version, whether what it writes is unreadable without the key): doctor.
    encryption_probe = staticmethod(opening.encryption_probe)

    def close(self) -> None:
        """Fold the WAL back into the database, then close (a crash here loses nothing)."""
        if self.cannot_write is None:
            with contextlib.suppress(*_DB_ERRORS):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def _refuse_writes(self) -> None:
        if self.cannot_write is not None:
            raise self.cannot_write

    def checkpoint(self) -> None:
        if self.cannot_write is None:
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
        if self.cannot_write is not None and self.user_version() <= LATEST_VERSION:
            raise StoreError(
                f"{self.cannot_write.message_fr} Cette base doit d'abord être mise à jour par "
                "cette version du kit, ce qui demande d'y écrire.",
                f"{self.cannot_write.message_en} This database must first be upgraded by this "
                "version of the kit, which needs to write into it.",
            )
        seal.uninstall(self._conn)  # made again, on the new schema, at the next transaction
        self._seal_ready = False
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
            states_before = seal.all_states(self._conn) if current > 0 else {}
            for version in range(current, target):
                for statement in split_sql(MIGRATIONS[version]):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {version + 1}")
            if current >= 16:  # a kit's rules for claims may differ: they are merged again
                self._conn.execute("DELETE FROM stay_claims")
            if current > 0:
                self._in_tx = True  # the adoption's audit entry, in this transaction
                try:
                    self.audit.adopt_records(states_before, current, target)
                finally:
                    self._in_tx = False
            self._conn.execute("COMMIT")
            self._writes.rollback()  # the adoption's entry: counted in what follows
            self._writes.note_everything()
        except BaseException:
            self._in_tx = False
            self._writes.rollback()
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
        owner_only(folder / source.name)
        copy, _ = cipher.open_file(str(folder / source.name), key)
        try:
            version = int(copy.execute("PRAGMA user_version").fetchone()[0])
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            copy.close()
        return version

    # Re-keying a closed database file (continuity.rekey): continuity/store/rekey.py.
    key_opens = staticmethod(rekey_files.key_opens)
    rekey_file = staticmethod(rekey_files.rekey_file)

    def integrity_ok(self) -> bool:
        return bool(self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    # ------------------------------------------------------------ transactions
    @property
    def in_transaction(self) -> bool:
        return self._in_tx

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic change. A full disk or a read-only folder, whenever SQLite meets it (a
        write, the commit), rolls it back and raises ``DiskFull`` or ``ReadOnlyFolder``."""
        if self._in_tx:
            raise StoreError("Transaction imbriquée.", "Nested transaction.")
        self._refuse_writes()
        if not self._seal_ready:
            self._seal.install(self._conn)
            self._seal_ready = True
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except _DB_ERRORS as exc:
            raise self._write_failure(exc) from None
        self._in_tx = True
        self.tx_actor = self.pending_head = None
        try:
            yield
            self._commit_records()
        except BaseException as exc:
            self._in_tx = False
            self._writes.rollback()
            self._rollback()
            if isinstance(exc, _DB_ERRORS) and (failure := write_failure(exc, self._folder())):
                raise failure from None
            raise
        self._in_tx = False
        try:
            self._conn.execute("COMMIT")
        except _DB_ERRORS as exc:
            self._writes.rollback()
            self._rollback()
            failure = write_failure(exc, self._folder())
            raise failure or StoreError(
                "L'enregistrement a échoué ; rien n'a été écrit.", "Saving failed; nothing was written."
            ) from exc
        self._writes.commit()
        if self.pending_head is not None and self.after_commit is not None:
            self.after_commit(*self.pending_head)

    def _commit_records(self) -> None:
        """Before COMMIT: the audit entry with the state hashes of every record written
        (continuity.store.seal); not itself a change the screens reload on."""
        records = self._seal.take_touched(self._conn)
        if records:
            self._quiet = True
            try:
                self.audit.commit_records(self.tx_actor or "@kit", records)
            finally:
                self._quiet = False

    def _rollback(self) -> None:
        """Roll back what is left of the transaction: SQLite may have rolled it back itself (a
        full disk does), and a second ROLLBACK must not hide the first error."""
        try:
            self._conn.execute("ROLLBACK")
        except _DB_ERRORS:
            if getattr(self._conn, "in_transaction", False):
                raise

    def _folder(self) -> str:
        row = self._conn.execute("PRAGMA database_list").fetchone()
        return str(Path(row[2]).parent) if row and row[2] else ""

    def _write_failure(self, exc: Exception) -> Exception:
        failure = write_failure(exc, self._folder())
        return failure if failure is not None else exc

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

    def _write(self, sql: str, params: Sequence[Any] = (), *, many: bool = False) -> Any:
        """A write inside the open transaction; ``many``: ``params`` is an iterable of rows."""
        if not self._in_tx:
            raise StoreError("Écriture hors transaction.", "Write outside a transaction.")
        if not self._quiet:
            self._writes.note(sql, () if many else params)
        return (self._conn.executemany if many else self._conn.execute)(sql, params)

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

    # ------------------------------------------------------------------ cipher
    def cipher_version(self) -> str:
        """SQLCipher version, or an empty string for plain SQLite (benchmark baseline)."""
        row = self._one("PRAGMA cipher_version")
        return str(row[0]) if row and row[0] else ""
