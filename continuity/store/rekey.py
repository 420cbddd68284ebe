"""Re-keying a closed database file: the SQL of ``continuity.rekey`` (``keys rotate``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlcipher3

from continuity.errors import DiskFull, StoreError
from continuity.folders import fsync_folder, owner_only, write_failure
from continuity.store import cipher
from continuity.store.base import _DB_ERRORS


def key_opens(path: Path, key: bytes | bytearray) -> bool:
    """Whether ``key`` opens the database file ``path`` (reads its first page only; a wrong
    key is an expected answer here, so SQLCipher does not log it on stderr). A missing file
    is not created: it opens with no key."""
    if not path.is_file():
        return False
    try:
        conn, _ = cipher.open_file(str(path), key)
    except _DB_ERRORS:
        return False
    conn.close()
    return True


def remove_leftovers(path: Path) -> None:
    """What a re-key of ``path`` killed half-way left: its new file and that file's journal."""
    for suffix in (".rekey", ".rekey-journal", ".rekey-wal", ".rekey-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def rekey_file(
    path: Path, old_key: bytes | bytearray, new_key: bytes | bytearray, *, same_layout: bool = False
) -> None:
    """Re-encrypt the closed database ``path`` from ``old_key`` to ``new_key``, crash-safely.

    ``sqlcipher_export`` writes the whole database, WAL content included, into a new
    file keyed with ``new_key`` (never in clear), which is checked, made durable, then
    renamed over the old one: a kill at any moment leaves the old file (old key) or the
    new one (new key), each whole. Needs the store alone (no other connection). The new file
    is sealed as ``cipher.CURRENT`` says, whatever the old one was (``cipher``'s text), or,
    ``same_layout``, as the old one was: a copy kept for a rollback must stay readable by the
    kit that made it.
    """
    tmp = path.with_name(path.name + ".rekey")
    remove_leftovers(path)
    owner_only(tmp)
    conn: Any = None
    try:
        conn, layout = cipher.open_file(str(path), old_key)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        hmac = layout if same_layout else cipher.CURRENT
        cipher.attach(conn, str(tmp), "rekeyed", new_key, hmac)
        conn.execute("SELECT sqlcipher_export('rekeyed')")
        conn.execute(f"PRAGMA rekeyed.user_version = {version}")
        conn.execute("DETACH DATABASE rekeyed")
    except _DB_ERRORS as exc:
        tmp.unlink(missing_ok=True)
        full_or_read_only = write_failure(exc, path.parent)  # DiskFull, ReadOnlyFolder
        if full_or_read_only is None and "disk is full" in str(exc):  # sqlcipher_export: SQLITE_ERROR
            full_or_read_only = DiskFull(str(path.parent))
        if full_or_read_only is not None:
            raise full_or_read_only from exc
        raise StoreError(
            "Le changement de clé de la base a échoué ; la base garde son ancienne clé.",
            "Re-keying the database failed; it keeps its old key.",
        ) from exc
    finally:
        if conn is not None:
            conn.close()
    check = sqlcipher3.connect(str(tmp), isolation_level=None)
    try:
        cipher.unlock(check, new_key, hmac)
        ok = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        ok = ok and int(check.execute("PRAGMA user_version").fetchone()[0]) == version
    finally:
        check.close()
    if not ok:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            "La base re-chiffrée ne passe pas le contrôle ; la base garde son ancienne clé.",
            "The re-keyed database fails its check; it keeps its old key.",
        )
    with open(tmp, "rb+") as out:
        os.fsync(out.fileno())
    for suffix in ("-wal", "-shm"):  # the WAL was folded in, and is empty: none may outlive it
        side = Path(f"{path}{suffix}")
        if suffix == "-wal" and side.exists() and side.stat().st_size:
            tmp.unlink(missing_ok=True)
            raise StoreError(
                "La base est encore utilisée : changement de clé abandonné.",
                "The database is still in use: re-key abandoned.",
            )
        side.unlink(missing_ok=True)
    os.replace(tmp, path)
    fsync_folder(path.parent)
