"""Re-keying: a fresh database key for the store and every copy the data folder keeps.

``rotate`` (through ``services.admin.rotate_key``, ``continuity keys rotate``) draws a new
random key, seals it to the public key of the recovery slot and of each active user's
slot that the store's registry knows (``plan``; no password needed: ``keyslots``), drops
every other slot, re-encrypts the live database and every copy (exercise, finished exercises,
pre-upgrade and set-aside copies), then makes the new slots current.

Crash-safe, in this order, each step atomic (a rename), so that a SIGKILL anywhere leaves
every database opening with the old key or the new one and slots that open it:

1. the new slots are written as ``pending`` beside the current ones (the slot file);
2. each database is exported under the new key into a new file, checked, renamed over
   the old one (``Store.rekey_file``); an unlock tries the pending key when the current
   one does not open a database;
3. the pending slots become the current ones; stray slot files in the copies are removed.

A re-key killed half-way is finished by the next unlock that can have the store alone
(``finish``), or by the next ``keys rotate``.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from continuity import keyslots
from continuity.errors import Conflict, InvalidInput, NoRoomToRekey, StoreError
from continuity.folders import DB_NAME, SLOTS_NAME, copy_folders
from continuity.locking import exclusive_use
from continuity.slot_registry import read_registry, trusted_slot_ids, write_registry
from continuity.store import Store
from continuity.store import rekey as rekey_files

if TYPE_CHECKING:
    from continuity.session import Session, Workspace

ROTATION_DUE_KEY = "keys.rotation_due"


class Rotation(BaseModel):
    """What a re-key did, or why it waits (``done`` False).

    ``slots_dropped``: slots of the file the store does not know (planted, or replaced by
    someone holding the key), removed. ``users_without_slot``: users whose format-1 slot
    (no sign-in since the upgrade) could not follow. A re-key done on its own (a removal)
    never drops those: it waits, and ``must_sign_in`` names them (``recovery_unconverted``:
    the recovery key too, to be replaced with ``continuity recovery-key``).
    """

    model_config = ConfigDict(frozen=True)
    done: bool = True
    reason: str = ""
    users_without_slot: tuple[str, ...] = ()
    slots_dropped: tuple[str, ...] = ()
    must_sign_in: tuple[str, ...] = ()
    recovery_unconverted: bool = False
    copies_rekeyed: int = 0
    copies_unreadable: tuple[str, ...] = ()
    stray_slot_files_removed: int = 0


class Plan(BaseModel):
    """What a re-key of the current slot file would do (``plan``)."""

    model_config = ConfigDict(frozen=True)
    keep: tuple[str, ...]
    unknown: tuple[str, ...]  # not in the store's registry, or of no active user: dropped
    unconverted: tuple[str, ...]  # users with a format-1 slot: dropped only when told
    recovery_unconverted: bool


def plan(session: Session, slots: keyslots.SlotFile, key: bytes) -> Plan:
    """Which slots a re-key seals the new key to: the recovery slot and the slots of the
    active users of the users table, when the store's registry knows them and their MAC
    holds; every other slot is dropped (``unknown``); format-1 slots are ``unconverted``."""
    registry = read_registry(session.store)
    trusted = trusted_slot_ids(session.store)
    keep, unknown, unconverted = [], [], []
    recovery_unconverted = False
    for sid, slot in slots.slots.items():
        if sid not in trusted or (registry is not None and not keyslots.is_registered(registry, sid, slot)):
            unknown.append(sid)
        elif keyslots.slot_is_authentic(slots.store_id, slot, key):
            keep.append(sid)
        elif slot.version != keyslots.LEGACY_FORMAT:
            unknown.append(sid)  # a format-2 slot whose MAC fails: not the kit's
        elif sid == keyslots.RECOVERY_SLOT:
            recovery_unconverted = True
        else:
            unconverted.append(sid)
    return Plan(
        keep=tuple(sorted(keep)),
        unknown=tuple(sorted(unknown)),
        unconverted=tuple(sorted(unconverted)),
        recovery_unconverted=recovery_unconverted,
    )


# A margin beyond the databases' own sizes (the slot file, SQLite's journal of the export).
ROOM_MARGIN_BYTES = 1024 * 1024


def check_room(live: Path) -> None:
    """Refuse (``NoRoomToRekey``) a re-key the disk has no room for: each database is
    re-encrypted into a new file beside it before the old one goes."""
    need = ROOM_MARGIN_BYTES
    for db in databases(live):
        for path in (db, db.with_name(db.name + "-wal")):
            with contextlib.suppress(OSError):
                need += path.stat().st_size
    try:
        free = shutil.disk_usage(live).free
    except OSError:
        return
    if free < need:
        raise NoRoomToRekey(need / 1e6, free / 1e6)


def databases(live: Path) -> list[Path]:
    """The live database, then the copies the folder keeps."""
    return [live / DB_NAME, *(c / DB_NAME for c in copy_folders(live))]


def _rekey_all(live: Path, old_keys: list[bytes], new_key: bytes) -> tuple[int, tuple[str, ...]]:
    rekeyed, unreadable = 0, []
    for db in databases(live):
        rekey_files.remove_leftovers(db)  # a kill mid-export
        if Store.key_opens(db, new_key):
            continue
        old = next((k for k in old_keys if Store.key_opens(db, k)), None)
        if old is None:
            if db.parent == live:
                raise StoreError(
                    "La base ne s'ouvre ni avec l'ancienne ni avec la nouvelle clé.",
                    "The database opens with neither the old nor the new key.",
                )
            unreadable.append(str(db.parent))
            continue
        Store.rekey_file(db, old, new_key, same_layout=db.parent != live)  # copies: for their kit
        rekeyed += db.parent != live
    return rekeyed, tuple(unreadable)


def _promote(workspace: Workspace) -> None:
    with keyslots.attempt_lock(workspace.live_folder):
        slots = workspace.load_slots()
        if slots.pending is not None:
            # a new recovery key is now the recovery slot, or (not shown) sealed to a key gone
            slots.slots, slots.pending, slots.recovery_next = slots.pending, None, None
            workspace.save_slots(slots)


def remove_stray_slot_files(live: Path) -> int:
    """Slot files the copies kept (up to 0.2.0): they opened the copies with old secrets."""
    removed = 0
    for copy in copy_folders(live):
        stray = copy / SLOTS_NAME
        if stray.exists():
            stray.unlink()
            removed += 1
    return removed


def finish(workspace: Workspace, old_keys: list[bytearray], new_key: bytearray) -> bool:
    """Finish a re-key a kill interrupted: every database to ``new_key``, then the pending
    slots current. Needs the store and its copies alone (``Conflict`` otherwise)."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(exclusive_use(workspace.folder))
        for copy in copy_folders(workspace.folder):
            stack.enter_context(exclusive_use(copy))
        _rekey_all(workspace.folder, [bytes(k) for k in old_keys], bytes(new_key))
        _promote(workspace)
        remove_stray_slot_files(workspace.folder)
    return True


