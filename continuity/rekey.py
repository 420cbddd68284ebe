"""Re-keying: a fresh database key for the store and every copy the data folder keeps.

``rotate`` (through ``services.admin.rotate_key``, ``continuity keys rotate``) draws a new
random key, seals it to the public key of every authentic slot (no password needed:
``keyslots``), re-encrypts the live database and every copy (exercise, finished exercises,
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
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from continuity import keyslots
from continuity.errors import InvalidInput, StoreError
from continuity.folders import DB_NAME, SLOTS_NAME, copy_folders
from continuity.locking import exclusive_use
from continuity.store import Store
from continuity.store import rekey as rekey_files

if TYPE_CHECKING:
    from continuity.session import Session, Workspace

ROTATION_DUE_KEY = "keys.rotation_due"


class Rotation(BaseModel):
    """What a re-key did. ``recovery_key`` is shown once, when a new one had to be issued."""

    model_config = ConfigDict(frozen=True)
    done: bool = True
    reason: str = ""
    users_without_slot: tuple[str, ...] = ()
    recovery_key: str | None = None
    copies_rekeyed: int = 0
    copies_unreadable: tuple[str, ...] = ()
    stray_slot_files_removed: int = 0


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
        Store.rekey_file(db, old, new_key)
        rekeyed += db.parent != live
    return rekeyed, tuple(unreadable)


def _promote(workspace: Workspace) -> None:
    with keyslots.attempt_lock(workspace.live_folder):
        slots = workspace.load_slots()
        if slots.pending is not None:
            slots.slots, slots.pending = slots.pending, None
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


def rotate(session: Session, reason: str, kdf: keyslots.KdfParams | None, users: dict[str, str]) -> Rotation:
    """Re-key the store of ``session`` and every copy (call through a service that checked
    the permission). ``users``: slot name -> user name, to name whose slot could not be
    re-sealed. The session goes on with the new key."""
    workspace = session.workspace
    if workspace.is_copy:
        raise InvalidInput(
            "Changez la clé depuis la base réelle du poste, pas depuis une copie.",
            "Change the key from the workstation's real store, not from a copy.",
        )
    with session.alone(), contextlib.ExitStack() as stack:
        for copy in copy_folders(workspace.folder):
            stack.enter_context(exclusive_use(copy))
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
        recovery_key = None
        with keyslots.attempt_lock(workspace.live_folder):
            slots = workspace.load_slots()
            pending: dict[str, keyslots.Slot] = {}
            dropped: list[str] = []
            for sid, slot in slots.slots.items():
                if keyslots.slot_is_authentic(slots.store_id, slot, old_key):
                    pending[sid] = keyslots.resealed(slots.store_id, slot, new_key)
                else:
                    dropped.append(sid)
            if keyslots.RECOVERY_SLOT not in pending:
                recovery_key = keyslots.generate_recovery_key()
                fresh = keyslots.SlotFile(store_id=slots.store_id)
                keyslots.wrap(
                    fresh, keyslots.RECOVERY_SLOT, keyslots.parse_recovery_key(recovery_key), new_key, kdf
                )
                pending[keyslots.RECOVERY_SLOT] = fresh.slots[keyslots.RECOVERY_SLOT]
            slots.pending = pending
            workspace.save_slots(slots)
        without = tuple(sorted(users.get(sid, sid) for sid in dropped if sid != keyslots.RECOVERY_SLOT))
        store = session.store
        with store.transaction():
            store.set_meta(ROTATION_DUE_KEY, "")
            store.audit.append_audit(
                session.actor,
                "key.rotate",
                "keyslot",
                "database",
                1,
                {
                    "reason": reason,
                    "users_without_slot": list(without),
                    "new_recovery_key": bool(recovery_key),
                },
            )
        rekeyed, unreadable = _switch(session, [old_key], new_key)
        removed = remove_stray_slot_files(workspace.folder)
    return Rotation(
        reason=reason,
        users_without_slot=without,
        recovery_key=recovery_key,
        copies_rekeyed=rekeyed,
        copies_unreadable=unreadable,
        stray_slot_files_removed=removed,
    )


def _switch(session: Session, old_keys: list[bytes], new_key: bytes) -> tuple[int, tuple[str, ...]]:
    """Every database to ``new_key``, the pending slots current, the session on the new key.
    On a failure the session reopens with whichever key opens the store (pending stays)."""
    live = session.workspace.folder
    session.close_store()
    try:
        done = _rekey_all(live, old_keys, new_key)
        _promote(session.workspace)
    except BaseException:
        for key in (new_key, *old_keys):
            if Store.key_opens(live / DB_NAME, key):
                session.replace_key(key)
                break
        raise
    session.replace_key(new_key)
    return done
