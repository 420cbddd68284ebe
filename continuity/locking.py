"""Who has a workstation's store open: a shared lock per open session, an exclusive one for
maintenance (rollback, restore, end of an exercise, a re-key) that moves the store's files.

POSIX ``flock`` on a lock file in the data folder; the kernel drops the lock when a
process dies, so a crash leaves no stale lock. On Windows the system itself refuses to
move a file another process has open, which those commands turn into the same error.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from continuity.errors import Conflict

LOCK_FILE = ".utilisation"
INDEX_IMPORT_LOCK = ".import-index.verrou"  # one import of the HIS identity index at a time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def _busy() -> Conflict:
    return Conflict(
        "La base est ouverte (application ou commande en cours) : fermez-la d'abord, puis recommencez.",
        "The database is open (application or command running): close it first, then try again.",
    )


def _open_lock_file(folder: Path) -> int | None:
    """The lock file, created if need be; on a folder that cannot be written (read-only, full),
    the existing one opened for reading (``flock`` needs no more), else None: no maintenance can
    move files in such a folder either."""
    path = folder / LOCK_FILE
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM):
            raise
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None


def hold_shared(folder: Path) -> int | None:
    """Mark the store as in use by this session; the descriptor is kept until it locks."""
    if fcntl is None or not folder.is_dir():
        return None
    fd = _open_lock_file(folder)
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise Conflict(
            "Maintenance en cours sur ce poste (restauration, retour arrière) : réessayez dans un instant.",
            "Maintenance running on this workstation (restore, rollback): try again in a moment.",
        ) from None
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


@contextlib.contextmanager
def exclusive_use(folder: Path) -> Iterator[None]:
    """Hold the store alone while its files are moved; refused while anyone has it open."""
    if fcntl is None or not folder.is_dir():
        try:
            yield
        except PermissionError:
            raise _busy() from None
        return
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise _busy() from None
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def upgraded(fd: int | None) -> Iterator[None]:
    """Turn a session's shared hold (``hold_shared``) into holding the store alone, then back.

    Refused while any other session or process holds it. ``flock`` may drop the shared hold
    before it refuses: it is taken back at once.
    """
    if fcntl is None or fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        raise _busy() from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_SH)


@contextlib.contextmanager
def one_index_import(folder: Path) -> Iterator[None]:
    """Held for a whole import of the HIS identity index: its batches span many transactions,
    and a second import (the watcher, the GUI, a command) would fill the same spare tables."""
    try:
        fd = os.open(folder / INDEX_IMPORT_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        fd = None  # a folder that cannot be written: no import can write the store either
    try:
        if fd is not None:
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:  # pragma: no cover - Windows
                    import msvcrt

                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                raise Conflict(
                    "Un import de l'index du DPI est déjà en cours sur ce poste : attendez sa fin.",
                    "An import of the HIS index is already running on this workstation: wait for it to end.",
                ) from None
        yield
    finally:
        if fd is not None:
            os.close(fd)