def _pending_key(slots: keyslots.SlotFile, keys: list[bytes]) -> bytes | None:
    """Which of ``keys`` the pending slots were sealed with (their MACs say it)."""
    for key in keys:
        if any(keyslots.slot_is_authentic(slots.store_id, s, key) for s in (slots.pending or {}).values()):
            return key
    return None


def rotate(
    session: Session,
    reason: str,
    users: dict[str, str],
    *,
    drop_unconverted: bool = False,
    replace_recovery: bool = False,
) -> Rotation:
    """Re-key the store of ``session`` and every copy (call through a service that checked
    the permission). ``users``: slot name -> user name, to name the users whose slot could
    not follow. Format-1 slots are dropped only with ``drop_unconverted`` (``Conflict``
    otherwise); ``replace_recovery``: the recovery slot becomes ``recovery_next`` (a new
    recovery key already shown), else a recovery slot that cannot follow is a ``Conflict``.
    The session goes on with the new key."""
    workspace = session.workspace
    if workspace.is_copy:
        raise InvalidInput(
            "Changez la clé depuis la base réelle du poste, pas depuis une copie.",
            "Change the key from the workstation's real store, not from a copy.",
        )
    with session.alone(), contextlib.ExitStack() as stack:
        for copy in copy_folders(workspace.folder):
            stack.enter_context(exclusive_use(copy))
        check_room(workspace.folder)
        with keyslots.attempt_lock(workspace.live_folder):
            slots = workspace.load_slots()
        if slots.pending is not None:  # a re-key killed half-way: finish it first
            pending_key = _pending_key(slots, session.known_keys)
            if pending_key is not None:
                _switch(session, session.known_keys, pending_key)
            else:
                with keyslots.attempt_lock(workspace.live_folder):
                    slots = workspace.load_slots()
                    slots.pending = None
                    workspace.save_slots(slots)
        old_key = session.db_key
        new_key = bytes(keyslots.new_database_key())
        with keyslots.attempt_lock(workspace.live_folder):
            slots = workspace.load_slots()
            todo = plan(session, slots, old_key)
            refuse_unfinished(todo, users, drop_unconverted, replace_recovery=replace_recovery)
            pending = {sid: keyslots.resealed(slots.store_id, slots.slots[sid], new_key) for sid in todo.keep}
            if replace_recovery:
                nxt = slots.recovery_next
                if nxt is None or not keyslots.slot_is_authentic(slots.store_id, nxt, old_key):
                    raise InvalidInput(
                        "Aucune nouvelle clé de secours prête : relancez « continuity recovery-key ».",
                        "No new recovery key ready: run 'continuity recovery-key' again.",
                    )
                pending[keyslots.RECOVERY_SLOT] = keyslots.resealed(slots.store_id, nxt, new_key)
            slots.pending = pending
            workspace.save_slots(slots)
        without = tuple(sorted(users.get(sid, sid) for sid in todo.unconverted))
        gone = set(todo.unknown) | set(todo.unconverted)
        if not replace_recovery:
            gone.add(keyslots.RECOVERY_NEXT)
        store = session.store
        with store.transaction():
            store.set_meta(ROTATION_DUE_KEY, "")
            registry = read_registry(store)
            if registry is not None:
                write_registry(store, {k: v for k, v in registry.items() if k not in gone})
            store.audit.append_audit(
                session.actor,
                "key.rotate",
                "keyslot",
                "database",
                1,
                {
                    "reason": reason,
                    "users_without_slot": list(without),
                    "slots_dropped": list(todo.unknown),
                    "new_recovery_key": replace_recovery,
                },
            )
        rekeyed, unreadable = _switch(session, [old_key], new_key)
        if replace_recovery:
            with session.store.transaction():
                registry = read_registry(session.store) or {}
                if keyslots.RECOVERY_NEXT in registry:
                    registry[keyslots.RECOVERY_SLOT] = registry.pop(keyslots.RECOVERY_NEXT)
                write_registry(session.store, registry)
        removed = remove_stray_slot_files(workspace.folder)
    return Rotation(
        reason=reason,
        users_without_slot=without,
        slots_dropped=todo.unknown,
        copies_rekeyed=rekeyed,
        copies_unreadable=unreadable,
        stray_slot_files_removed=removed,
    )


