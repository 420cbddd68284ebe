"""Schema upgrades that can be undone: the copy kept before a migration, and the rollback.

Needs only the store's files and the open store being migrated, never a session or a
service, so ``session`` can call it while it unlocks.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from continuity import __version__
from continuity.errors import StoreError
from continuity.folders import AFTER_UPGRADE_DIR as AFTER_UPGRADE_DIR
from continuity.folders import BEFORE_UPGRADE_DIR as BEFORE_UPGRADE_DIR
from continuity.folders import (
    DB_NAME,
    SLOTS_NAME,
    new_private_dir,
    stamp,
    store_files,
    write_private,
)
from continuity.locking import exclusive_use

if TYPE_CHECKING:
    from continuity.session import Workspace
    from continuity.store import Store

COPY_INFO = "copie.json"


def keep_before_upgrade(
    workspace: Workspace, store: Store, key: bytes | bytearray, from_version: int
) -> Path:
    """Copy the encrypted store as it is, before this kit migrates it to its schema.

    Runs under the migration's exclusive lock; the copy records the schema it holds and
    the kit that is upgrading it, so a rollback puts back the right one.
    """
    target = new_private_dir(workspace.folder / BEFORE_UPGRADE_DIR, f"schema-v{from_version:03d}-{stamp()}")
    copied = store.copy_files_into(workspace.db_path, target, key)
    if copied != from_version:
        raise StoreError(
            "La copie d'avant mise à jour n'a pas la bonne version : rien n'a été migré.",
            "The pre-upgrade copy has the wrong version: nothing was migrated.",
        )
    # No slot file: the copy opens through the live slots (``folders.live_folder_of``), and a
    # re-key re-encrypts it, so secrets revoked since open it no more.
    write_private(
        target / COPY_INFO,
        json.dumps(
            {
                "schema": from_version,
                "upgraded_by_kit": __version__,
                "at": datetime.now().astimezone().isoformat(),
            }
        ),
    )
    return target


def upgrade_copies(workspace: Workspace) -> list[tuple[Path, dict[str, Any]]]:
    """(folder, info) of the pre-upgrade copies, oldest first."""
    folder = workspace.folder / BEFORE_UPGRADE_DIR
    found = []
    for path in folder.iterdir() if folder.is_dir() else []:
        try:
            info = json.loads((path / COPY_INFO).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append((path, info))
    return sorted(found, key=lambda c: str(c[1].get("at", "")))


def rollback_upgrade(workspace: Workspace, kit_version: str = __version__) -> tuple[Path, Path] | None:
    """Put back the store as it was before kit ``kit_version`` migrated it.

    Returns (the copy put back, where the current store went), or None when that kit
    did not change the schema (nothing to put back). Nothing is deleted: what was
    recorded since the upgrade stays in the moved-aside folder.
    """
    mine = [c for c in upgrade_copies(workspace) if c[1].get("upgraded_by_kit") == kit_version]
    if not mine:
        return None
    source = mine[-1][0]
    with exclusive_use(workspace.folder):
        aside = new_private_dir(workspace.folder / AFTER_UPGRADE_DIR, stamp())
        # The database only: the live slots stay, and open the copy (same key: a re-key
        # re-encrypts the copies too); the set-aside store opens through them as well.
        for path in store_files(workspace.folder):
            if path.name != SLOTS_NAME:
                os.replace(path, aside / path.name)
        shutil.copy2(source / DB_NAME, workspace.folder / DB_NAME)
    return source, aside
