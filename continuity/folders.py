"""The files of a data folder, and the private folders the kit sets things aside in.

Kept apart from ``session`` so that what handles the files (pre-upgrade copies,
restore, exercises) needs no unlocked session.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from continuity.errors import DiskFull, ReadOnlyFolder, StoreError

DB_NAME = "continuity.db"
SLOTS_NAME = "keyslots.json"
PARTIAL_SUFFIX = ".partial"  # a folder still being written (a backup): renamed when whole
WITNESS_NAME = "temoin-audit.json"  # the signed head of the audit chain (continuity.witness)


_SQLITE_READONLY, _SQLITE_FULL = 8, 13


def write_failure(exc: BaseException, where: Path | str | None = None) -> StoreError | None:
    """The kit's error for a write that found no room (``DiskFull``: ENOSPC, EDQUOT, SQLite's
    "database or disk is full") or a read-only medium (``ReadOnlyFolder``: EROFS, SQLite's
    "attempt to write a readonly database"); None for any other failure. ``where``: the file
    or folder written, named in the message (a path, never data)."""
    place = str(where) if where is not None else ""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull(place)
        if exc.errno == errno.EDQUOT:
            return DiskFull(place, quota=True)
        if exc.errno == errno.EROFS:
            return ReadOnlyFolder(place)
        return None
    code = getattr(exc, "sqlite_errorcode", None)  # sqlite3 and sqlcipher3 errors
    if isinstance(code, int):
        if code & 0xFF == _SQLITE_FULL:
            return DiskFull(place)
        if code & 0xFF == _SQLITE_READONLY:
            return ReadOnlyFolder(place)
    return None


def room_left(folder: Path) -> int | None:
    """Bytes free for this user in ``folder``'s file system; None if it cannot be told."""
    try:
        found = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return None
    return found.f_bavail * found.f_frsize


def writable(path: Path) -> bool:
    """Whether this process may write ``path`` (a read-only medium says no, even to root)."""
    return os.access(path, os.W_OK)


# The copies of the store a data folder keeps (the exercise, finished exercises, the copies
# made before and set aside after an upgrade): encrypted with the live store's key, they
# have no key-slot file of their own and are opened through the live folder's slots.
EXERCISE_DIR = "exercice"
FINISHED_EXERCISES_DIR = "exercices-termines"
BEFORE_UPGRADE_DIR = "avant-mise-a-jour"
AFTER_UPGRADE_DIR = "apres-mise-a-jour"


def stamp() -> str:
    """Local time as a folder name: ``20261201-083000``."""
    return datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")


def store_files(folder: Path) -> list[Path]:
    """The store's files present in ``folder``: database, its WAL and shared memory, key slots,
    the witness of its audit chain (moved aside with them: it is about that chain)."""
    names = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", SLOTS_NAME, WITNESS_NAME)
    return [folder / n for n in names if (folder / n).exists()]


def _is_data_folder(folder: Path) -> bool:
    return (folder / DB_NAME).is_file() and (folder / SLOTS_NAME).is_file()


def live_folder_of(folder: Path) -> Path | None:
    """The data folder whose slots open the copy ``folder``, or None when ``folder`` is not
    one of the copies a data folder keeps (see ``copy_folders``)."""
    folder = Path(folder)
    if folder.name == EXERCISE_DIR:
        if folder.parent.parent.name == FINISHED_EXERCISES_DIR:
            candidate = folder.parent.parent.parent
        else:
            candidate = folder.parent
    elif folder.parent.name in (BEFORE_UPGRADE_DIR, AFTER_UPGRADE_DIR):
        candidate = folder.parent.parent
    else:
        return None
    return candidate if _is_data_folder(candidate) else None


def copy_folders(live: Path) -> list[Path]:
    """The copies of the store that ``live`` keeps, each a folder holding a database."""
    found = [live / EXERCISE_DIR]
    for parent in (live / FINISHED_EXERCISES_DIR,):
        found += sorted(p / EXERCISE_DIR for p in parent.iterdir()) if parent.is_dir() else []
    for name in (BEFORE_UPGRADE_DIR, AFTER_UPGRADE_DIR):
        parent = live / name
        found += sorted(p for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []
    return [f for f in found if (f / DB_NAME).is_file()]


def new_private_dir(parent: Path, name: str) -> Path:
    """A new owner-only folder ``name`` (``name-2``... if taken): a set-aside never overwrites one."""
    parent.mkdir(parents=True, exist_ok=True)
    candidate, n = parent / name, 1
    while True:
        try:
            candidate.mkdir(mode=0o700)
            return candidate
        except FileExistsError:
            n += 1
            candidate = parent / f"{name}-{n}"


def fsync_folder(folder: Path) -> None:
    """Best effort: make a new entry of ``folder`` durable (not every file system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` at once, owner-only: a crash leaves the old file or the
    new one, never half of each, and two writers never share a temporary file.

    A full disk or a read-only folder raises ``DiskFull`` or ``ReadOnlyFolder`` (the old file
    is left as it was); any other ``OSError`` goes on as it is.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # created 0600
    except OSError as exc:
        failure = write_failure(exc, path.parent)
        if failure is None:
            raise
        raise failure from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        failure = write_failure(exc, path.parent)
        if failure is None:
            raise
        raise failure from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def open_private(path: Path, *, replace: bool = True) -> BinaryIO:
    """Open ``path`` to write bytes, owner-only: replaced when ``replace``, else it must be new
    (``FileExistsError``). For what is written in clear by a user's choice (a saved PDF)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL), 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file replaced keeps no wider mode
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "wb")


def owner_only(db_path: Path) -> None:
    """The database file (created empty if absent) and its WAL and shared memory: mode 0600.

    SQLite gives the WAL and shared-memory files it creates the database file's mode,
    so a database made owner-only keeps them so too.
    """
    if not db_path.exists():
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{db_path}{suffix}", 0o600)
