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

from continuity import __version__, keyslots
from continuity.errors import Conflict, StoreError
from continuity.folders import AFTER_UPGRADE_DIR as AFTER_UPGRADE_DIR
from continuity.folders import BEFORE_UPGRADE_DIR as BEFORE_UPGRADE_DIR
from continuity.folders import (
    DB_NAME,
    SLOTS_NAME,
    WITNESS_NAME,
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
# The newest schema of a kit that reads key slots of format 1 only (0.2.0; the next release has v8).
LAST_SCHEMA_OF_SLOT_FORMAT_1 = 7


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
    if (workspace.folder / WITNESS_NAME).is_file():  # the witness of the copy's head, put back with it
        shutil.copy2(workspace.folder / WITNESS_NAME, target / WITNESS_NAME)
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

    The copy's database is put back, opened by the live slots (a re-key re-encrypted the
    copies with the live key). When the copy is older than the slot format 2 (its kit,
    up to 0.2.0, reads format 1 only), the live slots are written in format 1 from the
    format-1 wraps they kept (``keyslots.legacy_file``; accounts and passwords made since
    the upgrade are not in it) and the format-2 file goes aside with the upgraded store;
    refused when the key was changed since the upgrade (the old kit could open nothing).

    Returns (the copy put back, where the current store went), or None when that kit
    did not change the schema (nothing to put back). Nothing is deleted: what was
    recorded since the upgrade stays in the moved-aside folder.
    """
    mine = [c for c in upgrade_copies(workspace) if c[1].get("upgraded_by_kit") == kit_version]
    if not mine:
        return None
    source, info = mine[-1]
    with exclusive_use(workspace.folder):
        legacy = None
        if int(info.get("schema", 0)) <= LAST_SCHEMA_OF_SLOT_FORMAT_1:
            legacy = keyslots.legacy_file(keyslots.load(workspace.slots_path))
            if legacy is None:
                raise Conflict(
                    "La clé de la base a été changée depuis la mise à jour : la version précédente "
                    "du kit ne pourrait pas l'ouvrir. Retour arrière refusé ; restez sur cette "
                    "version (ou restaurez une sauvegarde faite avant la mise à jour).",
                    "The database key was changed since the upgrade: the previous version of the "
                    "kit could not open it. Rollback refused; stay on this version (or restore a "
                    "backup made before the upgrade).",
                )
        aside = new_private_dir(workspace.folder / AFTER_UPGRADE_DIR, stamp())
        for path in store_files(workspace.folder):
            if path.name != SLOTS_NAME or legacy is not None:
                os.replace(path, aside / path.name)
        shutil.copy2(source / DB_NAME, workspace.folder / DB_NAME)
        if (source / WITNESS_NAME).is_file():
            shutil.copy2(source / WITNESS_NAME, workspace.folder / WITNESS_NAME)
        if legacy is not None:
            # A kit up to 0.2.0 reads slots of format 1 only: the same secrets, the same key.
            write_private(workspace.folder / SLOTS_NAME, json.dumps(legacy, indent=2, sort_keys=True))
    return source, aside
