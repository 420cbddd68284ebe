"""The data folder of a workstation, unlocking it, and the unlocked session.

A ``Session`` is what every service takes: the user who unlocked the store,
the open store, and the clock. Services check permissions against
``session.user``, so the GUI and the CLI get the same rules.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from continuity import folders, keyslots, locking, signing, witness
from continuity.changes import Changes
from continuity.domain.users import Permission, Role, User
from continuity.errors import AuthenticationFailed, PermissionDenied, SessionLocked
from continuity.store import Store
from continuity.upgrade import keep_before_upgrade

Clock = Callable[[], datetime]
RECOVERY_ACTOR = "recovery-key"


class Workspace:
    """A workstation's data folder: the encrypted database and its key-slot file."""

    DB_NAME = folders.DB_NAME
    SLOTS_NAME = folders.SLOTS_NAME

    def __init__(self, folder: Path, clock: Clock = keyslots.now_utc):
        self.folder = Path(folder)
        self.clock = clock

    @property
    def db_path(self) -> Path:
        return self.folder / self.DB_NAME

    @property
    def slots_path(self) -> Path:
        return self.folder / self.SLOTS_NAME

    def is_provisioned(self) -> bool:
        return self.db_path.exists() and self.slots_path.exists()

    def ensure_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)

    def load_slots(self) -> keyslots.SlotFile:
        return keyslots.load(self.slots_path)

    def save_slots(self, slots: keyslots.SlotFile) -> None:
        keyslots.save(self.slots_path, slots)

    def _open(self, db_key: bytearray, user_of: Callable[[Store], User | None]) -> Session:
        lock = locking.hold_shared(self.folder)
        try:
            store = Store.open_encrypted(self.db_path, db_key, self.clock)
        except BaseException:
            locking.release(lock)
            raise
        try:

            def keep(version: int) -> None:
                keep_before_upgrade(self, store, db_key, version)

            store.migrate(before=keep)
            user = user_of(store)
            if user is None or not user.active:
                raise AuthenticationFailed(
                    "Identifiant ou mot de passe incorrect.", "Wrong user name or password."
                )
            _attach_witness(self.folder, store, self.clock)
        except BaseException:
            store.close()
            locking.release(lock)
            raise
        return Session(self, user, store, db_key, lock)

    def unlock(self, username: str, password: str) -> Session:
        slots = self.load_slots()
        name = username.strip().lower()
        try:
            db_key = keyslots.unwrap(slots, keyslots.user_slot_id(name), password.encode(), self.clock())
        finally:
            self.save_slots(slots)
        return self._open(db_key, lambda store: store.users.get_user(name))

    def unlock_with_recovery(self, recovery_key: str) -> Session:
        """Open with the sealed-envelope key: an IT-admin session to reset passwords."""
        secret = keyslots.parse_recovery_key(recovery_key)
        slots = self.load_slots()
        try:
            db_key = keyslots.unwrap(slots, keyslots.RECOVERY_SLOT, secret, self.clock())
        finally:
            self.save_slots(slots)
        user = User(username=RECOVERY_ACTOR, display_name="Clé de secours / recovery key", role=Role.IT_ADMIN)
        return self._open(db_key, lambda _store: user)


def _attach_witness(folder: Path, store: Store, clock: Clock) -> None:
    """Keep the witness file beside the store at the chain's head after every commit
    (``continuity.witness``); written now if absent or behind, never over a head the chain
    does not hold (that file is evidence for ``audit verify``)."""
    found = witness.witness_head_at_unlock(folder)
    holds = found is None or store.audit.hash_at(found.seq) == found.hash

    def private() -> bytes | None:
        value = store.get_meta(signing.SIGNING_META_KEY)
        return base64.b64decode(value) if value else None

    keeper = witness.Witness(
        folder,
        store.reference.local_workstation().code,
        private,
        clock,
        holds,
        found.seq if found is not None and holds else 0,
    )
    store.after_commit = keeper.write
    head = store.audit.head()
    if head is not None:
        keeper.write(*head)


class Session:
    """An unlocked store and the user working on it. ``lock()`` closes it and drops the key."""

    def __init__(
        self, workspace: Workspace, user: User, store: Store, db_key: bytearray, lock: int | None = None
    ):
        self.workspace = workspace
        self._lock = lock
        self.user = user
        self.actor = user.username
        self._store: Store | None = store
        self._db_key = db_key

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
        return self.store.take_changes()

    def lock(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        locking.release(self._lock)
        self._lock = None
        for i in range(len(self._db_key)):
            self._db_key[i] = 0

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.lock()
