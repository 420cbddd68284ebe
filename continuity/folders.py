"""The files of a data folder, and the private folders the kit sets things aside in.

Kept apart from ``session`` so that what handles the files (pre-upgrade copies,
restore, exercises) needs no unlocked session.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

DB_NAME = "continuity.db"
SLOTS_NAME = "keyslots.json"


def stamp() -> str:
    """Local time as a folder name: ``20261201-083000``."""
    return datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")


def store_files(folder: Path) -> list[Path]:
    """The store's files present in ``folder``: database, its WAL and shared memory, key slots."""
    names = (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", SLOTS_NAME)
    return [folder / n for n in names if (folder / n).exists()]


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