def refuse_unfinished(
    todo: Plan, users: dict[str, str], drop_unconverted: bool, *, replace_recovery: bool
) -> None:
    """``Conflict`` when the re-key would drop slots of the old format without being told."""
    if todo.unconverted and not drop_unconverted:
        names = ", ".join(users.get(sid, sid) for sid in todo.unconverted)
        raise Conflict(
            f"Ces comptes ont un emplacement de clé de l'ancien format (pas de connexion depuis la mise "
            f"à jour) et perdraient l'accès : {names}. Qu'ils se connectent une fois (ou donnez-leur un "
            "nouveau mot de passe), ou relancez avec --drop-unconverted.",
            f"These accounts have a key slot of the old format (no sign-in since the upgrade) and would "
            f"lose access: {names}. Have them sign in once (or give them a new password), or run "
            "again with --drop-unconverted.",
        )
    if todo.recovery_unconverted and not replace_recovery:
        raise Conflict(
            "La clé de secours est de l'ancien format et ne peut pas suivre : remplacez-la d'abord "
            "(« continuity recovery-key »).",
            "The recovery key is of the old format and cannot follow: replace it first "
            "('continuity recovery-key').",
        )


def _switch(session: Session, old_keys: list[bytes], new_key: bytes) -> tuple[int, tuple[str, ...]]:
    """Every database to ``new_key``, the pending slots current, the session on the new key.
    On a failure the session reopens with whichever key opens the store; when that is an
    old key (nothing re-encrypted yet), the pending slots are discarded."""
    live = session.workspace.folder
    session.close_store()
    try:
        done = _rekey_all(live, old_keys, new_key)
        _promote(session.workspace)
    except BaseException:
        for key in (new_key, *old_keys):
            if Store.key_opens(live / DB_NAME, key):
                session.replace_key(key)
                if key != new_key:
                    _discard_pending(session.workspace)
                break
        raise
    session.replace_key(new_key)
    return done


def _discard_pending(workspace: Workspace) -> None:
    """A re-key that failed before the live database changed: its new slots go (best effort:
    a disk still full leaves them, and the next unlock opens with the old key anyway)."""
    with contextlib.suppress(OSError, StoreError), keyslots.attempt_lock(workspace.live_folder):
        slots = workspace.load_slots()
        if slots.pending is not None:
            slots.pending = None
            workspace.save_slots(slots)
