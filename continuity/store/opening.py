"""Opening the SQLCipher connection: to read and write, or, where that would need a write the
folder cannot take (a read-only medium, a full disk), to read only, without writing a byte.

SQLite's WAL mode keeps a shared-memory file (``-shm``) beside the database and creates it
when the database is opened: on a read-only or full folder it cannot. Reading there follows
SQLite's rules for read-only WAL databases (sqlite.org/wal.html, "Read-Only Databases"): a
WAL that holds committed changes is read through its existing ``-shm`` (``mode=ro``); a
database with no pending WAL is opened ``immutable`` (no shared memory, no lock); a pending WAL
without its ``-shm`` cannot be read without writing, and the database alone would lack those
changes: refused, with the reason.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3

from continuity.errors import DiskFull, NotFound, ReadOnlyFolder, StoreError
from continuity.folders import owner_only, room_left, writable, write_failure
from continuity.store import cipher
from continuity.store.base import _DB_ERRORS

WAL_AUTOCHECKPOINT_PAGES = 10_000
# Below this much free space, a database that does not open is taken to lack room (SQLite
# needs its 32 KiB shared-memory file, and a WAL frame per page written).
ROOM_NEEDED = 256 * 1024


class Connection(Protocol):
    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...
    def executescript(self, sql: str, /) -> Any: ...
    def close(self) -> None: ...


# Prepared statements kept per connection. sqlcipher3's default (100) is fewer than an import
# of bundles runs (a statement on a table with triggers costs ~50-100 µs to prepare): at
# 100 it re-prepared nearly every statement, and the import took 2.4x plain SQLite's time.
STATEMENT_CACHE = 512


def configure(conn: Connection, *, read_only: bool = False) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:  # a read-only database keeps the journal mode it has (WAL)
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA cache_size = -131072")  # 128 MiB: the search working set, decrypted
    # Checkpoint rarely during work (it was the admission p99); ``close()`` checkpoints.
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")


def _wrong_key() -> StoreError:
    return StoreError(
        "Impossible d'ouvrir la base : clé incorrecte ou fichier abîmé.",
        "Cannot open the database: wrong key or damaged file.",
    )


def _unlock(path: str, key: bytes | bytearray, *, read_only: bool, uri: bool = False) -> Any:
    conn, _ = cipher.open_file(path, key, uri=uri, check_same_thread=False, cached_statements=STATEMENT_CACHE)
    try:
        configure(conn, read_only=read_only)
    except BaseException:
        conn.close()
        raise
    return conn


def connect(path: Path, key: bytes | bytearray, *, create: bool = False) -> tuple[Any, StoreError | None]:
    """The connection, and why it cannot write (``ReadOnlyFolder``, ``DiskFull``) or None."""
    if not create and not path.exists():
        raise NotFound("Base de données introuvable.", "Database file not found.")
    if not create and not (writable(path.parent) and writable(path)):
        return _connect_read_only(path, key), ReadOnlyFolder(str(path.parent))
    try:
        owner_only(path)
    except OSError as exc:
        raise (write_failure(exc, path.parent) or exc) from None
    try:
        conn = _unlock(str(path), key, read_only=False)
    except _DB_ERRORS as exc:
        full = write_failure(exc, path.parent)
        left = room_left(path.parent)
        if isinstance(full, DiskFull) or (left is not None and left < ROOM_NEEDED):
            if create:
                raise DiskFull(str(path.parent)) from None
            return _connect_read_only(path, key), DiskFull(str(path.parent))
        raise _wrong_key() from None
    return conn, None


def _connect_read_only(path: Path, key: bytes | bytearray) -> Any:
    """Read the store as it is on the medium, without writing a byte (see the module's text).

    Opened ``immutable``, the database must not be written by anyone meanwhile: true of a
    read-only medium and of a full disk; IT must not point a workstation at a read-only view
    of a folder another one is writing.
    """
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    pending = wal.exists() and wal.stat().st_size > 0
    if pending and not shm.exists():
        raise StoreError(
            "Dossier en lecture seule (ou disque plein) et base non refermée : son journal "
            "(fichier -wal) ne peut être lu sans y écrire. Ouvrez-la une fois là où elle peut "
            "être écrite (ou libérez de la place) pour la refermer.",
            "Read-only folder (or full disk) and a database not closed: its journal (the -wal "
            "file) cannot be read without writing. Open it once where it can be written (or "
            "free some space) to close it.",
        )
    uri = path.resolve().as_uri() + ("?mode=ro" if pending else "?mode=ro&immutable=1")
    try:
        return _unlock(uri, key, read_only=True, uri=True)
    except _DB_ERRORS:
        raise _wrong_key() from None


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
            cipher.unlock(conn, secrets.token_bytes(32))
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
