"""The data folder of a workstation, unlocking it, and the unlocked session.

A ``Session`` is what every service takes: the user who unlocked the store,
the open store, and the clock. Services check permissions against
``session.user``, so the GUI and the CLI get the same rules.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType

from continuity import folders, keyslots, locking, witness
from continuity.changes import Changes
from continuity.domain.users import Permission, Role, User
from continuity.errors import (
    AuthenticationFailed,
    Conflict,
    DiskFull,
    PermissionDenied,
    SessionLocked,
    StoreError,
)
from continuity.slot_registry import (
    read_registry,
    trusted_slot_ids,
    write_registry,
)
from continuity.store import Store
from continuity.store.base import _DB_ERRORS
from continuity.upgrade import keep_before_upgrade

Clock = Callable[[], datetime]
RECOVERY_ACTOR = "recovery-key"
# The slot file's counters as this store last saw them (``keyslots.counter_marks``).
COUNTERS_SEEN_KEY = "keyslots.counters_seen"
_WRITE_ERRORS: tuple[type[Exception], ...] = (StoreError, *_DB_ERRORS)


class Workspace:
    """A workstation's data folder: the encrypted database and its key-slot file.

    A copy the data folder keeps (its exercise, a finished exercise, a pre-upgrade copy:
    ``folders.live_folder_of``) has no slot file of its own: it is opened through the live
    folder's slots, its counters and its lock, so a slot removed there opens no copy either.
    """

    DB_NAME = folders.DB_NAME
    SLOTS_NAME = folders.SLOTS_NAME

    def __init__(self, folder: Path, clock: Clock = keyslots.now_utc):
        self.folder = Path(folder)
        self.clock = clock

    @property
    def db_path(self) -> Path:
        return self.folder / self.DB_NAME

    @property
    def live_folder(self) -> Path:
        """The folder whose slots open this store: itself, or the data folder of a copy."""
        return folders.live_folder_of(self.folder) or self.folder

    @property
    def is_copy(self) -> bool:
        return self.live_folder != self.folder

    @property
    def slots_path(self) -> Path:
        return self.live_folder / self.SLOTS_NAME

    def is_provisioned(self) -> bool:
        return self.db_path.exists() and self.slots_path.exists()

    def ensure_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)

    def load_slots(self) -> keyslots.SlotFile:
        return keyslots.load(self.slots_path)

    def save_slots(self, slots: keyslots.SlotFile) -> None:
        keyslots.save(self.slots_path, slots)

    def _attempt(self, slot_id: str, secret: bytes) -> tuple[keyslots.Unlocked, keyslots.SlotFile]:
        """One try of ``secret``, counted: the slot file is held alone across processes from its
        load to its save, and is written only when something changed in it."""
        with keyslots.attempt_lock(self.live_folder):
            slots = self.load_slots()
            try:
                opened = keyslots.attempt(slots, slot_id, secret, self.clock)
            except AuthenticationFailed:
                with contextlib.suppress(OSError):  # a read-only folder cannot count (security.md)
                    self.save_slots(slots)
                raise
            if opened.changed:
                with contextlib.suppress(OSError):
                    self.save_slots(slots)
        return opened, slots

    def _open(
        self,
        opened: keyslots.Unlocked,
        slots: keyslots.SlotFile,
        user_of: Callable[[Store], User | None],
        slot_id: str | None = None,
    ) -> Session:
        notices: list[tuple[str, str]] = []
        if slots.pending is not None and opened.pending_key is not None and not self.is_copy:
            from continuity import rekey

            try:
                if rekey.finish(self, [opened.key], opened.pending_key):
                    opened = keyslots.Unlocked(opened.pending_key, None, False, opened.failures)
            except Conflict:
                pass  # someone else has it open: they or a later unlock finish
            except (StoreError, OSError) as exc:  # no room, a medium error: open with the key that opens
                notices.append(_unfinished_notice(exc))
        candidates = [k for k in (opened.key, opened.pending_key) if k is not None]
        lock = locking.hold_shared(self.folder)
        try:
            db_key = opened.key
            if len(candidates) > 1:  # a re-key left unfinished: the key that opens this database
                db_key = next((k for k in candidates if Store.key_opens(self.db_path, k)), opened.key)
            store = Store.open_encrypted(self.db_path, db_key, self.clock)
        except BaseException:
            locking.release(lock)
            raise
        others = [k for k in candidates if k is not db_key]
        try:

            def keep(version: int) -> None:
                keep_before_upgrade(self, store, db_key, version)

            store.migrate(before=keep)
            user = user_of(store)
            if user is None or not user.active:
                raise AuthenticationFailed(
                    "Identifiant ou mot de passe incorrect.", "Wrong user name or password."
                )
            if not self.is_copy and slot_id is not None:
                _check_registered(store, slots, slot_id, user.username)
            witness.attach(self.folder, store, self.clock, user.username)
            if not self.is_copy:
                notices += self._check_counters(store, user.username)
                notices += _tell_failures(store, user.username, opened.failures)
        except BaseException:
            store.close()
            locking.release(lock)
            raise
        return Session(self, user, store, db_key, lock, others=others, notices=notices)

    def _check_counters(self, store: Store, actor: str) -> list[tuple[str, str]]:
        """Compare the slot file's counters with what this store saw last; a counter that went
        back (the file edited, or replaced by an older copy) is recorded in the audit, shown,
        and put back up. The store is written only when something is new."""
        try:
            seen: dict[str, int] = json.loads(store.get_meta(COUNTERS_SEEN_KEY) or "{}")
        except ValueError:
            seen = {}
        back: list[str] = []
        with keyslots.attempt_lock(self.live_folder):
            slots = self.load_slots()
            if seen:
                back = keyslots.counters_gone_back(slots, seen, self.clock())
                if back:
                    with contextlib.suppress(OSError):
                        self.save_slots(slots)
        marks = keyslots.counter_marks(slots)
        merged = {k: max(v, seen.get(k, 0)) for k, v in marks.items()}
        merged.update({k: v for k, v in seen.items() if k not in merged})
        if merged != seen or back:
            try:
                with store.transaction():
                    store.set_meta(COUNTERS_SEEN_KEY, json.dumps(merged, sort_keys=True))
                    if back:
                        store.audit.append_audit(
                            actor, "key.counter_rollback", "keyslot", "counters", 1, {"slots": back}
                        )
            except _WRITE_ERRORS:
                pass  # a read-only store: the file could not be cleared either
        if not back:
            return []
        return [
            (
                "Le compteur d'essais de mot de passe a été remis en arrière dans le fichier des clés "
                "(fichier modifié ou remplacé par une copie) : c'est noté au journal d'audit ; "
                "prévenez l'informatique.",
                "The password-attempt counter was set back in the key-slot file (file edited or "
                "replaced by a copy): recorded in the audit log; tell IT.",
            )
        ]

    def unlock(self, username: str, password: str) -> Session:
        name = username.strip().lower()
        slot_id = keyslots.user_slot_id(name)
        opened, slots = self._attempt(slot_id, password.encode())
        return self._open(opened, slots, lambda store: store.users.get_user(name), slot_id)

    def unlock_with_recovery(self, recovery_key: str) -> Session:
        """Open with the sealed-envelope key: an IT-admin session to reset passwords."""
        secret = keyslots.parse_recovery_key(recovery_key)
        opened, slots = self._attempt(keyslots.RECOVERY_SLOT, secret)
        user = User(username=RECOVERY_ACTOR, display_name="Clé de secours / recovery key", role=Role.IT_ADMIN)
        return self._open(opened, slots, lambda _store: user, keyslots.RECOVERY_SLOT)


def _unfinished_notice(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return (
            "Disque plein : le changement de clé de la base commencé plus tôt n'a pas pu s'achever ; "
            "la base est ouverte avec la clé qui l'ouvre. Libérez de la place : la prochaine "
            "ouverture l'achève.",
            "Disk full: the re-key of the database started earlier could not finish; the store is "
            "open with the key that opens it. Free some space: the next sign-in finishes it.",
        )
    return (
        "Le changement de clé de la base commencé plus tôt n'a pas pu s'achever ; la base est "
        "ouverte avec la clé qui l'ouvre. Prévenez l'informatique (« continuity keys rotate »).",
        "The re-key of the database started earlier could not finish; the store is open with "
        "the key that opens it. Tell IT ('continuity keys rotate').",
    )


def _check_registered(store: Store, slots: keyslots.SlotFile, slot_id: str, actor: str) -> None:
    """Refuse a slot the store does not know (planted or replaced in the file by someone who
    holds the key); record a format-1 slot converted by this unlock. A store with no
    registry yet (made before it existed) records the slots of its users and recovery key."""
    slot = slots.slots[slot_id]
    registry = read_registry(store)
    if registry is None:
        trusted = trusted_slot_ids(store)
        fresh = {sid: keyslots.fingerprint(s) for sid, s in slots.slots.items() if sid in trusted}
        with contextlib.suppress(*_WRITE_ERRORS), store.transaction():
            write_registry(store, fresh)
        return
    promoted = slot_id == keyslots.RECOVERY_SLOT and registry.get(keyslots.RECOVERY_NEXT) == slot.public
    if promoted:  # a new recovery key put in place by a re-key that could not record it
        registry[keyslots.RECOVERY_SLOT] = registry.pop(keyslots.RECOVERY_NEXT)
    elif not keyslots.is_registered(registry, slot_id, slot):
        with contextlib.suppress(*_WRITE_ERRORS), store.transaction():
            store.audit.append_audit(actor, "key.slot_unknown", "keyslot", slot_id, 1, {})
        raise AuthenticationFailed(
            "Cet emplacement de clé n'est pas celui que la base connaît (fichier des clés modifié) : "
            "ouverture refusée ; prévenez l'informatique.",
            "This key slot is not the one the store knows (key-slot file edited): sign-in refused; tell IT.",
        )
    if promoted or registry[slot_id] != keyslots.fingerprint(slot):  # converted from format 1
        registry[slot_id] = keyslots.fingerprint(slot)
        with contextlib.suppress(*_WRITE_ERRORS), store.transaction():
            write_registry(store, registry)


def _tell_failures(store: Store, actor: str, failures: int) -> list[tuple[str, str]]:
    """The wrong secrets tried under this name since its last sign-in: told and audited."""
    if failures <= 0:
        return []
    with contextlib.suppress(*_WRITE_ERRORS), store.transaction():
        store.audit.append_audit(actor, "user.failed_attempts", "user", actor, 1, {"count": failures})
    return [
        (
            f"{failures} essai(s) de mot de passe erroné(s) sous votre nom depuis votre dernière "
            "connexion. Si ce n'était pas vous, prévenez l'informatique.",
            f"{failures} wrong password attempt(s) under your name since your last sign-in. "
            "If it was not you, tell IT.",
        )
    ]


class Session:
    """An unlocked store and the user working on it. ``lock()`` closes it and drops the key."""

    def __init__(
        self,
        workspace: Workspace,
        user: User,
        store: Store,
        db_key: bytearray,
        lock: int | None = None,
        *,
        others: list[bytearray] | None = None,
        notices: list[tuple[str, str]] | None = None,
    ):
        self.workspace = workspace
        self._lock = lock
        self.user = user
        self.actor = user.username
        self._store: Store | None = store
        self._db_key = db_key
        # The other key a re-key left unfinished gave (it may still open a copy).
        self._other_keys = others or []
        # What the user must be told on opening (French, English): a counter set back...
        self.notices = notices or []
        self._carried = Changes.none()  # what a store closed by a re-key had not told yet

    @property
    def store(self) -> Store:
        if self._store is None:
            raise SessionLocked()
        return self._store

    @property
    def db_key(self) -> bytes:
        if self._store is None:
            raise SessionLocked()
        return bytes(self._db_key)

    @property
    def known_keys(self) -> list[bytes]:
        """The key of the open store, then any other key the unlock gave (a re-key unfinished)."""
        return [self.db_key, *(bytes(k) for k in self._other_keys)]

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        """Hold the store alone while this session stays open (a re-key): refused while
        another session or process has it open."""
        with locking.upgraded(self._lock):
            yield

    def replace_key(self, new_key: bytes | bytearray) -> None:
        """After a re-key of the closed store: the session now works with ``new_key``."""
        self.close_store()
        for i in range(len(self._db_key)):
            self._db_key[i] = new_key[i]
        for other in self._other_keys:
            for i in range(len(other)):
                other[i] = 0
        self._other_keys = []
        self._store = Store.open_encrypted(self.workspace.db_path, self._db_key, self.clock)

    def close_store(self) -> None:
        """Close the connection (a re-key moves the file), keeping the key and the lock."""
        if self._store is not None:
            self._carried = self._carried | self._store.take_changes()
            self._store.close()
            self._store = None

    @property
    def clock(self) -> Clock:
        return self.workspace.clock

    @property
    def is_locked(self) -> bool:
        return self._store is None

    def require(self, permission: Permission, uf_code: str | None = None) -> None:
        if not self.user.can(permission, uf_code):
            where_fr = f" pour l'UF {uf_code}" if uf_code else ""
            where_en = f" for UF {uf_code}" if uf_code else ""
            raise PermissionDenied(
                f"Action non autorisée pour votre rôle{where_fr}.",
                f"Action not allowed for your role{where_en}.",
            )

    def take_changes(self) -> Changes:
        """What this session's writes changed since the last call (see ``continuity.changes``)."""
        carried, self._carried = self._carried, Changes.none()
        return carried | self.store.take_changes()

    def lock(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        locking.release(self._lock)
        self._lock = None
        for key in (self._db_key, *self._other_keys):
            for i in range(len(key)):
                key[i] = 0

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.lock()
