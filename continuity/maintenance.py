"""Keeping a workstation fit: backup restore, exercises, the health file (upgrades: ``upgrade``).

None of this needs patient data in clear: copies are of the encrypted files, and
the health file beside the store holds only counts and times (what ``continuity
doctor`` reports when nobody unlocks the store).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from continuity import __version__, keyslots, witness
from continuity.domain.outbox import EventStatus
from continuity.domain.users import Permission
from continuity.errors import Conflict, NotFound, PermissionDenied
from continuity.folders import EXERCISE_DIR as EXERCISE_DIR
from continuity.folders import FINISHED_EXERCISES_DIR as FINISHED_EXERCISES_DIR
from continuity.folders import (
    PARTIAL_SUFFIX,
    WITNESS_NAME,
    new_private_dir,
    stamp,
    store_files,
    write_private,
)
from continuity.locking import exclusive_use
from continuity.services import crisis, exchange_peers, indicators, snapshots, sync_state
from continuity.services.admin import BACKUP_PREFIX
from continuity.session import Session, Workspace
from continuity.store import Store

HEALTH_FILE = "etat-du-poste.json"


def restore_backup(backup_folder: Path, workspace: Workspace, *, replace: bool = False) -> Path | None:
    """Make ``workspace`` (a replacement workstation) hold the backup's encrypted store.

    Check that the backup opens (``check_backup``) before calling this. Any store file
    already there (even a partial one) is moved aside, only with ``replace``; the
    folder it went to is returned.
    """
    files = backup_files(backup_folder)
    present = store_files(workspace.folder) if workspace.folder.is_dir() else []
    if present and not replace:
        raise Conflict(
            "Ce dossier de données contient déjà une base : ajoutez --replace pour la mettre de côté.",
            "This data folder already holds a database: add --replace to move it aside.",
        )
    workspace.ensure_folder()
    aside = None
    with exclusive_use(workspace.folder):
        if present:
            aside = new_private_dir(workspace.folder, f"remplacee-{stamp()}")
            for path in present:
                os.replace(path, aside / path.name)
        for f in files:
            shutil.copy2(f, workspace.folder / f.name)
            os.chmod(workspace.folder / f.name, 0o600)
    return aside


def check_backup(backup_folder: Path, username: str | None, secret: str) -> None:
    """Prove the backup opens with these credentials, and that they are an IT administrator's
    (or the recovery key), without changing the backup (no migration, no counters)."""
    files = backup_files(backup_folder)
    slots = keyslots.load(files[1])
    now = keyslots.now_utc()
    if username is None:
        key = keyslots.unwrap(slots, keyslots.RECOVERY_SLOT, keyslots.parse_recovery_key(secret), now)
    else:
        key = keyslots.unwrap(slots, keyslots.user_slot_id(username.strip().lower()), secret.encode(), now)
    store = Store.open_encrypted(files[0], key, keyslots.now_utc)
    try:
        user = store.users.get_user(username.strip().lower()) if username else None
    finally:
        store.close()
    if username is not None and (user is None or not user.can(Permission.MANAGE_KEYS)):
        raise PermissionDenied(
            "Restaurer une sauvegarde est réservé à l'informatique.",
            "Restoring a backup is for IT administrators.",
        )


class BackupEntry(BaseModel):
    """A backup found on a medium: complete, or cut short while it was written."""

    model_config = ConfigDict(frozen=True)
    path: Path
    complete: bool
    modified_at: datetime


def list_backups(folder: Path) -> list[BackupEntry]:
    """The kit's backups in ``folder`` (a USB stick), oldest first; no session needed."""
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_dir() and p.name.startswith(BACKUP_PREFIX))
    except OSError:
        raise NotFound(
            f"Dossier illisible ou absent : {folder}.", f"Folder unreadable or missing: {folder}."
        ) from None
    return [
        BackupEntry(
            path=p,
            complete=not p.name.endswith(PARTIAL_SUFFIX),
            modified_at=datetime.fromtimestamp(p.stat().st_mtime).astimezone(),
        )
        for p in entries
    ]


INCOMPLETE_FR = (
    "Sauvegarde incomplète (interrompue pendant sa copie) : elle ne peut pas être restaurée. "
    "Supprimez ce dossier et utilisez une sauvegarde complète (continuity backup list)."
)
INCOMPLETE_EN = (
    "Incomplete backup (interrupted while it was copied): it cannot be restored. "
    "Delete this folder and use a complete backup (continuity backup list)."
)


def backup_files(backup_folder: Path) -> list[Path]:
    if backup_folder.name.endswith(PARTIAL_SUFFIX):
        raise NotFound(INCOMPLETE_FR, INCOMPLETE_EN)
    files = [backup_folder / Workspace.DB_NAME, backup_folder / Workspace.SLOTS_NAME]
    if not all(f.is_file() for f in files):
        raise NotFound(
            "Ce dossier n'est pas une sauvegarde du kit (base ou fichier des clés manquant).",
            "This folder is not a backup of the kit (database or key file missing).",
        )
    carried = backup_folder / WITNESS_NAME  # the witness of the copy's head (admin.backup)
    return files + ([carried] if carried.is_file() else [])


