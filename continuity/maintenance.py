"""Keeping a workstation fit: copies before a schema upgrade, rollback, restore, health file.

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

from continuity import __version__
from continuity.domain.outbox import EventStatus
from continuity.domain.users import Permission
from continuity.errors import Conflict, NotFound, PermissionDenied
from continuity.services import crisis, indicators, snapshots, sync_state
from continuity.session import Session, Workspace
from continuity.store import Store

EXERCISE_DIR = "exercice"
FINISHED_EXERCISES_DIR = "exercices-termines"
BEFORE_UPGRADE_DIR = "avant-mise-a-jour"
AFTER_UPGRADE_DIR = "apres-mise-a-jour"
HEALTH_FILE = "etat-du-poste.json"


def _stamp() -> str:
    return datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _store_files(folder: Path) -> list[Path]:
    names = (Workspace.DB_NAME, Workspace.DB_NAME + "-wal", Workspace.DB_NAME + "-shm",
             Workspace.SLOTS_NAME)
    return [folder / n for n in names if (folder / n).exists()]


def keep_before_upgrade(workspace: Workspace, from_version: int) -> Path:
    """Copy the encrypted store as it is, before migrating it to this version's schema."""
    target = _private_dir(workspace.folder / BEFORE_UPGRADE_DIR /
                          f"schema-v{from_version}-{_stamp()}")
    for path in _store_files(workspace.folder):
        shutil.copy2(path, target / path.name)
    return target


def upgrade_copies(workspace: Workspace) -> list[Path]:
    folder = workspace.folder / BEFORE_UPGRADE_DIR
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def rollback_upgrade(workspace: Workspace) -> tuple[Path, Path]:
    """Put back the store as it was before the last upgrade; the current one is moved aside.

    Returns (the copy put back, where the current store went). Nothing is deleted:
    what was recorded since the upgrade stays in the moved-aside folder.
    """
    copies = upgrade_copies(workspace)
    if not copies:
        raise NotFound("Aucune copie d'avant mise à jour dans ce dossier de données.",
                       "No copy from before an upgrade in this data folder.")
    source = copies[-1]
    aside = _private_dir(workspace.folder / AFTER_UPGRADE_DIR / _stamp())
    for path in _store_files(workspace.folder):
        os.replace(path, aside / path.name)
    for path in source.iterdir():
        shutil.copy2(path, workspace.folder / path.name)
    return source, aside


def restore_backup(backup_folder: Path, workspace: Workspace, *, replace: bool = False) -> Path | None:
    """Make ``workspace`` (a replacement workstation) hold the backup's encrypted store.

    With ``replace`` an existing store is moved aside first (and that folder returned).
    """
    files = [backup_folder / Workspace.DB_NAME, backup_folder / Workspace.SLOTS_NAME]
    if not all(f.is_file() for f in files):
        raise NotFound("Ce dossier n'est pas une sauvegarde du kit (base ou fichier des clés "
                       "manquant).", "This folder is not a backup of the kit (database or key "
                       "file missing).")
    aside = None
    if workspace.is_provisioned():
        if not replace:
            raise Conflict("Ce dossier de données contient déjà une base : ajoutez --replace "
                           "pour la mettre de côté.", "This data folder already holds a "
                           "database: add --replace to move it aside.")
        aside = _private_dir(workspace.folder / f"remplacee-{_stamp()}")
        for path in _store_files(workspace.folder):
            os.replace(path, aside / path.name)
    workspace.ensure_folder()
    for f in files:
        shutil.copy2(f, workspace.folder / f.name)
        os.chmod(workspace.folder / f.name, 0o600)
    return aside


def exercise_workspace(workspace: Workspace) -> Workspace:
    """The drill's own store, beside the real one (``--exercise`` on the command line and app)."""
    return Workspace(workspace.folder / EXERCISE_DIR, workspace.clock)


def start_exercise(session: Session) -> Workspace:
    """Copy the real store into a separate exercise store, flagged EXERCICE.

    The drill starts from the real picture with the same accounts, and nothing
    done in it reaches the real store, the real HIS or real workstations: the
    copy is in exercise mode (sync to the real HIS refused, EXERCICE on every
    screen and page, its bundles refused by real stores) and watches its own folders.
    """
    if not (session.user.can(Permission.SET_STATUS) or session.user.can(Permission.MANAGE_KEYS)):
        raise PermissionDenied("Seuls la cellule de crise ou l'informatique lancent un exercice.",
                               "Only the crisis cell or IT can start an exercise.")
    real = session.workspace
    drill = exercise_workspace(real)
    if drill.is_provisioned():
        raise Conflict("Un exercice est déjà en cours sur ce poste (continuity exercise stop).",
                       "An exercise is already running on this workstation (continuity "
                       "exercise stop).")
    drill.ensure_folder()
    session.store.backup_into(drill.db_path, session.db_key)
    shutil.copy2(real.slots_path, drill.slots_path)
    copy = Store.open_encrypted(drill.db_path, session.db_key, session.clock)
    try:
        with copy.transaction():
            copy.set_meta(crisis.EXERCISE_KEY, "on")
            for key in (snapshots.INBOX_META_KEY, snapshots.EXCHANGE_META_KEY):
                copy.set_meta(key, "")
            copy.append_audit(session.actor, "exercise.start", "site", "exercise", 1, {})
    finally:
        copy.close()
    with session.store.transaction():
        session.store.append_audit(session.actor, "exercise.start", "site", "exercise", 1, {})
    return drill


def stop_exercise(workspace: Workspace, *, delete: bool = False) -> Path | None:
    """End the drill: its store is kept for the debriefing (or deleted)."""
    drill = exercise_workspace(workspace)
    if not drill.folder.exists():
        raise NotFound("Aucun exercice en cours sur ce poste.", "No exercise running here.")
    if delete:
        shutil.rmtree(drill.folder)
        return None
    target = _private_dir(workspace.folder / FINISHED_EXERCISES_DIR) / _stamp()
    os.replace(drill.folder, target)
    return target


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
    numbers_left: int
    numbers_total: int
    exercise: bool


def health(session: Session) -> Health:
    store = session.store
    ws = store.local_workstation()
    status = sync_state.status(session)
    return Health(updated_at=session.clock(), kit_version=__version__,
                  schema_version=store.user_version(),
                  last_snapshot_at=indicators.last_snapshot_at(session),
                  snapshot_max_age_minutes=int(indicators.snapshot_max_age(store).total_seconds()
                                               // 60),
                  sync_backlog=status.backlog, sync_refused=status.counts.get(EventStatus.ERROR, 0),
                  numbers_left=store.remaining_numbers(),
                  numbers_total=ws.block[1] - ws.block[0] + 1,
                  exercise=crisis.exercise_mode(session))


def write_health(workspace: Workspace, value: Health) -> None:
    path = workspace.folder / HEALTH_FILE
    partial = path.with_name(path.name + ".partial")
    partial.write_text(value.model_dump_json(indent=2), encoding="utf-8")
    os.replace(partial, path)


def read_health(workspace: Workspace) -> Health | None:
    path = workspace.folder / HEALTH_FILE
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return Health.model_validate(data)
    except (OSError, ValueError):
        return None

