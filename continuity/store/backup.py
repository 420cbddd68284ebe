"""Backup: a consistent, still encrypted, copy of the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3

from continuity.errors import StoreError
from continuity.folders import owner_only
from continuity.store import cipher
from continuity.store.base import _DB_ERRORS, Manager


class BackupManager(Manager):
    """``store.backup``: SQLite's online backup into a new SQLCipher file.

    Used by continuity.services.admin and continuity.maintenance.
    """

    def backup_into(self, path: Path, key: bytes | bytearray) -> None:
        """Copy the whole database, as one consistent snapshot, into a new encrypted file.

        SQLite's online backup API copies every page (WAL content included) under one
        read transaction into a second SQLCipher connection keyed with the same raw key,
        so each page is re-encrypted on its way out: the copy never exists in clear, not
        even as a temporary file. ``path`` must not exist yet or be an empty file.
        """
        if self._store._in_tx:
            raise StoreError(
                "Sauvegarde impossible pendant une transaction.", "Cannot back up during a transaction."
            )
        source: Any = self._store._conn
        owner_only(path)
        target = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            # the page layout of the source (the backup API copies pages of one size and reserve)
            cipher.unlock(target, key, cipher.hmac_of(source) or cipher.CURRENT)
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