def exercise_workspace(workspace: Workspace) -> Workspace:
    """The drill's own store, beside the real one (``--exercise`` on the command line and app),
    opened through the real store's key slots."""
    return Workspace(workspace.folder / EXERCISE_DIR, workspace.clock)


def start_exercise(session: Session) -> Workspace:
    """Copy the real store into a separate exercise store, flagged EXERCICE.

    The drill starts from the real picture with the same accounts, and nothing
    done in it reaches the real store, the real HIS or real workstations: the
    copy is in exercise mode (sync to the real HIS refused, EXERCICE on every
    screen and page, its bundles refused by real stores) and watches its own folders.
    """
    _require_drill_lead(session)
    real = session.workspace
    drill = exercise_workspace(real)
    if drill.is_provisioned():
        raise Conflict(
            "Un exercice est déjà en cours sur ce poste (continuity exercise stop).",
            "An exercise is already running on this workstation (continuity exercise stop).",
        )
    drill.ensure_folder()
    # No slot file of its own: the drill opens through the real store's slots (a user
    # removed there opens it no more), and a re-key re-encrypts it with the real store.
    session.store.backup.backup_into(drill.db_path, session.db_key)
    copy = Store.open_encrypted(drill.db_path, session.db_key, session.clock)
    try:
        with copy.transaction():
            copy.set_meta(crisis.EXERCISE_KEY, "on")
            copy.set_meta(crisis.EXERCISE_COPY_KEY, "1")
            copy.set_meta(witness.SINCE_META, "")  # its folder has no witness yet: written at its unlock
            for key in (snapshots.INBOX_META_KEY, snapshots.EXCHANGE_META_KEY):
                copy.set_meta(key, "")
            # The drill's bundles must never reach the real stores' folders (same site, same folder id).
            copy.set_meta(exchange_peers.SYNCTHING_KEY, "off")
            copy.audit.append_audit(session.actor, "exercise.start", "site", "exercise", 1, {})
    finally:
        copy.close()
    with session.store.transaction():
        session.store.audit.append_audit(session.actor, "exercise.start", "site", "exercise", 1, {})
    return drill


def stop_exercise(session: Session, *, delete: bool = False) -> Path | None:
    """End the drill (crisis cell or IT, on the real store): its store is kept for the
    debriefing, or deleted."""
    _require_drill_lead(session)
    workspace = session.workspace
    drill = exercise_workspace(workspace)
    if not drill.folder.exists():
        raise NotFound("Aucun exercice en cours sur ce poste.", "No exercise running here.")
    with exclusive_use(drill.folder):
        if delete:
            shutil.rmtree(drill.folder)
            return None
        target = new_private_dir(workspace.folder / FINISHED_EXERCISES_DIR, stamp())
        os.replace(drill.folder, target / EXERCISE_DIR)
    with session.store.transaction():
        session.store.audit.append_audit(
            session.actor, "exercise.stop", "site", "exercise", 1, {"deleted": delete}
        )
    return target / EXERCISE_DIR


def _require_drill_lead(session: Session) -> None:
    if not (session.user.can(Permission.SET_STATUS) or session.user.can(Permission.MANAGE_KEYS)):
        raise PermissionDenied(
            "Seuls la cellule de crise ou l'informatique mènent un exercice.",
            "Only the crisis cell or IT can run an exercise.",
        )


class Health(BaseModel):
    """What doctor reports about the store when it is locked: counts and times only."""

    model_config = ConfigDict(frozen=True)
    updated_at: datetime
    kit_version: str
    schema_version: int
    last_snapshot_at: datetime | None
    snapshot_max_age_minutes: int
    sync_backlog: int
    sync_refused: int
    sync_awaiting: int = 0  # HL7 enhanced mode: committed by the HIS, application ACK awaited
    sync_awaiting_since: datetime | None = None  # the oldest of them
    numbers_left: int
    numbers_total: int
    exercise: bool


def health(session: Session) -> Health:
    store = session.store
    ws = store.reference.local_workstation()
    status = sync_state.status(session)
    return Health(
        updated_at=session.clock(),
        kit_version=__version__,
        schema_version=store.user_version(),
        last_snapshot_at=indicators.last_snapshot_at(session),
        snapshot_max_age_minutes=int(indicators.snapshot_max_age(session).total_seconds() // 60),
        sync_backlog=status.backlog,
        sync_refused=status.counts.get(EventStatus.ERROR, 0),
        sync_awaiting=status.awaiting,
        sync_awaiting_since=status.awaiting_since,
        numbers_left=store.reference.remaining_numbers(),
        numbers_total=ws.block[1] - ws.block[0] + 1,
        exercise=crisis.exercise_mode(session),
    )


def write_health(workspace: Workspace, value: Health) -> None:
    write_private(workspace.folder / HEALTH_FILE, value.model_dump_json(indent=2))


def read_health(workspace: Workspace) -> Health | None:
    path = workspace.folder / HEALTH_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return Health.model_validate(data)
    except (OSError, ValueError):
        return None
